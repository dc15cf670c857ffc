#include "core/process_exit.hpp"

#include <cstdio>
#include <cstdlib>
#include <iostream>

namespace airguard {

namespace {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
bool exit_after = false;
}  // namespace

void set_exit_after_command(bool on) { exit_after = on && !kSanitized; }

bool exit_after_command() { return exit_after; }

void end_process(int code) {
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  if (exit_after) std::_Exit(code);
  std::exit(code);
}

}  // namespace airguard
