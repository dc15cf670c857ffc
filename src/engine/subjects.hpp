#pragma once
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/fact.hpp"
#include "core/origin.hpp"
#include "engine/snapshot.hpp"

namespace airguard {

// One row per kind of thing a check can look at. The loader validates `option:`/`wsc:`/`helm:`/
// `env:` against this table and the evaluator resolves subjects through it.
struct SubjectInfo {
  std::string_view kind;  // the YAML key
  std::string_view description;
  SourceKind source;
  // Whether the scan read anything this subject can come from (no airflow.cfg, env or Helm
  // values: no configuration checks, rather than findings about bare defaults).
  std::function<bool(const Snapshot&)> available;
  // The facts for a subject: option = the first of the names the target version knows;
  // env = every variable matching a name or glob; wsc/helm = the value at the name.
  std::function<std::vector<Fact>(const Snapshot&, const std::vector<std::string>& names)> facts;
};

const std::vector<SubjectInfo>& subject_registry();
const SubjectInfo* find_subject(std::string_view kind);

// Shell-style glob with '*' only, as used by `env: "AIRFLOW_CONN_*"`.
bool glob_match(std::string_view pattern, std::string_view text);

// The Fact view of one effective option.
Fact option_fact(const ResolvedOption& option);

}  // namespace airguard
