#include "app/baseline.hpp"

#include <algorithm>

#include "core/file_io.hpp"
#include "report/json_report.hpp"

namespace airguard {

Result<ScanReport> load_baseline(const std::string& path) {
  ReadLimits limits;
  limits.max_bytes = 64u * 1024u * 1024u;  // a report of tens of thousands of findings
  auto text = read_text_file(path, limits);
  if (!text.ok()) return text.error();
  return parse_json_report(*text, path);
}

Result<bool> apply_baseline(const std::string& path, ScanReport& report) {
  auto previous = load_baseline(path);
  if (!previous.ok()) return previous.error();
  report.baseline = diff_against_baseline(*previous, report.findings, path);
  return true;
}

bool has_failing_findings(const ScanReport& report, Severity fail_on) {
  return std::any_of(report.findings.begin(), report.findings.end(), [&](const Finding& finding) {
    return !finding.suppressed && finding.severity >= fail_on && is_new_finding(report, finding);
  });
}

}  // namespace airguard
