#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/origin.hpp"
#include "core/severity.hpp"

namespace airguard {

// A condition tree, as written under `fail_when:` in checks/*.yaml. The operators are listed in
// engine/operators.cpp, one row each; that table also generates `airguard checks operators`.
struct Condition {
  std::string op;                    // "bool", "equals", "all", "any", "not", ...
  std::string subject_kind;          // "" = the check's own subject; else "option", "wsc", "helm", "env"
  std::vector<std::string> subject;  // names for subject_kind (first known one is used)
  std::vector<std::string> args;     // scalar or list operand, as text
  std::string param;                 // operand taken from a profile parameter, when set
  std::vector<Condition> children;   // for all / any / not
  int line = 0;                      // in the check file, for error messages

  bool operator==(const Condition&) const = default;
};

struct CheckExample {
  bool expect_fail = false;
  std::map<std::string, std::string> cfg_env;  // env vars
  std::string cfg;                             // airflow.cfg text
  std::string wsc;                             // webserver_config.py text
  std::string helm;                            // values.yaml text
  std::string airflow_version;
  std::string profile;  // profile to evaluate under ("" = default)
  int line = 0;

  bool operator==(const CheckExample&) const = default;
};

struct CheckFix {
  std::string summary;               // one sentence
  std::optional<std::string> value;  // hardened value for an option subject, rendered per origin
  bool remove = false;               // the fix is to delete the setting
  std::string helm;                  // YAML snippet for Helm subjects
  std::string text;                  // free text / code snippet when no value applies

  bool operator==(const CheckFix&) const = default;
};

struct CheckDef {
  std::string id;
  std::string title;
  Severity severity = Severity::medium;
  std::string airflow_versions;  // PEP 440 specifier set; "" = all
  std::string subject_kind;      // "option", "wsc", "helm", "env", or "code"
  std::vector<std::string> subject;
  std::optional<Condition> fail_when;  // absent for code checks
  std::string evidence;                // template: {key}, {value} (redacted), {source}
  std::string rationale;
  CheckFix fix;
  std::vector<std::string> references;
  std::vector<std::string> tags;
  std::vector<std::string> areas;  // grouping: "config", "auth", "tls", "helm", "advisories" ...
  bool enabled_by_default = true;
  std::vector<CheckExample> examples;
  std::string file;  // checks/....yaml it came from
  int line = 0;

  // Set while the check's texts (title, evidence, rationale, fix, references) are still in the
  // compiled catalogue: loaded with CheckTexts::on_demand, see CheckCatalog::load_texts().
  std::uint32_t stored_texts_offset = 0;
  std::uint32_t stored_texts_size = 0;
  bool has_texts() const { return stored_texts_size == 0; }
  // Set while the check's condition is still in the compiled catalogue (CheckConditions::on_demand):
  // fail_when is then empty, and CheckCatalog::condition() reads it.
  std::uint32_t stored_condition_offset = 0;
  std::uint32_t stored_condition_size = 0;
  bool condition_stored() const { return stored_condition_size != 0; }

  bool operator==(const CheckDef&) const = default;
};

// Every field above is also listed in engine/compiled_catalog.cpp, which stores the built-in
// catalogue in binary form; a round-trip test compares the two forms field by field.

}  // namespace airguard
