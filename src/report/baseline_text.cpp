#include "report/baseline_text.hpp"

#include <fmt/format.h>

#include "report/report_order.hpp"

namespace airguard {

std::string render_baseline_text(const ScanReport& report) {
  if (!report.baseline) return "";
  const BaselineDiff& diff = *report.baseline;
  std::string text = diff.baseline_generated_at.empty()
                         ? fmt::format("Since {}: ", diff.baseline_path)
                         : fmt::format("Since {} ({}): ", diff.baseline_path, diff.baseline_generated_at);
  text +=
      fmt::format("{} new, {} fixed, {} unchanged.\n", diff.new_fingerprints.size(), diff.fixed.size(), diff.unchanged);
  for (const Finding& finding : diff.fixed) {
    text += fmt::format("  fixed: {} {} ({})\n", finding.check_id, finding.title,
                        finding.key.empty() ? finding.location.describe() : finding.key);
  }
  return text;
}

std::string render_ignores_text(const ScanReport& report) {
  if (!report.ignores) return "";
  const IgnoreAudit& audit = *report.ignores;
  if (audit.expired.empty() && audit.unused.empty()) return "";
  std::string text = fmt::format("Ignore file {}:\n", audit.path);
  for (const IgnoreEntry& entry : audit.expired) {
    text += fmt::format("  expired {} (line {}): {} no longer ignored ({})\n", entry.expires, entry.line, entry.check,
                        entry.reason);
  }
  for (const IgnoreEntry& entry : audit.unused) {
    text += fmt::format("  unused (line {}): {} matched no finding\n", entry.line, entry.check);
  }
  return text;
}

}  // namespace airguard
