#include "engine/code_checks.hpp"

namespace airguard {

std::vector<CodeCheckEntry> advisory_code_checks() { return {}; }

}  // namespace airguard
