#pragma once
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "report/report.hpp"

namespace airguard {

// The machine-readable report (`--format json`): the versioned contract of DESIGN.md, described
// by data/schemas/report-v1.json. Keys keep a fixed order and findings are sorted, so the same
// scan renders byte for byte the same (generated_at and scan_seconds are left out when empty).
std::string render_json(const ScanReport& report);

// Reads a report written by render_json (for --baseline and re-rendering). Unknown keys are
// ignored so newer minor additions stay readable; a different schema_version is an error.
Result<ScanReport> parse_json_report(std::string_view text, const std::string& path);

}  // namespace airguard
