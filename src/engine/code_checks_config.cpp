#include <fmt/format.h>

#include <array>

#include "core/text.hpp"
#include "engine/code_checks.hpp"
#include "engine/evaluator.hpp"

// Configuration hygiene: each ConfigIssue kind that EffectiveConfig::resolve reports becomes a
// finding of one check (words in checks/config/hygiene.yaml). Evidence never holds a value.
namespace airguard {

namespace {

// Option names whose silent loss weakens security (a key, a password, TLS, authentication, exposure).
bool security_relevant(std::string_view section, std::string_view key) {
  static constexpr std::array<std::string_view, 30> kWords = {
      "secret", "password", "passwd", "auth",  "ssl",    "tls",     "cert",      "key",  "expose", "cookie",
      "csrf",   "session",  "token",  "login", "public", "rbac",    "x_frame",   "hsts", "proxy",  "trust",
      "role",   "ldap",     "oauth",  "jwt",   "fernet", "encrypt", "sensitive", "hide", "mask",   "allow_origins"};
  const std::string name = to_lower(key);
  for (std::string_view word : kWords) {
    if (name.find(word) != std::string::npos) return true;
  }
  return OptionCatalog::for_version("2.11.1").is_sensitive(to_lower(section), name);
}

Finding make_finding(const Snapshot& snapshot, const CheckDef& check, const Profile& profile,
                     const ConfigIssue& issue) {
  Finding finding;
  finding.check_id = check.id;
  finding.severity = effective_severity(check, profile);
  finding.source = issue.origin.kind == SourceKind::env    ? SourceKind::env
                   : issue.origin.kind == SourceKind::helm ? SourceKind::helm
                                                           : SourceKind::cfg;
  if (!issue.option.empty()) {
    finding.key = issue.option;
  } else if (!issue.section.empty() && !issue.key.empty()) {
    finding.key = to_lower(issue.section) + "." + to_lower(issue.key);
  } else {
    finding.key = issue.origin.name;
  }
  finding.location = issue.origin;
  finding.evidence = issue.detail;
  finding.remediation.target = issue.origin.describe();
  finding.airflow_version = snapshot.target.version;
  finding.airflow_version_source = snapshot.target.source;
  return finding;
}

using IssueFilter = bool (*)(const ConfigIssue&);

// The value an issue's old name is written with, when a file or variable gives it literally.
std::optional<std::string> written_value(const Snapshot& snapshot, const ConfigIssue& issue) {
  if (issue.origin.kind == SourceKind::env) {
    if (const EnvVar* var = snapshot.env.get(issue.origin.name); var != nullptr && !var->value_from_reference)
      return var->value;
    return std::nullopt;
  }
  if (snapshot.cfg) {
    if (const CfgOption* option = snapshot.cfg->find(issue.section, issue.key); option != nullptr && !option->templated)
      return option->raw_value;
  }
  return std::nullopt;
}

// An old name written beside its new name with the same value changes nothing: Airflow reads the
// new name first, so the old one is neither in force nor different. Reported only otherwise.
bool redundant_old_name(const Snapshot& snapshot, const ConfigIssue& issue) {
  if (issue.kind != "deprecated_name" && issue.kind != "removed_in_airflow3") return false;
  const std::size_t dot = issue.option.find('.');
  if (dot == std::string::npos || issue.option == to_lower(issue.section) + "." + to_lower(issue.key)) return false;
  const ResolvedOption* current = snapshot.config.get(issue.option.substr(0, dot), issue.option.substr(dot + 1));
  if (current == nullptr || !current->is_set() || current->via_deprecated_name || !current->value) return false;
  const auto old_value = written_value(snapshot, issue);
  return old_value && *old_value == *current->value;
}

CodeCheckFn issues_of(IssueFilter filter) {
  return [filter](const Snapshot& snapshot, const CheckDef& check, const Profile& profile) {
    std::vector<Finding> findings;
    for (const ConfigIssue& issue : snapshot.config.issues()) {
      if (!filter(issue) || redundant_old_name(snapshot, issue)) continue;
      findings.push_back(make_finding(snapshot, check, profile, issue));
    }
    return findings;
  };
}

bool ignored_security_option(const ConfigIssue& i) {
  return (i.kind == "ignored_section" || i.kind == "removed_in_airflow3") && security_relevant(i.section, i.key);
}

}  // namespace

std::vector<CodeCheckEntry> config_code_checks() {
  return {
      {"AFH-CFG-001", issues_of([](const ConfigIssue& i) { return i.kind == "refused_by_airflow"; })},
      {"AFH-CFG-002", issues_of([](const ConfigIssue& i) { return i.kind == "interpolation_error"; })},
      {"AFH-CFG-003", issues_of([](const ConfigIssue& i) { return i.kind == "cmd_on_non_sensitive"; })},
      {"AFH-CFG-004", issues_of([](const ConfigIssue& i) { return i.kind == "secret_on_non_sensitive"; })},
      {"AFH-CFG-005", issues_of(ignored_security_option)},
      {"AFH-CFG-006",
       issues_of([](const ConfigIssue& i) { return i.kind == "ignored_section" && !ignored_security_option(i); })},
      {"AFH-CFG-007", issues_of([](const ConfigIssue& i) { return i.kind == "unknown_option"; })},
      {"AFH-CFG-008", issues_of([](const ConfigIssue& i) { return i.kind == "deprecated_name"; })},
      {"AFH-CFG-009", issues_of([](const ConfigIssue& i) { return i.kind == "uppercase_key"; })},
      {"AFH-CFG-010", issues_of([](const ConfigIssue& i) { return i.kind == "unknown_env_var"; })},
      {"AFH-CFG-011", issues_of([](const ConfigIssue& i) { return i.kind == "env_overrides_file"; })},
      {"AFH-CFG-012",
       issues_of([](const ConfigIssue& i) { return i.kind == "removed_in_airflow3" && !ignored_security_option(i); })},
  };
}

}  // namespace airguard
