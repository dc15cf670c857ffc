#include "engine/code_checks.hpp"

namespace airguard {

const std::vector<CodeCheckEntry>& code_check_registry() {
  static const std::vector<CodeCheckEntry> registry = [] {
    std::vector<CodeCheckEntry> all;
    for (auto&& area : {config_code_checks(), webserver_code_checks(), helm_code_checks(), api_code_checks(),
                        advisory_code_checks(), dag_code_checks()}) {
      all.insert(all.end(), area.begin(), area.end());
    }
    return all;
  }();
  return registry;
}

}  // namespace airguard
