#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "engine/check_loader.hpp"
#include "engine/profile.hpp"

namespace airguard {

// A profile by name (profiles/<name>.yaml compiled into the binary) or by path to a YAML file,
// with its `extends` chain applied. Malformed files are errors with file:line.
Result<Profile> load_profile(std::string_view name_or_path);

// Parses one profile document without following `extends`.
Result<Profile> parse_profile(std::string_view text, const std::string& file, std::string* extends = nullptr);

// Names of the profiles compiled into the binary, sorted.
std::vector<std::string> builtin_profile_names();

// Every id a profile names must exist in the catalogue (typos would silently disable nothing).
Diagnostics validate_profile(const Profile& profile, const CheckCatalog& catalog);

}  // namespace airguard
