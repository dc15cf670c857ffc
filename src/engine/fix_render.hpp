#pragma once
#include <string>
#include <string_view>

#include "core/fact.hpp"
#include "core/finding.hpp"
#include "engine/check_def.hpp"
#include "engine/snapshot.hpp"

namespace airguard {

// AIRFLOW__{SECTION}__{KEY}, with dots in the section turned into underscores, as Airflow builds it.
std::string airflow_env_var(std::string_view section, std::string_view key);

// The fix for one fact, written for the place its value really comes from: a `[section] key =
// value` line in that airflow.cfg, an AIRFLOW__ variable in that env file, a Helm `config:` or
// `env:` snippet in that values file; for a default nobody set, for the deployment's main input.
Remediation render_fix(const CheckDef& check, const Fact& fact, const Snapshot& snapshot);

// Quote a scalar for a YAML snippet so Helm reads it back as this exact string.
std::string yaml_quote(std::string_view value);

}  // namespace airguard
