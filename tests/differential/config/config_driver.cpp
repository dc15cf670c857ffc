// `airguard config` on its own root app, so the differential and corpus tests exercise the
// command's real code path (options, collection, resolution, JSON) without the rest of the CLI.
#include <CLI/CLI.hpp>

#include "app/commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{"airguard config test driver"};
  app.require_subcommand(1);
  const airguard::CommandHandle config = airguard::add_config_command(app);
  CLI11_PARSE(app, argc, argv);
  return config.run();
}
