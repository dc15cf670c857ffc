#include "sources/cfg/python_text.hpp"

namespace airguard {

namespace {

struct Decoded {
  char32_t code_point = 0;
  std::size_t length = 0;  // 0: invalid at this offset
};

Decoded decode_at(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) return {lead, 1};
  std::size_t length = 0;
  char32_t code = 0;
  char32_t minimum = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    code = lead & 0x1Fu;
    minimum = 0x80;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    code = lead & 0x0Fu;
    minimum = 0x800;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    code = lead & 0x07u;
    minimum = 0x10000;
  } else {
    return {};
  }
  if (i + length > text.size()) return {};
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0u) != 0x80u) return {};
    code = (code << 6) | (byte(i + k) & 0x3Fu);
  }
  if (code < minimum || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return {};
  return {code, length};
}

// Decodes the code point that ends at `end` (text is valid UTF-8 up to there).
Decoded decode_before(std::string_view text, std::size_t end) {
  std::size_t start = end - 1;
  while (start > 0 && (static_cast<unsigned char>(text[start]) & 0xC0u) == 0x80u && end - start < 4) --start;
  Decoded d = decode_at(text, start);
  if (d.length != end - start) return {static_cast<unsigned char>(text[end - 1]), 1};
  return d;
}

}  // namespace

std::size_t first_invalid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const Decoded d = decode_at(text, i);
    if (d.length == 0) return i;
    i += d.length;
  }
  return std::string_view::npos;
}

bool is_python_space(char32_t c) {
  return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

std::string_view python_lstrip(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const Decoded d = decode_at(text, i);
    if (d.length == 0 || !is_python_space(d.code_point)) break;
    i += d.length;
  }
  return text.substr(i);
}

std::string_view python_rstrip(std::string_view text) {
  std::size_t end = text.size();
  while (end > 0) {
    const Decoded d = decode_before(text, end);
    if (!is_python_space(d.code_point)) break;
    end -= d.length;
  }
  return text.substr(0, end);
}

std::string_view python_strip(std::string_view text) { return python_rstrip(python_lstrip(text)); }

std::size_t python_leading_space_count(std::string_view text) {
  std::size_t i = 0;
  std::size_t count = 0;
  while (i < text.size()) {
    const Decoded d = decode_at(text, i);
    if (d.length == 0 || !is_python_space(d.code_point)) break;
    i += d.length;
    ++count;
  }
  return count;
}

}  // namespace airguard
