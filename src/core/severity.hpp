#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace airguard {

// Ordered from least to most urgent, so comparisons read naturally: sev >= Severity::high.
enum class Severity { info = 0, low = 1, medium = 2, high = 3, critical = 4 };

std::string_view to_string(Severity severity);
std::optional<Severity> parse_severity(std::string_view text);  // case-insensitive

}  // namespace airguard
