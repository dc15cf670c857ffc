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

  // "airflow.cfg:12", "AIRFLOW__CORE__FERNET_KEY (.env:3)", "values.yaml:40 (webserver.defaultUser)",
  // "environment AIRFLOW__X", "chart default", "https://host/api/v2/config".
  std::string describe() const;
};

}  // namespace airguard
