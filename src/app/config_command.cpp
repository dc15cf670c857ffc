#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "app/collectors.hpp"
#include "app/commands.hpp"
#include "config/effective_config.hpp"
#include "core/exit_codes.hpp"
#include "core/file_io.hpp"
#include "core/redact.hpp"
#include "engine/snapshot_builder.hpp"

// `airguard config`: the effective value of every Airflow option, where it comes from, and how
// Airflow would read the inputs. Results on stdout (or --output), diagnostics on stderr.
namespace airguard {

namespace {

struct ConfigCommandOptions {
  std::optional<std::string> airflow_cfg;
  std::vector<std::string> env_files;
  std::vector<std::string> compose_files;
  bool process_env = false;
  std::optional<std::string> airflow_version;
  bool all = false;
  bool show_secrets = false;
  std::string format = "text";
  std::optional<std::string> output;
};

void print_diagnostic(const Diagnostic& d) { std::fprintf(stderr, "%s\n", d.format().c_str()); }

std::optional<std::string> shown_value(const ResolvedOption& option, bool show_secrets) {
  if (!option.value) return std::nullopt;
  if (show_secrets) return option.value;
  if (option.sensitive) return mask_secret(*option.value);
  return redact_secrets(*option.value);
}

std::string location_of(const ResolvedOption& option) {
  if (option.source == ValueSource::default_value) return option.origin.describe();
  return option.origin.describe();
}

std::string render_json(const EffectiveConfig& config, const std::string& version, const ConfigCommandOptions& o) {
  nlohmann::ordered_json doc;
  doc["airflow_version"] = version.empty() ? config.catalog_version() : version;
  doc["option_table"] = config.catalog_version();
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const ResolvedOption& option : config.options()) {
    if (!o.all && !option.is_set()) continue;
    nlohmann::ordered_json item;
    item["section"] = option.section;
    item["key"] = option.key;
    const auto value = shown_value(option, o.show_secrets);
    item["value"] = value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json(nullptr);
    item["source"] = std::string(to_string(option.source));
    item["location"] = location_of(option);
    item["name_used"] = option.name_used;
    if (!option.known) item["known"] = false;
    if (option.via_deprecated_name) item["deprecated_name"] = true;
    if (option.sensitive) item["sensitive"] = true;
    if (!option.error.empty()) item["error"] = option.error;
    list.push_back(std::move(item));
  }
  doc["options"] = std::move(list);
  return doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string render_text(const EffectiveConfig& config, const std::string& version, const ConfigCommandOptions& o) {
  std::string out = fmt::format("# Airflow {} (option table {})\n",
                                version.empty() ? config.catalog_version() : version, config.catalog_version());
  std::string section;
  for (const ResolvedOption& option : config.options()) {
    if (!o.all && !option.is_set()) continue;
    if (option.section != section) {
      section = option.section;
      out += fmt::format("\n[{}]\n", section);
    }
    const auto value = shown_value(option, o.show_secrets);
    std::string shown = value ? *value : (option.error.empty() ? "(decided at run time)" : "(error)");
    for (std::size_t at = shown.find('\n'); at != std::string::npos; at = shown.find('\n', at + 2)) {
      shown.replace(at, 1, "\n\t");
    }
    out += fmt::format("{} = {}\n", option.key, shown);
    std::string note = fmt::format("    # {}: {}", to_string(option.source), location_of(option));
    if (option.source != ValueSource::file && option.source != ValueSource::env) note += " via " + option.name_used;
    if (option.source == ValueSource::default_value) note = fmt::format("    # default ({})", option.name_used);
    if (!option.error.empty()) note += " - " + option.error;
    if (!option.known) note += " - not an option of this Airflow version";
    out += note + "\n";
  }
  return out;
}

int run_config_command(const ConfigCommandOptions& o) {
  ScanOptions scan;
  scan.airflow_cfg = o.airflow_cfg;
  scan.env_files = o.env_files;
  scan.compose_files = o.compose_files;
  scan.process_env = o.process_env || (!o.airflow_cfg && o.env_files.empty() && o.compose_files.empty());
  Snapshot snapshot;
  collect_config(scan, snapshot);
  bool failed = false;
  for (const Diagnostic& d : snapshot.diagnostics) {
    if (d.level == Diagnostic::Level::error) failed = true;
  }
  if (snapshot.cfg && snapshot.cfg->refused_by_airflow()) {
    // Airflow would not start: say why, on the line Python reports, and stop.
    for (const Diagnostic& error : snapshot.cfg->errors) print_diagnostic(error);
    return static_cast<int>(ExitCode::usage_or_input);
  }
  for (const Diagnostic& d : snapshot.diagnostics) print_diagnostic(d);
  if (failed) return static_cast<int>(ExitCode::usage_or_input);

  // The same version rule as `scan`: --airflow-version, else what the configuration's layout shows.
  finalize_snapshot(snapshot, o.airflow_version);
  const EffectiveConfig& config = snapshot.config;
  std::fprintf(stderr, "airguard: resolving for Airflow %s (%s)\n", snapshot.target.version.c_str(),
               snapshot.target.source.c_str());
  for (const ConfigIssue& issue : config.issues()) {
    if (issue.kind == "refused_by_airflow") continue;
    Diagnostic d = make_warning(issue.origin.file, issue.origin.line, issue.detail);
    if (issue.origin.file.empty() && !issue.origin.name.empty()) d.message = issue.origin.name + ": " + issue.detail;
    print_diagnostic(d);
  }
  const std::string version = snapshot.target.version;
  const std::string rendered = o.format == "json" ? render_json(config, version, o) : render_text(config, version, o);
  if (o.output) {
    auto written = write_file_atomic(*o.output, rendered);
    if (!written) {
      print_diagnostic(written.error());
      return static_cast<int>(ExitCode::usage_or_input);
    }
  } else {
    std::cout << rendered;
    std::cout.flush();
  }
  return static_cast<int>(ExitCode::ok);
}

}  // namespace

CommandHandle add_config_command(CLI::App& root) {
  auto options = std::make_shared<ConfigCommandOptions>();
  CLI::App* app = root.add_subcommand(
      "config", "Show the effective Airflow configuration: every option's value and where it comes from");
  app->add_option("--airflow-cfg", options->airflow_cfg, "airflow.cfg to read")->type_name("FILE");
  app->add_option("--env-file", options->env_files, "KEY=VALUE env file (as docker compose reads it); repeatable")
      ->type_name("FILE");
  app->add_option("--compose", options->compose_files, "docker compose file: the Airflow services' environment")
      ->type_name("FILE");
  app->add_flag("--env", options->process_env, "also read this process's environment (default with no inputs)");
  app->add_option("--airflow-version", options->airflow_version,
                  "Airflow version to resolve for (default: as scan decides it: from the layout of the configuration, "
                  "else the newest)")
      ->type_name("V");
  app->add_flag("--all", options->all, "also list options left at their defaults");
  app->add_flag("--show-secrets", options->show_secrets, "print sensitive values instead of ****");
  app->add_option("--format", options->format, "text or json")->check(CLI::IsMember({"text", "json"}));
  app->add_option("--output", options->output, "write the result to FILE instead of stdout")->type_name("FILE");
  return {app, [options] { return run_config_command(*options); }};
}

}  // namespace airguard
