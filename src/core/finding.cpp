#include "core/finding.hpp"

#include <fmt/format.h>

#include <cstdint>

namespace airguard {

namespace {
// FNV-1a 64: stable across platforms and runs, which is all a fingerprint needs.
std::uint64_t fnv1a(std::string_view text) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}
}  // namespace

std::string fingerprint(const Finding& finding) {
  const std::string identity =
      fmt::format("{}\x1f{}\x1f{}\x1f{}", finding.check_id, finding.key, to_string(finding.location.kind),
                  finding.location.file.empty() ? finding.location.name : finding.location.file);
  return fmt::format("{:016x}", fnv1a(identity));
}

}  // namespace airguard
