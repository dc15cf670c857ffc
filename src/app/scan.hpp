#pragma once
#include <string>
#include <vector>

#include "app/scan_options.hpp"
#include "core/diagnostic.hpp"
#include "engine/check_loader.hpp"
#include "engine/evaluator.hpp"
#include "engine/profile.hpp"
#include "engine/snapshot.hpp"
#include "report/report.hpp"

namespace airguard {

// The result of `airguard scan` before it is written anywhere.
struct ScanOutcome {
  ScanReport report;
  Snapshot snapshot;
  int exit_code = 0;
  Diagnostics fatal;  // usage or input errors: nothing was scanned (exit 2)
};

// The scan as a short list of named steps: discover inputs, collect, resolve, evaluate, report.
ScanOutcome run_scan(ScanOptions options);

// `airguard scan DIR`: the deployment files found in a folder by their usual names.
void discover_inputs(const std::string& directory, ScanOptions& options, std::vector<std::string>& notes);

// No source given: $AIRFLOW_CONFIG, else $AIRFLOW_HOME/airflow.cfg, else ~/airflow/airflow.cfg,
// plus the process environment.
void local_inputs(ScanOptions& options, std::vector<std::string>& notes);

// An explicitly named input must be a readable, non-empty UTF-8 text file of sane size: a FIFO,
// a device or a directory is refused before anything opens it.
std::optional<Diagnostic> check_input_file(const std::string& path);

// Today's date as YYYY-MM-DD (UTC), unless pinned with --today.
std::string today_utc();

}  // namespace airguard
