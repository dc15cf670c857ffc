#include "engine/code_checks.hpp"
#include "engine/evaluator.hpp"
#include "sources/helm/helm_audit.hpp"
#include "sources/helm/helm_schema.hpp"

// Helm checks that need code (several values at once, chart-version rules, component lists).
// The logic is in sources/helm/helm_audit.cpp, tested there; this turns its issues into findings.
namespace airguard {

namespace {

CodeCheckFn helm_check(std::vector<HelmIssue> (*run)(const HelmValues&)) {
  return [run](const Snapshot& snapshot, const CheckDef& check, const Profile& profile) {
    std::vector<Finding> findings;
    if (!snapshot.helm) return findings;
    for (HelmIssue& issue : run(*snapshot.helm)) {
      Finding finding;
      finding.check_id = check.id;
      finding.severity = issue.severity.value_or(effective_severity(check, profile));
      finding.source = SourceKind::helm;
      finding.key = issue.path;
      finding.location = std::move(issue.origin);
      finding.evidence = std::move(issue.evidence);
      finding.remediation.snippet = std::move(issue.fix_snippet);
      finding.remediation.target = std::move(issue.fix_target);
      findings.push_back(std::move(finding));
    }
    return findings;
  };
}

}  // namespace

std::vector<CodeCheckEntry> helm_code_checks() {
  std::vector<CodeCheckEntry> entries;
  for (const HelmAuditCheck& check : helm_audit_checks()) entries.push_back({check.id, helm_check(check.run)});
  entries.push_back({"AFH-HELM-031", helm_check(&unknown_key_issues)});
  return entries;
}

}  // namespace airguard
