#include "sources/env/compose.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "core/file_io.hpp"

namespace airguard {

namespace {

using Entries = std::vector<std::pair<YAML::Node, YAML::Node>>;

// A mapping's entries with YAML merge keys (`<<: *anchor` or `<<: [*a, *b]`) applied: explicit
// keys win over merged ones, and earlier merge sources win over later ones.
Entries merged_entries(const YAML::Node& map, int depth = 0) {
  Entries entries;
  if (!map.IsMap() || depth > 16) return entries;
  std::set<std::string> seen;
  std::vector<YAML::Node> sources;
  for (const auto& kv : map) {
    const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : std::string();
    if (key == "<<" && kv.first.Tag() != "!") {
      if (kv.second.IsSequence()) {
        for (const auto& item : kv.second) sources.push_back(item);
      } else {
        sources.push_back(kv.second);
      }
      continue;
    }
    if (seen.insert(key).second) entries.emplace_back(kv.first, kv.second);
  }
  for (const auto& source : sources) {
    for (auto& [k, v] : merged_entries(source, depth + 1)) {
      const std::string key = k.IsScalar() ? k.Scalar() : std::string();
      if (seen.insert(key).second) entries.emplace_back(k, v);
    }
  }
  return entries;
}

YAML::Node entry(const Entries& entries, std::string_view key) {
  for (const auto& [k, v] : entries) {
    if (k.IsScalar() && k.Scalar() == key) return v;
  }
  return YAML::Node();
}

int line_of(const YAML::Node& node) { return node.Mark().is_null() ? 0 : node.Mark().line + 1; }
int column_of(const YAML::Node& node) { return node.Mark().is_null() ? 0 : node.Mark().column + 1; }

// Scalars as compose turns them into strings: YAML booleans become "true"/"false".
std::string scalar_text(const YAML::Node& node) {
  const std::string& text = node.Scalar();
  if (node.Tag() == "?") {
    if (text == "true" || text == "True" || text == "TRUE") return "true";
    if (text == "false" || text == "False" || text == "FALSE") return "false";
  }
  return text;
}

class ComposeReader {
 public:
  ComposeReader(const std::string& path, const std::vector<EnvVar>& project_env, const EnvFileReader& read_env,
                ComposeEnvironment& out)
      : path_(path), read_env_(read_env), out_(out) {
    for (const auto& var : project_env) {
      if (!var.value_from_reference) project_[var.name] = var.value;
    }
  }

  void read(const YAML::Node& root) {
    const Entries top = merged_entries(root);
    const YAML::Node services = entry(top, "services");
    if (!services.IsMap()) {
      out_.problems.push_back(make_warning(path_, 0, "no services: section, so no container environment was read"));
      return;
    }
    std::map<std::string, std::pair<std::string, std::string>> first_seen;  // name -> (service, value)
    std::set<std::string> reported;
    for (const auto& [name_node, service] : merged_entries(services)) {
      const std::string service_name = name_node.Scalar();
      std::vector<EnvVar> vars = service_environment(service);
      const Entries fields = merged_entries(service);
      const YAML::Node image = entry(fields, "image");
      const bool airflow_image = image.IsScalar() && interpolate(image.Scalar()).find("airflow") != std::string::npos;
      const bool airflow_vars =
          std::any_of(vars.begin(), vars.end(), [](const EnvVar& v) { return v.name.rfind("AIRFLOW", 0) == 0; });
      if (!airflow_image && !airflow_vars) continue;
      out_.services.push_back(service_name);
      for (auto& var : vars) {
        auto [it, inserted] = first_seen.emplace(var.name, std::pair{service_name, var.value});
        if (!inserted && it->second.second != var.value && reported.insert(var.name).second) {
          out_.problems.push_back(
              make_warning(path_, var.origin.line,
                           fmt::format("{} differs between services {} and {}; airguard uses the value of {}", var.name,
                                       it->second.first, service_name, service_name)));
        }
        out_.vars.push_back(std::move(var));
      }
    }
  }

 private:
  std::vector<EnvVar> service_environment(const YAML::Node& service) {
    std::vector<EnvVar> vars;
    const Entries fields = merged_entries(service);
    const YAML::Node env_file = entry(fields, "env_file");
    if (env_file.IsDefined() && !env_file.IsNull()) {
      std::vector<std::pair<std::string, bool>> files;  // path, required
      const auto add_file = [&](const YAML::Node& item) {
        if (item.IsScalar()) files.emplace_back(interpolate(item.Scalar()), true);
        if (item.IsMap()) {
          const Entries e = merged_entries(item);
          const YAML::Node p = entry(e, "path");
          const YAML::Node required = entry(e, "required");
          if (p.IsScalar())
            files.emplace_back(interpolate(p.Scalar()), !(required.IsScalar() && scalar_text(required) == "false"));
        }
      };
      if (env_file.IsSequence()) {
        for (const auto& item : env_file) add_file(item);
      } else {
        add_file(env_file);
      }
      for (const auto& [relative, required] : files) {
        const std::filesystem::path base = std::filesystem::path(path_).parent_path();
        const std::string full = std::filesystem::path(relative).is_absolute() ? relative : (base / relative).string();
        auto parsed = read_env_(full);
        if (!parsed) {
          if (required) {
            Diagnostic problem = parsed.error();
            problem.message = fmt::format("env_file {} (from {}): {}", full, path_, problem.message);
            out_.problems.push_back(std::move(problem));
          }
          continue;
        }
        if (std::find(out_.env_files.begin(), out_.env_files.end(), full) == out_.env_files.end()) {
          out_.env_files.push_back(full);
        }
        for (auto& problem : parsed->problems) out_.problems.push_back(problem);
        for (auto& var : parsed->vars) vars.push_back(var);
      }
    }
    const YAML::Node environment = entry(fields, "environment");
    if (environment.IsMap()) {
      for (const auto& [key, value] : merged_entries(environment)) {
        EnvVar var = make_var(key.Scalar(), value.IsNull() || !value.IsDefined() ? key : value);
        if (value.IsNull()) {
          inherit(var);
        } else if (value.IsScalar()) {
          var.value = interpolate(scalar_text(value));
        }
        vars.push_back(std::move(var));
      }
    } else if (environment.IsSequence()) {
      for (const auto& item : environment) {
        if (!item.IsScalar()) continue;
        const std::string text = item.Scalar();
        const std::size_t equals = text.find('=');
        EnvVar var = make_var(equals == std::string::npos ? text : text.substr(0, equals), item);
        if (equals == std::string::npos) {
          inherit(var);
        } else {
          var.value = interpolate(text.substr(equals + 1));
        }
        vars.push_back(std::move(var));
      }
    }
    return vars;
  }

  EnvVar make_var(const std::string& name, const YAML::Node& where) {
    EnvVar var;
    var.name = name;
    var.origin.kind = SourceKind::env;
    var.origin.file = path_;
    var.origin.line = line_of(where);
    var.origin.column = column_of(where);
    var.origin.name = name;
    return var;
  }

  static void inherit(EnvVar& var) {
    var.value_from_reference = true;
    var.reference = "value taken from the environment docker compose runs in";
  }

  std::string interpolate(const std::string& text) {
    std::vector<std::string> missing;
    std::string value = interpolate_compose(
        text,
        [this](std::string_view name) -> const std::string* {
          auto it = project_.find(std::string(name));
          return it == project_.end() ? nullptr : &it->second;
        },
        &missing);
    for (const auto& name : missing) {
      if (warned_.insert(name).second) {
        out_.problems.push_back(make_note(path_, 0,
                                          fmt::format("${{{}}} is not set in the project's .env; compose would use the "
                                                      "value from the shell it runs in, airguard assumes it is empty",
                                                      name)));
      }
    }
    return value;
  }

  std::string path_;
  const EnvFileReader& read_env_;
  ComposeEnvironment& out_;
  std::map<std::string, std::string> project_;
  std::set<std::string> warned_;
};

}  // namespace

ComposeEnvironment parse_compose_environment(std::string_view yaml_text, const std::string& path,
                                             const std::vector<EnvVar>& project_env, const EnvFileReader& read_env) {
  ComposeEnvironment out;
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml_text));
  } catch (const YAML::Exception& error) {
    out.problems.push_back(make_error(path, error.mark.is_null() ? 0 : error.mark.line + 1,
                                      fmt::format("not a valid YAML compose file: {}", error.msg)));
    return out;
  }
  try {
    ComposeReader(path, project_env, read_env, out).read(root);
  } catch (const YAML::Exception& error) {
    out.problems.push_back(make_error(path, error.mark.is_null() ? 0 : error.mark.line + 1,
                                      fmt::format("unexpected compose file structure: {}", error.msg)));
  }
  return out;
}

Result<ComposeEnvironment> read_compose_file(const std::string& path) {
  auto text = read_text_file(path);
  if (!text) return text.error();
  std::vector<EnvVar> project_env;
  const std::filesystem::path dot_env = std::filesystem::path(path).parent_path() / ".env";
  std::error_code ignored;
  if (std::filesystem::is_regular_file(dot_env, ignored)) {
    if (auto parsed = read_env_file(dot_env.string())) project_env = parsed->vars;
  }
  return parse_compose_environment(*text, path, project_env, [](const std::string& p) { return read_env_file(p); });
}

}  // namespace airguard
