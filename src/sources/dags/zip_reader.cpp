#include "sources/dags/zip_reader.hpp"

#include <bzlib.h>
#include <lzma.h>
#include <zlib.h>

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <numeric>
#include <optional>

namespace airguard {

namespace {

constexpr std::uint32_t kLocalHeader = 0x04034b50;
constexpr std::uint32_t kCentralHeader = 0x02014b50;
constexpr std::uint32_t kEndOfCentralDirectory = 0x06054b50;
constexpr std::uint32_t kZip64EndOfCentralDirectory = 0x06064b50;
constexpr std::uint32_t kZip64Locator = 0x07064b50;
constexpr std::uint16_t kZip64ExtraField = 0x0001;
constexpr std::size_t kEndRecordSize = 22;
constexpr std::size_t kZip64LocatorSize = 20;
constexpr std::size_t kZip64EndRecordSize = 56;
constexpr std::size_t kCentralRecordSize = 46;
constexpr std::size_t kLocalHeaderSize = 30;

enum Method : std::uint16_t { stored = 0, deflated = 8, bzip2 = 12, lzma = 14 };

std::uint16_t u16(std::string_view bytes, std::size_t at) {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(bytes[at]) |
                                    (static_cast<unsigned>(static_cast<unsigned char>(bytes[at + 1])) << 8u));
}

std::uint32_t u32(std::string_view bytes, std::size_t at) {
  return static_cast<std::uint32_t>(u16(bytes, at)) | (static_cast<std::uint32_t>(u16(bytes, at + 2)) << 16u);
}

std::uint64_t u64(std::string_view bytes, std::size_t at) {
  return static_cast<std::uint64_t>(u32(bytes, at)) | (static_cast<std::uint64_t>(u32(bytes, at + 4)) << 32u);
}

Diagnostic zip_error(std::string message) {
  return make_error({}, 0, std::move(message), "the ZIP archive is damaged or uses a feature airguard does not read");
}

// Where the central directory lies and how many records it holds, from the end records.
struct Directory {
  std::uint64_t offset = 0;
  std::uint64_t size = 0;
  std::uint64_t count = 0;
  std::size_t end = 0;  // the central directory must end here (the first end record)
};

Result<Directory> find_directory(std::string_view archive) {
  if (archive.size() < kEndRecordSize) return zip_error("too short for a ZIP archive");
  // The end record sits in the last 22 + 65535 (comment) bytes; search backwards for it.
  const std::size_t lowest = archive.size() > kEndRecordSize + 65535 ? archive.size() - kEndRecordSize - 65535 : 0;
  std::size_t eocd = std::string_view::npos;
  for (std::size_t at = archive.size() - kEndRecordSize + 1; at-- > lowest;) {
    if (u32(archive, at) == kEndOfCentralDirectory) {
      eocd = at;
      break;
    }
  }
  if (eocd == std::string_view::npos) return zip_error("no end of central directory record");
  if (u16(archive, eocd + 4) != 0) return zip_error("multi-disk ZIP archives are not supported");
  Directory directory{u32(archive, eocd + 16), u32(archive, eocd + 12), u16(archive, eocd + 10), eocd};
  // ZIP64: a locator just before the end record points at the 64-bit end record.
  if (eocd >= kZip64LocatorSize && u32(archive, eocd - kZip64LocatorSize) == kZip64Locator) {
    const std::uint64_t record = u64(archive, eocd - kZip64LocatorSize + 8);
    if (record > eocd - kZip64LocatorSize || eocd - kZip64LocatorSize - record < kZip64EndRecordSize ||
        u32(archive, record) != kZip64EndOfCentralDirectory) {
      return zip_error("bad ZIP64 end of central directory record");
    }
    const auto at = static_cast<std::size_t>(record);
    if (u32(archive, at + 16) != 0 || u32(archive, at + 20) != 0) {
      return zip_error("multi-disk ZIP archives are not supported");
    }
    directory = Directory{u64(archive, at + 48), u64(archive, at + 40), u64(archive, at + 32), at};
  }
  if (directory.offset > directory.end || directory.end - directory.offset < directory.size) {
    return zip_error("central directory out of bounds");
  }
  // Every record takes at least 46 bytes: a count the directory cannot hold is a lie.
  if (directory.count > directory.size / kCentralRecordSize)
    return zip_error("central directory record count too large");
  if (directory.count > kMaxZipEntries) {
    return zip_error("more than " + std::to_string(kMaxZipEntries) + " entries; not read");
  }
  return directory;
}

// The ZIP64 extra field holds, in this order, the sizes and offset whose 32-bit fields are full.
bool apply_zip64_extra(std::string_view extra, ZipEntry& entry, bool wide_uncompressed, bool wide_compressed,
                       bool wide_offset) {
  std::size_t at = 0;
  while (at + 4 <= extra.size()) {
    const std::uint16_t id = u16(extra, at);
    const std::size_t length = u16(extra, at + 2);
    if (at + 4 + length > extra.size()) return false;
    if (id == kZip64ExtraField) {
      const std::string_view field = extra.substr(at + 4, length);
      std::size_t pos = 0;
      for (auto [wide, value] :
           {std::pair{wide_uncompressed, &entry.uncompressed_size}, std::pair{wide_compressed, &entry.compressed_size},
            std::pair{wide_offset, &entry.local_header_offset}}) {
        if (!wide) continue;
        if (pos + 8 > field.size()) return false;
        *value = u64(field, pos);
        pos += 8;
      }
      return true;
    }
    at += 4 + length;
  }
  return !(wide_uncompressed || wide_compressed || wide_offset);
}

// Refuses records whose local header and data run into the next record's: many records sharing
// one stream would make a small archive inflate without end (Python's zipfile refuses them too).
Result<bool> check_no_overlap(const std::vector<ZipEntry>& entries) {
  std::vector<std::size_t> order(entries.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return entries[a].local_header_offset < entries[b].local_header_offset;
  });
  for (std::size_t i = 1; i < order.size(); ++i) {
    const ZipEntry& before = entries[order[i - 1]];
    const ZipEntry& after = entries[order[i]];
    if (before.data_offset + before.compressed_size > after.local_header_offset) {
      return zip_error("overlapping entries: records share data (a ZIP bomb); the archive is not read");
    }
  }
  return true;
}

// Each decoder fills `out` (sized to the declared size plus one byte, so a stream longer than its
// declared size shows) and returns the bytes it produced, or nothing when the stream is damaged.
// Input is fed in pieces: the libraries count in 32-bit units.
constexpr std::size_t kFeed = std::size_t{1} << 30;

std::optional<std::size_t> inflate_raw(std::string_view in, std::string& out) {
  z_stream stream{};
  if (inflateInit2(&stream, -MAX_WBITS) != Z_OK) return std::nullopt;
  std::size_t used = 0;
  int status = Z_OK;
  while (status == Z_OK) {
    // zlib's API takes non-const pointers; it never writes through next_in.
    const std::size_t piece = std::min(in.size() - used, kFeed);
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data() + used));
    stream.avail_in = static_cast<uInt>(piece);
    stream.next_out = reinterpret_cast<Bytef*>(out.data() + stream.total_out);
    stream.avail_out = static_cast<uInt>(std::min(out.size() - stream.total_out, kFeed));
    status = inflate(&stream, Z_NO_FLUSH);
    used += piece - stream.avail_in;
    if (status == Z_OK && stream.avail_in == 0 && used == in.size()) break;  // input ended early
    if (status == Z_OK && stream.total_out == out.size()) break;             // longer than declared
  }
  const std::size_t produced = stream.total_out;
  inflateEnd(&stream);
  if (status != Z_STREAM_END) return std::nullopt;
  return produced;
}

std::optional<std::size_t> bunzip(std::string_view in, std::string& out) {
  bz_stream stream{};
  if (BZ2_bzDecompressInit(&stream, 0, 0) != BZ_OK) return std::nullopt;
  std::size_t used = 0;
  std::size_t produced = 0;
  int status = BZ_OK;
  while (status == BZ_OK) {
    const std::size_t piece = std::min(in.size() - used, kFeed);
    const std::size_t room = std::min(out.size() - produced, kFeed);
    // libbz2 takes non-const pointers; it never writes through next_in.
    stream.next_in = const_cast<char*>(in.data() + used);
    stream.avail_in = static_cast<unsigned>(piece);
    stream.next_out = out.data() + produced;
    stream.avail_out = static_cast<unsigned>(room);
    status = BZ2_bzDecompress(&stream);
    used += piece - stream.avail_in;
    produced += room - stream.avail_out;
    if (status == BZ_OK && used == in.size() && stream.avail_out != 0) break;  // input ended early
    if (status == BZ_OK && produced == out.size()) break;                      // longer than declared
  }
  BZ2_bzDecompressEnd(&stream);
  if (status != BZ_STREAM_END) return std::nullopt;
  return produced;
}

// ZIP's LZMA (method 14): a 2-byte version, a 2-byte properties size, the LZMA1 properties, then
// a raw LZMA1 stream, as Python's zipfile writes it.
std::optional<std::size_t> unlzma(std::string_view in, std::uint64_t declared, std::string& out) {
  if (in.size() < 4) return std::nullopt;
  const std::size_t properties_size = u16(in, 2);
  if (properties_size != 5 || in.size() < 4 + properties_size) return std::nullopt;
  lzma_filter filters[2] = {{LZMA_FILTER_LZMA1, nullptr}, {LZMA_VLI_UNKNOWN, nullptr}};
  if (lzma_properties_decode(&filters[0], nullptr, reinterpret_cast<const std::uint8_t*>(in.data() + 4),
                             properties_size) != LZMA_OK) {
    return std::nullopt;
  }
  // The dictionary never needs to be larger than the data: a forged 4 GiB dictionary is not
  // allocated.
  auto* options = static_cast<lzma_options_lzma*>(filters[0].options);
  options->dict_size = static_cast<std::uint32_t>(std::clamp<std::uint64_t>(
      declared, LZMA_DICT_SIZE_MIN, std::max<std::uint64_t>(options->dict_size, LZMA_DICT_SIZE_MIN)));
  lzma_stream stream = LZMA_STREAM_INIT;
  const lzma_ret started = lzma_raw_decoder(&stream, filters);
  std::free(filters[0].options);
  if (started != LZMA_OK) return std::nullopt;
  in.remove_prefix(4 + properties_size);
  stream.next_in = reinterpret_cast<const std::uint8_t*>(in.data());
  stream.avail_in = in.size();
  stream.next_out = reinterpret_cast<std::uint8_t*>(out.data());
  stream.avail_out = out.size();
  lzma_ret status = LZMA_OK;
  while (status == LZMA_OK && stream.avail_out != 0 && stream.avail_in != 0) status = lzma_code(&stream, LZMA_RUN);
  if (status == LZMA_OK && stream.avail_in == 0 && stream.avail_out != 0) status = lzma_code(&stream, LZMA_FINISH);
  const std::size_t produced = stream.total_out;
  lzma_end(&stream);
  // Without an end marker (flag bit 1 clear) the stream simply stops after the declared size.
  if (status != LZMA_STREAM_END && !(status == LZMA_OK && produced == declared) &&
      !(status == LZMA_BUF_ERROR && produced == declared)) {
    return std::nullopt;
  }
  return produced;
}

}  // namespace

bool looks_like_zip(std::string_view bytes) {
  return bytes.size() >= 4 && (u32(bytes, 0) == kLocalHeader || u32(bytes, 0) == kEndOfCentralDirectory);
}

Result<std::vector<ZipEntry>> list_zip_entries(std::string_view archive) {
  Result<Directory> found = find_directory(archive);
  if (!found) return found.error();
  const Directory& directory = *found;
  const auto directory_end = static_cast<std::size_t>(directory.offset + directory.size);
  std::vector<ZipEntry> entries;
  entries.reserve(static_cast<std::size_t>(directory.count));
  auto at = static_cast<std::size_t>(directory.offset);
  for (std::uint64_t i = 0; i < directory.count; ++i) {
    if (at + kCentralRecordSize > directory_end || u32(archive, at) != kCentralHeader) {
      return zip_error("bad central directory entry");
    }
    ZipEntry entry;
    entry.flags = u16(archive, at + 8);
    entry.method = u16(archive, at + 10);
    entry.crc32 = u32(archive, at + 16);
    entry.compressed_size = u32(archive, at + 20);
    entry.uncompressed_size = u32(archive, at + 24);
    const std::size_t name_length = u16(archive, at + 28);
    const std::size_t extra_length = u16(archive, at + 30);
    const std::size_t comment_length = u16(archive, at + 32);
    entry.local_header_offset = u32(archive, at + 42);
    if (at + kCentralRecordSize + name_length + extra_length > directory_end) {
      return zip_error("central directory entry out of bounds");
    }
    entry.name.assign(archive.substr(at + kCentralRecordSize, name_length));
    const std::string_view extra = archive.substr(at + kCentralRecordSize + name_length, extra_length);
    if (!apply_zip64_extra(extra, entry, entry.uncompressed_size == 0xFFFFFFFFu, entry.compressed_size == 0xFFFFFFFFu,
                           entry.local_header_offset == 0xFFFFFFFFu)) {
      return zip_error("bad ZIP64 extra field");
    }
    // The local header says where the data starts; the data must end before the directory.
    const std::uint64_t header = entry.local_header_offset;
    if (header > directory.offset || directory.offset - header < kLocalHeaderSize ||
        u32(archive, static_cast<std::size_t>(header)) != kLocalHeader) {
      return zip_error("bad local header");
    }
    const auto header_at = static_cast<std::size_t>(header);
    entry.data_offset = header + kLocalHeaderSize + u16(archive, header_at + 26) + u16(archive, header_at + 28);
    if (entry.data_offset > directory.offset || directory.offset - entry.data_offset < entry.compressed_size) {
      return zip_error("entry data out of bounds");
    }
    entries.push_back(std::move(entry));
    at += kCentralRecordSize + name_length + extra_length + comment_length;
  }
  if (Result<bool> separate = check_no_overlap(entries); !separate) return separate.error();
  return entries;
}

Result<bool> read_zip_entry(std::string_view archive, const ZipEntry& entry, std::size_t max_bytes, std::string& out) {
  out.clear();
  if (entry.is_encrypted()) return zip_error("encrypted entry");
  if (entry.uncompressed_size > max_bytes) return zip_error("entry larger than the size limit");
  if (entry.data_offset > archive.size() || archive.size() - entry.data_offset < entry.compressed_size) {
    return zip_error("entry data out of bounds");
  }
  const std::string_view compressed =
      archive.substr(static_cast<std::size_t>(entry.data_offset), static_cast<std::size_t>(entry.compressed_size));
  const auto declared = static_cast<std::size_t>(entry.uncompressed_size);
  std::optional<std::size_t> produced;
  if (entry.method == Method::stored) {
    if (entry.compressed_size != entry.uncompressed_size) return zip_error("stored entry with mismatched sizes");
    out.assign(compressed);
    produced = declared;
  } else if (entry.method == Method::deflated || entry.method == Method::bzip2 || entry.method == Method::lzma) {
    out.resize(declared + 1);  // one byte more: a stream longer than declared fills it
    produced = entry.method == Method::deflated ? inflate_raw(compressed, out)
               : entry.method == Method::bzip2  ? bunzip(compressed, out)
                                                : unlzma(compressed, entry.uncompressed_size, out);
  } else {
    return zip_error("compression method " + std::to_string(entry.method) + " is not supported");
  }
  if (!produced || *produced != declared) {
    out.clear();
    return zip_error("compressed data does not match the entry's size");
  }
  out.resize(declared);
  uLong crc = ::crc32(0L, Z_NULL, 0);
  for (std::size_t done = 0; done < out.size();) {
    const std::size_t piece = std::min(out.size() - done, kFeed);
    crc = ::crc32(crc, reinterpret_cast<const Bytef*>(out.data() + done), static_cast<uInt>(piece));
    done += piece;
  }
  if (crc != entry.crc32) {
    out.clear();
    return zip_error("CRC mismatch: the entry is damaged");
  }
  return true;
}

}  // namespace airguard
