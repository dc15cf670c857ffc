#include "engine/profile_loader.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>

#include "core/file_io.hpp"
#include "core/resources.hpp"
#include "core/text.hpp"
#include "engine/yaml_util.hpp"

namespace airguard {

using yaml_util::line_of;

namespace {

void erase_value(std::vector<std::string>& list, const std::string& value) {
  list.erase(std::remove(list.begin(), list.end(), value), list.end());
}

// Applies `child` over `base`: the child's enable beats the base's disable and vice versa.
Profile apply_over(Profile base, const Profile& child) {
  for (const std::string& id : child.enable) {
    erase_value(base.disable, id);
    if (std::find(base.enable.begin(), base.enable.end(), id) == base.enable.end()) base.enable.push_back(id);
  }
  for (const std::string& id : child.disable) {
    erase_value(base.enable, id);
    if (std::find(base.disable.begin(), base.disable.end(), id) == base.disable.end()) base.disable.push_back(id);
  }
  for (const auto& [id, severity] : child.severity_overrides) base.severity_overrides[id] = severity;
  for (const auto& [name, value] : child.params) base.params[name] = value;
  base.fail_on = child.fail_on;
  base.name = child.name;
  base.description = child.description;
  base.file = child.file;
  base.chain.insert(base.chain.begin(), child.name);
  return base;
}

bool is_path(std::string_view text) {
  return text.find('/') != std::string_view::npos || (text.size() > 5 && text.substr(text.size() - 5) == ".yaml");
}

}  // namespace

Result<Profile> parse_profile(std::string_view text, const std::string& file, std::string* extends) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    return make_error(file, e.mark.is_null() ? 0 : e.mark.line + 1, fmt::format("invalid YAML: {}", e.msg));
  }
  if (!root.IsMap()) return make_error(file, line_of(root), "a profile is a mapping with schema, name, ...");
  Diagnostics problems;
  Profile profile;
  profile.file = file;
  static const char* const kFields[] = {"schema", "name",    "description", "extends", "fail_on",
                                        "enable", "disable", "severity",    "params"};
  for (const auto& entry : root) {
    const std::string key = entry.first.Scalar();
    if (std::none_of(std::begin(kFields), std::end(kFields), [&](const char* f) { return key == f; })) {
      return make_error(
          file, line_of(entry.first), fmt::format("unknown field '{}'", key),
          "a profile takes schema, name, description, extends, fail_on, enable, disable, severity, params");
    }
  }
  if (!root["schema"] || root["schema"].Scalar() != "1") {
    return make_error(file, line_of(root), "unsupported or missing schema", "this airguard reads `schema: 1`");
  }
  if (!root["name"] || !yaml_util::scalar(root["name"], profile.name, file, "name", problems)) {
    return problems.empty() ? make_error(file, line_of(root), "a profile needs a name") : problems.front();
  }
  if (root["description"]) yaml_util::scalar(root["description"], profile.description, file, "description", problems);
  if (root["extends"] && extends != nullptr) yaml_util::scalar(root["extends"], *extends, file, "extends", problems);
  if (root["fail_on"]) {
    std::string text_value;
    if (yaml_util::scalar(root["fail_on"], text_value, file, "fail_on", problems)) {
      const auto severity = parse_severity(text_value);
      if (!severity) {
        return make_error(file, line_of(root["fail_on"]), fmt::format("unknown severity '{}'", text_value),
                          "use info, low, medium, high or critical");
      }
      profile.fail_on = *severity;
    }
  }
  if (root["enable"]) yaml_util::scalar_list(root["enable"], profile.enable, file, "enable", problems);
  if (root["disable"]) yaml_util::scalar_list(root["disable"], profile.disable, file, "disable", problems);
  if (root["severity"]) {
    if (!root["severity"].IsMap())
      return make_error(file, line_of(root["severity"]), "severity must map check ids to severities");
    for (const auto& entry : root["severity"]) {
      const auto severity = parse_severity(entry.second.Scalar());
      if (!severity) {
        return make_error(file, line_of(entry.second), fmt::format("unknown severity '{}'", entry.second.Scalar()));
      }
      profile.severity_overrides[entry.first.Scalar()] = *severity;
    }
  }
  if (root["params"]) {
    if (!root["params"].IsMap()) return make_error(file, line_of(root["params"]), "params must be a mapping");
    for (const auto& entry : root["params"]) {
      std::vector<std::string> values;
      yaml_util::scalar_list(entry.second, values, file, fmt::format("params.{}", entry.first.Scalar()), problems);
      profile.params[entry.first.Scalar()] = values;
    }
  }
  if (!problems.empty()) return problems.front();
  profile.chain = {profile.name};
  return profile;
}

Result<Profile> load_profile(std::string_view name_or_path) {
  // The build resolved the built-in profiles and stored them in binary form.
  if (!is_path(std::string(name_or_path))) {
    if (const auto compiled = compiled_resource("profiles")) {
      if (auto profiles = decode_profiles(*compiled)) {
        for (Profile& profile : *profiles) {
          if (profile.name == name_or_path) return std::move(profile);
        }
      }
    }
  }
  return parse_profile_chain(name_or_path);
}

Result<Profile> parse_profile_chain(std::string_view name_or_path) {
  std::vector<Profile> chain;  // most specific first
  std::string next(name_or_path);
  for (int depth = 0; !next.empty(); ++depth) {
    if (depth > 16) return make_error(std::string(name_or_path), 0, "profile extends chain is too deep (a cycle?)");
    std::string text;
    std::string file;
    if (is_path(next)) {
      auto read = read_text_file(next);
      if (!read) return read.error();
      text = std::move(*read);
      file = next;
    } else {
      const auto embedded = embedded_resource(fmt::format("profiles/{}.yaml", next));
      if (!embedded) {
        return make_error("", 0, fmt::format("unknown profile '{}'", next),
                          fmt::format("built-in profiles: {}", join(builtin_profile_names(), ", ")));
      }
      text = std::string(*embedded);
      file = fmt::format("profiles/{}.yaml", next);
    }
    std::string extends;
    auto profile = parse_profile(text, file, &extends);
    if (!profile) return profile.error();
    for (const Profile& seen : chain) {
      if (seen.name == profile->name) return make_error(file, 0, fmt::format("profile '{}' extends itself", seen.name));
    }
    chain.push_back(std::move(*profile));
    next = extends;
  }
  Profile merged = chain.back();
  for (auto it = chain.rbegin() + 1; it != chain.rend(); ++it) merged = apply_over(std::move(merged), *it);
  return merged;
}

std::vector<std::string> builtin_profile_names() {
  std::vector<std::string> names;
  for (std::string_view path : embedded_resources_under("profiles/")) {
    std::string name(path.substr(9));
    if (name.size() > 5 && name.substr(name.size() - 5) == ".yaml") name.resize(name.size() - 5);
    names.push_back(name);
  }
  return names;
}

Diagnostics validate_profile(const Profile& profile, const CheckCatalog& catalog) {
  Diagnostics problems;
  const auto check_ids = [&](const std::vector<std::string>& ids, const char* field) {
    for (const std::string& id : ids) {
      if (id == "*" || id.rfind("tag:", 0) == 0 || id.rfind("area:", 0) == 0) continue;
      if (catalog.find(id) == nullptr) {
        problems.push_back(
            make_error(profile.file, 0, fmt::format("profile '{}' {}s unknown check {}", profile.name, field, id)));
      }
    }
  };
  check_ids(profile.enable, "enable");
  check_ids(profile.disable, "disable");
  for (const auto& [id, severity] : profile.severity_overrides) {
    if (catalog.find(id) == nullptr) {
      problems.push_back(make_error(
          profile.file, 0, fmt::format("profile '{}' sets the severity of unknown check {}", profile.name, id)));
    }
  }
  return problems;
}

}  // namespace airguard
