#pragma once
#include <string>
#include <vector>

namespace airguard {

// The whole program behind main(): parses arguments, runs the command, returns the exit status.
int run_cli(const std::vector<std::string>& args);

}  // namespace airguard
