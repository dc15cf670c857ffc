#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/diagnostic.hpp"
#include "core/result.hpp"

namespace airguard {

// nlohmann builds one node per nesting level, so a few MB of `[[[[...` cost GBs; no real feed,
// report or values file nests anywhere near this deep.
inline constexpr std::size_t kMaxJsonDepth = 256;

struct TextPosition {
  int line = 1;    // 1-based
  int column = 1;  // 1-based, in bytes
};

// The line and column of a byte offset into text (an offset past the end is the end).
TextPosition position_of_offset(std::string_view text, std::size_t offset);

// The first place where text nests arrays and objects deeper than max_depth, if any. Linear,
// allocates nothing: run it before a DOM parse.
std::optional<TextPosition> find_json_too_deep(std::string_view text, std::size_t max_depth = kMaxJsonDepth);

// Parses one JSON document with a bounded depth. Errors name file:line:column and what is wrong;
// `what` says what the document was meant to be ("advisory feed", "JSON report").
template <typename Json>
Result<Json> parse_json_bounded(std::string_view text, const std::string& file, std::string_view what,
                                std::string hint = {});

Diagnostic json_syntax_error(std::string_view text, std::size_t byte_offset, const std::string& file,
                             std::string_view what, std::string hint);
Diagnostic json_too_deep_error(const TextPosition& at, const std::string& file, std::string_view what);

template <typename Json>
Result<Json> parse_json_bounded(std::string_view text, const std::string& file, std::string_view what,
                                std::string hint) {
  if (const auto deep = find_json_too_deep(text)) return json_too_deep_error(*deep, file, what);
  try {
    return Json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::parse_error& error) {
    return json_syntax_error(text, error.byte, file, what, std::move(hint));
  }
}

}  // namespace airguard
