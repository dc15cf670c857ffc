#pragma once
#include <string>
#include <vector>

#include "engine/check_loader.hpp"

namespace airguard {

// Runs the pass/fail examples written inside check definitions: each builds a snapshot from the
// example's airflow.cfg, environment, webserver_config.py or Helm values, evaluates that one check
// (enabled, under the example's profile), and compares "fired" with the expectation.
struct ExampleOutcome {
  std::string check_id;
  std::string file;
  int line = 0;
  bool expect_fail = false;
  bool passed = false;
  std::string detail;  // what fired, or why the example could not run
};

std::vector<ExampleOutcome> run_check_examples(const CheckCatalog& catalog, const std::string& only_id = "");

}  // namespace airguard
