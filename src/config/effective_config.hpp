#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/option_catalog.hpp"
#include "core/diagnostic.hpp"
#include "core/origin.hpp"
#include "sources/cfg/cfg_file.hpp"
#include "sources/env/environment.hpp"

namespace airguard {

// Where Airflow took an option's value from (the `source` of `airguard config --format json`).
enum class ValueSource { env, env_cmd, env_secret, file, file_cmd, file_secret, default_value };
std::string_view to_string(ValueSource source);  // "env", "env_cmd", ..., "default"

struct ResolvedOption {
  std::string section;  // canonical names, lower case: the name the target version uses
  std::string key;
  std::optional<std::string> value;  // after interpolation and $VAR/~ expansion; nullopt: only the runtime knows (_cmd/_secret)
  ValueSource source = ValueSource::default_value;
  Origin origin;            // file:line, env var (+ env file:line), Helm values path, or default
  std::string name_used;    // the name that supplied it: "AIRFLOW__CORE__FERNET_KEY_CMD", "[webserver] secret_key"
  bool via_deprecated_name = false;
  bool sensitive = false;
  bool known = true;        // false: not in the target version's option table

  bool is_set() const { return source != ValueSource::default_value; }
};

// Something about how the configuration is written that a check may report (unknown option,
// deprecated name, upper-case key, _cmd on a non-sensitive option, file/env conflict ...).
struct ConfigIssue {
  std::string kind;  // stable id, e.g. "unknown_option", "deprecated_name", "uppercase_key",
                     // "cmd_on_non_sensitive", "env_overrides_file", "unknown_env_var",
                     // "ignored_section", "removed_in_airflow3", "interpolation_error"
  std::string section, key;  // as written
  Origin origin;
  std::string detail;  // one line, never a secret
};

struct ConfigInputs {
  const CfgFile* file = nullptr;  // airflow.cfg, or the chart's config: map; may be null
  const Environment* env = nullptr;
  std::string airflow_version;    // target version ("" = newest known)
};

class EffectiveConfig {
 public:
  static EffectiveConfig resolve(const ConfigInputs& inputs);

  // The option's effective value for every option the target version knows (its default when
  // unset); for an unknown option only when something sets it; nullptr otherwise.
  const ResolvedOption* get(std::string_view section, std::string_view key) const;
  const std::vector<ResolvedOption>& options() const { return options_; }  // sorted by (section, key)
  const std::vector<ConfigIssue>& issues() const { return issues_; }
  const std::string& catalog_version() const { return catalog_version_; }

 private:
  std::vector<ResolvedOption> options_;
  std::vector<ConfigIssue> issues_;
  std::string catalog_version_;
};

// Airflow's getboolean: lower-case, strip, cut at '#', then t/true/1 or f/false/0; anything
// else is nullopt (Airflow raises).
std::optional<bool> airflow_boolean(std::string_view value);

}  // namespace airguard
