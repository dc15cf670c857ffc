#include "report/markdown_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "core/printable.hpp"
#include "report/report_order.hpp"

namespace airguard {

namespace {

std::size_t longest_backtick_run(std::string_view text) {
  std::size_t longest = 0;
  std::size_t run = 0;
  for (char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  return longest;
}

// Newlines become spaces, other controls visible escapes (printable()): one line of text.
std::string one_line(std::string_view text) {
  std::string flat(text);
  std::replace(flat.begin(), flat.end(), '\n', ' ');
  return printable(flat);
}

// Plain prose: escape what Markdown or HTML would interpret.
std::string escape_text(std::string_view text) {
  std::string escaped;
  for (char c : one_line(text)) {
    if (std::string_view("\\`*_[]<>|#").find(c) != std::string_view::npos) escaped.push_back('\\');
    escaped.push_back(c);
  }
  return escaped;
}

std::string code_block(std::string_view text) {
  std::string body;
  while (!text.empty()) {
    const std::size_t end = std::min(text.find('\n'), text.size());
    body += printable(text.substr(0, end)) + "\n";
    text.remove_prefix(std::min(end + 1, text.size()));
  }
  const std::string fence(std::max<std::size_t>(3, longest_backtick_run(body) + 1), '`');
  return fence + "\n" + body + fence + "\n";
}

// PR comments have a size limit and long evidence (a list of advisories) drowns the plan; the
// full text is in the JSON and SARIF reports.
constexpr std::size_t kMaxEvidence = 240;

std::string shorten(std::string_view text, std::size_t limit) {
  if (text.size() <= limit) return std::string(text);
  std::size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0u) == 0x80u) --cut;  // keep UTF-8 whole
  return std::string(text.substr(0, cut)) + "\u2026";
}

std::string count_phrase(std::size_t count, std::string_view singular) {
  return fmt::format("{} {}{}", count, singular, count == 1 ? "" : "s");
}

struct ActionGroup {
  std::string summary;
  std::string target;
  std::string snippet;
  Severity severity = Severity::info;
  std::vector<const Finding*> findings;
};

std::vector<ActionGroup> group_by_action(const std::vector<const Finding*>& findings) {
  std::vector<ActionGroup> groups;
  std::map<std::string, std::size_t> index;
  for (const Finding* finding : findings) {
    if (finding->suppressed) continue;
    const std::string key = finding->remediation.action_key.empty() ? "finding:" + finding_fingerprint(*finding)
                                                                    : finding->remediation.action_key;
    auto [it, inserted] = index.emplace(key, groups.size());
    if (inserted) {
      groups.push_back({finding->remediation.summary,
                        finding->remediation.target,
                        finding->remediation.snippet,
                        finding->severity,
                        {}});
    }
    groups[it->second].findings.push_back(finding);
  }
  return groups;
}

void append_summary(std::string& out, const ScanReport& report) {
  const auto counts = count_by_severity(report);
  std::size_t failing = 0;
  std::size_t total = 0;
  for (const Finding& finding : report.findings) {
    failing += finding_fails(report, finding) ? 1u : 0u;
    total += finding.suppressed ? 0u : 1u;
  }
  if (!report.fail_on.empty()) {
    out += failing > 0
               ? fmt::format("## airguard: {} at or above `{}`\n\n", count_phrase(failing, "finding"), report.fail_on)
               : fmt::format("## airguard: nothing at or above `{}`\n\n", report.fail_on);
  } else {
    out += fmt::format("## airguard: {}\n\n", count_phrase(total, "finding"));
  }

  std::vector<std::string> facts;
  if (!report.profile.empty()) facts.push_back(fmt::format("profile {}", markdown_code_span(report.profile)));
  if (!report.airflow_version.empty()) {
    facts.push_back(report.airflow_version_source.empty()
                        ? fmt::format("Airflow {}", markdown_code_span(report.airflow_version))
                        : fmt::format("Airflow {} (from {})", markdown_code_span(report.airflow_version),
                                      escape_text(report.airflow_version_source)));
  }
  if (!report.advisory_feed_date.empty()) {
    facts.push_back(
        report.advisory_feed_age_days >= 0
            ? fmt::format("advisories of {} ({} days old)", report.advisory_feed_date, report.advisory_feed_age_days)
            : fmt::format("advisories of {}", report.advisory_feed_date));
  }
  if (!report.scan_root.empty()) facts.push_back(fmt::format("scanned {}", markdown_code_span(report.scan_root)));
  if (!facts.empty()) {
    std::string line;
    for (const std::string& fact : facts) line += (line.empty() ? "" : " · ") + fact;
    out += line + "\n\n";
  }
  if (report.incomplete()) {
    out += "> **Incomplete scan.** These sources could not be read:";
    for (const std::string& source : report.unavailable_sources) out += " " + markdown_code_span(source);
    out += "\n\n";
  }

  out += "| Severity | Findings |\n|---|---:|\n";
  for (Severity severity : kSeveritiesDescending) {
    out += fmt::format("| {} | {} |\n", to_string(severity), counts[static_cast<std::size_t>(severity)]);
  }
  out += fmt::format("| suppressed | {} |\n\n", count_suppressed(report));

  if (report.baseline) {
    const BaselineDiff& diff = *report.baseline;
    out += fmt::format("**Since the baseline** {}: {} new, {} fixed, {} unchanged.\n\n",
                       markdown_code_span(diff.baseline_path), diff.new_fingerprints.size(), diff.fixed.size(),
                       diff.unchanged);
  }
}

void append_plan(std::string& out, const ScanReport& report, const std::vector<const Finding*>& ordered) {
  // Helm scans: the user's values, then the chart's defaults left in force, then Airflow's
  // defaults, each most urgent first (as in the text plan).
  std::vector<std::pair<std::string, std::vector<ActionGroup>>> parts;
  if (report.split_by_provenance) {
    for (const auto& [provenance, heading] :
         {std::pair{Provenance::user, "Your values"},
          std::pair{Provenance::chart_default, "The chart's defaults you have not overridden"},
          std::pair{Provenance::airflow_default, "Airflow's defaults nobody set"}}) {
      std::vector<const Finding*> part;
      for (const Finding* finding : ordered) {
        if (finding->provenance == provenance) part.push_back(finding);
      }
      if (!part.empty()) parts.emplace_back(heading, group_by_action(part));
    }
  } else {
    parts.emplace_back("", group_by_action(ordered));
  }
  if (parts.empty() || parts.front().second.empty()) return;
  std::multiset<std::string> new_fingerprints;
  if (report.baseline)
    new_fingerprints.insert(report.baseline->new_fingerprints.begin(), report.baseline->new_fingerprints.end());

  out += "### Plan\n\n";
  std::size_t number = 0;
  for (const auto& [heading, groups] : parts) {
    if (!heading.empty()) out += fmt::format("**{}** ({})\n\n", heading, count_phrase(groups.size(), "item"));
    for (const ActionGroup& group : groups) {
      ++number;
      const std::string summary = group.summary.empty() ? group.findings.front()->title : group.summary;
      out += fmt::format("#### {}. {}\n\n", number, escape_text(summary));
      out += fmt::format("**{}** · fixes {}\n\n", to_string(group.severity),
                         count_phrase(group.findings.size(), "finding"));
      for (const Finding* finding : group.findings) {
        std::string line = fmt::format("- **{}** {} {}", to_string(finding->severity),
                                       markdown_code_span(finding->check_id), escape_text(finding->title));
        // A file name from a DAG tree shows its newlines as \n: it must not read as two places.
        line += fmt::format(" at {}", markdown_code_span(printable(finding->location.describe())));
        if (!finding->evidence.empty())
          line += fmt::format(": {}", markdown_code_span(shorten(finding->evidence, kMaxEvidence)));
        if (new_fingerprints.count(finding_fingerprint(*finding)) != 0) line += " **(new)**";
        out += line + "\n";
      }
      out += "\n";
      if (!group.snippet.empty()) {
        out += group.target.empty() ? std::string("Apply:\n\n")
                                    : fmt::format("Apply in {}:\n\n", markdown_code_span(group.target));
        out += code_block(group.snippet) + "\n";
      } else if (!group.target.empty()) {
        out += fmt::format("Change in {}.\n\n", markdown_code_span(group.target));
      }
      const std::string& rationale = group.findings.front()->rationale;
      if (!rationale.empty()) {
        out += fmt::format("<details><summary>Why</summary>\n\n{}\n\n</details>\n\n", escape_text(rationale));
      }
    }
  }
}

void append_lists(std::string& out, const ScanReport& report, const std::vector<const Finding*>& ordered) {
  if (report.baseline && !report.baseline->fixed.empty()) {
    out += "### Fixed since the baseline\n\n";
    for (const Finding& finding : report.baseline->fixed) {
      out +=
          fmt::format("- {} {} ({})\n", markdown_code_span(finding.check_id), escape_text(finding.title),
                      markdown_code_span(printable(finding.key.empty() ? finding.location.describe() : finding.key)));
    }
    out += "\n";
  }
  const std::size_t suppressed = count_suppressed(report);
  if (suppressed > 0) {
    out += fmt::format("### Suppressed ({})\n\n", suppressed);
    for (const Finding* finding : ordered) {
      if (!finding->suppressed) continue;
      out += fmt::format("- {} {} at {}: {}\n", markdown_code_span(finding->check_id), escape_text(finding->title),
                         markdown_code_span(printable(finding->location.describe())),
                         escape_text(finding->suppression_reason));
    }
    out += "\n";
  }
  if (report.ignores && (!report.ignores->expired.empty() || !report.ignores->unused.empty())) {
    out += fmt::format("### Ignore file {}\n\n", markdown_code_span(report.ignores->path));
    for (const IgnoreEntry& entry : report.ignores->expired) {
      out += fmt::format("- expired on {}: {} (line {}): {}\n", entry.expires, markdown_code_span(entry.check),
                         entry.line, escape_text(entry.reason));
    }
    for (const IgnoreEntry& entry : report.ignores->unused) {
      out += fmt::format("- unused: {} (line {}) matched no finding\n", markdown_code_span(entry.check), entry.line);
    }
    out += "\n";
  }
  if (!report.diagnostics.empty()) {
    out += "### Diagnostics\n\n";
    for (const Diagnostic& diagnostic : report.diagnostics)
      out += "- " + markdown_code_span(diagnostic.format()) + "\n";
    out += "\n";
  }
}

}  // namespace

std::string markdown_code_span(std::string_view text) {
  const std::string flat = one_line(text);
  const std::string fence(longest_backtick_run(flat) + 1, '`');
  const bool pad = !flat.empty() && (flat.front() == '`' || flat.back() == '`');
  return fence + (pad ? " " : "") + flat + (pad ? " " : "") + fence;
}

std::string render_markdown(const ScanReport& report) {
  const std::vector<const Finding*> ordered = ordered_findings(report);
  std::string out;
  append_summary(out, report);
  append_plan(out, report, ordered);
  append_lists(out, report, ordered);
  while (out.size() >= 2 && out[out.size() - 1] == '\n' && out[out.size() - 2] == '\n') out.pop_back();
  return out;
}

}  // namespace airguard
