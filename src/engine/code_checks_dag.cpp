#include <fmt/format.h>

#include "engine/code_checks.hpp"

namespace airguard {
namespace {

// Every AFH-DAG check reports the DAG-scan secrets of its own credential family; the detector
// (sources/dags) decided the family, so each check is a filter over the scan result.
std::vector<Finding> dag_secrets_of_check(const Snapshot& snapshot, const CheckDef& check, const Profile& /*profile*/) {
  std::vector<Finding> findings;
  if (!snapshot.dags) return findings;
  for (const DagSecret& secret : snapshot.dags->secrets) {
    if (secret.check_id != check.id) continue;
    Finding finding;
    finding.check_id = check.id;
    finding.severity = check.severity;  // the engine applies a profile override on top
    finding.source = SourceKind::dag;
    finding.key = secret.file;
    finding.location.kind = SourceKind::dag;
    finding.location.file = secret.root.empty() || secret.root == "." ? secret.file : secret.root + "/" + secret.file;
    finding.location.line = secret.line;
    finding.location.column = secret.column;
    finding.evidence = fmt::format("{}: {}", secret.kind, secret.evidence);
    finding.remediation.target = fmt::format("{}:{}", finding.location.file, secret.line);
    finding.remediation.snippet = secret.fix;
    finding.remediation.action_key = "dag-credentials:" + finding.location.file;
    finding.suppressed = secret.suppressed;
    finding.suppressed_in_source = secret.suppressed;
    finding.suppression_reason = secret.suppression_reason;
    findings.push_back(std::move(finding));
  }
  return findings;
}

}  // namespace

std::vector<CodeCheckEntry> dag_code_checks() {
  std::vector<CodeCheckEntry> entries;
  for (std::string_view id :
       {"AFH-DAG-001", "AFH-DAG-002", "AFH-DAG-003", "AFH-DAG-004", "AFH-DAG-005", "AFH-DAG-006", "AFH-DAG-007",
        "AFH-DAG-008", "AFH-DAG-009", "AFH-DAG-010", "AFH-DAG-011", "AFH-DAG-012", "AFH-DAG-013", "AFH-DAG-014"}) {
    entries.push_back({id, dag_secrets_of_check});
  }
  return entries;
}

}  // namespace airguard
