#include <fmt/format.h>

#include "app/collectors.hpp"
#include "sources/env/compose.hpp"

namespace airguard {

namespace {

// Problems that do not stop a scan (Airflow refusing airflow.cfg is a finding, not an input error).
Diagnostic as_warning(Diagnostic d) {
  if (d.level == Diagnostic::Level::error) d.level = Diagnostic::Level::warning;
  return d;
}

void collect_cfg(const std::string& path, Snapshot& snapshot) {
  Result<CfgFile> file = read_cfg_file(path);
  if (!file) {
    snapshot.diagnostics.push_back(file.error());
    return;
  }
  snapshot.inputs.push_back({"airflow.cfg", path});
  for (const Diagnostic& error : file->errors) {
    Diagnostic d = as_warning(error);
    d.message = "Airflow refuses this airflow.cfg: " + d.message;
    snapshot.diagnostics.push_back(std::move(d));
  }
  snapshot.cfg = std::move(*file);
}

}  // namespace

void collect_config(const ScanOptions& options, Snapshot& snapshot) {
  if (options.airflow_cfg) collect_cfg(*options.airflow_cfg, snapshot);

  // Layers, later wins: compose files, then env files, then the process environment.
  for (const std::string& path : options.compose_files) {
    Result<ComposeEnvironment> compose = read_compose_file(path);
    if (!compose) {
      snapshot.diagnostics.push_back(compose.error());
      continue;
    }
    snapshot.inputs.push_back({"compose", path});
    for (const std::string& env_file : compose->env_files) snapshot.inputs.push_back({"env-file", env_file});
    for (const Diagnostic& problem : compose->problems) {
      // a compose file that is not YAML at all is an invalid input; anything else is a warning
      snapshot.diagnostics.push_back(
          problem.file == path && problem.message.rfind("not a valid YAML", 0) == 0 ? problem : as_warning(problem));
    }
    snapshot.env.set_all(std::move(compose->vars));
  }
  for (const std::string& path : options.env_files) {
    Result<EnvFileParse> parsed = read_env_file(path);
    if (!parsed) {
      snapshot.diagnostics.push_back(parsed.error());
      continue;
    }
    snapshot.inputs.push_back({"env-file", path});
    for (const Diagnostic& problem : parsed->problems) snapshot.diagnostics.push_back(as_warning(problem));
    snapshot.env.set_all(std::move(parsed->vars));
  }
  if (options.process_env) {
    snapshot.inputs.push_back({"environment", ""});
    snapshot.env.set_all(process_environment());
  }
}

}  // namespace airguard
