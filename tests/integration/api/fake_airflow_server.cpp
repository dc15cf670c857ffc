// A fake Airflow server for golden tests of `airguard scan --api-url`: starts one named scenario
// on 127.0.0.1, prints "URL CA_FILE" on its first line, and serves until standard input closes.
//   fake_airflow_server SCENARIO
#include <cstdio>
#include <iostream>
#include <map>
#include <string>

#include "fake_airflow.hpp"

using airguard::testing::FakeAirflow;
using airguard::testing::FakeAirflowScenario;

namespace {

std::map<std::string, FakeAirflowScenario> scenarios() {
  std::map<std::string, FakeAirflowScenario> all;
  FakeAirflowScenario locked2;  // Airflow 2, every endpoint behind basic auth, nothing insecure
  locked2.version = "2.11.1";
  all["locked-down-2"] = locked2;

  FakeAirflowScenario open3;
  open3.major = 3;
  open3.version = "3.1.8";
  open3.anonymous_open = true;
  open3.expose_config = true;
  open3.config_secrets_unmasked = true;
  all["anonymous-exposed-3"] = open3;

  FakeAirflowScenario old2;
  old2.version = "2.7.0";
  old2.example_dags = true;
  old2.server_version_header = true;
  old2.security_headers = false;
  all["old-vulnerable-2"] = old2;

  FakeAirflowScenario admins3;
  admins3.major = 3;
  admins3.version = "3.2.1";
  admins3.admins = 6;
  admins3.public_role_permissions = true;
  admins3.insecure_connections = true;
  admins3.sensitive_variables = true;
  all["admins-and-connections-3"] = admins3;

  FakeAirflowScenario broken;
  broken.malformed_json = true;
  all["malformed-json-2"] = broken;

  FakeAirflowScenario failing;
  failing.error_status = 500;
  all["server-error-2"] = failing;

  FakeAirflowScenario big;
  big.oversized_bytes = 20u * 1024u * 1024u;
  all["oversized-body-2"] = big;

  FakeAirflowScenario hanging;
  hanging.hang = true;
  all["hanging-2"] = hanging;

  // Hostile servers for the live API phase's bounds (tests/integration/api/hostile_test.py).
  FakeAirflowScenario big_pages;  // 150,000 entries in every list page, whatever limit asked for
  big_pages.items_per_page = 150'000;
  all["big-pages-2"] = big_pages;

  FakeAirflowScenario drip;
  drip.slow_drip = true;
  all["slow-drip-2"] = drip;

  FakeAirflowScenario elsewhere;  // another origin: nothing listens there, and nothing goes there
  elsewhere.redirect_everything = true;
  elsewhere.redirect_to = "http://127.0.0.2:9";
  all["redirect-elsewhere-2"] = elsewhere;

  FakeAirflowScenario loop;
  loop.redirect_loop = true;
  all["redirect-loop-2"] = loop;

  FakeAirflowScenario refusing;
  refusing.status_everywhere = 401;
  all["refuse-all-2"] = refusing;
  return all;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: fake_airflow_server SCENARIO\n");
    return 2;
  }
  const auto all = scenarios();
  const auto it = all.find(argv[1]);
  if (it == all.end()) {
    std::fprintf(stderr, "fake_airflow_server: unknown scenario %s\n", argv[1]);
    return 2;
  }
  FakeAirflow server(it->second);
  std::cout << server.url() << " -" << std::endl;
  std::string line;
  while (std::getline(std::cin, line)) {
  }
  return 0;
}
