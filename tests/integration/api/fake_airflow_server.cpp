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
  admins3.fab_users_api_reads_jwt = true;  // Airflow 3.2 with FAB provider 3.2
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

  // Real configurations of Airflow 2.10 and 3.1, each behaviour modelled on Airflow's code (see
  // tests/unit/api/fake_airflow.cpp for the sources).
  FakeAirflowScenario session_only;  // Airflow 2's default [api] auth_backends: the session backend alone
  session_only.version = "2.10.5";
  session_only.auth_backends = "session";
  session_only.sensitive_variables = true;
  all["airflow2-session-only"] = session_only;

  FakeAirflowScenario basic_session;  // basic auth turned on for API clients
  basic_session.version = "2.10.5";
  basic_session.auth_backends = "basic_auth,session";
  basic_session.sensitive_variables = true;
  basic_session.default_admin_password = true;  // the Helm chart's admin/admin
  all["airflow2-basic-session"] = basic_session;

  FakeAirflowScenario default_backend;  // the historic `default` backend, experimental API on
  default_backend.version = "2.10.5";
  default_backend.auth_backends = "default";
  default_backend.experimental_api = true;
  default_backend.x_frame_enabled = false;
  default_backend.security_headers = false;
  all["airflow2-default-backend"] = default_backend;

  FakeAirflowScenario public_viewer;  // AUTH_ROLE_PUBLIC = 'Viewer' in webserver_config.py
  public_viewer.version = "2.10.5";
  public_viewer.auth_role_public = "Viewer";
  all["airflow2-public-viewer"] = public_viewer;

  FakeAirflowScenario simple3;  // Airflow 3.1's default: the Simple auth manager
  simple3.major = 3;
  simple3.version = "3.1.8";
  simple3.auth_manager = "simple";
  simple3.sensitive_variables = true;
  all["airflow3-simple"] = simple3;

  FakeAirflowScenario all_admins3;  // ... with simple_auth_manager_all_admins = True
  all_admins3.major = 3;
  all_admins3.version = "3.1.8";
  all_admins3.auth_manager = "simple";
  all_admins3.all_admins = true;
  all["airflow3-simple-all-admins"] = all_admins3;

  FakeAirflowScenario fab3;  // the FAB auth manager (provider 2.x), CORS opened to "*"
  fab3.major = 3;
  fab3.version = "3.1.8";
  fab3.auth_manager = "fab";
  fab3.cors_allow_origins = "*";
  all["airflow3-fab"] = fab3;

  FakeAirflowScenario based3;  // served under [api] base_url = https://host/airflow
  based3.major = 3;
  based3.version = "3.1.8";
  based3.auth_manager = "simple";
  based3.base_path = "/airflow";
  all["airflow3-base-path"] = based3;

  FakeAirflowScenario sso;  // a single-sign-on proxy in front of Airflow
  sso.sso_proxy = true;
  all["sso-proxy"] = sso;

  // A large deployment for scripts/bench-api: 5,000 connections, 10,000 variables and 2,000 users
  // behind 200 ms of latency per answer.
  FakeAirflowScenario large;
  large.major = 3;
  large.version = "3.1.8";
  large.auth_manager = "fab";
  large.fab_users_api_reads_jwt = true;
  large.extra_connections = 5000;
  large.extra_variables = 10000;
  large.extra_users = 2000;
  large.latency_ms = 200;
  all["bench-large-3"] = large;

  // Hostile servers for the live API phase's bounds (tests/integration/api/hostile_test.py).
  FakeAirflowScenario big_pages;  // 110,000 entries in every list page (about 7 MB, under the 8 MiB body limit),
                                  // whatever limit asked for
  big_pages.items_per_page = 110'000;
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
