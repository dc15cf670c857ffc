#pragma once
#include <cereal/archives/binary.hpp>
#include <cereal/types/map.hpp>
#include <cereal/types/optional.hpp>
#include <cereal/types/string.hpp>
#include <cereal/types/vector.hpp>
#include <cstdint>
#include <optional>
#include <sstream>
#include <streambuf>
#include <string>
#include <string_view>

// Data the build compiles into the binary in a form that loads without parsing (the check
// catalogue, the built-in profiles, the advisory snapshot): see src/tools/compile_data.cpp. cereal writes and reads
// it; every blob starts with a tag and a format number, so bytes of another kind or format are
// refused rather than misread.
namespace airguard {

inline constexpr std::uint32_t kBinaryDataFormat = 1;

namespace detail {
// Reads a blob in place (std::ispanstream arrives only in C++23).
class MemoryBuffer : public std::streambuf {
 public:
  explicit MemoryBuffer(std::string_view bytes) {
    char* start = const_cast<char*>(bytes.data());  // only ever read: no put area is set
    setg(start, start, start + bytes.size());
  }
};

// "<tag>\0" and the format number, written as raw bytes ahead of the archive, so bytes of another
// kind are refused before cereal reads a length from them.
inline std::string binary_header(std::string_view tag) {
  std::string header(tag);
  header.push_back('\0');
  for (int shift = 0; shift < 32; shift += 8) header.push_back(static_cast<char>((kBinaryDataFormat >> shift) & 0xffu));
  return header;
}
}  // namespace detail

template <typename T>
std::string encode_binary(std::string_view tag, const T& value) {
  std::ostringstream out(std::ios::binary);
  out << detail::binary_header(tag);
  {
    cereal::BinaryOutputArchive archive(out);
    archive(value);
  }
  return std::move(out).str();
}

// nullopt when the blob is not `tag` in this format, or is cut short.
template <typename T>
std::optional<T> decode_binary(std::string_view tag, std::string_view bytes) {
  const std::string header = detail::binary_header(tag);
  if (!bytes.starts_with(header)) return std::nullopt;
  detail::MemoryBuffer buffer(bytes.substr(header.size()));
  std::istream in(&buffer);
  try {
    cereal::BinaryInputArchive archive(in);
    T value;
    archive(value);
    return value;
  } catch (const cereal::Exception&) {  // cut short
    return std::nullopt;
  }
}

}  // namespace airguard
