#pragma once
#include <string>
#include <vector>

#include "core/finding.hpp"
#include "engine/check_def.hpp"
#include "engine/check_loader.hpp"
#include "engine/profile.hpp"
#include "engine/snapshot.hpp"

namespace airguard {

struct EvaluationResult {
  std::vector<Finding> findings;     // sorted: severity desc, check id, key, location
  std::vector<const CheckDef*> ran;  // enabled and applicable to this snapshot
  Diagnostics problems;              // a code check that failed, an operand a profile lacks ...
};

bool check_enabled(const CheckDef& check, const Profile& profile);
Severity effective_severity(const CheckDef& check, const Profile& profile);
// True when the target version is unknown or inside the check's `airflow:` range.
bool version_applies(const std::string& specifiers, const AirflowTarget& target);

// One check against one snapshot. A check loaded without its texts takes them from `catalog`
// when it finds something.
std::vector<Finding> evaluate_check(const CheckDef& check, const Snapshot& snapshot, const Profile& profile,
                                    Diagnostics* problems = nullptr, const CheckCatalog* catalog = nullptr);

// Every enabled check in the catalogue.
EvaluationResult run_checks(const CheckCatalog& catalog, const Snapshot& snapshot, const Profile& profile);

// Deterministic report order.
void sort_findings(std::vector<Finding>& findings);

}  // namespace airguard
