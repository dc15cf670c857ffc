#include "core/json_text.hpp"

#include <fmt/format.h>

namespace airguard {

TextPosition position_of_offset(std::string_view text, std::size_t offset) {
  TextPosition at;
  const std::size_t end = std::min(offset, text.size());
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < end; ++i) {
    if (text[i] == '\n') {
      ++at.line;
      line_start = i + 1;
    }
  }
  at.column = static_cast<int>(end - line_start) + 1;
  return at;
}

std::optional<TextPosition> find_json_too_deep(std::string_view text, std::size_t max_depth) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;  // the escaped character cannot end the string
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return position_of_offset(text, i);
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::nullopt;
}

Diagnostic json_syntax_error(std::string_view text, std::size_t byte_offset, const std::string& file,
                             std::string_view what, std::string hint) {
  // nlohmann counts the offending character as read: it is the one before the offset.
  const TextPosition at = position_of_offset(text, byte_offset > 0 ? byte_offset - 1 : 0);
  const bool at_end = byte_offset >= text.size();
  Diagnostic d = make_error(file, at.line,
                            fmt::format("{} is not valid JSON: {}", what,
                                        at_end ? "the document ends too early" : "unexpected character here"),
                            std::move(hint));
  d.column = at.column;
  return d;
}

Diagnostic json_too_deep_error(const TextPosition& at, const std::string& file, std::string_view what) {
  Diagnostic d = make_error(
      file, at.line, fmt::format("{} nests arrays and objects deeper than {} levels; refusing it", what, kMaxJsonDepth),
      "no real document nests this deep; is the file damaged or hostile?");
  d.column = at.column;
  return d;
}

}  // namespace airguard
