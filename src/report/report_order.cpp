#include "report/report_order.hpp"

#include <algorithm>
#include <filesystem>
#include <tuple>

namespace airguard {

std::vector<const Finding*> ordered_findings(const ScanReport& report) {
  std::vector<const Finding*> ordered;
  ordered.reserve(report.findings.size());
  for (const Finding& finding : report.findings) ordered.push_back(&finding);
  std::stable_sort(ordered.begin(), ordered.end(), [](const Finding* a, const Finding* b) {
    return std::forward_as_tuple(b->severity, a->check_id, a->key, a->location.file, a->location.line,
                                 a->location.column, a->location.name) <
           std::forward_as_tuple(a->severity, b->check_id, b->key, b->location.file, b->location.line,
                                 b->location.column, b->location.name);
  });
  return ordered;
}

std::string finding_fingerprint(const Finding& finding) {
  return finding.fingerprint.empty() ? fingerprint(finding) : finding.fingerprint;
}

std::array<std::size_t, 5> count_by_severity(const ScanReport& report) {
  std::array<std::size_t, 5> counts{};
  for (const Finding& finding : report.findings) {
    if (!finding.suppressed) ++counts[static_cast<std::size_t>(finding.severity)];
  }
  return counts;
}

std::size_t count_suppressed(const ScanReport& report) {
  return static_cast<std::size_t>(
      std::count_if(report.findings.begin(), report.findings.end(), [](const Finding& f) { return f.suppressed; }));
}

bool finding_fails(const ScanReport& report, const Finding& finding) {
  const auto threshold = parse_severity(report.fail_on);
  return !finding.suppressed && threshold && finding.severity >= *threshold;
}

std::string path_relative_to_root(const std::string& path, const std::string& scan_root) {
  namespace fs = std::filesystem;
  if (path.empty()) return path;
  const fs::path normal = fs::path(path).lexically_normal();
  if (!scan_root.empty()) {
    std::error_code error;
    const fs::path root = fs::absolute(fs::path(scan_root), error).lexically_normal();
    const fs::path absolute = fs::absolute(normal, error).lexically_normal();
    if (!error) {
      const fs::path relative = absolute.lexically_relative(root);
      if (!relative.empty() && *relative.begin() != "..") return relative.generic_string();
    }
  }
  return normal.generic_string();
}

const CheckInfo* find_check(const ScanReport& report, const std::string& check_id) {
  const auto it = std::find_if(report.checks.begin(), report.checks.end(),
                               [&](const CheckInfo& check) { return check.id == check_id; });
  return it == report.checks.end() ? nullptr : &*it;
}

}  // namespace airguard
