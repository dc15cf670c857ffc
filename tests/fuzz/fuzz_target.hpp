#pragma once
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

// What every fuzz target shares: the libFuzzer entry point and two helpers. A target is built
// either with libFuzzer (the fuzz preset, clang) or with tests/fuzz/replay_main.cpp (g++), which
// feeds it the seed corpus and the committed crashes.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace airguard::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return size == 0 ? std::string_view() : std::string_view(reinterpret_cast<const char*>(data), size);
}

// A property every input must keep. Failing it aborts, which libFuzzer reports as a crash and
// saves the input, like any other bug.
inline void require(bool holds, const char* property) {
  if (holds) return;
  std::fprintf(stderr, "fuzz property violated: %s\n", property);
  std::abort();
}

}  // namespace airguard::fuzz
