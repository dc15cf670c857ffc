// airguard: a hardening scanner for Apache Airflow deployments. All logic lives in the library.
#include <string>
#include <vector>

#include "app/run.hpp"
#include "core/process_exit.hpp"

int main(int argc, char** argv) {
  airguard::set_exit_after_command(true);
  const std::vector<std::string> args(argv + 1, argv + argc);
  airguard::end_process(airguard::run_cli(args));
}
