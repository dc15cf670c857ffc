#include "engine/example_runner.hpp"

#include <fmt/format.h>

#include "engine/evaluator.hpp"
#include "engine/helm_example.hpp"
#include "engine/profile_loader.hpp"
#include "engine/snapshot_builder.hpp"

namespace airguard {

namespace {

std::optional<Snapshot> example_snapshot(const CheckExample& example, std::string& why_not) {
  Snapshot snapshot;
  if (!example.cfg.empty()) {
    snapshot.cfg = parse_cfg(example.cfg, "airflow.cfg");
    snapshot.inputs.push_back({"airflow.cfg", "airflow.cfg"});
  }
  int line = 0;
  for (const auto& [name, value] : example.cfg_env) {
    EnvVar var;
    var.name = name;
    var.value = value;
    var.origin.kind = SourceKind::env;
    var.origin.file = ".env";
    var.origin.line = ++line;
    var.origin.name = name;
    snapshot.env.set(std::move(var));
  }
  if (!example.cfg_env.empty()) snapshot.inputs.push_back({"env-file", ".env"});
  if (!example.wsc.empty()) {
    snapshot.webserver = parse_webserver_config(example.wsc, "webserver_config.py");
    snapshot.inputs.push_back({"webserver_config.py", "webserver_config.py"});
  }
  if (!example.helm.empty()) {
    auto helm = helm_values_for_example(example.helm);
    if (!helm) {
      why_not = helm.error().format();
      return std::nullopt;
    }
    snapshot.helm = std::move(*helm);
    snapshot.inputs.push_back({"helm-values", "values.yaml"});
    if (!snapshot.cfg) snapshot.cfg = snapshot.helm->config_as_cfg;
    for (const EnvVar& var : snapshot.helm->env) snapshot.env.set(var);
  }
  finalize_snapshot(snapshot, example.airflow_version.empty() ? std::nullopt : std::optional(example.airflow_version));
  return snapshot;
}

}  // namespace

std::vector<ExampleOutcome> run_check_examples(const CheckCatalog& catalog, const std::string& only_id) {
  std::vector<ExampleOutcome> outcomes;
  for (const CheckDef& check : catalog.checks) {
    if (!only_id.empty() && check.id != only_id) continue;
    for (const CheckExample& example : check.examples) {
      ExampleOutcome outcome;
      outcome.check_id = check.id;
      outcome.file = check.file;
      outcome.line = example.line;
      outcome.expect_fail = example.expect_fail;
      auto profile = load_profile(example.profile.empty() ? "default" : example.profile);
      if (!profile) {
        outcome.detail = profile.error().format();
        outcomes.push_back(outcome);
        continue;
      }
      profile->enable.push_back(check.id);  // an example tests the condition, even of an opt-in check
      std::string why_not;
      const auto snapshot = example_snapshot(example, why_not);
      if (!snapshot) {
        outcome.detail = why_not;
        outcomes.push_back(outcome);
        continue;
      }
      const std::vector<Finding> findings = evaluate_check(check, *snapshot, *profile);
      outcome.passed = findings.empty() != example.expect_fail;
      if (findings.empty()) {
        outcome.detail = fmt::format("did not fire (assumed Airflow {})", snapshot->target.version);
      } else {
        outcome.detail = fmt::format("fired: {}", findings.front().evidence);
      }
      outcomes.push_back(std::move(outcome));
    }
  }
  return outcomes;
}

}  // namespace airguard
