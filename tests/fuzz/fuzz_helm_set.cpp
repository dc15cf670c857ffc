// Helm --set / --set-string arguments (sources/helm/helm_merge), Helm's strvals syntax: one
// argument a line, applied in order onto one tree; a line starting "--set-string " is a string one.
#include "fuzz_target.hpp"
#include "sources/helm/helm_merge.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text = airguard::fuzz::as_text(data, size);
  constexpr std::string_view kStringPrefix = "--set-string ";
  airguard::HelmNode root = airguard::make_map();
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    std::string_view argument = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    const bool as_string = argument.starts_with(kStringPrefix);
    if (as_string) argument.remove_prefix(kStringPrefix.size());
    airguard::apply_set_argument(root, argument, as_string);
  }
  return 0;
}
