#include "engine/code_checks.hpp"

namespace airguard {

std::vector<CodeCheckEntry> dag_code_checks() { return {}; }

}  // namespace airguard
