#pragma once
#include <string>
#include <string_view>

namespace airguard {

// Where a fact came from. The `source` values are the JSON report's contract (DESIGN.md).
enum class SourceKind { cfg, env, helm, webserver_config, api, inventory, dag, default_value };

std::string_view to_string(SourceKind kind);  // "cfg", "env", ..., "default"

struct Origin {
  SourceKind kind = SourceKind::default_value;
  std::string file;  // path as the user gave it (cfg, env file, values file, webserver_config.py, DAG)
  int line = 0;      // 1-based; 0 = no line (process environment, chart default, API)
  int column = 0;    // 1-based; 0 = unknown
  std::string name;  // env var name, Helm values path, URL or endpoint; empty otherwise
  // The Helm chart's templates write this option or variable name (a chart-set environment
  // variable, a `config:` entry the user left at or copied from the chart's default): the user
  // chose at most its value, so lints of the name itself are not the user's to fix.
  bool chart_wrote = false;
  // The values paths the chart builds this value from, comma-separated ("data.metadataConnection"
  // for the chart's database URL variables, plus "postgresql" with the bundled database):
  // findings on it share their root cause with findings on those paths.
  std::string built_from = {};

  // "airflow.cfg:12", "AIRFLOW__CORE__FERNET_KEY (.env:3)", "values.yaml:40 (webserver.defaultUser)",
  // "environment AIRFLOW__X", "chart default", "https://host/api/v2/config".
  std::string describe() const;
};

// Whose value a finding is about: the user's files (or command line), the Helm chart's defaults
// left in force, or Airflow's own defaults. The names are the JSON report's contract.
enum class Provenance { user, chart_default, airflow_default };
std::string_view to_string(Provenance provenance);  // "user", "chart-default", "airflow-default"
Provenance provenance_of(const Origin& origin);

}  // namespace airguard
