#include "engine/code_checks.hpp"

namespace airguard {

std::vector<CodeCheckEntry> webserver_code_checks() { return {}; }

}  // namespace airguard
