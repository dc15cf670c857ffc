#include "engine/code_checks.hpp"

namespace airguard {

std::vector<CodeCheckEntry> helm_code_checks() { return {}; }

}  // namespace airguard
