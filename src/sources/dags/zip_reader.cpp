#include "sources/dags/zip_reader.hpp"

#include <zlib.h>

#include <limits>

namespace airguard {

namespace {

constexpr std::uint32_t kLocalHeader = 0x04034b50;
constexpr std::uint32_t kCentralHeader = 0x02014b50;
constexpr std::uint32_t kEndOfCentralDirectory = 0x06054b50;

std::uint16_t u16(std::string_view bytes, std::size_t at) {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(bytes[at]) |
                                    (static_cast<unsigned>(static_cast<unsigned char>(bytes[at + 1])) << 8u));
}

std::uint32_t u32(std::string_view bytes, std::size_t at) {
  return static_cast<std::uint32_t>(u16(bytes, at)) | (static_cast<std::uint32_t>(u16(bytes, at + 2)) << 16u);
}

Diagnostic zip_error(std::string message) {
  return make_error({}, 0, std::move(message), "the ZIP archive is damaged or uses a feature airguard does not read");
}

}  // namespace

bool looks_like_zip(std::string_view bytes) {
  return bytes.size() >= 4 && (u32(bytes, 0) == kLocalHeader || u32(bytes, 0) == kEndOfCentralDirectory);
}

Result<std::vector<ZipEntry>> list_zip_entries(std::string_view archive) {
  if (archive.size() < 22) return zip_error("too short for a ZIP archive");
  // The end record sits in the last 22 + 65535 (comment) bytes; search backwards for it.
  const std::size_t lowest = archive.size() > 22 + 65535 ? archive.size() - 22 - 65535 : 0;
  std::size_t eocd = std::string_view::npos;
  for (std::size_t at = archive.size() - 22 + 1; at-- > lowest;) {
    if (u32(archive, at) == kEndOfCentralDirectory) {
      eocd = at;
      break;
    }
  }
  if (eocd == std::string_view::npos) return zip_error("no end of central directory record");
  const std::uint16_t disk = u16(archive, eocd + 4);
  const std::uint16_t count = u16(archive, eocd + 10);
  const std::uint32_t cd_size = u32(archive, eocd + 12);
  const std::uint32_t cd_offset = u32(archive, eocd + 16);
  if (disk != 0) return zip_error("multi-disk ZIP archives are not supported");
  if (count == 0xFFFF || cd_offset == 0xFFFFFFFFu || cd_size == 0xFFFFFFFFu) {
    return zip_error("ZIP64 archives are not supported");
  }
  if (static_cast<std::size_t>(cd_offset) + cd_size > eocd) return zip_error("central directory out of bounds");
  std::vector<ZipEntry> entries;
  entries.reserve(count);
  std::size_t at = cd_offset;
  for (std::uint16_t i = 0; i < count; ++i) {
    if (at + 46 > eocd || u32(archive, at) != kCentralHeader) return zip_error("bad central directory entry");
    ZipEntry entry;
    entry.flags = u16(archive, at + 8);
    entry.method = u16(archive, at + 10);
    entry.compressed_size = u32(archive, at + 20);
    entry.uncompressed_size = u32(archive, at + 24);
    const std::size_t name_length = u16(archive, at + 28);
    const std::size_t extra_length = u16(archive, at + 30);
    const std::size_t comment_length = u16(archive, at + 32);
    entry.local_header_offset = u32(archive, at + 42);
    if (at + 46 + name_length > eocd) return zip_error("central directory entry name out of bounds");
    entry.name.assign(archive.substr(at + 46, name_length));
    if (entry.compressed_size == 0xFFFFFFFFu || entry.uncompressed_size == 0xFFFFFFFFu ||
        entry.local_header_offset == 0xFFFFFFFFu) {
      return zip_error("ZIP64 entries are not supported");
    }
    entries.push_back(std::move(entry));
    at += 46 + name_length + extra_length + comment_length;
  }
  return entries;
}

Result<bool> read_zip_entry(std::string_view archive, const ZipEntry& entry, std::size_t max_bytes, std::string& out) {
  out.clear();
  if (entry.is_encrypted()) return zip_error("encrypted entry");
  if (entry.uncompressed_size > max_bytes) return zip_error("entry larger than the size limit");
  const std::size_t header = entry.local_header_offset;
  if (header + 30 > archive.size() || u32(archive, header) != kLocalHeader) return zip_error("bad local header");
  const std::size_t data = header + 30 + u16(archive, header + 26) + u16(archive, header + 28);
  if (data > archive.size() || archive.size() - data < entry.compressed_size)
    return zip_error("entry data out of bounds");
  const std::string_view compressed = archive.substr(data, entry.compressed_size);
  if (entry.method == 0) {
    if (entry.compressed_size != entry.uncompressed_size) return zip_error("stored entry with mismatched sizes");
    out.assign(compressed);
    return true;
  }
  if (entry.method != 8) return zip_error("compression method " + std::to_string(entry.method) + " is not supported");
  out.resize(entry.uncompressed_size);
  z_stream stream{};
  if (inflateInit2(&stream, -MAX_WBITS) != Z_OK) return zip_error("zlib could not start");
  // zlib's API takes non-const pointers; it never writes through next_in.
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  stream.avail_in = static_cast<uInt>(compressed.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int status = inflate(&stream, Z_FINISH);
  const std::size_t produced = stream.total_out;
  inflateEnd(&stream);
  if (status != Z_STREAM_END || produced != entry.uncompressed_size) {
    out.clear();
    return zip_error("deflate data does not match the entry's size");
  }
  return true;
}

}  // namespace airguard
