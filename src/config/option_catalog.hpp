#pragma once
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace airguard {

// One Airflow configuration option of one Airflow version, from the shipped option tables
// (data/airflow/, generated from config.yml by scripts/gen-option-tables). The tables are embedded
// in the binary and viewed in place, never copied; a table from elsewhere must outlive its catalog.
struct OptionSpec {
  std::string_view section;
  std::string_view key;
  std::string_view type;                          // "string", "boolean", "integer", "float", "enum", ...
  std::optional<std::string_view> default_value;  // raw, as in config.yml (may hold {AIRFLOW_HOME}, %%)
  bool sensitive = false;                         // supports _cmd/_secret, masked by Airflow
  std::string_view version_added;
  std::string_view version_deprecated;
  bool is_template = false;    // default kept verbatim (config.yml is_template): no {PLACEHOLDER} filling
  bool from_provider = false;  // contributed by a provider package's provider.yaml
};

// A deprecated name for an option: Airflow tries the new name, then this one, at every step.
struct OptionRename {
  std::string_view new_section, new_key, old_section, old_key, since;
};

// One entry of the change list `airflow config lint` uses for Airflow 3 upgrades.
struct Airflow3Change {
  std::string section, option;
  std::string kind;                     // "renamed", "removed", "default_changed", "invalid_value", "remove_if_equals"
  std::string new_section, new_option;  // for renamed
  std::string value;  // remove_if_equals: the value; invalid_value: the invalid value; default_changed: new default
  bool breaking = false;
};
const std::vector<Airflow3Change>& airflow3_config_changes();

// "2.10.5" -> {2, 10, 5}; missing parts are 0, text after the numbers (rc1, .dev0) is ignored.
std::array<int, 3> parse_version_numbers(std::string_view version);
int compare_versions(std::string_view a, std::string_view b);  // <0, 0, >0

class OptionCatalog {
 public:
  // The table for the nearest known Airflow version at or below `airflow_version` (falls back to
  // the newest table for an empty or unknown version); `version_label()` says which was used.
  static const OptionCatalog& for_version(std::string_view airflow_version);

  const std::string& version_label() const { return version_label_; }
  const OptionSpec* find(std::string_view section, std::string_view key) const;
  bool is_sensitive(std::string_view section, std::string_view key) const;
  const std::vector<OptionSpec>& options() const { return options_; }
  const std::vector<OptionRename>& renames() const { return renames_; }
  // Old names of (section, key), newest first.
  std::vector<const OptionRename*> old_names(std::string_view section, std::string_view key) const;
  const OptionRename* first_old_name(std::string_view section, std::string_view key) const;  // or nullptr
  // The rename that turns an old name into the current one, if (section, key) is deprecated.
  const OptionRename* renamed_from(std::string_view old_section, std::string_view old_key) const;
  // Closest known option names for a did-you-mean hint ("section.key").
  std::vector<std::string> suggestions(std::string_view section, std::string_view key) const;
  bool has_section(std::string_view section) const;
  // AIRFLOW__{SECTION}__{KEY} for an option (section dots become '_').
  static std::string env_var_name(std::string_view section, std::string_view key);
  // The option or deprecated name an AIRFLOW__ variable (without _CMD/_SECRET) names, if any.
  std::optional<std::pair<std::string, std::string>> option_for_env_var(std::string_view name) const;

  // Used by the loader and by tests.
  OptionCatalog(std::string version_label, std::vector<OptionSpec> options, std::vector<OptionRename> renames);
  // Whether `name` is env_var_name(section, key).
  static bool names_option(std::string_view name, std::string_view section, std::string_view key);

 private:
  std::string version_label_;
  std::vector<OptionSpec> options_;  // sorted by (section, key)
  std::vector<OptionRename> renames_;
};

}  // namespace airguard
