#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/origin.hpp"
#include "core/severity.hpp"
#include "sources/helm/helm_values.hpp"

namespace airguard {

// One problem a Helm code check found in merged values: pure data, turned into a Finding by
// engine/code_checks_helm.cpp (which adds the check's words from checks/helm/*.yaml).
struct HelmIssue {
  std::string path;                  // values path the fix changes ("webserver.service.type")
  Origin origin;                     // where the value came from (chart default: no file)
  std::string evidence;              // never holds a secret
  std::optional<Severity> severity;  // raised or lowered against the check's own, when set
  std::string fix_snippet;           // values YAML that fixes this one issue
  std::string fix_target;            // "values.yaml:12" or "values.yaml (chart default; add the setting)"
};

// Each function implements one AFH-HELM check; the id table is helm_audit_checks().
struct HelmAuditCheck {
  const char* id;
  std::vector<HelmIssue> (*run)(const HelmValues& values);
};
const std::vector<HelmAuditCheck>& helm_audit_checks();

// True for published defaults and placeholders ("admin", "postgres", "CHANGE_ME...", the
// community chart's sample Fernet key ...).
bool is_published_or_placeholder_secret(std::string_view value);

}  // namespace airguard
