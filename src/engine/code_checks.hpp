#pragma once
#include <functional>
#include <string_view>
#include <vector>

#include "core/finding.hpp"
#include "engine/check_def.hpp"
#include "engine/profile.hpp"
#include "engine/snapshot.hpp"

namespace airguard {

// Checks that need real code (advisory matching, live API results, credential detection, config
// hygiene). Their words (title, severity, rationale, fix, tags) still live in checks/*.yaml with
// `kind: code`; the function returns findings, and the engine fills every field the function
// left empty from the check's definition (title, rationale, references, tags, fix). Severity is
// the function's to set: `effective_severity(check, profile)` (engine/evaluator.hpp) gives the
// check's own with the profile's override applied; an override always wins in the end. The
// function may see the check without its texts (CheckTexts::on_demand): it leaves them to the engine.
using CodeCheckFn = std::function<std::vector<Finding>(const Snapshot&, const CheckDef&, const Profile&)>;

struct CodeCheckEntry {
  std::string_view id;
  CodeCheckFn run;
};

// Each area lists its own code checks in its own file (engine/code_checks_<area>.cpp).
std::vector<CodeCheckEntry> config_code_checks();
std::vector<CodeCheckEntry> helm_code_checks();
std::vector<CodeCheckEntry> api_code_checks();
std::vector<CodeCheckEntry> advisory_code_checks();
std::vector<CodeCheckEntry> dag_code_checks();
std::vector<CodeCheckEntry> webserver_code_checks();

// All of them, in one table keyed by id.
const std::vector<CodeCheckEntry>& code_check_registry();

}  // namespace airguard
