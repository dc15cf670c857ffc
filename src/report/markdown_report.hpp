#pragma once
#include <string>

#include "report/report.hpp"

namespace airguard {

// Markdown for pull-request and merge-request comments (`--format markdown`): a verdict line, a
// summary table by severity, changes since the baseline, then the plan (findings grouped by the
// action that fixes them, most urgent first, each with where, evidence and the snippet to apply),
// suppressed findings with their reasons, ignore-file problems and diagnostics. Text from the
// scanned files only ever appears inside code spans or blocks.
std::string render_markdown(const ScanReport& report);

// `text` as an inline code span that survives backticks and line breaks in the text.
std::string markdown_code_span(std::string_view text);

}  // namespace airguard
