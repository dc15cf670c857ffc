#pragma once
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.hpp"
#include "core/result.hpp"
#include "sources/env/environment.hpp"

namespace airguard {

// The environment docker compose gives the Airflow containers of a compose file: for each Airflow
// service (image or variables mention Airflow), its `env_file:` files and then its `environment:`
// (map or list form), with `x-` anchors, aliases and `<<` merges resolved as compose does, and
// ${VAR} interpolation from the project's .env file.
struct ComposeEnvironment {
  std::vector<EnvVar> vars;            // in the order they apply (later wins)
  std::vector<std::string> services;   // the Airflow services read
  std::vector<std::string> env_files;  // env_file: paths read, relative to the compose file's folder
  Diagnostics problems;
};

using EnvFileReader = std::function<Result<EnvFileParse>(const std::string& path)>;

// `project_env` holds the project's .env variables used for ${VAR} interpolation (may be empty);
// `read_env` reads an env_file: reference (tests pass a fake).
ComposeEnvironment parse_compose_environment(std::string_view yaml_text, const std::string& path,
                                             const std::vector<EnvVar>& project_env, const EnvFileReader& read_env);

// Reads the compose file, its project .env (beside it, when present) and its env_file: references.
Result<ComposeEnvironment> read_compose_file(const std::string& path);

}  // namespace airguard
