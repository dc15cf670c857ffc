#include <filesystem>
#include <optional>

#include "app/collectors.hpp"

namespace airguard {
namespace {

// The file Airflow itself would load: [webserver] config_file defaults to
// $AIRFLOW_HOME/webserver_config.py. A directory scan looks for it at the top of the directory.
std::optional<std::string> discover_webserver_config(const ScanOptions& options) {
  if (options.webserver_config) return options.webserver_config;
  if (!options.directory) return std::nullopt;
  const std::filesystem::path candidate = std::filesystem::path(*options.directory) / "webserver_config.py";
  std::error_code error;
  if (std::filesystem::is_regular_file(candidate, error)) return candidate.string();
  return std::nullopt;
}

}  // namespace

void collect_webserver(const ScanOptions& options, Snapshot& snapshot) {
  const std::optional<std::string> path = discover_webserver_config(options);
  if (!path) return;
  Result<WebserverConfig> config = read_webserver_config(*path);
  if (!config) {
    snapshot.diagnostics.push_back(config.error());
    return;
  }
  snapshot.inputs.push_back({"webserver_config.py", *path});
  // Syntax problems are errors (Airflow could not load the file either); skipped constructs are notes.
  for (const Diagnostic& diagnostic : config->skipped) snapshot.diagnostics.push_back(diagnostic);
  snapshot.webserver = std::move(*config);
}

}  // namespace airguard
