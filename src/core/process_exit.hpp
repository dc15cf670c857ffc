#pragma once
#include <utility>

namespace airguard {

// The airguard executable ends as soon as its command returns. The large structures a command
// builds (check catalogue, snapshot, report) then need not be taken apart node by node: the
// kernel reclaims the whole address space at once. main() turns this on; a library user (the
// tests, an embedding program) keeps normal destruction. Sanitizer builds never skip it, so their
// leak checks keep their meaning.
void set_exit_after_command(bool on);
bool exit_after_command();

// Moves `value` into storage that is never released when the process is about to end, so its
// destructor does no work; otherwise leaves it alone.
template <class T>
void keep_until_exit(T& value) {
  if (exit_after_command()) (void)new T(std::move(value));
}

// Flushes std::cout, std::cerr and every C stream, then ends the process with `code`: without
// running static destructors when exit_after_command(), through std::exit otherwise.
[[noreturn]] void end_process(int code);

}  // namespace airguard
