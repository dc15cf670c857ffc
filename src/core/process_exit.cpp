#include "core/process_exit.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
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
  // Whatever a command printed must have reached its reader: `airguard config > /dev/full` fails.
  if (!std::cout || std::fflush(stdout) != 0 || std::ferror(stdout) != 0) {
    std::fprintf(stderr, "airguard: error: cannot write to standard output: %s\n",
                 std::strerror(errno != 0 ? errno : EIO));
    if (code == 0 || code == 1) code = 2;
  }
  std::cerr.flush();
  std::fflush(nullptr);
  if (exit_after) std::_Exit(code);
  std::exit(code);
}

}  // namespace airguard
