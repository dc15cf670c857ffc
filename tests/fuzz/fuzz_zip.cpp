// Zipped DAG bundles (sources/dags/zip_reader): list the entries of the archive's bytes and read
// each, as the DAG scan does. Kept to the public entry points so it follows the reader's changes.
#include <string>

#include "fuzz_target.hpp"
#include "sources/dags/zip_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view archive = airguard::fuzz::as_text(data, size);
  airguard::looks_like_zip(archive);
  const auto entries = airguard::list_zip_entries(archive);
  if (!entries.ok()) return 0;
  constexpr std::size_t kMaxEntryBytes = 1u << 20;
  std::string contents;
  for (const auto& entry : *entries) {
    if (entry.is_directory()) continue;
    const auto read = airguard::read_zip_entry(archive, entry, kMaxEntryBytes, contents);
    if (read.ok()) airguard::fuzz::require(contents.size() <= kMaxEntryBytes, "an entry read stays within max_bytes");
  }
  return 0;
}
