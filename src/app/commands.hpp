#pragma once
#include <functional>

namespace CLI {
class App;
}

// Each subcommand registers itself on the root CLI11 app and hands back the function that runs it
// once the command line parsed; app/run.cpp lists them in one table.
namespace airguard {

struct CommandHandle {
  CLI::App* app = nullptr;
  std::function<int()> run;  // returns the exit status (core/exit_codes.hpp)
};

CommandHandle add_scan_command(CLI::App& root);        // app/scan_command.cpp
CommandHandle add_checks_command(CLI::App& root);      // app/checks_command.cpp
CommandHandle add_profiles_command(CLI::App& root);    // app/checks_command.cpp
CommandHandle add_config_command(CLI::App& root);      // app/config_command.cpp
CommandHandle add_advisories_command(CLI::App& root);  // app/advisories_command.cpp

}  // namespace airguard
