#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.hpp"
#include "engine/check_def.hpp"

namespace airguard {

// The loaded check catalogue. Loading reads, validates and compiles in stages, and reports every
// problem with file:line (a malformed check is never skipped quietly).
struct CheckCatalog {
  std::vector<CheckDef> checks;  // sorted by id
  Diagnostics problems;          // errors make the catalogue unusable: exit 2

  const CheckDef* find(std::string_view id) const;
  bool ok() const;
};

// Parses one checks file (YAML text). Problems are appended; valid checks are returned.
std::vector<CheckDef> parse_checks_file(std::string_view text, const std::string& file, Diagnostics& problems);

// Whether a loaded catalogue keeps each check's `examples:` (read only by `checks validate` and the
// tests; a scan leaves them out, which keeps the loaded catalogue a third smaller).
enum class CheckExamples { skip, load };

// The checks compiled into the binary (checks/**/*.yaml), plus any files or directories given
// (--checks PATH); validates operators, subjects, version ranges, ids and code-check bindings.
CheckCatalog load_check_catalog(const std::vector<std::string>& extra_paths = {},
                                CheckExamples examples = CheckExamples::skip);

// The built-in checks parsed from checks/**/*.yaml, unvalidated: what the build compiles into
// binary form (src/tools/compile_data.cpp) and what load_check_catalog() falls back to without it.
CheckCatalog parse_builtin_check_catalog();

// The binary form of a list of checks (engine/compiled_catalog.cpp); decoding gives nullopt for
// bytes that are not such a list in this build's format.
std::string encode_checks(const std::vector<CheckDef>& checks);
// The examples are stored after all the checks, so skipping them reads nothing of them.
std::optional<std::vector<CheckDef>> decode_checks(std::string_view bytes, CheckExamples examples);

// Validates a catalogue's cross-references (duplicate ids, unknown code checks, bad operators).
void validate_catalog(CheckCatalog& catalog);

}  // namespace airguard
