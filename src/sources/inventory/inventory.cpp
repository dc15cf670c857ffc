#include "sources/inventory/inventory.hpp"

namespace airguard {

const InstalledPackage* Inventory::find(const std::string& normalized_name) const {
  for (const auto& package : packages) {
    if (package.name == normalized_name) return &package;
  }
  return nullptr;
}

}  // namespace airguard
