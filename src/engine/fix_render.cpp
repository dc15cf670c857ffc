#include "engine/fix_render.hpp"

#include <fmt/format.h>

#include "core/text.hpp"
#include "sources/webserver/embedded_config.hpp"

namespace airguard {

std::string airflow_env_var(std::string_view section, std::string_view key) {
  std::string name = "AIRFLOW__" + to_upper(section) + "__" + to_upper(key);
  for (char& c : name) {
    if (c == '.') c = '_';
  }
  return name;
}

std::string yaml_quote(std::string_view value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'') out += '\'';
    out += c;
  }
  out += '\'';
  return out;
}

namespace {

std::pair<std::string, std::string> split_key(const std::string& key) {
  const std::size_t dot = key.rfind('.');
  if (dot == std::string::npos) return {std::string(), key};
  return {key.substr(0, dot), key.substr(dot + 1)};
}

std::string cfg_snippet(const std::string& section, const std::string& key, const std::string& value) {
  return fmt::format("[{}]\n{} = {}", section, key, value);
}

std::string helm_config_snippet(const std::string& section, const std::string& key, const std::string& value) {
  return fmt::format("config:\n  {}:\n    {}: {}", section, key, yaml_quote(value));
}

std::string where(const Origin& origin) {
  if (origin.file.empty()) return {};
  return origin.line > 0 ? fmt::format("{}:{}", origin.file, origin.line) : origin.file;
}

// The main configuration input of the deployment: where a fix for an unset option belongs.
enum class Home { helm, cfg, env };
Home config_home(const Snapshot& snapshot) {
  if (snapshot.helm) return Home::helm;
  if (snapshot.cfg && !snapshot.cfg->path.empty()) return Home::cfg;
  return Home::env;
}

std::string first_env_file(const Snapshot& snapshot) {
  for (const InputUsed& input : snapshot.inputs) {
    if (input.kind == "env-file") return input.path;
  }
  return {};
}

Remediation option_fix(const CheckDef& check, const Fact& fact, const Snapshot& snapshot) {
  Remediation fix;
  fix.summary = check.fix.summary;
  const auto [section, key] = split_key(fact.key);
  const std::string env_name = airflow_env_var(section, key);
  const std::string value = check.fix.value.value_or("");
  const bool remove = check.fix.remove || !check.fix.value;
  fix.action_key = remove ? fmt::format("unset:{}", fact.key) : fmt::format("set:{}={}", fact.key, value);

  switch (fact.origin.kind) {
    case SourceKind::cfg:
      fix.target = where(fact.origin);
      fix.snippet =
          remove ? fmt::format("delete the line for {} in [{}]", key, section) : cfg_snippet(section, key, value);
      break;
    case SourceKind::env: {
      const std::string name = fact.origin.name.empty() ? env_name : fact.origin.name;
      const std::string file = where(fact.origin);
      fix.target = file.empty() ? fmt::format("environment variable {}", name) : fmt::format("{} ({})", file, name);
      fix.snippet = remove ? fmt::format("unset {}", name) : fmt::format("{}={}", env_name, value);
      break;
    }
    case SourceKind::helm:
      fix.target = where(fact.origin).empty() ? std::string("your Helm values file") : where(fact.origin);
      if (fact.origin.name.rfind("config.", 0) == 0 || fact.origin.name.empty()) {
        fix.snippet =
            remove ? fmt::format("remove config.{}.{}", section, key) : helm_config_snippet(section, key, value);
      } else {
        fix.snippet = remove ? fmt::format("remove the {} entry", fact.origin.name)
                             : fmt::format("env:\n  - name: {}\n    value: {}", env_name, yaml_quote(value));
      }
      break;
    default: {
      // Nobody set it: the built-in default is in force. Add the setting where this deployment
      // keeps its configuration.
      switch (config_home(snapshot)) {
        case Home::helm:
          fix.target = snapshot.helm->files.empty()
                           ? std::string("your Helm values file")
                           : fmt::format("{} (not set: chart default)", snapshot.helm->files.back());
          fix.snippet = helm_config_snippet(section, key, value);
          break;
        case Home::cfg:
          fix.target = fmt::format("{} (not set: add it)", snapshot.cfg->path);
          fix.snippet = cfg_snippet(section, key, value);
          break;
        case Home::env: {
          const std::string file = first_env_file(snapshot);
          fix.target = file.empty() ? std::string("the environment of every Airflow component")
                                    : fmt::format("{} (not set: add it)", file);
          fix.snippet = fmt::format("{}={}", env_name, value);
          break;
        }
      }
      break;
    }
  }
  if (!check.fix.text.empty()) {
    fix.snippet = fix.snippet.empty() ? check.fix.text : fmt::format("{}\n{}", fix.snippet, check.fix.text);
  }
  return fix;
}

}  // namespace

Remediation render_fix(const CheckDef& check, const Fact& fact, const Snapshot& snapshot) {
  if (check.subject_kind == "option" && (check.fix.value || check.fix.remove)) return option_fix(check, fact, snapshot);
  Remediation fix;
  fix.summary = check.fix.summary;
  fix.action_key = fmt::format("check:{}", check.id);
  const std::string at = where(fact.origin);
  if (fact.origin.kind == SourceKind::env) {
    fix.target = at.empty() ? fmt::format("environment variable {}", fact.key) : fmt::format("{} ({})", at, fact.key);
  } else if (fact.origin.kind == SourceKind::helm) {
    fix.target = at.empty() ? std::string("your Helm values file (chart default in force)") : at;
  } else if (fact.origin.kind == SourceKind::default_value && check.subject_kind == "option") {
    fix.target = snapshot.helm ? std::string("your Helm values file")
                               : (snapshot.cfg ? snapshot.cfg->path : std::string("the Airflow environment"));
  } else if (is_embedded_webserver_origin(fact.origin)) {
    fix.target = fact.origin.describe();
  } else {
    fix.target = at;
  }
  fix.snippet = !check.fix.helm.empty() && (fact.origin.kind == SourceKind::helm || snapshot.helm) ? check.fix.helm
                                                                                                   : check.fix.text;
  if (fix.snippet.empty()) fix.snippet = check.fix.helm;
  // A webserver_config.py embedded in Helm values is fixed in the values key, not in a file.
  if (is_embedded_webserver_origin(fact.origin)) fix.snippet = embedded_fix_text(fix.snippet, fact.origin);
  return fix;
}

}  // namespace airguard
