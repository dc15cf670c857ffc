#pragma once
#include <optional>

#include "app/scan_options.hpp"
#include "core/diagnostic.hpp"
#include "engine/snapshot.hpp"

// The collect step of a scan: each source area fills its part of the snapshot from the options.
// A collector records what it read in snapshot.inputs, problems in snapshot.diagnostics, and a
// requested-but-unreadable source in snapshot.unavailable_sources (exit 3). Each is defined in
// the app/collect_<area>.cpp file of its area.
namespace airguard {

void collect_config(const ScanOptions& options, Snapshot& snapshot);     // airflow.cfg, env files, environment, compose
void collect_webserver(const ScanOptions& options, Snapshot& snapshot);  // webserver_config.py
void collect_helm(const ScanOptions& options, Snapshot& snapshot);       // Helm values
// After collect_helm: the webserver_config.py the official chart mounts from its values
// (webserver.webserverConfig, apiServer.apiServerConfig), when no webserver_config.py was given.
void collect_helm_webserver_config(const ScanOptions& options, Snapshot& snapshot);
void collect_api(const ScanOptions& options, Snapshot& snapshot);  // live REST API
// Checked before anything is read: an --api-url holding a user name or password is refused (exit 2).
std::optional<Diagnostic> api_url_problem(const ScanOptions& options);
void collect_inventory(const ScanOptions& options, Snapshot& snapshot);  // installed versions + advisory feed
void collect_dags(const ScanOptions& options, Snapshot& snapshot);       // DAG and plugin code
// After the effective config is resolved, for a local or directory scan without --dags: scans
// [core] dags_folder and plugins_folder when they exist (no-op when --dags already ran).
void collect_dag_folders_from_config(Snapshot& snapshot);

}  // namespace airguard
