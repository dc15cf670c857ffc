// Replays inputs through one fuzz target without libFuzzer, so the g++ builds (dev and asan) run
// the seed corpus and the committed crashes in every test suite:
//   fuzz_<parser>_replay SEED_FOLDER [MORE_FOLDERS...]
// Each regular file of each folder (names starting with "." skipped) is fed once to
// LLVMFuzzerTestOneInput. The first folder must hold at least one input; later ones may be absent
// (no crash committed yet). An input slower than --max-seconds (default 20) fails the run: a hang
// found by fuzzing stays a test.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_target.hpp"

namespace {

namespace fs = std::filesystem;

std::vector<fs::path> inputs_in(const fs::path& folder) {
  std::vector<fs::path> files;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(folder, error)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && !name.starts_with(".")) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());  // a stable order, so a failure names the same input each time
  return files;
}

bool read_input(const fs::path& file, std::vector<std::uint8_t>& bytes) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return false;
  bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return !in.bad();
}

}  // namespace

int main(int argc, char** argv) {
  double max_seconds = 20.0;
  std::vector<fs::path> folders;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--max-seconds" && i + 1 < argc) {
      max_seconds = std::strtod(argv[++i], nullptr);
    } else {
      folders.emplace_back(arg);
    }
  }
  if (folders.empty()) {
    std::fprintf(stderr, "usage: %s [--max-seconds S] SEED_FOLDER [MORE_FOLDERS...]\n", argv[0]);
    return 2;
  }
  int replayed = 0;
  int slow = 0;
  for (std::size_t index = 0; index < folders.size(); ++index) {
    const auto files = inputs_in(folders[index]);
    if (index == 0 && files.empty()) {
      std::fprintf(stderr, "no inputs in %s\n", folders[index].string().c_str());
      return 1;
    }
    for (const auto& file : files) {
      // An exact-size heap copy, as libFuzzer passes it, so ASan sees a read past the end.
      std::vector<std::uint8_t> bytes;
      if (!read_input(file, bytes)) {
        std::fprintf(stderr, "cannot read %s\n", file.string().c_str());
        return 1;
      }
      std::vector<std::uint8_t> exact(bytes.begin(), bytes.end());
      std::fprintf(stderr, "replaying %s (%zu bytes)\n", file.string().c_str(), exact.size());
      const auto start = std::chrono::steady_clock::now();
      LLVMFuzzerTestOneInput(exact.data(), exact.size());
      const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
      if (took.count() > max_seconds) {
        std::fprintf(stderr, "too slow: %s took %.1f s (limit %.1f s)\n", file.string().c_str(), took.count(),
                     max_seconds);
        ++slow;
      }
      ++replayed;
    }
  }
  std::fprintf(stderr, "%d inputs replayed, %d too slow\n", replayed, slow);
  return slow == 0 ? 0 : 1;
}
