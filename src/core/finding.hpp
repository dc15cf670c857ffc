#pragma once
#include <string>
#include <vector>

#include "core/origin.hpp"
#include "core/severity.hpp"

namespace airguard {

// How to fix one finding, rendered for the place the value really comes from.
struct Remediation {
  std::string summary;  // one sentence, imperative: "Turn expose_config off."
  std::string target;   // where to make the change: "airflow.cfg:41", ".env (AIRFLOW__CORE__FERNET_KEY)", "values.yaml"
  std::string snippet;  // ready to paste: "[webserver]\nexpose_config = False", "AIRFLOW__...=False", YAML
  std::string action_key;  // findings with the same action_key are fixed by one action (plan grouping)
};

struct Finding {
  std::string check_id;
  Severity severity = Severity::info;
  std::string title;
  SourceKind source = SourceKind::cfg;
  std::string key;  // normalized subject, see DESIGN.md: "webserver.expose_config", "AUTH_ROLE_PUBLIC", ...
  Origin location;  // where the value came from
  Provenance provenance = Provenance::user;  // whose value: the user's, the chart's default, Airflow's default
  std::string evidence;                      // always redacted
  std::string rationale;                     // why it matters, one paragraph
  Remediation remediation;
  std::vector<std::string> references;
  std::vector<std::string> tags;       // compliance tags: "pci-dss:4.2.1", "gdpr:art32"
  std::string airflow_version;         // the version the check assumed ("" = version-independent)
  std::string airflow_version_source;  // "--airflow-version", "api", "inventory", "helm", "default"
  std::string fingerprint;             // stable across line moves: see fingerprint()
  bool suppressed = false;
  std::string suppression_reason;
  bool suppressed_in_source =
      false;  // by a comment in the scanned file (`# airguard: ignore[ID]`), not the ignore file
};

// A stable identity: check id, subject key and file (never the line), hashed.
std::string fingerprint(const Finding& finding);

}  // namespace airguard
