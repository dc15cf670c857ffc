#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>

#include "app/commands.hpp"
#include "core/exit_codes.hpp"
#include "core/text.hpp"
#include "engine/check_loader.hpp"
#include "engine/evaluator.hpp"
#include "engine/example_runner.hpp"
#include "engine/operators.hpp"
#include "engine/profile_loader.hpp"
#include "engine/subjects.hpp"

namespace airguard {

namespace {

int report_problems(const Diagnostics& problems) {
  int errors = 0;
  for (const Diagnostic& d : problems) {
    std::fprintf(stderr, "airguard: %s\n", d.format().c_str());
    if (d.level == Diagnostic::Level::error) ++errors;
  }
  return errors;
}

std::string subject_text(const CheckDef& check) {
  if (check.subject_kind == "code") return "code (built-in logic)";
  return fmt::format("{}: {}", check.subject_kind, join(check.subject, " | "));
}

int list_checks(const std::string& format, const std::string& profile_name) {
  CheckCatalog catalog = load_check_catalog();
  if (report_problems(catalog.problems) > 0) return static_cast<int>(ExitCode::usage_or_input);
  auto profile = load_profile(profile_name);
  if (!profile) {
    report_problems({profile.error()});
    return static_cast<int>(ExitCode::usage_or_input);
  }
  if (format == "json") {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const CheckDef& check : catalog.checks) {
      out.push_back({{"id", check.id},
                     {"title", check.title},
                     {"severity", to_string(effective_severity(check, *profile))},
                     {"enabled", check_enabled(check, *profile)},
                     {"airflow", check.airflow_versions},
                     {"subject", subject_text(check)},
                     {"tags", check.tags}});
    }
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  std::size_t enabled = 0;
  for (const CheckDef& check : catalog.checks) {
    const bool on = check_enabled(check, *profile);
    enabled += on ? 1 : 0;
    std::cout << fmt::format(
        "{:<13} {:<8} {} {}{}\n", check.id, to_string(effective_severity(check, *profile)), on ? " " : "-", check.title,
        check.airflow_versions.empty() ? "" : fmt::format("  [Airflow {}]", check.airflow_versions));
  }
  std::cout << fmt::format("\n{} checks, {} enabled in profile '{}' ('-' marks the others)\n", catalog.checks.size(),
                           enabled, profile->name);
  return 0;
}

int explain_check(const std::string& id) {
  CheckCatalog catalog = load_check_catalog();
  const CheckDef* check = catalog.find(to_upper(id));
  if (check == nullptr) {
    std::fprintf(stderr, "airguard: unknown check '%s' (see 'airguard checks list')\n", id.c_str());
    return static_cast<int>(ExitCode::usage_or_input);
  }
  std::string out = fmt::format("{}  {}\n\n", check->id, check->title);
  out += fmt::format("Severity:  {}\n", to_string(check->severity));
  out += fmt::format("Airflow:   {}\n", check->airflow_versions.empty() ? "all versions" : check->airflow_versions);
  out += fmt::format("Looks at:  {}\n", subject_text(*check));
  if (!check->enabled_by_default) out += "Enabled:   only in profiles that enable it\n";
  if (!check->tags.empty()) out += fmt::format("Tags:      {}\n", join(check->tags, ", "));
  out += fmt::format("Defined:   {}:{}\n\nWhy it matters\n  {}\n\nFix\n  {}\n", check->file, check->line,
                     std::string(trim(check->rationale)), check->fix.summary);
  const auto indent = [](const std::string& text) {
    std::string indented;
    for (const std::string& line : split(text, '\n')) indented += "    " + line + "\n";
    return indented;
  };
  if (check->fix.value) out += fmt::format("  Hardened value: {}\n", *check->fix.value);
  if (!check->fix.text.empty()) out += indent(check->fix.text);
  if (!check->fix.helm.empty()) out += "  Helm values:\n" + indent(check->fix.helm);
  if (!check->references.empty()) {
    out += "\nReferences\n";
    for (const std::string& ref : check->references) out += fmt::format("  {}\n", ref);
  }
  std::cout << out;
  return 0;
}

int validate_checks(const std::vector<std::string>& paths, bool run_examples) {
  CheckCatalog catalog = load_check_catalog(paths, run_examples ? CheckExamples::load : CheckExamples::skip);
  int errors = report_problems(catalog.problems);
  for (const std::string& name : builtin_profile_names()) {
    auto profile = load_profile(name);
    if (!profile) {
      errors += report_problems({profile.error()});
      continue;
    }
    errors += report_problems(validate_profile(*profile, catalog));
  }
  std::size_t examples = 0;
  std::size_t failed = 0;
  if (run_examples && errors == 0) {
    for (const ExampleOutcome& outcome : run_check_examples(catalog)) {
      ++examples;
      if (outcome.passed) continue;
      ++failed;
      std::fprintf(stderr, "airguard: %s:%d: error: example of %s expected to %s but %s\n", outcome.file.c_str(),
                   outcome.line, outcome.check_id.c_str(), outcome.expect_fail ? "fire" : "pass",
                   outcome.detail.c_str());
    }
  }
  std::cout << fmt::format("{} checks, {} profiles, {} examples: {} errors, {} failing examples\n",
                           catalog.checks.size(), builtin_profile_names().size(), examples, errors, failed);
  return errors == 0 && failed == 0 ? 0 : static_cast<int>(ExitCode::usage_or_input);
}

int list_operators() {
  std::cout << "Operators for fail_when: (the insecure state)\n\n";
  for (const OperatorInfo& info : operator_registry()) {
    std::cout << fmt::format("  {:<15} {}\n  {:<15} e.g. {}\n", info.name, info.description, "", info.example);
  }
  std::cout << "\nSubjects (one per check, or on a child condition)\n\n";
  for (const SubjectInfo& info : subject_registry()) {
    std::cout << fmt::format("  {:<15} {}\n", info.kind, info.description);
  }
  return 0;
}

}  // namespace

CommandHandle add_checks_command(CLI::App& root) {
  CLI::App* checks = root.add_subcommand("checks", "List, explain and validate the checks");
  checks->require_subcommand(1);
  auto format = std::make_shared<std::string>("text");
  auto profile = std::make_shared<std::string>("default");
  auto id = std::make_shared<std::string>();
  auto paths = std::make_shared<std::vector<std::string>>();
  auto no_examples = std::make_shared<bool>(false);

  CLI::App* list = checks->add_subcommand("list", "List every check with its severity and whether the profile runs it");
  list->add_option("--format", *format, "text or json")->check(CLI::IsMember({"text", "json"}));
  list->add_option("--profile", *profile, "profile that decides which checks are enabled");
  CLI::App* explain = checks->add_subcommand("explain", "Explain one check: why it matters and how to fix it");
  explain->add_option("id", *id, "check id, e.g. AFH-WEB-001")->required();
  CLI::App* validate = checks->add_subcommand(
      "validate", "Validate the built-in checks and profiles, and any check files given, and run their examples");
  validate->add_option("paths", *paths, "extra check files or folders (YAML)");
  validate->add_flag("--no-examples", *no_examples, "only validate, do not run the examples");
  CLI::App* operators =
      checks->add_subcommand("operators", "List the operators and subjects a check condition can use");

  CommandHandle handle;
  handle.app = checks;
  handle.run = [=]() {
    if (list->parsed()) return list_checks(*format, *profile);
    if (explain->parsed()) return explain_check(*id);
    if (validate->parsed()) return validate_checks(*paths, !*no_examples);
    if (operators->parsed()) return list_operators();
    return static_cast<int>(ExitCode::usage_or_input);
  };
  return handle;
}

CommandHandle add_profiles_command(CLI::App& root) {
  CLI::App* profiles = root.add_subcommand("profiles", "List and show profiles");
  profiles->require_subcommand(1);
  auto name = std::make_shared<std::string>();
  CLI::App* list = profiles->add_subcommand("list", "List the built-in profiles");
  CLI::App* show = profiles->add_subcommand("show", "Show a profile with everything it inherits");
  show->add_option("name", *name, "profile name or YAML file")->required();

  CommandHandle handle;
  handle.app = profiles;
  handle.run = [=]() {
    if (list->parsed()) {
      for (const std::string& profile_name : builtin_profile_names()) {
        auto profile = load_profile(profile_name);
        if (!profile) {
          report_problems({profile.error()});
          return static_cast<int>(ExitCode::usage_or_input);
        }
        std::cout << fmt::format("{:<12} fail on {:<8} {}\n", profile->name, to_string(profile->fail_on),
                                 profile->description);
      }
      return 0;
    }
    auto profile = load_profile(*name);
    if (!profile) {
      report_problems({profile.error()});
      return static_cast<int>(ExitCode::usage_or_input);
    }
    std::string out = fmt::format("profile:   {}\ndescribes: {}\nchain:     {}\nfail on:   {}\n", profile->name,
                                  profile->description, join(profile->chain, " <- "), to_string(profile->fail_on));
    if (!profile->enable.empty()) out += fmt::format("enables:   {}\n", join(profile->enable, ", "));
    if (!profile->disable.empty()) out += fmt::format("disables:  {}\n", join(profile->disable, ", "));
    for (const auto& [id, severity] : profile->severity_overrides) {
      out += fmt::format("severity:  {} -> {}\n", id, to_string(severity));
    }
    for (const auto& [param, values] : profile->params)
      out += fmt::format("param:     {} = {}\n", param, join(values, ", "));
    std::cout << out;
    return 0;
  };
  return handle;
}

}  // namespace airguard
