#pragma once
#include <string>
#include <string_view>
#include <vector>

// Small string helpers shared by every module.
namespace airguard {

std::string_view trim(std::string_view text);
std::string to_lower(std::string_view text);
std::string to_upper(std::string_view text);
bool starts_with_icase(std::string_view text, std::string_view prefix);
bool equals_icase(std::string_view a, std::string_view b);
std::vector<std::string> split(std::string_view text, char separator);
std::string join(const std::vector<std::string>& parts, std::string_view separator);
// True when the bytes are well-formed UTF-8 (no overlongs, no surrogates).
bool is_valid_utf8(std::string_view text);
// 1234567 -> "1,234,567", for counts in messages.
std::string with_thousands(std::size_t number);
// Levenshtein distance, for did-you-mean suggestions.
std::size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace airguard
