#pragma once
#include <optional>
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
// The same, always from the YAML: what the build stores in binary form for the built-in profiles.
Result<Profile> parse_profile_chain(std::string_view name_or_path);

// The binary form of profiles (engine/compiled_catalog.cpp); nullopt for other bytes.
std::string encode_profiles(const std::vector<Profile>& profiles);
std::optional<std::vector<Profile>> decode_profiles(std::string_view bytes);

// Parses one profile document without following `extends`.
Result<Profile> parse_profile(std::string_view text, const std::string& file, std::string* extends = nullptr);

// Names of the profiles compiled into the binary, sorted.
std::vector<std::string> builtin_profile_names();

// Every id a profile names must exist in the catalogue (typos would silently disable nothing).
Diagnostics validate_profile(const Profile& profile, const CheckCatalog& catalog);

}  // namespace airguard
