// airguard: a hardening scanner for Apache Airflow deployments. All logic lives in the library.
#include <string>
#include <vector>

#include "app/run.hpp"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return airguard::run_cli(args);
}
