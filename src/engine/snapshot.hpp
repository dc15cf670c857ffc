#pragma once
#include <optional>
#include <string>
#include <vector>

#include "advisories/advisory_db.hpp"
#include "config/effective_config.hpp"
#include "core/diagnostic.hpp"
#include "core/redact.hpp"
#include "sources/api/api_facts.hpp"
#include "sources/cfg/cfg_file.hpp"
#include "sources/dags/dag_scan.hpp"
#include "sources/env/environment.hpp"
#include "sources/helm/helm_values.hpp"
#include "sources/inventory/inventory.hpp"
#include "sources/webserver/webserver_config.hpp"

namespace airguard {

// The Airflow version every version-aware check assumes, and who said so.
struct AirflowTarget {
  std::string version;  // "2.10.5", "3.1.0"; "" = unknown (checks for every version apply)
  std::string source;   // "--airflow-version", "api", "inventory", "helm", "assumed"
  int major() const;    // 2, 3, or 0 when unknown
};

// An input the scan read, for the report's header ("which files it used").
struct InputUsed {
  std::string kind;  // "airflow.cfg", "env-file", "environment", "webserver_config.py", "helm-values", "api",
                     // "packages", "dags"
  std::string path;  // path or URL ("" for the process environment)
};

// Everything collected, built once, never mutated afterwards; checks are pure functions of it.
struct Snapshot {
  AirflowTarget target;
  std::string scan_root;  // directory the scan was pointed at, for relative paths in reports ("" = cwd)
  std::vector<InputUsed> inputs;

  std::optional<CfgFile> cfg;
  Environment env;
  EffectiveConfig config;
  std::optional<WebserverConfig> webserver;
  std::optional<HelmValues> helm;
  std::optional<ApiFacts> api;
  Inventory inventory;
  std::optional<AdvisoryFeedInfo> advisory_feed;
  std::string today;  // YYYY-MM-DD the scan judges dates by (ScanOptions.today; tests pin it)
  std::optional<DagScanResult> dags;

  SecretScrubber secrets;   // every secret value seen while collecting: reports are scrubbed with it
  Diagnostics diagnostics;  // problems reading inputs
  std::vector<std::string> unavailable_sources;  // requested but unreadable: exit 3
};

}  // namespace airguard
