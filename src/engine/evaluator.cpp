#include "engine/evaluator.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <tuple>

#include "advisories/pep440.hpp"
#include "core/redact.hpp"
#include "core/text.hpp"
#include "engine/code_checks.hpp"
#include "engine/fix_render.hpp"
#include "engine/operators.hpp"
#include "engine/subjects.hpp"

namespace airguard {

bool check_enabled(const CheckDef& check, const Profile& profile) {
  const auto selects = [&](const std::vector<std::string>& selectors) {
    return std::any_of(selectors.begin(), selectors.end(), [&](const std::string& s) {
      if (s == check.id || s == "*") return true;
      if (s.rfind("tag:", 0) == 0) {
        const std::string tag = s.substr(4);
        return std::any_of(check.tags.begin(), check.tags.end(), [&](const std::string& t) {
          return t == tag || t.rfind(tag + ":", 0) == 0;  // "tag:pci-dss" selects "pci-dss:8.3.1"
        });
      }
      if (s.rfind("area:", 0) == 0) {
        return std::find(check.areas.begin(), check.areas.end(), s.substr(5)) != check.areas.end();
      }
      return false;
    });
  };
  // An explicit id beats a tag or area rule; among equals, disable wins.
  const bool enabled_by_id = std::find(profile.enable.begin(), profile.enable.end(), check.id) != profile.enable.end();
  const bool disabled_by_id =
      std::find(profile.disable.begin(), profile.disable.end(), check.id) != profile.disable.end();
  if (disabled_by_id) return false;
  if (enabled_by_id) return true;
  if (selects(profile.disable)) return false;
  if (selects(profile.enable)) return true;
  return check.enabled_by_default;
}

Severity effective_severity(const CheckDef& check, const Profile& profile) {
  const auto it = profile.severity_overrides.find(check.id);
  return it == profile.severity_overrides.end() ? check.severity : it->second;
}

bool version_applies(const std::string& specifiers, const AirflowTarget& target) {
  if (trim(specifiers).empty() || target.version.empty()) return true;
  const auto version = parse_version(target.version);
  const auto set = SpecifierSet::parse(specifiers);
  if (!version || !set) return true;
  return set->contains(*version, true);
}

namespace {

struct EvalContext {
  const Snapshot& snapshot;
  const Profile& profile;
  const CheckDef& check;
  Diagnostics* problems;
};

std::vector<std::string> resolve_args(const Condition& condition, const EvalContext& ctx) {
  if (condition.param.empty()) return condition.args;
  return ctx.profile.param_list(condition.param);
}

bool evaluate(const Condition& condition, const Fact& fact, const EvalContext& ctx);
bool evaluate_here(const Condition& condition, const Fact& fact, const EvalContext& ctx);

// A condition on another subject holds when it holds for one of that subject's facts.
bool evaluate_on_subject(const Condition& condition, const EvalContext& ctx) {
  const SubjectInfo* subject = find_subject(condition.subject_kind);
  if (subject == nullptr || !subject->available(ctx.snapshot)) return false;
  const std::vector<Fact> facts = subject->facts(ctx.snapshot, condition.subject);
  for (const Fact& other : facts) {
    if (evaluate_here(condition, other, ctx)) return true;
  }
  // A Helm key that is absent (never written, or deleted with `~` over the chart's default) is nil
  // to the chart's templates: `{helm: data.metadataSecretName, empty: true}` holds for it.
  if (facts.empty() && subject->source == SourceKind::helm &&
      std::none_of(condition.subject.begin(), condition.subject.end(),
                   [](const std::string& path) { return path.find('*') != std::string::npos; })) {
    Fact absent;
    absent.key = condition.subject.empty() ? std::string() : condition.subject.front();
    absent.origin.kind = SourceKind::helm;
    absent.origin.name = absent.key;
    return evaluate_here(condition, absent, ctx);
  }
  return false;
}

bool evaluate(const Condition& condition, const Fact& fact, const EvalContext& ctx) {
  if (!condition.subject_kind.empty()) return evaluate_on_subject(condition, ctx);
  return evaluate_here(condition, fact, ctx);
}

// `condition` on `fact`, whatever subject the condition names.
bool evaluate_here(const Condition& condition, const Fact& fact, const EvalContext& ctx) {
  if (condition.op == "all") {
    return std::all_of(condition.children.begin(), condition.children.end(),
                       [&](const Condition& c) { return evaluate(c, fact, ctx); });
  }
  if (condition.op == "any") {
    return std::any_of(condition.children.begin(), condition.children.end(),
                       [&](const Condition& c) { return evaluate(c, fact, ctx); });
  }
  if (condition.op == "not") return !condition.children.empty() && !evaluate(condition.children.front(), fact, ctx);
  if (condition.op == "version") {
    const auto args = resolve_args(condition, ctx);
    return !ctx.snapshot.target.version.empty() && !args.empty() && version_applies(args.front(), ctx.snapshot.target);
  }
  if (condition.op == "same_as_option") {
    const auto args = resolve_args(condition, ctx);
    if (args.empty() || !fact.value || trim(*fact.value).empty()) return false;
    const SubjectInfo* options = find_subject("option");
    for (const Fact& other : options->facts(ctx.snapshot, args)) {
      if (other.value && other.is_set && trim(*other.value) == trim(*fact.value)) return true;
    }
    return false;
  }
  const OperatorInfo* info = find_operator(condition.op);
  if (info == nullptr || !info->test) return false;
  const auto args = resolve_args(condition, ctx);
  if (!condition.param.empty() && args.empty()) {
    if (ctx.problems != nullptr) {
      ctx.problems->push_back(
          make_warning(ctx.check.file, condition.line,
                       fmt::format("check {} needs profile parameter '{}', which profile '{}' does not set",
                                   ctx.check.id, condition.param, ctx.profile.name)));
    }
    return false;
  }
  return info->test(fact, args);
}

std::string shown_value(const Fact& fact) {
  if (fact.runtime_only) {
    return fact.runtime_mechanism.empty() ? std::string("(resolved at runtime)")
                                          : fmt::format("(resolved at runtime from {})", fact.runtime_mechanism);
  }
  if (!fact.value) return "(not set)";
  if (fact.sensitive) return mask_secret(*fact.value);
  if (trim(*fact.value).empty()) return "(empty)";
  return redact_secrets(*fact.value);
}

std::string render_evidence(const CheckDef& check, const Fact& fact) {
  std::string text = check.evidence;
  if (text.empty()) {
    if (!fact.is_set && fact.origin.kind == SourceKind::default_value) {
      text = fact.value && !trim(*fact.value).empty() ? "{key} is not set; the built-in default {value} is in force"
                                                      : "{key} is not set; the built-in default is empty";
    } else if (!fact.is_set && fact.origin.kind == SourceKind::helm) {
      text = "{key} = {value} (chart default)";
    } else {
      text = "{key} = {value}";
    }
  }
  const auto replace_all = [&](const std::string& token, const std::string& with) {
    std::size_t pos = 0;
    while ((pos = text.find(token, pos)) != std::string::npos) {
      text.replace(pos, token.size(), with);
      pos += with.size();
    }
  };
  replace_all("{key}", fact.key);
  replace_all("{source}", fact.origin.describe());
  replace_all("{value}", shown_value(fact));
  return text;
}

SourceKind finding_source(const Fact& fact, const CheckDef& check, const Snapshot& snapshot) {
  if (fact.origin.kind != SourceKind::default_value) return fact.origin.kind;
  if (check.subject_kind == "option") return snapshot.helm ? SourceKind::helm : SourceKind::cfg;
  const SubjectInfo* subject = find_subject(check.subject_kind);
  return subject != nullptr ? subject->source : SourceKind::cfg;
}

void fill_from_definition(Finding& finding, const CheckDef& check, const Profile& profile, const Snapshot& snapshot) {
  if (finding.check_id.empty()) finding.check_id = check.id;
  if (finding.title.empty()) finding.title = check.title;
  if (finding.rationale.empty()) finding.rationale = trim(check.rationale);
  if (finding.references.empty()) finding.references = check.references;
  if (finding.tags.empty()) finding.tags = check.tags;
  if (finding.remediation.summary.empty()) finding.remediation.summary = check.fix.summary;
  if (finding.remediation.snippet.empty()) {
    finding.remediation.snippet =
        !check.fix.helm.empty() && finding.source == SourceKind::helm ? check.fix.helm : check.fix.text;
  }
  if (finding.remediation.target.empty()) {
    finding.remediation.target = finding.location.line > 0
                                     ? fmt::format("{}:{}", finding.location.file, finding.location.line)
                                     : finding.location.describe();
  }
  if (finding.remediation.action_key.empty()) finding.remediation.action_key = fmt::format("check:{}", check.id);
  if (finding.airflow_version.empty()) {
    finding.airflow_version = snapshot.target.version;
    finding.airflow_version_source = snapshot.target.source;
  }
  // A code check may raise its own severity (an advisory's CVSS); a profile override wins.
  const auto override_it = profile.severity_overrides.find(check.id);
  if (override_it != profile.severity_overrides.end()) finding.severity = override_it->second;
  if (finding.fingerprint.empty()) finding.fingerprint = fingerprint(finding);
}

}  // namespace

std::vector<Finding> evaluate_check(const CheckDef& check, const Snapshot& snapshot, const Profile& profile,
                                    Diagnostics* problems, const CheckCatalog* catalog) {
  std::vector<Finding> findings;
  if (!version_applies(check.airflow_versions, snapshot.target)) return findings;
  // The texts a finding is written from, read once the check finds something.
  std::optional<CheckDef> completed;
  const auto with_texts = [&]() -> const CheckDef& {
    if (check.has_texts() || catalog == nullptr) return check;
    if (!completed) completed = catalog->with_texts(check);
    return *completed;
  };

  if (check.subject_kind == "code") {
    for (const CodeCheckEntry& entry : code_check_registry()) {
      if (entry.id != check.id) continue;
      // Code checks see the check as loaded (perhaps without texts): the texts a finding leaves
      // empty are filled in from the complete check below.
      for (Finding finding : entry.run(snapshot, check, profile)) {
        fill_from_definition(finding, with_texts(), profile, snapshot);
        findings.push_back(std::move(finding));
      }
    }
    return findings;
  }

  const SubjectInfo* subject = find_subject(check.subject_kind);
  if (subject == nullptr || !subject->available(snapshot)) return findings;
  // A condition left in the compiled catalogue is read for this evaluation only.
  std::optional<Condition> stored;
  const Condition* fail_when = check.fail_when ? &*check.fail_when : nullptr;
  if (fail_when == nullptr && check.condition_stored() && catalog != nullptr) {
    stored = catalog->condition(check);
    if (stored) fail_when = &*stored;
  }
  if (fail_when == nullptr) return findings;
  const EvalContext ctx{snapshot, profile, check, problems};
  for (const Fact& fact : subject->facts(snapshot, check.subject)) {
    if (!evaluate(*fail_when, fact, ctx)) continue;
    const CheckDef& full = with_texts();
    Finding finding;
    finding.check_id = full.id;
    finding.severity = effective_severity(full, profile);
    finding.title = full.title;
    finding.source = finding_source(fact, full, snapshot);
    finding.key = fact.key;
    finding.location = fact.origin;
    if (finding.location.kind == SourceKind::default_value && finding.location.name.empty()) {
      finding.location.name = fact.key;
    }
    finding.evidence = render_evidence(full, fact);
    finding.remediation = render_fix(full, fact, snapshot);
    fill_from_definition(finding, full, profile, snapshot);
    findings.push_back(std::move(finding));
  }
  return findings;
}

void sort_findings(std::vector<Finding>& findings) {
  std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    return std::make_tuple(-static_cast<int>(a.severity), a.check_id, a.key, a.location.file, a.location.line) <
           std::make_tuple(-static_cast<int>(b.severity), b.check_id, b.key, b.location.file, b.location.line);
  });
}

namespace {

// A value the Helm chart builds from other values (its database URL from data.metadataConnection)
// is judged twice: by the Helm check on the values the user edits and by the configuration check
// on the URL Airflow reads. One cause, one finding: the Helm one, whose fix names the values key.
void drop_shared_root_causes(std::vector<Finding>& findings) {
  std::vector<std::string> helm_keys;
  for (const Finding& finding : findings) {
    if (finding.check_id.rfind("AFH-HELM-", 0) == 0) helm_keys.push_back(finding.key);
  }
  if (helm_keys.empty()) return;
  std::erase_if(findings, [&](const Finding& finding) {
    if (finding.location.built_from.empty() || finding.check_id.rfind("AFH-HELM-", 0) == 0) return false;
    for (const std::string& root : split(finding.location.built_from, ',')) {
      const bool covered = std::any_of(helm_keys.begin(), helm_keys.end(), [&](const std::string& key) {
        return key == root ||
               (key.size() > root.size() && key.compare(0, root.size(), root) == 0 && key[root.size()] == '.');
      });
      if (covered) return true;
    }
    return false;
  });
}

}  // namespace

EvaluationResult run_checks(const CheckCatalog& catalog, const Snapshot& snapshot, const Profile& profile) {
  EvaluationResult result;
  for (const CheckDef& check : catalog.checks) {
    if (!check_enabled(check, profile)) continue;
    result.ran.push_back(&check);
    std::vector<Finding> findings = evaluate_check(check, snapshot, profile, &result.problems, &catalog);
    result.findings.insert(result.findings.end(), std::make_move_iterator(findings.begin()),
                           std::make_move_iterator(findings.end()));
  }
  drop_shared_root_causes(result.findings);
  for (Finding& finding : result.findings) finding.provenance = provenance_of(finding.location);
  sort_findings(result.findings);
  return result;
}

}  // namespace airguard
