#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace airguard {

// A minimal, bounded reader for ZIP archives (Airflow's zipped DAG bundles): the central
// directory, stored and deflated entries. No ZIP64, no encryption, no multi-disk archives: those
// come back as errors the caller reports. Pure functions over the archive's bytes.
struct ZipEntry {
  std::string name;
  std::uint16_t method = 0;  // 0 stored, 8 deflate
  std::uint16_t flags = 0;
  std::uint32_t compressed_size = 0;
  std::uint32_t uncompressed_size = 0;
  std::uint32_t local_header_offset = 0;
  bool is_directory() const { return !name.empty() && name.back() == '/'; }
  bool is_encrypted() const { return (flags & 1u) != 0; }
};

bool looks_like_zip(std::string_view bytes);  // starts with a local file header or is an empty archive

Result<std::vector<ZipEntry>> list_zip_entries(std::string_view archive);

// The uncompressed bytes of one entry into `out` (reused between calls). Refuses entries larger
// than max_bytes, unknown methods, encrypted entries, and data that does not match its sizes.
Result<bool> read_zip_entry(std::string_view archive, const ZipEntry& entry, std::size_t max_bytes, std::string& out);

}  // namespace airguard
