#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "app/scan_options.hpp"
#include "core/result.hpp"
#include "report/ignore_rules.hpp"
#include "report/report.hpp"

namespace airguard {

inline constexpr std::string_view kIgnoreFileName = ".airguard-ignore.yaml";

// The ignore file of a scan: --ignore-file when given; else .airguard-ignore.yaml in the scanned
// directory, or beside the airflow.cfg, env files, webserver_config.py or values files given
// (first found, in that order); else none.
std::optional<std::string> find_ignore_file(const ScanOptions& options);

// Reads (bounded) and parses an ignore file. Errors name file:line (exit 2).
Result<IgnoreFile> load_ignore_file(const std::string& path);

// Scan step "ignore": loads the file, marks the findings it covers as suppressed, records the
// audit in report.ignores and appends a warning per expired entry and a note per unused entry
// to report.diagnostics. Call after the findings are in the report and before the baseline.
Result<bool> apply_ignore_file(const std::string& path, ScanReport& report, std::string_view today);

}  // namespace airguard
