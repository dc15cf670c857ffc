#include "core/printable.hpp"

#include <fmt/format.h>

namespace airguard {

namespace {

// The length of the UTF-8 sequence at `at` and its code point, or 0 when the bytes are not UTF-8.
std::size_t utf8_sequence(std::string_view text, std::size_t at, char32_t& code_point) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(at);
  std::size_t length = 0;
  char32_t minimum = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2, code_point = lead & 0x1Fu, minimum = 0x80;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3, code_point = lead & 0x0Fu, minimum = 0x800;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4, code_point = lead & 0x07u, minimum = 0x10000;
  } else {
    return 0;
  }
  if (at + length > text.size()) return 0;
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(at + i) & 0xC0u) != 0x80u) return 0;
    code_point = (code_point << 6u) | (byte(at + i) & 0x3Fu);
  }
  if (code_point < minimum || code_point > 0x10FFFF || (code_point >= 0xD800 && code_point <= 0xDFFF)) return 0;
  return length;
}

bool hidden_or_control(char32_t code_point) {
  return (code_point >= 0x80 && code_point <= 0x9F) ||      // C1 controls (CSI, OSC ...)
         (code_point >= 0x202A && code_point <= 0x202E) ||  // bidirectional embeddings and overrides
         (code_point >= 0x2066 && code_point <= 0x2069);    // bidirectional isolates
}

}  // namespace

std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t at = 0;
  while (at < text.size()) {
    const auto byte = static_cast<unsigned char>(text[at]);
    if (byte >= 0x20 && byte < 0x7F) {
      out += static_cast<char>(byte);
      ++at;
    } else if (byte == '\n') {
      out += "\\n";
      ++at;
    } else if (byte == '\t') {
      out += "\\t";
      ++at;
    } else if (byte == '\r') {
      out += "\\r";
      ++at;
    } else if (byte < 0x80) {  // the other C0 controls and DEL
      out += fmt::format("\\x{:02x}", byte);
      ++at;
    } else {
      char32_t code_point = 0;
      const std::size_t length = utf8_sequence(text, at, code_point);
      if (length == 0) {
        out += fmt::format("\\x{:02x}", byte);
        ++at;
      } else if (hidden_or_control(code_point)) {
        out += fmt::format("\\u{:04x}", static_cast<std::uint32_t>(code_point));
        at += length;
      } else {
        out.append(text.substr(at, length));
        at += length;
      }
    }
  }
  return out;
}

}  // namespace airguard
