#pragma once
#include <cstddef>
#include <string_view>

// Text primitives with Python 3 `str` semantics, for readers that must match CPython exactly.
// Inputs are UTF-8; whitespace is what str.isspace() accepts (also what re's \s matches).
namespace airguard {

// Offset of the first byte that makes the text invalid UTF-8 (as Python's strict decoder sees it:
// no overlongs, no surrogates, nothing above U+10FFFF, no truncated sequence), or npos.
std::size_t first_invalid_utf8(std::string_view text);

bool is_python_space(char32_t code_point);

std::string_view python_strip(std::string_view text);   // str.strip()
std::string_view python_lstrip(std::string_view text);  // str.lstrip()
std::string_view python_rstrip(std::string_view text);  // str.rstrip()

// Number of code points before the first non-whitespace character (the whole length when none).
std::size_t python_leading_space_count(std::string_view text);

}  // namespace airguard
