#include "sources/env/environment.hpp"

#include <algorithm>

namespace airguard {

void Environment::set(EnvVar var) {
  const auto it = std::lower_bound(vars_.begin(), vars_.end(), var.name,
                                   [](const EnvVar& a, const std::string& name) { return a.name < name; });
  if (it != vars_.end() && it->name == var.name) {
    *it = std::move(var);
  } else {
    vars_.insert(it, std::move(var));
  }
}

const EnvVar* Environment::get(std::string_view name) const {
  const auto it = std::lower_bound(vars_.begin(), vars_.end(), name,
                                   [](const EnvVar& a, std::string_view n) { return a.name < n; });
  return it != vars_.end() && it->name == name ? &*it : nullptr;
}

}  // namespace airguard
