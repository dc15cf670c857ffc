#pragma once
#include <string>

#include "report/report.hpp"

namespace airguard {

// SARIF 2.1.0 (`--format sarif`) for code-scanning dashboards: one rule per check, one result per
// finding with its file and line relative to the scan root (uriBaseId SRCROOT), a logical
// location when the value has no file, partialFingerprints from Finding fingerprints, and
// suppressions for findings an ignore file accepted. Deterministic like the JSON report.
std::string render_sarif(const ScanReport& report);

// SARIF level for a severity: critical/high -> error, medium -> warning, low/info -> note.
std::string_view sarif_level(Severity severity);

// The GitHub "security-severity" score (a number as a string): critical 9.5, high 8.0,
// medium 5.5, low 3.0, info 0.0.
std::string_view sarif_security_severity(Severity severity);

}  // namespace airguard
