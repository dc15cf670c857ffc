#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "core/process_exit.hpp"

using namespace airguard;

TEST_CASE("process exit: a library user keeps normal destruction", "[core]") {
  REQUIRE_FALSE(exit_after_command());  // only the executable's main() turns it on
  std::vector<std::string> value{"kept", "in place"};
  keep_until_exit(value);
  CHECK(value == std::vector<std::string>{"kept", "in place"});
}

TEST_CASE("process exit: the executable's structures are set aside, not taken apart", "[core]") {
  set_exit_after_command(true);
#if defined(__SANITIZE_ADDRESS__)
  CHECK_FALSE(exit_after_command());  // sanitizer builds destroy everything, so leak checks mean something
#else
  CHECK(exit_after_command());
  std::vector<std::string> value{"moved", "away"};
  keep_until_exit(value);
  CHECK(value.empty());  // moved into storage the process never releases
#endif
  set_exit_after_command(false);
  CHECK_FALSE(exit_after_command());
}
