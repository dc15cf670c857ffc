#pragma once
#include <functional>
#include <memory>
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
  std::optional<std::string>
      value;  // after interpolation and $VAR/~ expansion; nullopt: only the runtime knows (_cmd/_secret)
  ValueSource source = ValueSource::default_value;
  Origin origin;          // file:line, env var (+ env file:line), Helm values path, or default
  std::string name_used;  // the name that supplied it: "AIRFLOW__CORE__FERNET_KEY_CMD", "[webserver] secret_key"
  bool via_deprecated_name = false;
  bool sensitive = false;
  bool known = true;          // false: not in the target version's option table
  bool runtime_only = false;  // value decided by Airflow at run time (_cmd, _secret, a Secret reference, a random key)
  std::string error;          // non-empty: Airflow raises when it reads this option (bad %-interpolation)

  bool is_set() const { return source != ValueSource::default_value; }
};

// Something about how the configuration is written that a check may report (unknown option,
// deprecated name, upper-case key, _cmd on a non-sensitive option, file/env conflict ...).
struct ConfigIssue {
  std::string kind;          // stable id, e.g. "unknown_option", "deprecated_name", "uppercase_key",
                             // "cmd_on_non_sensitive", "env_overrides_file", "unknown_env_var",
                             // "ignored_section", "removed_in_airflow3", "interpolation_error",
                             // "secret_on_non_sensitive", "invalid_in_airflow3", "refused_by_airflow"
  std::string section, key;  // as written
  Origin origin;
  std::string detail;  // one line, never a secret
  std::string option;  // "section.key" the issue is about, in lower case, when one is known ("" otherwise)
};

struct ConfigInputs {
  const CfgFile* file = nullptr;  // airflow.cfg, or the chart's config: map; may be null
  const Environment* env = nullptr;
  std::string airflow_version;  // target version ("" = newest known)
};

class EffectiveConfig {
 public:
  static EffectiveConfig resolve(const ConfigInputs& inputs);

  // The option's effective value for every option the target version knows (its default when
  // unset); for an unknown option only when something sets it; nullptr otherwise.
  const ResolvedOption* get(std::string_view section, std::string_view key) const;
  // Every option get() answers for, sorted by (section, key). Built on the first call: a scan
  // asks for a few dozen options of the ~500 a version knows.
  const std::vector<ResolvedOption>& options() const;
  // The options a file or variable sets (directly or through _cmd/_secret), sorted by (section, key).
  std::vector<const ResolvedOption*> set_options() const;
  const std::vector<ConfigIssue>& issues() const { return issues_; }
  const std::string& catalog_version() const { return catalog_version_; }

 private:
  struct Defaults;  // defaults resolved on request; shared by copies, safe to use from several threads

  // The options the inputs set and the defaults that read the inputs ({AIRFLOW_HOME}, $VAR, ~, %),
  // sorted by (section, key). Every other option the catalog knows has its default as written.
  std::vector<ResolvedOption> resolved_;
  const OptionCatalog* catalog_ = nullptr;  // lives as long as the process
  std::shared_ptr<Defaults> defaults_;
  std::vector<ConfigIssue> issues_;
  std::string catalog_version_;
};

// Airflow's expand_env_var: os.path.expandvars then os.path.expanduser, repeated until stable, with
// `env` standing in for the Airflow process's environment. `~` expands only from HOME in `env`
// (`~user` and a missing HOME stay as written: the target host's password database is unknown).
std::string expand_airflow_env_vars(std::string_view value, const Environment* env);

// configparser BasicInterpolation of `raw` read from option `key`, with `lookup` giving the raw
// value of another option of the same section or [DEFAULT]. Returns the error text on failure.
struct InterpolationResult {
  std::string value;
  std::string error;  // empty: ok
};
InterpolationResult interpolate_basic(std::string_view raw,
                                      const std::function<std::optional<std::string_view>(std::string_view)>& lookup);

// Airflow's getboolean: lower-case, strip, cut at '#', then t/true/1 or f/false/0; anything
// else is nullopt (Airflow raises).
std::optional<bool> airflow_boolean(std::string_view value);

}  // namespace airguard
