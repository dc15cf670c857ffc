#pragma once
#include <algorithm>
#include <cereal/archives/binary.hpp>
#include <cereal/types/map.hpp>
#include <cereal/types/optional.hpp>
#include <cereal/types/string.hpp>
#include <cereal/types/vector.hpp>
#include <cstdint>
#include <cstring>
#include <exception>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <type_traits>

// Data the build compiles into the binary in a form that loads without parsing (the check
// catalogue, the built-in profiles, the advisory snapshot): see src/tools/compile_data.cpp. cereal writes and reads
// it; every blob starts with a tag and a format number, so bytes of another kind or format are
// refused rather than misread.
namespace airguard {

inline constexpr std::uint32_t kBinaryDataFormat = 1;

namespace detail {
// "<tag>\0" and the format number, written as raw bytes ahead of the archive, so bytes of another
// kind are refused before cereal reads a length from them.
inline std::string binary_header(std::string_view tag) {
  std::string header(tag);
  header.push_back('\0');
  for (int shift = 0; shift < 32; shift += 8) header.push_back(static_cast<char>((kBinaryDataFormat >> shift) & 0xffu));
  return header;
}
}  // namespace detail

// Appends the archive of `values` (no header) to `out`; what a BinaryReader reads back.
template <typename... T>
void append_binary(std::string& out, const T&... values) {
  std::ostringstream stream(std::ios::binary);
  {
    cereal::BinaryOutputArchive archive(stream);
    archive(values...);
  }
  out += std::move(stream).str();
}

// Where one part of an indexed blob's body lies (see encode_indexed_binary).
struct BinarySpan {
  std::uint32_t offset = 0;
  std::uint32_t size = 0;

  bool inside(std::string_view body) const { return offset <= body.size() && size <= body.size() - offset; }
  std::string_view of(std::string_view body) const { return body.substr(offset, size); }
  template <typename Archive>
  void serialize(Archive& archive) {
    archive(offset, size);
  }
};

// Appends the archive of `values` to `body` and says where it lies.
template <typename... T>
BinarySpan append_binary_span(std::string& body, const T&... values) {
  const std::size_t start = body.size();
  append_binary(body, values...);
  return {static_cast<std::uint32_t>(start), static_cast<std::uint32_t>(body.size() - start)};
}

// A cereal input archive over bytes in memory, reading what cereal's BinaryOutputArchive wrote
// (raw little-endian values, sizes as 64-bit counts) without an istream in between: every field
// of a decoded blob passes through load_bytes.
class MemoryInputArchive : public cereal::InputArchive<MemoryInputArchive, cereal::AllowEmptyClassElision> {
 public:
  explicit MemoryInputArchive(std::string_view bytes)
      : cereal::InputArchive<MemoryInputArchive, cereal::AllowEmptyClassElision>(this), bytes_(bytes) {}

  void load_bytes(void* out, std::size_t size) {
    if (size > bytes_.size()) throw cereal::Exception("binary data ends early");
    std::memcpy(out, bytes_.data(), size);
    bytes_.remove_prefix(size);
  }

 private:
  std::string_view bytes_;
};

template <class T>
std::enable_if_t<std::is_arithmetic_v<T>> CEREAL_LOAD_FUNCTION_NAME(MemoryInputArchive& archive, T& value) {
  archive.load_bytes(std::addressof(value), sizeof(value));
}
template <class T>
void CEREAL_SERIALIZE_FUNCTION_NAME(MemoryInputArchive& archive, cereal::NameValuePair<T>& pair) {
  archive(pair.value);
}
template <class T>
void CEREAL_SERIALIZE_FUNCTION_NAME(MemoryInputArchive& archive, cereal::SizeTag<T>& tag) {
  archive(tag.size);
}
template <class T>
void CEREAL_LOAD_FUNCTION_NAME(MemoryInputArchive& archive, cereal::BinaryData<T>& data) {
  archive.load_bytes(data.data, static_cast<std::size_t>(data.size));
}

// Reads values from bytes written by append_binary, in place. Throws cereal::Exception when the
// bytes end early.
class BinaryReader {
 public:
  explicit BinaryReader(std::string_view bytes) : archive_(bytes) {}
  BinaryReader(const BinaryReader&) = delete;
  BinaryReader& operator=(const BinaryReader&) = delete;

  template <typename... T>
  void operator()(T&... values) {
    archive_(values...);
  }

 private:
  MemoryInputArchive archive_;
};

// Reads `values` from bytes written by append_binary; false when the bytes end early or are not
// such an archive (cereal::Exception when cut short; length_error or bad_alloc when garbage reads
// as a length no allocation can meet).
template <typename... T>
bool read_binary(std::string_view bytes, T&... values) {
  try {
    BinaryReader read(bytes);
    read(values...);
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

// A blob in two parts: an index, decoded on load, and a body read in place where the index points:
// the tag and format number, the index's length (4 bytes, little-endian), the index, the body.
inline std::string encode_indexed_binary(std::string_view tag, std::string_view index, std::string_view body) {
  std::string bytes = detail::binary_header(tag);
  const auto length = static_cast<std::uint32_t>(index.size());
  for (int shift = 0; shift < 32; shift += 8) bytes.push_back(static_cast<char>((length >> shift) & 0xffu));
  bytes += index;
  bytes += body;
  return bytes;
}

struct IndexedBinary {
  std::string_view index;
  std::string_view body;
  std::size_t body_offset = 0;  // where the body starts in the whole blob
};

// nullopt when the blob is not `tag` in this format, or is cut short before its body.
inline std::optional<IndexedBinary> split_indexed_binary(std::string_view tag, std::string_view bytes) {
  const std::string header = detail::binary_header(tag);
  if (!bytes.starts_with(header) || bytes.size() < header.size() + 4) return std::nullopt;
  std::uint32_t length = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    length |= std::uint32_t{static_cast<unsigned char>(bytes[header.size() + i])} << (8 * i);
  }
  const std::size_t index_start = header.size() + 4;
  if (length > bytes.size() - index_start) return std::nullopt;
  return IndexedBinary{bytes.substr(index_start, length), bytes.substr(index_start + length), index_start + length};
}

template <typename T>
std::string encode_binary(std::string_view tag, const T& value) {
  std::string bytes = detail::binary_header(tag);
  append_binary(bytes, value);
  return bytes;
}

// Reads `value` from a blob written by encode_binary; false when the blob is not `tag` in this
// format, or is cut short.
template <typename T>
bool decode_binary_into(std::string_view tag, std::string_view bytes, T& value) {
  const std::string header = detail::binary_header(tag);
  return bytes.starts_with(header) && read_binary(bytes.substr(header.size()), value);
}

// nullopt when the blob is not `tag` in this format, or is cut short.
template <typename T>
std::optional<T> decode_binary(std::string_view tag, std::string_view bytes) {
  T value;
  if (!decode_binary_into(tag, bytes, value)) return std::nullopt;
  return value;
}

}  // namespace airguard

CEREAL_REGISTER_ARCHIVE(airguard::MemoryInputArchive)

// It reads what BinaryOutputArchive writes (cereal pairs the two when it resolves load_minimal).
namespace cereal::traits::detail {
template <>
struct get_output_from_input<airguard::MemoryInputArchive> {
  using type = cereal::BinaryOutputArchive;
};
}  // namespace cereal::traits::detail
