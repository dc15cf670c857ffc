#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace airguard {

// A bounded reader for ZIP archives (Airflow's zipped DAG bundles), reading what Python's
// zipfile reads: ZIP64, stored, deflate, bzip2 and LZMA entries. No encryption and no multi-disk
// archives: those come back as errors the caller reports. Pure functions over the archive's bytes.
struct ZipEntry {
  std::string name;
  std::uint16_t method = 0;  // 0 stored, 8 deflate, 12 bzip2, 14 LZMA
  std::uint16_t flags = 0;
  std::uint32_t crc32 = 0;
  std::uint64_t compressed_size = 0;
  std::uint64_t uncompressed_size = 0;
  std::uint64_t local_header_offset = 0;
  std::uint64_t data_offset = 0;  // the first byte of the entry's data, after its local header
  bool is_directory() const { return !name.empty() && name.back() == '/'; }
  bool is_encrypted() const { return (flags & 1u) != 0; }
};

// More central records than this and the archive is refused: each record costs memory to list.
inline constexpr std::size_t kMaxZipEntries = 200'000;

bool looks_like_zip(std::string_view bytes);  // starts with a local file header or is an empty archive

// The central directory, in its order. Refuses records whose data overlap another record's
// (a bomb that points many records at one stream) or lie outside the archive.
Result<std::vector<ZipEntry>> list_zip_entries(std::string_view archive);

// The uncompressed bytes of one entry into `out` (reused between calls). Refuses entries larger
// than max_bytes before inflating, unknown methods, encrypted entries, and data that does not
// match its declared size or CRC: at most uncompressed_size bytes are ever produced.
Result<bool> read_zip_entry(std::string_view archive, const ZipEntry& entry, std::size_t max_bytes, std::string& out);

}  // namespace airguard
