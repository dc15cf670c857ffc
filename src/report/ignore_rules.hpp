#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.hpp"
#include "core/finding.hpp"
#include "core/result.hpp"
#include "report/report.hpp"

namespace airguard {

// An ignore file (.airguard-ignore.yaml):
//   ignore:
//     - check: AFH-WEB-001                # required; * and ? wildcards allowed
//       key: webserver.expose_config      # optional: only this key
//       file: deploy/airflow.cfg          # optional: only this file (relative to the ignore file)
//       reason: accepted until the proxy strips the header   # required
//       expires: 2026-12-31               # optional: applies up to and including that day
struct IgnoreFile {
  std::string path;
  std::vector<IgnoreEntry> entries;
};

// Parses the text of an ignore file. Any malformed entry (no check, no reason, unknown field,
// bad date) is an error naming path:line, so a typo never silently ignores too much or too little.
Result<IgnoreFile> parse_ignore_file(std::string_view text, const std::string& path);

// True when the text is a valid calendar date written YYYY-MM-DD.
bool is_iso_date(std::string_view text);

// Whether an entry covers a finding (check id, and key and file when the entry names them).
// Entry files are relative to the ignore file's directory; finding files are as the user gave them.
bool ignore_entry_matches(const IgnoreEntry& entry, const Finding& finding, const std::string& ignore_file_path);

struct IgnoreResult {
  IgnoreAudit audit;        // goes into ScanReport::ignores
  Diagnostics diagnostics;  // a warning per expired entry, a note per unused entry
};

// Marks the findings the entries cover as suppressed, with the entry's reason. Entries whose
// `expires` is before `today` (YYYY-MM-DD) no longer apply and are reported as expired; entries
// that matched no finding are reported as unused. Findings already suppressed are left alone.
IgnoreResult apply_ignores(const IgnoreFile& file, std::vector<Finding>& findings, std::string_view today);

}  // namespace airguard
