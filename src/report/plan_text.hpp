#pragma once
#include <string>

#include "report/report.hpp"

namespace airguard {

// The human remediation plan (`--format text`): most urgent first, grouped by the action that
// fixes them, each with why, where and the exact fix, then ready-to-apply fragments.
std::string render_text_plan(const ScanReport& report, bool color = false);

}  // namespace airguard
