// The `advisories` command alone on a root app, so its output can be tested through the same
// CLI11 wiring the airguard binary uses.
#include <CLI/CLI.hpp>

#include "app/commands.hpp"

int main(int argc, char** argv) {
  CLI::App root{"airguard", "airguard"};
  root.require_subcommand(1);
  airguard::CommandHandle advisories = airguard::add_advisories_command(root);
  try {
    root.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return root.exit(e);
  }
  return advisories.run();
}
