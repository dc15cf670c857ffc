#include "engine/code_checks.hpp"

namespace airguard {

std::vector<CodeCheckEntry> config_code_checks() { return {}; }

}  // namespace airguard
