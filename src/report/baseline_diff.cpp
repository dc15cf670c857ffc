#include "report/baseline_diff.hpp"

#include <algorithm>
#include <map>

#include "report/report_order.hpp"

namespace airguard {

BaselineDiff diff_against_baseline(const ScanReport& baseline, const std::vector<Finding>& current,
                                   const std::string& baseline_path) {
  BaselineDiff diff;
  diff.baseline_path = baseline_path;
  diff.baseline_generated_at = baseline.generated_at;

  std::map<std::string, std::size_t> remaining_in_baseline;
  for (const Finding& finding : baseline.findings) ++remaining_in_baseline[finding_fingerprint(finding)];

  ScanReport ordered_current;
  ordered_current.findings = current;
  for (const Finding* finding : ordered_findings(ordered_current)) {
    const std::string identity = finding_fingerprint(*finding);
    auto it = remaining_in_baseline.find(identity);
    if (it != remaining_in_baseline.end() && it->second > 0) {
      --it->second;
      ++diff.unchanged;
    } else if (!finding->suppressed) {
      diff.new_fingerprints.push_back(identity);
    }
  }

  std::map<std::string, std::size_t> remaining_in_current;
  for (const Finding& finding : current) ++remaining_in_current[finding_fingerprint(finding)];
  for (const Finding* finding : ordered_findings(baseline)) {
    auto it = remaining_in_current.find(finding_fingerprint(*finding));
    if (it != remaining_in_current.end() && it->second > 0) {
      --it->second;
    } else {
      diff.fixed.push_back(*finding);
    }
  }
  return diff;
}

bool is_new_finding(const ScanReport& report, const Finding& finding) {
  if (!report.baseline) return true;
  const auto& fresh = report.baseline->new_fingerprints;
  return std::find(fresh.begin(), fresh.end(), finding_fingerprint(finding)) != fresh.end();
}

}  // namespace airguard
