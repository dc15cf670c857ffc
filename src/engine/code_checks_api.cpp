#include "engine/code_checks.hpp"

namespace airguard {

std::vector<CodeCheckEntry> api_code_checks() { return {}; }

}  // namespace airguard
