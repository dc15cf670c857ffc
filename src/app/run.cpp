#include "app/run.hpp"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <iterator>
#include <string_view>

#include "app/commands.hpp"
#include "core/exit_codes.hpp"

namespace airguard {

int run_cli(const std::vector<std::string>& args) {
  CLI::App app{
      "airguard: harden Apache Airflow deployments.\n"
      "Reads airflow.cfg, AIRFLOW__* variables, webserver_config.py, Helm values and the live REST API the way\n"
      "Airflow does, and prints a remediation plan, most urgent first.",
      "airguard"};
  app.set_version_flag("--version", fmt::format("airguard {}", AIRGUARD_VERSION));
  app.require_subcommand(1);
  app.footer(
      "Exit status: 0 nothing at or above --fail-on; 1 findings at or above it; 2 usage error or invalid input;\n"
      "3 a requested source could not be read (the scan is incomplete).\n"
      "Run 'airguard COMMAND --help' for a command's options; 'man airguard' for the manual.");

  // One row per command; the order is the order of --help. A command line that starts with a
  // command's name registers that command alone: building every command's options was a third of
  // the start-up of a scan. Anything else (--help, --version, a mistyped name) sees them all.
  struct Command {
    std::string_view name;
    CommandHandle (*add)(CLI::App&);
  };
  static constexpr Command kCommands[] = {
      {"scan", add_scan_command},         {"config", add_config_command},         {"checks", add_checks_command},
      {"profiles", add_profiles_command}, {"advisories", add_advisories_command},
  };
  const bool named = !args.empty() && std::any_of(std::begin(kCommands), std::end(kCommands),
                                                  [&](const Command& c) { return c.name == args.front(); });
  std::vector<CommandHandle> commands;
  for (const Command& command : kCommands) {
    if (!named || command.name == args.front()) commands.push_back(command.add(app));
  }

  std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 parses a reversed vector
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "airguard: %s\n", e.what());
    std::fprintf(stderr, "Run 'airguard --help' for usage.\n");
    return static_cast<int>(ExitCode::usage_or_input);
  }
  for (const CommandHandle& command : commands) {
    if (command.app != nullptr && command.app->parsed()) return command.run();
  }
  return static_cast<int>(ExitCode::usage_or_input);
}

}  // namespace airguard
