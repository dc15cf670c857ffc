#pragma once
#include <string>

#include "core/result.hpp"
#include "report/baseline_diff.hpp"
#include "report/report.hpp"

namespace airguard {

// Reads (bounded) an earlier JSON report for --baseline. Errors name the file (exit 2).
Result<ScanReport> load_baseline(const std::string& path);

// Scan step "baseline": compares report.findings with the report at `path` and records the result
// in report.baseline (renderers then mark new findings and list fixed ones). Call after the
// ignore file was applied, so accepted findings are not reported as new.
Result<bool> apply_baseline(const std::string& path, ScanReport& report);

// The exit-status rule with a baseline: only new, unsuppressed findings at or above `fail_on`
// fail the run, so a cron job or CI gate trips on what changed, not on accepted history.
// Without a baseline: any unsuppressed finding at or above `fail_on`.
bool has_failing_findings(const ScanReport& report, Severity fail_on);

}  // namespace airguard
