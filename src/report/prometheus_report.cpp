#include "report/prometheus_report.hpp"

#include <fmt/format.h>

#include <ctime>

#include "report/report_order.hpp"

namespace airguard {

namespace {

std::string label_value(std::string_view text) {
  std::string escaped;
  for (char c : text) {
    if (c == '\\')
      escaped += "\\\\";
    else if (c == '"')
      escaped += "\\\"";
    else if (c == '\n')
      escaped += "\\n";
    else
      escaped.push_back(c);
  }
  return escaped;
}

void metric(std::string& out, std::string_view name, std::string_view help, std::string_view type) {
  out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

// "2025-11-22T09:30:00Z" -> seconds since the epoch; -1 when the text is not that shape.
long long epoch_seconds(const std::string& rfc3339) {
  std::tm parts{};
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (std::sscanf(rfc3339.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &year, &month, &day, &hour, &minute, &second) != 6) {
    return -1;
  }
  parts.tm_year = year - 1900;
  parts.tm_mon = month - 1;
  parts.tm_mday = day;
  parts.tm_hour = hour;
  parts.tm_min = minute;
  parts.tm_sec = second;
  return static_cast<long long>(timegm(&parts));
}

}  // namespace

std::string render_prometheus(const ScanReport& report) {
  std::string out;
  const auto counts = count_by_severity(report);
  metric(out, "airguard_findings", "Unsuppressed findings of the last scan, by severity.", "gauge");
  for (Severity severity : kSeveritiesDescending) {
    out += fmt::format("airguard_findings{{severity=\"{}\"}} {}\n", to_string(severity),
                       counts[static_cast<std::size_t>(severity)]);
  }
  std::size_t failing = 0;
  for (const Finding& finding : report.findings) failing += finding_fails(report, finding) ? 1u : 0u;
  metric(out, "airguard_findings_failing", "Unsuppressed findings at or above the fail-on severity.", "gauge");
  out += fmt::format("airguard_findings_failing{{fail_on=\"{}\"}} {}\n", label_value(report.fail_on), failing);
  metric(out, "airguard_findings_suppressed", "Findings accepted by the ignore file.", "gauge");
  out += fmt::format("airguard_findings_suppressed {}\n", count_suppressed(report));
  metric(out, "airguard_scan_success", "1 when every requested source could be read, 0 when the scan is incomplete.",
         "gauge");
  out += fmt::format("airguard_scan_success {}\n", report.incomplete() ? 0 : 1);
  metric(out, "airguard_sources_unavailable", "Requested sources that could not be read.", "gauge");
  out += fmt::format("airguard_sources_unavailable {}\n", report.unavailable_sources.size());
  if (report.advisory_feed_age_days >= 0) {
    metric(out, "airguard_advisory_feed_age_days", "Age of the advisory feed the scan used, in days.", "gauge");
    out += fmt::format("airguard_advisory_feed_age_days {}\n", report.advisory_feed_age_days);
  }
  if (report.baseline) {
    metric(out, "airguard_baseline_new_findings", "Findings not in the baseline report.", "gauge");
    out += fmt::format("airguard_baseline_new_findings {}\n", report.baseline->new_fingerprints.size());
    metric(out, "airguard_baseline_fixed_findings", "Baseline findings this scan no longer reports.", "gauge");
    out += fmt::format("airguard_baseline_fixed_findings {}\n", report.baseline->fixed.size());
  }
  if (report.ignores) {
    metric(out, "airguard_ignore_entries_expired", "Ignore-file entries past their expiry date.", "gauge");
    out += fmt::format("airguard_ignore_entries_expired {}\n", report.ignores->expired.size());
    metric(out, "airguard_ignore_entries_unused", "Ignore-file entries that matched no finding.", "gauge");
    out += fmt::format("airguard_ignore_entries_unused {}\n", report.ignores->unused.size());
  }
  const long long scanned_at = epoch_seconds(report.generated_at);
  if (scanned_at >= 0) {
    metric(out, "airguard_scan_timestamp_seconds", "Time of the scan, seconds since the Unix epoch.", "gauge");
    out += fmt::format("airguard_scan_timestamp_seconds {}\n", scanned_at);
  }
  if (report.scan_seconds >= 0) {
    metric(out, "airguard_scan_duration_seconds", "How long the scan took.", "gauge");
    out += fmt::format("airguard_scan_duration_seconds {:.3f}\n", report.scan_seconds);
  }
  metric(out, "airguard_info", "The scanner version, profile and target Airflow version.", "gauge");
  out +=
      fmt::format("airguard_info{{version=\"{}\",profile=\"{}\",airflow_version=\"{}\"}} 1\n",
                  label_value(report.tool_version), label_value(report.profile), label_value(report.airflow_version));
  return out;
}

}  // namespace airguard
