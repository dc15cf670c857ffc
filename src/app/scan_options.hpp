#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/severity.hpp"

namespace airguard {

// Everything `airguard scan` was asked to do, as parsed from the command line.
struct ScanOptions {
  // Sources. With none of them given, the scan is "local": $AIRFLOW_CONFIG or $AIRFLOW_HOME/airflow.cfg
  // or ~/airflow/airflow.cfg, plus the process environment.
  std::optional<std::string> directory;  // `airguard scan DIR`: deployment files found by name
  std::optional<std::string> airflow_cfg;
  std::vector<std::string> env_files;
  bool process_env = false;  // --env: also read the process environment
  std::optional<std::string> webserver_config;
  std::vector<std::string> compose_files;

  // Helm
  std::vector<std::string> helm_values;
  std::vector<std::string> helm_set;         // --set a.b=c (Helm syntax)
  std::vector<std::string> helm_set_string;  // --set-string
  std::optional<std::string> chart_version;
  std::optional<std::string> chart_defaults;

  // Live REST API
  std::optional<std::string> api_url;
  std::optional<std::string> api_credentials_file;
  std::optional<std::string> ca_cert;
  bool insecure = false;
  bool try_default_credentials = false;
  double api_timeout_seconds = 10.0;
  double api_deadline_seconds = 60.0;  // the whole live API phase, every request included

  // Versions and advisories
  std::optional<std::string> airflow_version;
  std::vector<std::string> packages_files;
  std::vector<std::string> site_packages_dirs;
  std::optional<std::string> advisories;  // PATH or URL; default: cache, else embedded snapshot
  bool no_advisories = false;

  // DAG code
  std::vector<std::string> dag_dirs;
  bool progress = false;  // --progress: DAG scan and API progress on stderr even when stderr is not a terminal

  // Evaluation and output
  std::string profile = "default";
  std::optional<Severity> fail_on;    // default: the profile's
  std::vector<std::string> formats;   // "text", "json", "sarif=path" ...; default text
  std::optional<std::string> output;  // --output FILE for the single format
  std::optional<std::string> ignore_file;
  std::optional<std::string> baseline;
  bool show_suppressed = false;
  // Whether the report lists every check that ran with its texts (title, rationale, fix,
  // references), as the JSON, SARIF and JUnit formats do; without, report.checks holds ids,
  // severities and tags, and only the checks that found something are read in full.
  bool check_texts = true;
  bool golden = false;  // deterministic output: no timestamps, no durations
  bool quiet = false;
  bool color = false;
  std::string today;  // YYYY-MM-DD, for expiry dates and feed age; tests pin it with --today
};

}  // namespace airguard
