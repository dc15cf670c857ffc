#include <fmt/format.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <iostream>
#include <memory>

#include "app/commands.hpp"
#include "app/scan.hpp"
#include "core/exit_codes.hpp"
#include "core/process_exit.hpp"
#include "report/formats.hpp"

namespace airguard {

namespace {

void print_diagnostics(const Diagnostics& diagnostics, const SecretScrubber* scrubber) {
  for (const Diagnostic& d : collapse_repeated(diagnostics)) {
    const std::string line = scrubber != nullptr ? scrubber->scrub(d.format()) : d.format();
    std::fprintf(stderr, "airguard: %s\n", line.c_str());
  }
}

int run_scan_command(const ScanOptions& options, const std::string& color) {
  auto specs = parse_format_specs(options.formats, options.output);
  if (!specs) {
    print_diagnostics({specs.error()}, nullptr);
    return static_cast<int>(ExitCode::usage_or_input);
  }
  ScanOptions scan = options;
  scan.check_texts =
      std::any_of(specs->begin(), specs->end(), [](const FormatSpec& spec) { return spec.format->uses_check_texts; });
  ScanOutcome outcome = run_scan(std::move(scan));
  if (!outcome.fatal.empty()) {
    print_diagnostics(outcome.fatal, &outcome.snapshot.secrets);
    return outcome.exit_code;
  }
  if (!options.quiet) {
    for (const InputUsed& input : outcome.snapshot.inputs) {
      std::fprintf(stderr, "airguard: read %s%s%s\n", input.kind.c_str(), input.path.empty() ? "" : " ",
                   input.path.c_str());
    }
    Diagnostics shown;
    for (const Diagnostic& d : outcome.report.diagnostics) {
      if (d.level != Diagnostic::Level::note) shown.push_back(d);
    }
    print_diagnostics(shown, &outcome.snapshot.secrets);
  }
  // The reports need only the scrubber from the snapshot: releasing the rest first lets the
  // writers reuse its memory.
  const SecretScrubber secrets = std::move(outcome.snapshot.secrets);
  outcome.snapshot = Snapshot{};
  RenderOptions render;
  render.color = color == "always" || (color == "auto" && isatty(STDOUT_FILENO) != 0 && !options.output);
  const Diagnostics write_problems = write_reports(*specs, outcome.report, std::cout, render, &secrets);
  std::cout.flush();
  keep_until_exit(outcome);
  if (!write_problems.empty()) {
    print_diagnostics(write_problems, nullptr);
    return static_cast<int>(ExitCode::usage_or_input);
  }
  return outcome.exit_code;
}

}  // namespace

CommandHandle add_scan_command(CLI::App& root) {
  auto options = std::make_shared<ScanOptions>();
  auto color = std::make_shared<std::string>("auto");
  auto fail_on = std::make_shared<std::string>();
  auto directory = std::make_shared<std::string>();
  CLI::App* scan = root.add_subcommand("scan", "Scan an Airflow deployment and print a remediation plan");
  scan->footer(
      "Modes:\n"
      "  airguard scan                      local: $AIRFLOW_CONFIG, else $AIRFLOW_HOME/airflow.cfg, else\n"
      "                                     ~/airflow/airflow.cfg, plus the process environment\n"
      "  airguard scan DIR                  the deployment files found in DIR by their usual names\n"
      "  airguard scan --airflow-cfg FILE   named sources only: the process environment is read only with\n"
      "                                     --env, so CI results do not depend on the runner\n"
      "Formats:\n" +
      output_formats_help() +
      "Exit status: 0 clean; 1 findings at or above --fail-on; 2 usage or input error; 3 a source could not be read.");
  scan->add_option("dir", *directory,
                   "deployment folder: airflow.cfg, webserver_config.py, .env, docker-compose.yaml, "
                   "values.yaml, requirements.txt, dags/ and .airguard-ignore.yaml are found by name");

  const std::string sources = "Sources";
  scan->add_option_function<std::string>(
          "--airflow-cfg", [options](const std::string& v) { options->airflow_cfg = v; }, "an airflow.cfg")
      ->group(sources);
  scan->add_option("--env-file", options->env_files, "a KEY=VALUE env file (.env, Docker env file); repeatable")
      ->group(sources);
  scan->add_option("--compose", options->compose_files, "a docker-compose file: its services' environment; repeatable")
      ->group(sources);
  scan->add_flag("--env", options->process_env, "also read this process's environment")->group(sources);
  scan->add_option_function<std::string>(
          "--webserver-config", [options](const std::string& v) { options->webserver_config = v; },
          "a webserver_config.py (read, never executed)")
      ->group(sources);
  scan->add_option("-f,--helm-values", options->helm_values,
                   "Helm values file, merged in order like helm -f; repeatable")
      ->group(sources);
  scan->add_option("--set", options->helm_set, "Helm --set a.b=c (Helm's syntax); repeatable")->group(sources);
  scan->add_option("--set-string", options->helm_set_string, "Helm --set-string a.b=c; repeatable")->group(sources);
  scan->add_option_function<std::string>(
          "--chart-version", [options](const std::string& v) { options->chart_version = v; },
          "version of the apache-airflow/airflow chart (default: inferred)")
      ->group(sources);
  scan->add_option_function<std::string>(
          "--chart-defaults", [options](const std::string& v) { options->chart_defaults = v; },
          "chart default values (output of helm show values) for charts airguard does not know")
      ->group(sources);
  scan->add_option_function<std::string>(
          "--api-url", [options](const std::string& v) { options->api_url = v; },
          "a live Airflow web server or API server; credentials come from AIRGUARD_API_TOKEN or "
          "AIRGUARD_API_USERNAME/AIRGUARD_API_PASSWORD, never the command line")
      ->group(sources);
  scan->add_option_function<std::string>(
          "--api-credentials-file", [options](const std::string& v) { options->api_credentials_file = v; },
          "file holding the API credentials (see the manual)")
      ->group(sources);
  scan->add_option_function<std::string>(
          "--ca-cert", [options](const std::string& v) { options->ca_cert = v; },
          "CA certificate bundle to verify the API server with")
      ->group(sources);
  scan->add_flag("--insecure", options->insecure,
                 "do not verify the API server's TLS certificate (reported as a finding)")
      ->group(sources);
  scan->add_flag("--try-default-credentials", options->try_default_credentials,
                 "try well-known logins such as admin/admin against the API (opt-in)")
      ->group(sources);
  scan->add_option("--api-timeout", options->api_timeout_seconds, "seconds per API request (default 10)")
      ->check(CLI::PositiveNumber)
      ->group(sources);
  scan->add_option("--api-deadline", options->api_deadline_seconds,
                   "seconds for the whole live API phase; a server still answering then leaves the scan "
                   "incomplete (exit 3) (default 60)")
      ->check(CLI::PositiveNumber)
      ->group(sources);
  scan->add_option("--dags", options->dag_dirs,
                   "a DAG or plugin folder to search for hard-coded credentials; repeatable")
      ->group(sources);

  const std::string versions = "Versions and advisories";
  scan->add_option_function<std::string>(
          "--airflow-version", [options](const std::string& v) { options->airflow_version = v; },
          "the Airflow version the checks assume (default: from the API, packages, chart or config)")
      ->group(versions);
  scan->add_option("--packages", options->packages_files,
                   "pip freeze output or a requirements/constraints file with == pins; repeatable")
      ->group(versions);
  scan->add_option("--site-packages", options->site_packages_dirs,
                   "a site-packages folder to read installed versions from; repeatable")
      ->group(versions);
  scan->add_option_function<std::string>(
          "--advisories", [options](const std::string& v) { options->advisories = v; },
          "OSV advisories: a folder, a JSON file or a mirror URL (default: cache, else the built-in snapshot)")
      ->group(versions);
  scan->add_flag("--no-advisories", options->no_advisories, "skip advisory matching")->group(versions);

  const std::string output = "Evaluation and output";
  scan->add_option("--profile", options->profile,
                   "a built-in profile (default, production, pci-dss, gdpr, development) or a YAML file")
      ->group(output);
  scan->add_option("--fail-on", *fail_on, "exit 1 when a finding is at or above this severity (default: the profile's)")
      ->check(CLI::IsMember({"info", "low", "medium", "high", "critical"}, CLI::ignore_case))
      ->group(output);
  scan->add_option("--format", options->formats,
                   "output format, optionally with a destination: text, json, sarif, junit, markdown, "
                   "prometheus; FORMAT=PATH writes to a file; repeatable")
      ->group(output);
  scan->add_option_function<std::string>(
          "-o,--output", [options](const std::string& v) { options->output = v; },
          "write the report to this file (atomically) instead of stdout")
      ->group(output);
  scan->add_option_function<std::string>(
          "--ignore-file", [options](const std::string& v) { options->ignore_file = v; },
          "accepted findings with reasons and expiry dates (default: .airguard-ignore.yaml in DIR)")
      ->group(output);
  scan->add_option_function<std::string>(
          "--baseline", [options](const std::string& v) { options->baseline = v; },
          "a previous JSON report: show what is new and what was fixed since")
      ->group(output);
  scan->add_flag("--show-suppressed", options->show_suppressed, "list ignored findings in the text plan too")
      ->group(output);
  scan->add_flag("--deterministic", options->golden,
                 "no timestamps or durations in the output, for diffs and golden tests")
      ->group(output);
  scan->add_option("--today", options->today,
                   "the date to judge expiry and feed age by (YYYY-MM-DD; default: today, UTC)")
      ->group(output);
  scan->add_option("--color", *color, "colour in the text plan: auto, always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->group(output);
  scan->add_flag("--progress", options->progress,
                 "show progress of long DAG scans and of the live API phase on stderr (default: when stderr is "
                 "a terminal)")
      ->group(output);
  scan->add_flag("-q,--quiet", options->quiet, "print only the report: no progress or notes on stderr")->group(output);

  CommandHandle handle;
  handle.app = scan;
  handle.run = [options, color, fail_on, directory]() {
    if (!directory->empty()) options->directory = *directory;
    if (!fail_on->empty()) options->fail_on = parse_severity(*fail_on);
    return run_scan_command(*options, *color);
  };
  return handle;
}

}  // namespace airguard
