#include "config/effective_config.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <mutex>
#include <set>
#include <span>
#include <unordered_map>

#include "core/redact.hpp"
#include "core/text.hpp"
#include "sources/cfg/python_text.hpp"

namespace airguard {

std::string_view to_string(ValueSource source) {
  switch (source) {
    case ValueSource::env:
      return "env";
    case ValueSource::env_cmd:
      return "env_cmd";
    case ValueSource::env_secret:
      return "env_secret";
    case ValueSource::file:
      return "file";
    case ValueSource::file_cmd:
      return "file_cmd";
    case ValueSource::file_secret:
      return "file_secret";
    case ValueSource::default_value:
      return "default";
  }
  return "default";
}

namespace {

// Sections Airflow hands whole to a client library, so any key is valid there (apache/airflow at
// dda8d27867, 2026-03-01): conf.getsection("elasticsearch_configs") and ("opensearch_configs")
// become the client's keyword arguments (providers/elasticsearch/src/airflow/providers/
// elasticsearch/log/es_task_handler.py:90, providers/opensearch/src/airflow/providers/opensearch/
// log/os_task_handler.py:104); conf.getsection("celery_broker_transport_options") becomes Celery's
// broker_transport_options (providers/celery/src/airflow/providers/celery/executors/default_celery.py:57).
bool passed_through_section(std::string_view section) {
  return section == "elasticsearch_configs" || section == "opensearch_configs" ||
         section == "celery_broker_transport_options";
}

constexpr int kMaxInterpolationDepth = 10;  // configparser.MAX_INTERPOLATION_DEPTH
constexpr int kMaxExpansionRounds = 64;     // Airflow loops until stable; a self-referencing value never is

bool is_ascii_word(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

const std::string* env_value(const Environment* env, std::string_view name) {
  if (env == nullptr) return nullptr;
  const EnvVar* var = env->get(name);
  if (var == nullptr || var->value_from_reference) return nullptr;
  return &var->value;
}

// posixpath.expandvars: $name (ASCII \w+) or ${anything but '}'}; unknown names stay as written.
std::string expand_vars(std::string path, const Environment* env) {
  if (path.find('$') == std::string::npos) return path;
  std::size_t i = 0;
  while (true) {
    const std::size_t dollar = path.find('$', i);
    if (dollar == std::string::npos) break;
    std::size_t j = dollar + 1;
    std::string name;
    if (j < path.size() && path[j] == '{') {
      const std::size_t close = path.find('}', j + 1);
      if (close == std::string::npos) {
        i = dollar + 1;
        continue;
      }
      name = path.substr(j + 1, close - j - 1);
      j = close + 1;
    } else {
      while (j < path.size() && is_ascii_word(path[j])) ++j;
      if (j == dollar + 1) {
        i = dollar + 1;
        continue;
      }
      name = path.substr(dollar + 1, j - dollar - 1);
    }
    const std::string* value = env_value(env, name);
    if (value == nullptr) {
      i = j;
      continue;
    }
    std::string tail = path.substr(j);
    path = path.substr(0, dollar) + *value;
    i = path.size();
    path += tail;
  }
  return path;
}

// posixpath.expanduser, with HOME taken from the scanned environment only.
std::string expand_user(std::string path, const Environment* env) {
  if (path.empty() || path.front() != '~') return path;
  std::size_t i = path.find('/', 1);
  if (i == std::string::npos) i = path.size();
  if (i != 1) return path;  // ~user: the target's password database is unknown
  const std::string* home = env_value(env, "HOME");
  if (home == nullptr) return path;
  std::string user_home = *home;
  while (!user_home.empty() && user_home.back() == '/') user_home.pop_back();
  std::string out = user_home + path.substr(i);
  return out.empty() ? std::string("/") : out;
}

}  // namespace

std::string expand_airflow_env_vars(std::string_view value, const Environment* env) {
  std::string current(value);
  // Nothing to expand (most values): no $VAR and no leading ~.
  if (current.find('$') == std::string::npos && (current.empty() || current.front() != '~')) return current;
  for (int round = 0; round < kMaxExpansionRounds; ++round) {
    std::string next = expand_user(expand_vars(current, env), env);
    if (next == current) return next;
    current = std::move(next);
  }
  return current;
}

InterpolationResult interpolate_basic(std::string_view raw,
                                      const std::function<std::optional<std::string_view>(std::string_view)>& lookup) {
  InterpolationResult result;
  if (raw.find('%') == std::string_view::npos) {  // nothing to interpolate (most values)
    result.value = std::string(raw);
    return result;
  }
  // Mirrors BasicInterpolation._interpolate_some, recursion replaced by an explicit stack.
  struct Frame {
    std::string rest;
    int depth;
  };
  std::vector<Frame> stack{{std::string(raw), 1}};
  while (!stack.empty()) {
    Frame& frame = stack.back();
    if (frame.depth > kMaxInterpolationDepth) {
      result.error = "interpolation goes deeper than 10 levels (a %(name)s reference loop?)";
      return result;
    }
    if (frame.rest.empty()) {
      stack.pop_back();
      continue;
    }
    const std::size_t percent = frame.rest.find('%');
    if (percent == std::string::npos) {
      result.value += frame.rest;
      stack.pop_back();
      continue;
    }
    result.value += frame.rest.substr(0, percent);
    frame.rest.erase(0, percent);
    const char next = frame.rest.size() > 1 ? frame.rest[1] : '\0';
    if (next == '%') {
      result.value += '%';
      frame.rest.erase(0, 2);
    } else if (next == '(') {
      // _KEYCRE: %\(([^)]+)\)s
      const std::size_t close = frame.rest.find(')', 2);
      if (close == std::string::npos || close == 2 || close + 1 >= frame.rest.size() || frame.rest[close + 1] != 's') {
        result.error = "bad %(name)s reference: write %% for a literal percent sign";
        return result;
      }
      const std::string name = frame.rest.substr(2, close - 2);
      frame.rest.erase(0, close + 2);
      const std::optional<std::string_view> referenced = lookup(name);
      if (!referenced) {
        result.error = fmt::format("%({})s names no option of this section or [DEFAULT]", name);
        return result;
      }
      if (referenced->find('%') != std::string::npos) {
        const int depth = frame.depth + 1;
        stack.push_back({std::string(*referenced), depth});  // invalidates `frame`
      } else {
        result.value += *referenced;
      }
    } else {
      result.error = "'%' must be followed by '%' or '(': write %% for a literal percent sign";
      return result;
    }
  }
  return result;
}

std::optional<bool> airflow_boolean(std::string_view value) {
  std::string text = to_lower(python_strip(value));
  const std::size_t hash = text.find('#');
  if (hash != std::string::npos) text = std::string(python_strip(std::string_view(text).substr(0, hash)));
  if (text == "t" || text == "true" || text == "1") return true;
  if (text == "f" || text == "false" || text == "0") return false;
  return std::nullopt;
}

namespace {

bool has_upper(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// The file as configparser's has_option/get see it: [DEFAULT] options are visible in every
// section that exists in the file.
class FileView {
 public:
  explicit FileView(const CfgFile* file) : file_(file) {
    if (file_ == nullptr) return;
    // Indexed once: every option of the catalog and every key of the file is looked up here, and
    // a linear search each time made a file of 60,000 keys quadratic.
    for (const CfgSection& section : file_->sections) {
      sections_.emplace(section.name, &section);  // the first of a name, as CfgFile::section
      for (const CfgOption& option : section.options) options_.emplace(option_key(section, option.key), &option);
    }
    defaults_ = section_named("DEFAULT");
  }

  struct Hit {
    const CfgOption* option = nullptr;
    bool from_defaults = false;
  };

  std::optional<Hit> find(std::string_view section, std::string_view key) const {
    if (file_ == nullptr) return std::nullopt;
    if (section == "DEFAULT") return find_in(defaults_, key, true);
    const CfgSection* s = section_named(section);
    if (s == nullptr) return std::nullopt;
    if (auto hit = find_in(s, key, false)) return hit;
    return find_in(defaults_, key, true);
  }

  InterpolationResult interpolate(std::string_view section, const CfgOption& option) const {
    const CfgSection* s = section == "DEFAULT" ? nullptr : section_named(section);
    return interpolate_basic(option.raw_value, [&](std::string_view name) -> std::optional<std::string_view> {
      if (auto hit = find_in(s, name, false)) return hit->option->raw_value;
      if (auto hit = find_in(defaults_, name, true)) return hit->option->raw_value;
      return std::nullopt;
    });
  }

 private:
  // Section objects are told apart by address: two sections of one name cannot collide.
  static std::string option_key(const CfgSection& section, std::string_view key) {
    std::string text = fmt::format("{}", static_cast<const void*>(&section));
    text += '\0';
    text += key;
    return text;
  }

  const CfgSection* section_named(std::string_view name) const {
    const auto found = sections_.find(std::string(name));
    return found == sections_.end() ? nullptr : found->second;
  }

  std::optional<Hit> find_in(const CfgSection* s, std::string_view key, bool from_defaults) const {
    if (s == nullptr) return std::nullopt;
    const auto found = options_.find(option_key(*s, key));
    if (found == options_.end()) return std::nullopt;
    return Hit{found->second, from_defaults};
  }

  const CfgFile* file_;
  const CfgSection* defaults_ = nullptr;
  std::unordered_map<std::string, const CfgSection*> sections_;
  std::unordered_map<std::string, const CfgOption*> options_;  // option_key -> the first option of that key
};

struct NameRef {
  std::string_view section, key;
  bool deprecated = false;
};

// A default that reads nothing from the inputs: no {PLACEHOLDER} to fill, no %-interpolation, no
// $VAR or ~ to expand. Its value is the default as written, so it can be resolved on request.
bool default_is_plain(const OptionSpec& spec) {
  if (!spec.default_value) return true;
  const std::string_view text = *spec.default_value;
  if (!spec.is_template && text.find('{') != std::string_view::npos) return false;
  return text.find('%') == std::string_view::npos && text.find('$') == std::string_view::npos && !text.starts_with('~');
}

bool option_less(const ResolvedOption& a, const ResolvedOption& b) {
  return std::tie(a.section, a.key) < std::tie(b.section, b.key);
}

ResolvedOption unset_option(const OptionSpec& spec) {
  ResolvedOption out;
  out.section = spec.section;
  out.key = spec.key;
  out.sensitive = spec.sensitive;
  return out;
}

// The default's origin and name; the value as written (plain defaults) or none.
void start_default(const OptionSpec& spec, std::string_view version_label, ResolvedOption& out) {
  out.source = ValueSource::default_value;
  out.origin = Origin{};
  out.origin.kind = SourceKind::default_value;
  out.origin.name = fmt::format("Airflow {}", version_label);
  out.name_used = "default";
  if (!spec.default_value) {
    out.value.reset();
    out.name_used = "default (none)";
    return;
  }
  out.value = std::string(*spec.default_value);
}

ResolvedOption plain_default(const OptionSpec& spec, std::string_view version_label) {
  ResolvedOption out = unset_option(spec);
  start_default(spec, version_label, out);
  return out;
}

class Resolver {
 public:
  Resolver(const ConfigInputs& inputs, const OptionCatalog& catalog)
      : inputs_(inputs), catalog_(catalog), file_(inputs.file) {
    if (inputs.env != nullptr) {
      for (const EnvVar& var : inputs.env->vars()) {
        if (!var.name.starts_with("AIRFLOW__")) continue;
        airflow_vars_.push_back(var.name);
        // The variable can name only a key that ends it after a "__" (less _CMD or _SECRET).
        std::string_view name = var.name;
        name.remove_prefix(9);
        for (std::string_view suffix : {"_CMD", "_SECRET"}) {
          if (name.ends_with(suffix)) mention(name.substr(0, name.size() - suffix.size()), true);
        }
        mention(name, true);
      }
    }
    if (inputs.file != nullptr) {
      for (const CfgSection& section : inputs.file->sections) {
        for (const CfgOption& option : section.options) {
          const std::string_view key = option.key;
          for (std::string_view suffix : {"_cmd", "_secret"}) {
            if (key.ends_with(suffix)) mention(key.substr(0, key.size() - suffix.size()), false);
          }
          mention(key, false);
        }
      }
    }
    std::sort(mentioned_.begin(), mentioned_.end());
    for (const OptionRename& rename : catalog.renames()) {
      if (mentioned(rename.old_key)) renamed_mentioned_.emplace_back(rename.new_section, rename.new_key);
    }
  }

  // False only when no input can set the option: none names its key (nor its old name's key).
  bool may_be_set(const OptionSpec& spec) const {
    return mentioned(spec.key) || std::find(renamed_mentioned_.begin(), renamed_mentioned_.end(),
                                            std::pair{spec.section, spec.key}) != renamed_mentioned_.end();
  }

  void set_secrets_backend(bool configured) { secrets_backend_ = configured; }

  ResolvedOption resolve(const OptionSpec& spec) {
    ResolvedOption out = unset_option(spec);
    if (!from_inputs(spec, out)) from_default(spec, out);
    return out;
  }

  // The option when the inputs set it or its default reads them; nullopt for a plain default.
  std::optional<ResolvedOption> resolve_unless_plain_default(const OptionSpec& spec) {
    const bool maybe_set = may_be_set(spec);
    if (!maybe_set && default_is_plain(spec)) return std::nullopt;  // most options: nothing to build
    ResolvedOption out = unset_option(spec);
    if (maybe_set && from_inputs(spec, out)) return out;
    if (default_is_plain(spec)) return std::nullopt;
    from_default(spec, out);
    return out;
  }

  // An option the target version does not know but something sets (lower-case names only).
  std::optional<ResolvedOption> resolve_unknown(const std::string& section, const std::string& key) {
    ResolvedOption out;
    out.section = section;
    out.key = key;
    out.known = false;
    // Airflow reads no _cmd or _secret for it, but its value may still be a password ([smtp]
    // smtp_password on Airflow 3, a plugin's api_token): shown and reported masked.
    out.sensitive = name_means_secret(key);
    const NameRef name{section, key, false};
    if (from_environment(name, false, out) || from_file(name, out)) return out;
    return std::nullopt;
  }

 private:
  // Fills `out` from the first name and place that sets the option, in Airflow's order.
  bool from_inputs(const OptionSpec& spec, ResolvedOption& out) {
    std::array<NameRef, 2> names{NameRef{spec.section, spec.key, false}};
    std::size_t count = 1;
    // Airflow consults one deprecated name per option (deprecated_options, else deprecated_sections).
    if (const OptionRename* old = catalog_.first_old_name(spec.section, spec.key)) {
      names[count++] = {old->old_section, old->old_key, true};
    }
    const std::span<const NameRef> tried(names.data(), count);
    for (const auto& name : tried) {
      if (from_environment(name, spec.sensitive, out)) return true;
    }
    for (const auto& name : tried) {
      if (from_file(name, out)) return true;
    }
    if (!spec.sensitive) return false;
    for (const auto& name : tried) {
      if (from_file_indirection(name, "_cmd", ValueSource::file_cmd, true, out)) return true;
    }
    for (const auto& name : tried) {
      if (from_file_indirection(name, "_secret", ValueSource::file_secret, secrets_backend_, out)) return true;
    }
    return false;
  }

  bool from_environment(const NameRef& name, bool sensitive, ResolvedOption& out) {
    if (!names_in_environment(name)) return false;  // the usual case: no need to build ~500 names
    const std::string var = OptionCatalog::env_var_name(name.section, name.key);
    if (const EnvVar* plain = get_env(var)) {
      set_env_origin(*plain, out);
      out.source = ValueSource::env;
      out.name_used = var;
      out.via_deprecated_name = name.deprecated;
      if (plain->value_from_reference) {
        out.value.reset();
        out.runtime_only = true;
        out.name_used = fmt::format("{} ({})", var, plain->reference);
      } else {
        out.value = expand_airflow_env_vars(plain->value, inputs_.env);
      }
      return true;
    }
    if (!sensitive) return false;
    if (const EnvVar* cmd = get_env(var + "_CMD")) {
      runtime(out, ValueSource::env_cmd, var + "_CMD", name.deprecated);
      set_env_origin(*cmd, out);
      return true;
    }
    if (const EnvVar* secret = get_env(var + "_SECRET"); secret != nullptr && secrets_backend_) {
      runtime(out, ValueSource::env_secret, var + "_SECRET", name.deprecated);
      set_env_origin(*secret, out);
      return true;
    }
    return false;
  }

  // Whether an AIRFLOW__ variable names the option, plain or with _CMD or _SECRET.
  bool names_in_environment(const NameRef& name) const {
    return std::any_of(airflow_vars_.begin(), airflow_vars_.end(), [&](std::string_view var) {
      if (OptionCatalog::names_option(var, name.section, name.key)) return true;
      for (std::string_view suffix : {"_CMD", "_SECRET"}) {
        if (var.ends_with(suffix) &&
            OptionCatalog::names_option(var.substr(0, var.size() - suffix.size()), name.section, name.key)) {
          return true;
        }
      }
      return false;
    });
  }

  bool from_file(const NameRef& name, ResolvedOption& out) {
    const auto hit = file_.find(name.section, name.key);
    if (!hit) return false;
    out.source = ValueSource::file;
    out.origin = hit->option->origin;
    out.via_deprecated_name = name.deprecated;
    out.name_used =
        hit->from_defaults ? fmt::format("[DEFAULT] {}", name.key) : fmt::format("[{}] {}", name.section, name.key);
    const InterpolationResult interpolated = file_.interpolate(name.section, *hit->option);
    if (!interpolated.error.empty()) {
      out.value.reset();
      out.error = interpolated.error;
    } else {
      out.value = expand_airflow_env_vars(interpolated.value, inputs_.env);
    }
    return true;
  }

  bool from_file_indirection(const NameRef& name, std::string_view suffix, ValueSource source, bool active,
                             ResolvedOption& out) {
    if (!active) return false;
    const std::string key = std::string(name.key).append(suffix);
    const auto hit = file_.find(name.section, key);
    if (!hit) return false;
    runtime(out, source,
            hit->from_defaults ? fmt::format("[DEFAULT] {}", key) : fmt::format("[{}] {}", name.section, key),
            name.deprecated);
    out.origin = hit->option->origin;
    return true;
  }

  void from_default(const OptionSpec& spec, ResolvedOption& out) {
    start_default(spec, catalog_.version_label(), out);
    if (!out.value) return;
    std::string text = std::move(*out.value);
    if (!spec.is_template) {
      if (text.find("{SECRET_KEY}") != std::string::npos) {
        out.value.reset();
        out.runtime_only = true;
        out.name_used = "default: a random key generated by each Airflow process";
        return;
      }
      text = fill_placeholders(text, spec);
    }
    // The defaults parser interpolates %% like the file parser does.
    const InterpolationResult interpolated =
        interpolate_basic(text, [&](std::string_view name) -> std::optional<std::string_view> {
          if (const OptionSpec* other = catalog_.find(spec.section, name); other != nullptr)
            return other->default_value;
          return std::nullopt;
        });
    if (!interpolated.error.empty()) {
      out.value = text;
      return;
    }
    out.value = expand_airflow_env_vars(interpolated.value, inputs_.env);
  }

  std::string fill_placeholders(std::string text, const OptionSpec& spec) {
    if (text.find('{') == std::string::npos) return text;  // no placeholder (most defaults)
    const auto replace_all = [&text](std::string_view placeholder, const std::string& value) {
      for (std::size_t at = text.find(placeholder); at != std::string::npos;
           at = text.find(placeholder, at + value.size())) {
        text.replace(at, placeholder.size(), value);
      }
    };
    const std::string home = airflow_home();
    replace_all("{AIRFLOW_HOME}", home);
    const std::string* config = env_value(inputs_.env, "AIRFLOW_CONFIG");
    replace_all("{AIRFLOW_CONFIG}", config ? expand_airflow_env_vars(*config, inputs_.env) : home + "/airflow.cfg");
    if (text.find("{FERNET_KEY}") != std::string::npos) {
      replace_all("{FERNET_KEY}", "");  // empty unless Airflow wrote the file itself
    }
    if (text.find("{JWT_SECRET_KEY}") != std::string::npos) {
      replace_all("{JWT_SECRET_KEY}", "");
    }
    (void)spec;
    return text;
  }

  std::string airflow_home() const {
    const std::string* home = env_value(inputs_.env, "AIRFLOW_HOME");
    return expand_airflow_env_vars(home ? *home : std::string("~/airflow"), inputs_.env);
  }

  const EnvVar* get_env(const std::string& name) const {
    return inputs_.env == nullptr ? nullptr : inputs_.env->get(name);
  }

  static void set_env_origin(const EnvVar& var, ResolvedOption& out) {
    out.origin = var.origin;
    out.origin.kind = SourceKind::env;
    out.origin.name = var.name;
  }

  static void runtime(ResolvedOption& out, ValueSource source, std::string name_used, bool deprecated) {
    out.value.reset();
    out.runtime_only = true;
    out.source = source;
    out.name_used = std::move(name_used);
    out.via_deprecated_name = deprecated;
  }

  // Records the keys `text` may stand for, in lower case: the whole text from a file; from a
  // variable, every part that follows a "__" (a section name could hold one).
  void mention(std::string_view text, bool from_variable) {
    if (!from_variable) {
      mentioned_.push_back(to_lower(text));
      return;
    }
    for (std::size_t at = text.find("__"); at != std::string_view::npos; at = text.find("__", at + 1)) {
      mentioned_.push_back(to_lower(text.substr(at + 2)));
    }
  }

  bool mentioned(std::string_view key) const {
    const std::string lower = to_lower(key);
    return std::binary_search(mentioned_.begin(), mentioned_.end(), lower);
  }

  const ConfigInputs& inputs_;
  const OptionCatalog& catalog_;
  FileView file_;
  bool secrets_backend_ = false;
  std::vector<std::string_view> airflow_vars_;  // names of the AIRFLOW__ variables the inputs set
  std::vector<std::string> mentioned_;          // sorted: keys the file or the variables may name
  std::vector<std::pair<std::string_view, std::string_view>> renamed_mentioned_;  // options whose old key they may name
};

std::string option_name(std::string_view section, std::string_view key) { return fmt::format("{}.{}", section, key); }

const Airflow3Change* airflow3_change(std::string_view section, std::string_view key) {
  for (const auto& change : airflow3_config_changes()) {
    if (change.section == section && change.option == key) return &change;
  }
  return nullptr;
}

class IssueFinder {
 public:
  IssueFinder(const ConfigInputs& inputs, const OptionCatalog& catalog, std::vector<ConfigIssue>& issues)
      : inputs_(inputs),
        catalog_(catalog),
        issues_(issues),
        airflow3_(parse_version_numbers(catalog.version_label()).front() >= 3) {}

  void file_options() {
    if (inputs_.file == nullptr) return;
    for (const auto& error : inputs_.file->errors) {
      Origin origin;
      origin.kind = SourceKind::cfg;
      origin.file = error.file;
      origin.line = error.line;
      origin.column = error.column;
      add("refused_by_airflow", "", "", origin, error.message, "");
    }
    for (const auto& section : inputs_.file->sections) {
      const bool defaults = section.name == "DEFAULT";
      for (const auto& option : section.options) file_option(section, option, defaults);
    }
  }

  void env_vars() {
    if (inputs_.env == nullptr) return;
    for (const auto& var : inputs_.env->vars()) {
      if (var.name.rfind("AIRFLOW__", 0) != 0 || var.origin.chart_wrote) continue;
      std::string base = var.name;
      std::string suffix;
      for (std::string_view s : {"_CMD", "_SECRET"}) {
        if (ends_with(base, s) && !catalog_.option_for_env_var(base)) {
          base.resize(base.size() - s.size());
          suffix = std::string(s);
          break;
        }
      }
      Origin origin = var.origin;
      origin.kind = SourceKind::env;
      origin.name = var.name;
      const auto named = catalog_.option_for_env_var(base);
      if (!named) {
        if (airflow3_ && base.find("___") != std::string::npos) continue;  // team-scoped form (3.x multi-team)
        env_unknown(var, base, origin);
        continue;
      }
      const auto& [section, key] = *named;
      const OptionSpec* spec = catalog_.find(section, key);
      const OptionRename* rename = spec == nullptr ? catalog_.renamed_from(section, key) : nullptr;
      if (rename != nullptr) {
        add("deprecated_name", section, key, origin,
            fmt::format("{} is a deprecated name; use {}", base,
                        OptionCatalog::env_var_name(rename->new_section, rename->new_key)),
            option_name(rename->new_section, rename->new_key));
      }
      if (!suffix.empty() && !catalog_.is_sensitive(section, key)) {
        const std::string target =
            rename ? option_name(rename->new_section, rename->new_key) : option_name(section, key);
        add(suffix == "_CMD" ? "cmd_on_non_sensitive" : "secret_on_non_sensitive", section, key, origin,
            fmt::format("Airflow ignores {} because [{}] {} is not a sensitive option; the value comes from elsewhere",
                        var.name, section, key),
            target);
      }
    }
  }

  void conflicts(const std::vector<ResolvedOption>& resolved) {
    if (inputs_.file == nullptr || inputs_.env == nullptr) return;
    FileView view(inputs_.file);
    for (const auto& option : resolved) {
      if (option.source != ValueSource::env && option.source != ValueSource::env_cmd &&
          option.source != ValueSource::env_secret) {
        continue;
      }
      std::vector<std::pair<std::string, std::string>> names{{option.section, option.key}};
      for (const auto* old : catalog_.old_names(option.section, option.key))
        names.emplace_back(old->old_section, old->old_key);
      for (const auto& [section, key] : names) {
        const auto hit = view.find(section, key);
        if (!hit || hit->from_defaults) continue;
        const InterpolationResult file_value = view.interpolate(section, *hit->option);
        const std::string expanded = expand_airflow_env_vars(file_value.value, inputs_.env);
        if (option.value && file_value.error.empty() && expanded == *option.value) break;
        add("env_overrides_file", section, key, hit->option->origin,
            fmt::format("[{}] {} is also set by {}, which wins: the airflow.cfg value is not used", section, key,
                        option.name_used),
            option_name(option.section, option.key));
        break;
      }
    }
  }

 private:
  void file_option(const CfgSection& section, const CfgOption& option, bool defaults) {
    if (option.origin.chart_wrote) return;  // not the user's to lint (see add()); skips the name suggestions
    const std::string& s = section.name;
    const std::string& k = option.key;
    if (has_upper(k) || (!defaults && has_upper(s))) {
      const std::string lower_section = defaults ? s : to_lower(s);
      const std::string lower_key = to_lower(k);
      std::string detail = fmt::format("Airflow looks options up in lower case and never reads [{}] {}", s, k);
      if (catalog_.find(lower_section, lower_key) || catalog_.renamed_from(lower_section, lower_key)) {
        detail += fmt::format("; write [{}] {}", lower_section, lower_key);
      }
      add("uppercase_key", s, k, option.origin, detail, option_name(lower_section, lower_key));
      return;
    }
    if (defaults) return;  // [DEFAULT] entries only matter through the sections that inherit them
    if (catalog_.find(s, k) != nullptr) {
      interpolation(s, s, k, option);
      return;
    }
    if (const OptionRename* rename = catalog_.renamed_from(s, k)) {
      if (catalog_.find(rename->new_section, rename->new_key) != nullptr) {
        add("deprecated_name", s, k, option.origin,
            fmt::format("[{}] {} is deprecated since Airflow {}; Airflow {} reads it as [{}] {}", s, k, rename->since,
                        catalog_.version_label(), rename->new_section, rename->new_key),
            option_name(rename->new_section, rename->new_key));
        interpolation(s, rename->new_section, rename->new_key, option);
        return;
      }
    }
    for (std::string_view suffix : {"_cmd", "_secret"}) {
      if (!ends_with(k, suffix)) continue;
      const std::string base = k.substr(0, k.size() - suffix.size());
      const OptionRename* rename = catalog_.renamed_from(s, base);
      if (catalog_.find(s, base) == nullptr && rename == nullptr) continue;
      if (!catalog_.is_sensitive(s, base)) {
        add(suffix == "_cmd" ? "cmd_on_non_sensitive" : "secret_on_non_sensitive", s, k, option.origin,
            fmt::format("Airflow ignores {} because [{}] {} is not a sensitive option", k, s, base),
            rename ? option_name(rename->new_section, rename->new_key) : option_name(s, base));
      }
      return;
    }
    if (airflow3_) {
      if (const Airflow3Change* change = airflow3_change(s, k)) {
        removed(s, k, option.origin, *change);
        return;
      }
    }
    if (!catalog_.has_section(s)) {
      add("ignored_section", s, k, option.origin,
          fmt::format("Airflow {} has no [{}] section, so [{}] {} is never read{}", catalog_.version_label(), s, s, k,
                      section_did_you_mean(s, k)),
          "");
      return;
    }
    if (passed_through_section(s)) return;
    add("unknown_option", s, k, option.origin,
        fmt::format("Airflow {} has no option [{}] {}{}", catalog_.version_label(), s, k, did_you_mean(s, k)), "");
  }

  void env_unknown(const EnvVar& var, const std::string& base, const Origin& origin) {
    // Split AIRFLOW__SECTION__KEY for the message and the lint list.
    const std::string rest = base.substr(9);
    const std::size_t split_at = rest.find("__");
    if (split_at != std::string::npos) {
      const std::string section = to_lower(rest.substr(0, split_at));
      const std::string key = to_lower(rest.substr(split_at + 2));
      if (base != to_upper(base)) {
        add("unknown_env_var", section, key, origin,
            fmt::format("{} is never read: Airflow only matches the upper-case name {}", var.name, to_upper(var.name)),
            "");
        return;
      }
      if (airflow3_) {
        if (const Airflow3Change* change = airflow3_change(section, key)) {
          removed(section, key, origin, *change);
          return;
        }
      }
      add("unknown_env_var", section, key, origin,
          fmt::format("{} names no Airflow {} option{}", var.name, catalog_.version_label(),
                      did_you_mean(section, key)),
          "");
      return;
    }
    add("unknown_env_var", "", "", origin,
        fmt::format("{} is not of the form AIRFLOW__{{SECTION}}__{{KEY}}, so Airflow never reads it", var.name), "");
  }

  void removed(std::string_view section, std::string_view key, const Origin& origin, const Airflow3Change& change) {
    std::string detail;
    if (change.kind == "renamed") {
      detail = fmt::format("[{}] {} was renamed to [{}] {} in Airflow 3 and the old name is no longer read", section,
                           key, change.new_section, change.new_option);
    } else {
      detail = fmt::format("[{}] {} was removed in Airflow 3 and is no longer read", section, key);
    }
    add("removed_in_airflow3", std::string(section), std::string(key), origin, detail,
        change.kind == "renamed" ? option_name(change.new_section, change.new_option) : option_name(section, key));
  }

  void interpolation(const std::string& section, std::string_view new_section, std::string_view new_key,
                     const CfgOption& option) {
    if (option.templated) return;  // a Helm template not rendered: Airflow reads what the chart renders
    const InterpolationResult result = FileView(inputs_.file).interpolate(section, option);
    if (result.error.empty()) return;
    add("interpolation_error", section, option.key, option.origin,
        fmt::format("Airflow raises when it reads [{}] {}: {}", section, option.key, result.error),
        option_name(new_section, new_key));
  }

  // An option's key in another section is the likely intent; computed once per section and key.
  std::string section_did_you_mean(const std::string& section, const std::string& key) {
    auto [it, inserted] = section_hints_.emplace(key, std::string());
    if (inserted) {
      for (const auto& spec : catalog_.options()) {
        if (spec.key == key) {
          it->second = fmt::format("; did you mean [{}] {}?", spec.section, spec.key);
          break;
        }
      }
    }
    (void)section;
    return it->second;
  }

  std::string did_you_mean(std::string_view section, std::string_view key) {
    // Each suggestion weighs the name against the whole catalogue: past a few hundred unknown
    // names (a generated file) the cost would dwarf the scan, and nobody reads that far.
    if (++suggestions_asked_ > kMaxSuggestions) return "";
    const auto names = catalog_.suggestions(section, key);
    if (names.empty()) return "";
    return fmt::format("; did you mean {}?", join(names, " or "));
  }

  void add(std::string kind, std::string section, std::string key, Origin origin, std::string detail,
           std::string option) {
    // What the Helm chart writes (its config: entries, its own environment variables) is not the
    // user's to fix: charts up to 1.19 write old and new names side by side on purpose.
    if (origin.chart_wrote) return;
    ConfigIssue issue;
    issue.kind = std::move(kind);
    issue.section = std::move(section);
    issue.key = std::move(key);
    issue.origin = std::move(origin);
    issue.detail = std::move(detail);
    issue.option = std::move(option);
    issues_.push_back(std::move(issue));
  }

  const ConfigInputs& inputs_;
  const OptionCatalog& catalog_;
  std::vector<ConfigIssue>& issues_;
  bool airflow3_;
  std::map<std::string, std::string> section_hints_;
  static constexpr std::size_t kMaxSuggestions = 500;
  std::size_t suggestions_asked_ = 0;
};

}  // namespace

EffectiveConfig EffectiveConfig::resolve(const ConfigInputs& inputs) {
  const OptionCatalog& catalog = OptionCatalog::for_version(inputs.airflow_version);
  EffectiveConfig config;
  config.catalog_version_ = catalog.version_label();
  Resolver resolver(inputs, catalog);

  // _SECRET lookups need a custom secrets backend; [secrets] backend itself is not sensitive.
  if (const OptionSpec* backend = catalog.find("secrets", "backend")) {
    const ResolvedOption resolved = resolver.resolve(*backend);
    resolver.set_secrets_backend(resolved.value && !resolved.value->empty());
  }
  config.catalog_ = &catalog;
  config.defaults_ = std::make_shared<Defaults>();
  for (const auto& spec : catalog.options()) {
    if (auto resolved = resolver.resolve_unless_plain_default(spec)) config.resolved_.push_back(std::move(*resolved));
  }

  // Options the version does not know, set with names Airflow could read (lower case).
  std::set<std::pair<std::string, std::string>> unknown;
  const auto consider = [&](const std::string& section, const std::string& key) {
    if (section.empty() || key.empty() || has_upper(section) || has_upper(key) || section == "DEFAULT") return;
    if (catalog.find(section, key) || catalog.renamed_from(section, key)) return;
    for (std::string_view suffix : {"_cmd", "_secret"}) {
      if (ends_with(key, suffix)) {
        const std::string base = key.substr(0, key.size() - suffix.size());
        if (catalog.find(section, base) || catalog.renamed_from(section, base)) return;
      }
    }
    unknown.emplace(section, key);
  };
  if (inputs.file != nullptr) {
    for (const auto& section : inputs.file->sections) {
      for (const auto& option : section.options) consider(section.name, option.key);
    }
  }
  if (inputs.env != nullptr) {
    for (const auto& var : inputs.env->vars()) {
      if (var.name.rfind("AIRFLOW__", 0) != 0 || var.name != to_upper(var.name)) continue;
      if (catalog.option_for_env_var(var.name)) continue;
      const std::string rest = var.name.substr(9);
      const std::size_t split_at = rest.find("__");
      if (split_at == std::string::npos || rest.find("___") != std::string::npos) continue;
      if (ends_with(rest, "_CMD") || ends_with(rest, "_SECRET")) continue;
      const std::string section = to_lower(rest.substr(0, split_at));
      const std::string key = to_lower(rest.substr(split_at + 2));
      consider(section, key);
    }
  }
  for (const auto& [section, key] : unknown) {
    if (auto resolved = resolver.resolve_unknown(section, key)) config.resolved_.push_back(std::move(*resolved));
  }
  std::sort(config.resolved_.begin(), config.resolved_.end(), option_less);

  IssueFinder finder(inputs, catalog, config.issues_);
  finder.file_options();
  finder.env_vars();
  finder.conflicts(config.resolved_);
  std::stable_sort(config.issues_.begin(), config.issues_.end(), [](const ConfigIssue& a, const ConfigIssue& b) {
    return std::tie(a.origin.file, a.origin.line, a.origin.name) <
           std::tie(b.origin.file, b.origin.line, b.origin.name);
  });
  return config;
}

struct EffectiveConfig::Defaults {
  std::mutex mutex;
  std::map<const OptionSpec*, ResolvedOption> by_spec;  // node-based: what get() returned stays put
  std::optional<std::vector<ResolvedOption>> all;       // options()
};

const ResolvedOption* EffectiveConfig::get(std::string_view section, std::string_view key) const {
  auto it = std::lower_bound(resolved_.begin(), resolved_.end(), std::pair{section, key},
                             [](const ResolvedOption& o, const std::pair<std::string_view, std::string_view>& p) {
                               return std::pair<std::string_view, std::string_view>{o.section, o.key} < p;
                             });
  if (it != resolved_.end() && it->section == section && it->key == key) return &*it;
  // Not set and not resolved with the inputs: a plain default, or an option the version does not know.
  const OptionSpec* spec = catalog_ != nullptr && defaults_ != nullptr ? catalog_->find(section, key) : nullptr;
  if (spec == nullptr) return nullptr;  // also for a moved-from configuration
  const std::lock_guard lock(defaults_->mutex);
  auto [slot, inserted] = defaults_->by_spec.try_emplace(spec);
  if (inserted) slot->second = plain_default(*spec, catalog_->version_label());
  return &slot->second;
}

const std::vector<ResolvedOption>& EffectiveConfig::options() const {
  if (catalog_ == nullptr || defaults_ == nullptr) return resolved_;
  const std::lock_guard lock(defaults_->mutex);
  if (!defaults_->all) {
    std::vector<ResolvedOption> all = resolved_;
    for (const auto& spec : catalog_->options()) {
      const auto it =
          std::lower_bound(resolved_.begin(), resolved_.end(), spec, [](const ResolvedOption& o, const OptionSpec& s) {
            return std::pair<std::string_view, std::string_view>{o.section, o.key} < std::pair{s.section, s.key};
          });
      if (it == resolved_.end() || it->section != spec.section || it->key != spec.key) {
        all.push_back(plain_default(spec, catalog_->version_label()));
      }
    }
    std::sort(all.begin(), all.end(), option_less);
    defaults_->all = std::move(all);
  }
  return *defaults_->all;
}

std::vector<const ResolvedOption*> EffectiveConfig::set_options() const {
  std::vector<const ResolvedOption*> set;
  for (const ResolvedOption& option : resolved_) {
    if (option.is_set()) set.push_back(&option);
  }
  return set;
}

}  // namespace airguard
