#include "app/run.hpp"

#include <fmt/format.h>

namespace airguard {

int run_cli(const std::vector<std::string>& args) {
  (void)args;
  fmt::print("airguard {}\n", AIRGUARD_VERSION);
  return 0;
}

}  // namespace airguard
