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
  std::string_view compiled;     // the compiled catalogue, when checks left their texts or conditions in it

  const CheckDef* find(std::string_view id) const;
  bool ok() const;
  // Fills in a check's texts left in the compiled catalogue (nothing to do when it has them).
  void load_texts(CheckDef& check) const;
  CheckDef with_texts(const CheckDef& check) const;
  // The check's condition: as loaded, or read from the compiled catalogue (CheckConditions::on_demand).
  std::optional<Condition> condition(const CheckDef& check) const;
};

// Parses one checks file (YAML text). Problems are appended; valid checks are returned.
std::vector<CheckDef> parse_checks_file(std::string_view text, const std::string& file, Diagnostics& problems);

// Whether a loaded catalogue keeps each check's `examples:` (read only by `checks validate` and the
// tests; a scan leaves them out, which keeps the loaded catalogue a third smaller).
enum class CheckExamples { skip, load };
// Whether the built-in checks arrive with their texts (title, evidence, rationale, fix, references)
// or leave them in the compiled catalogue until CheckCatalog::load_texts() asks: a scan needs the
// texts of the checks that found something, and of the others only for reports that list checks.
enum class CheckTexts { load, on_demand };
// Whether the built-in checks arrive with their conditions (fail_when) or leave them in the compiled
// catalogue until CheckCatalog::condition() asks: a scan reads a check's condition only when its
// subject is there, evaluates it and lets it go, so the conditions are never all in memory at once.
enum class CheckConditions { load, on_demand };

// The checks compiled into the binary (checks/**/*.yaml), plus any files or directories given
// (--checks PATH); validates operators, subjects, version ranges, ids and code-check bindings.
CheckCatalog load_check_catalog(const std::vector<std::string>& extra_paths = {},
                                CheckExamples examples = CheckExamples::skip, CheckTexts texts = CheckTexts::load,
                                CheckConditions conditions = CheckConditions::load);

// The built-in checks parsed from checks/**/*.yaml, unvalidated: what the build compiles into
// binary form (src/tools/compile_data.cpp) and what load_check_catalog() falls back to without it.
CheckCatalog parse_builtin_check_catalog();

// The binary form of a list of checks (engine/compiled_catalog.cpp); decoding gives nullopt for
// bytes that are not such a list in this build's format.
std::string encode_checks(const std::vector<CheckDef>& checks);
// The texts, the condition and the examples of each check are stored apart from the rest, so what
// is skipped is not read at all. With CheckTexts::on_demand or CheckConditions::on_demand the checks
// point into `bytes`, which must then outlive them (the compiled-in catalogue does).
std::optional<std::vector<CheckDef>> decode_checks(std::string_view bytes, CheckExamples examples,
                                                   CheckTexts texts = CheckTexts::load,
                                                   CheckConditions conditions = CheckConditions::load);
// Reads the texts decode_checks left in `bytes` into `check`; false when they cannot be read.
bool decode_check_texts(std::string_view bytes, CheckDef& check);
// Reads the condition decode_checks left in `bytes` into `condition`; false when it cannot be read.
bool decode_check_condition(std::string_view bytes, const CheckDef& check, std::optional<Condition>& condition);

// Validates a catalogue's cross-references (duplicate ids, unknown code checks, bad operators).
void validate_catalog(CheckCatalog& catalog);

}  // namespace airguard
