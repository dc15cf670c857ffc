#include "sources/inventory/inventory.hpp"

namespace airguard {

const InstalledPackage* Inventory::find(const std::string& normalized_name) const {
  for (const auto& package : packages) {
    if (package.name == normalized_name) return &package;
  }
  return nullptr;
}

std::vector<const InstalledPackage*> Inventory::find_all(const std::string& normalized_name) const {
  std::vector<const InstalledPackage*> found;
  for (const auto& package : packages) {
    if (package.name == normalized_name) found.push_back(&package);
  }
  return found;
}

}  // namespace airguard
