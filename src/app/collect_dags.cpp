#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>

#include "app/collectors.hpp"
#include "core/text.hpp"

namespace airguard {
namespace {

// [core] dag_ignore_file_syntax before the effective config exists: the environment, then
// airflow.cfg, then the default of the target version (regexp in Airflow 2, glob in 3).
IgnoreSyntax ignore_syntax_before_config(const Snapshot& snapshot, const std::string& airflow_version) {
  IgnoreSyntax syntax = default_ignore_syntax(airflow_version);
  if (const EnvVar* var = snapshot.env.get("AIRFLOW__CORE__DAG_IGNORE_FILE_SYNTAX")) {
    if (parse_ignore_syntax(var->value, syntax)) return syntax;
  }
  if (snapshot.cfg) {
    if (const CfgOption* option = snapshot.cfg->find("core", "dag_ignore_file_syntax")) {
      parse_ignore_syntax(option->raw_value, syntax);
    }
  }
  return syntax;
}

// "dags <dir> (not all read: Permission denied (2), more than 500000 files (1))": the report's
// completeness line and the exit status 3 say the folder was only partly read, and why.
std::string unread_summary(const std::string& dir, const std::map<std::string, std::size_t>& unread) {
  std::string out = "dags " + dir + " (not all read:";
  const char* separator = " ";
  for (const auto& [reason, count] : unread) {
    out += separator + reason + " (" + std::to_string(count) + ")";
    separator = ", ";
  }
  return out + ")";
}

void record_scan(Snapshot& snapshot, DagScanResult result, const std::string& dir) {
  snapshot.inputs.push_back({"dags", dir});
  if (!result.unread.empty()) snapshot.unavailable_sources.push_back(unread_summary(dir, result.unread));
  for (const Diagnostic& problem : result.problems) snapshot.diagnostics.push_back(problem);
  result.problems.clear();
  if (snapshot.dags) {
    snapshot.dags->merge(std::move(result));
  } else {
    snapshot.dags = std::move(result);
  }
}

bool stderr_is_terminal() { return ::isatty(STDERR_FILENO) == 1; }

}  // namespace

void collect_dags(const ScanOptions& options, Snapshot& snapshot) {
  if (options.dag_dirs.empty()) return;
  DagScanOptions scan_options;
  scan_options.ignore_syntax = ignore_syntax_before_config(
      snapshot, options.airflow_version ? *options.airflow_version : snapshot.target.version);
  scan_options.progress = options.progress || (!options.quiet && stderr_is_terminal());
  for (const std::string& dir : options.dag_dirs) {
    std::error_code error;
    if (!std::filesystem::exists(dir, error)) {
      snapshot.diagnostics.push_back(make_error(dir, 0, "DAG folder not found", "check the path given to --dags"));
      snapshot.unavailable_sources.push_back("dags " + dir);
      continue;
    }
    record_scan(snapshot, scan_dag_folder(dir, scan_options), dir);
  }
  if (!snapshot.dags) snapshot.dags = DagScanResult{};  // asked for: report "nothing found", not "not scanned"
}

void collect_dag_folders_from_config(Snapshot& snapshot) {
  if (snapshot.dags) return;  // --dags decided what to scan
  DagScanOptions scan_options;
  scan_options.ignore_syntax = default_ignore_syntax(snapshot.target.version);
  if (const ResolvedOption* syntax = snapshot.config.get("core", "dag_ignore_file_syntax")) {
    if (syntax->value) parse_ignore_syntax(*syntax->value, scan_options.ignore_syntax);
  }
  scan_options.progress = stderr_is_terminal();
  std::vector<std::string> scanned;
  for (const char* key : {"dags_folder", "plugins_folder"}) {
    const ResolvedOption* option = snapshot.config.get("core", key);
    if (option == nullptr || !option->value || option->value->empty()) continue;
    const std::string dir = *option->value;
    std::error_code error;
    // The defaults ($AIRFLOW_HOME/dags) often do not exist on the scanning host: nothing to scan.
    if (!std::filesystem::is_directory(dir, error)) continue;
    if (std::find(scanned.begin(), scanned.end(), dir) != scanned.end()) continue;
    scanned.push_back(dir);
    record_scan(snapshot, scan_dag_folder(dir, scan_options), dir);
  }
}

}  // namespace airguard
