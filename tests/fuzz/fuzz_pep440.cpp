// PEP 440 (advisories/pep440): three lines, a version, a specifier set and a second version.
// A parsed version reparses from its normalized text to an equal one, and ordering is antisymmetric.
#include <array>
#include <string>

#include "advisories/pep440.hpp"
#include "fuzz_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using airguard::fuzz::require;
  std::string_view text = airguard::fuzz::as_text(data, size);
  std::array<std::string_view, 3> parts;
  for (auto& part : parts) {
    const std::size_t end = text.find('\n');
    part = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
  }
  const auto first = airguard::parse_version(parts[0]);
  const auto specifiers = airguard::SpecifierSet::parse(parts[1]);
  const auto second = airguard::parse_version(parts[2]);
  airguard::normalize_package_name(parts[0]);
  for (const auto& version : {first, second}) {
    if (!version) continue;
    const auto reparsed = airguard::parse_version(version->text());
    require(reparsed.has_value(), "a normalized version parses again");
    require(airguard::compare_versions(*version, *reparsed) == 0, "a normalized version equals its original");
    require(reparsed->equality_key() == version->equality_key(), "equal versions share an equality key");
    version->public_text();
    version->base_version();
    if (specifiers) {
      specifiers->contains(*version, false);
      specifiers->contains(*version, true);
    }
  }
  if (first && second) {
    const int forward = airguard::compare_versions(*first, *second);
    const int backward = airguard::compare_versions(*second, *first);
    require((forward < 0) == (backward > 0) && (forward == 0) == (backward == 0), "ordering is antisymmetric");
  }
  if (specifiers) {
    const auto again = airguard::SpecifierSet::parse(specifiers->text());
    require(again.has_value(), "a specifier set's text parses again");
  }
  return 0;
}
