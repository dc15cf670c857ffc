// Installed-package readers (sources/inventory): pip freeze / requirements text and the
// METADATA / PKG-INFO headers of a distribution.
#include "fuzz_target.hpp"
#include "sources/inventory/inventory_readers.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = airguard::fuzz::as_text(data, size);
  airguard::parse_requirements(text, "requirements.txt");
  airguard::parse_distribution_metadata(text);
  return 0;
}
