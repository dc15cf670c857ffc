#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/severity.hpp"

namespace airguard {

// A profile selects and tunes checks (profiles/*.yaml): extends, enable/disable by id or
// `tag:X` / `area:X`, severity overrides, parameters, default fail_on.
struct Profile {
  std::string name;
  std::string description;
  std::string file;
  std::vector<std::string> chain;  // this profile and everything it extends, most specific first
  std::vector<std::string> enable;
  std::vector<std::string> disable;
  std::map<std::string, Severity> severity_overrides;
  std::map<std::string, std::vector<std::string>> params;  // scalar params are one-element lists
  Severity fail_on = Severity::high;

  std::optional<std::string> param(const std::string& param_name) const;
  std::vector<std::string> param_list(const std::string& param_name) const;
  std::optional<double> param_number(const std::string& param_name) const;

  bool operator==(const Profile&) const = default;
};

// Every field above is also listed in engine/compiled_catalog.cpp (the built-in profiles in
// binary form).

}  // namespace airguard
