#include "advisories/compiled_feed.hpp"

#include <cstdint>
#include <cstring>

#include "core/binary_archive.hpp"

// The binary form of an advisory database: the tag and format number, the length of the index
// (4 bytes, little-endian), the index, then the body it points into (advisories/advisory_db.hpp).
namespace airguard {

namespace {
constexpr std::string_view kAdvisoriesTag = "airguard-advisories";
}

std::string encode_advisory_database(const AdvisoryDatabase& database) {
  const std::string index = database.binary_index();
  std::string bytes = detail::binary_header(kAdvisoriesTag);
  const auto length = static_cast<std::uint32_t>(index.size());
  for (int shift = 0; shift < 32; shift += 8) bytes.push_back(static_cast<char>((length >> shift) & 0xffu));
  bytes += index;
  bytes += database.binary_body();
  return bytes;
}

std::shared_ptr<const AdvisoryDatabase> decode_advisory_database(std::string_view bytes) {
  const std::string header = detail::binary_header(kAdvisoriesTag);
  if (!bytes.starts_with(header) || bytes.size() < header.size() + 4) return nullptr;
  bytes.remove_prefix(header.size());
  std::uint32_t length = 0;
  for (std::size_t i = 0; i < 4; ++i) length |= std::uint32_t{static_cast<unsigned char>(bytes[i])} << (8 * i);
  bytes.remove_prefix(4);
  if (length > bytes.size()) return nullptr;
  auto database = AdvisoryDatabase::from_binary(bytes.substr(0, length), bytes.substr(length));
  if (!database) return nullptr;
  return std::make_shared<const AdvisoryDatabase>(std::move(*database));
}

}  // namespace airguard
