#pragma once
#include <string>

#include "report/report.hpp"

namespace airguard {

// Text blocks the text plan appends after its findings (report/plan_text.cpp calls them).
// Each returns "" when there is nothing to say, and otherwise ends with a newline.

// "Since last.json (2025-11-21T09:30:00Z): 2 new, 1 fixed, 14 unchanged." and the fixed findings.
std::string render_baseline_text(const ScanReport& report);

// Ignore-file entries that expired (and no longer apply) or matched nothing.
std::string render_ignores_text(const ScanReport& report);

}  // namespace airguard
