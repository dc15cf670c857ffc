#pragma once
#include <cereal/archives/binary.hpp>
#include <cereal/types/map.hpp>
#include <cereal/types/optional.hpp>
#include <cereal/types/string.hpp>
#include <cereal/types/vector.hpp>
#include <cstdint>
#include <exception>
#include <optional>
#include <sstream>
#include <streambuf>
#include <string>
#include <string_view>

// Data the build compiles into the binary in a form that loads without parsing (the check
// catalogue, the advisory snapshot): see src/tools/compile_data.cpp. cereal writes and reads
// it; every blob starts with a tag and a format number, so a blob from another build of the
// code is refused rather than misread.
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
}  // namespace detail

template <typename T>
std::string encode_binary(std::string_view tag, const T& value) {
  std::ostringstream out(std::ios::binary);
  {
    cereal::BinaryOutputArchive archive(out);
    archive(std::string(tag), kBinaryDataFormat, value);
  }
  return std::move(out).str();
}

// nullopt when the blob is not `tag` in this format, or is cut short.
template <typename T>
std::optional<T> decode_binary(std::string_view tag, std::string_view bytes) {
  detail::MemoryBuffer buffer(bytes);
  std::istream in(&buffer);
  try {
    cereal::BinaryInputArchive archive(in);
    std::string found_tag;
    std::uint32_t format = 0;
    archive(found_tag, format);
    if (found_tag != tag || format != kBinaryDataFormat) return std::nullopt;
    T value;
    archive(value);
    return value;
  } catch (const std::exception&) {  // cereal::Exception when cut short; length_error, bad_alloc on garbage
    return std::nullopt;
  }
}

}  // namespace airguard
