#pragma once
#include <string>
#include <vector>

#include "core/finding.hpp"
#include "report/report.hpp"

namespace airguard {

// Compares this scan's findings with an earlier report's by fingerprint (check, key, file: never
// the line, so moving lines or adding unrelated findings changes nothing). Fingerprints are
// counted, so two findings sharing one (the same credential twice in a DAG file) stay two.
// new: unsuppressed current findings beyond the baseline's count; fixed: baseline findings beyond
// the current count; unchanged: the rest.
BaselineDiff diff_against_baseline(const ScanReport& baseline, const std::vector<Finding>& current,
                                   const std::string& baseline_path);

// True when the report has a baseline and lists this finding as new. Without a baseline every
// finding counts as new.
bool is_new_finding(const ScanReport& report, const Finding& finding);

}  // namespace airguard
