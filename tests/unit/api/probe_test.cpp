#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <iostream>

#include "core/http_client.hpp"
#include "fake_airflow.hpp"
#include "sources/api/api_probe.hpp"

using namespace airguard;
using airguard::testing::FakeAirflow;
using airguard::testing::FakeAirflowScenario;
using airguard::testing::TempDir;

namespace {

ApiProbeOptions options_for(const FakeAirflow& server, bool with_credentials, const FakeAirflowScenario& s) {
  ApiProbeOptions options;
  options.base_url = server.url();
  options.http.honour_proxy_environment = false;  // tests reach loopback only
  options.http.total_timeout_seconds = 5;
  options.http.retry_backoff_seconds = 0.01;
  options.today = "2026-03-13";
  if (with_credentials) options.credentials.basic = BasicCredentials{s.username, s.password};
  options.credentials.source = "test";
  return options;
}

bool has_problem(const ApiFacts& facts, const std::string& text) {
  return std::any_of(facts.problems.begin(), facts.problems.end(),
                     [&](const Diagnostic& d) { return d.format().find(text) != std::string::npos; });
}

}  // namespace

TEST_CASE("Airflow 2, locked down: anonymous probes refused, credentials read everything", "[api][probe]") {
  FakeAirflowScenario s;
  s.extra_connections = 250;  // three pages
  FakeAirflow server(s);
  ApiFacts facts = probe_api(options_for(server, true, s));
  CHECK(facts.reachable);
  CHECK(facts.api_major == 2);
  CHECK(facts.airflow_version == "2.11.1");
  CHECK(facts.health_summary == "metadatabase=healthy scheduler=healthy");
  CHECK(facts.credential_kind == "basic");
  CHECK(facts.authenticated);
  REQUIRE(facts.probe("anonymous.connections") != nullptr);
  CHECK(facts.probe("anonymous.connections")->status == 401);
  REQUIRE(facts.connections.has_value());
  CHECK(facts.connections->size() == 251);                                              // every page read
  CHECK(facts.connections->front().extra_keys == std::vector<std::string>{"sslmode"});  // details read on 2.x
  REQUIRE(facts.providers.has_value());
  CHECK(facts.providers->size() == 2);
  CHECK_FALSE(facts.config_returned);
  CHECK(has_problem(facts, "expose_config is off"));
  REQUIRE(facts.users.has_value());
  CHECK(facts.users->size() == 2);
  REQUIRE(facts.import_errors.has_value());
  CHECK(facts.import_errors->front().stack_trace_has_paths);
}

TEST_CASE("Airflow 3, anonymous API: everything open, JWT exchange not needed", "[api][probe]") {
  FakeAirflowScenario s;
  s.major = 3;
  s.version = "3.1.8";
  s.anonymous_open = true;
  s.expose_config = true;
  s.config_secrets_unmasked = true;
  s.security_headers = false;
  s.server_version_header = true;
  FakeAirflow server(s);
  ApiFacts facts = probe_api(options_for(server, false, s));
  CHECK(facts.api_major == 3);
  CHECK(facts.airflow_version == "3.1.8");
  for (const char* name :
       {"anonymous.dags", "anonymous.connections", "anonymous.variables", "anonymous.config", "anonymous.users"}) {
    INFO(name);
    REQUIRE(facts.probe(name) != nullptr);
    CHECK(facts.probe(name)->status == 200);
    CHECK(facts.probe(name)->json_valid);
  }
  CHECK(facts.probe("anonymous.connections")->path == "/api/v2/connections");
  CHECK_FALSE(facts.http.x_frame_options.has_value());
  REQUIRE(facts.http.disclosure_headers.size() == 1);
  CHECK(facts.http.disclosure_headers[0].value == "gunicorn/20.1.0");
}

TEST_CASE("Airflow 3 with username and password: token exchange, then insecure data found", "[api][probe]") {
  FakeAirflowScenario s;
  s.major = 3;
  s.version = "3.0.2";
  s.expose_config = true;
  s.config_secrets_unmasked = true;
  s.insecure_connections = true;
  s.admins = 5;
  s.public_role_permissions = true;
  s.example_dags = true;
  s.sensitive_variables = true;
  s.default_admin_password = true;
  FakeAirflow server(s);
  ApiProbeOptions options = options_for(server, true, s);
  options.try_default_credentials = true;
  ApiFacts facts = probe_api(options);
  CHECK(facts.credential_kind == "jwt-exchange");
  CHECK(facts.authenticated);
  CHECK(facts.config_returned);
  CHECK(std::any_of(facts.config.begin(), facts.config.end(),
                    [](const ApiConfigOption& o) { return o.key == "fernet_key" && !o.masked && o.value == "****"; }));
  REQUIRE(facts.connections.has_value());
  REQUIRE(facts.connections->size() == 2);
  CHECK((*facts.connections)[0].sslmode_disabled);
  CHECK((*facts.connections)[1].verification_disabled);
  CHECK((*facts.connections)[1].visible_secret_keys == std::vector<std::string>{"client_secret_value"});
  REQUIRE(facts.users.has_value());
  CHECK(facts.users->size() == 6);
  REQUIRE(facts.roles.has_value());
  REQUIRE(facts.variables.has_value());
  CHECK(facts.variables->size() == 3);
  REQUIRE(facts.dag_ids.has_value());
  CHECK(facts.dag_ids->size() == 3);
  CHECK(facts.default_credentials_accepted == std::vector<std::string>{"admin"});
}

TEST_CASE("wrong credentials are a warning, the anonymous part still runs", "[api][probe]") {
  FakeAirflowScenario s;
  FakeAirflow server(s);
  ApiProbeOptions options = options_for(server, true, s);
  options.credentials.basic->password = "wrong";
  ApiFacts facts = probe_api(options);
  CHECK(facts.api_major == 2);
  CHECK_FALSE(facts.authenticated);
  CHECK(has_problem(facts, "credentials were refused (401)"));
  CHECK_FALSE(has_problem(facts, "wrong"));
}

TEST_CASE("failures are diagnostics: 500s, malformed JSON, oversized bodies", "[api][probe]") {
  SECTION("500") {
    FakeAirflowScenario s;
    s.error_status = 500;
    FakeAirflow server(s);
    ApiFacts facts = probe_api(options_for(server, true, s));
    CHECK(facts.api_major == 2);
    CHECK(has_problem(facts, "server error (500)"));
  }
  SECTION("malformed JSON") {
    FakeAirflowScenario s;
    s.malformed_json = true;
    FakeAirflow server(s);
    ApiFacts facts = probe_api(options_for(server, true, s));
    CHECK(has_problem(facts, "/api/v1/connections?limit=100&offset=0: error: answer is not valid JSON"));
  }
  SECTION("oversized") {
    FakeAirflowScenario s;
    s.oversized_bytes = 300000;
    FakeAirflow server(s);
    ApiProbeOptions options = options_for(server, true, s);
    options.http.max_body_bytes = 100000;
    ApiFacts facts = probe_api(options);
    CHECK(facts.api_major == 2);
    CHECK(has_problem(facts, "larger than the 100000 byte limit"));
  }
}

TEST_CASE("a hanging server times out and the API counts as unreadable", "[api][probe]") {
  FakeAirflowScenario s;
  s.hang = true;
  FakeAirflow server(s);
  ApiProbeOptions options = options_for(server, false, s);
  options.http.total_timeout_seconds = 0.5;
  ApiFacts facts = probe_api(options);
  CHECK_FALSE(facts.reachable);
  CHECK(has_problem(facts, "no complete answer within 0.5 s"));
}

TEST_CASE("unreachable host: one clear line", "[api][probe]") {
  int port = 0;
  {
    FakeAirflowScenario s;
    FakeAirflow server(s);
    port = server.port();
  }  // stopped: nothing listens there now
  ApiProbeOptions options;
  options.base_url = "http://127.0.0.1:" + std::to_string(port);
  options.http.honour_proxy_environment = false;
  options.http.retry_backoff_seconds = 0.01;
  ApiFacts facts = probe_api(options);
  CHECK_FALSE(facts.reachable);
  REQUIRE(facts.problems.size() == 1);
  CHECK(facts.problems[0].message.find("connection failed") != std::string::npos);
}

TEST_CASE("a redirect to another host is not followed and credentials never reach it", "[api][probe]") {
  FakeAirflowScenario other_scenario;
  FakeAirflow other(other_scenario);
  FakeAirflowScenario s;
  s.redirect_to = "http://localhost:" + std::to_string(other.port());  // another origin
  FakeAirflow server(s);
  ApiFacts facts = probe_api(options_for(server, true, s));
  CHECK(facts.api_major == 2);
  CHECK(has_problem(facts, "redirect to another origin"));
  CHECK(other.requests() == 0);
  CHECK(other.authorization_headers().empty());
}

TEST_CASE("HTTPS with a throwaway CA: verified with --ca-cert, refused without, facts read", "[api][probe][tls]") {
  TempDir dir;
  const auto tls = airguard::testing::make_test_certificates(dir.path, 20);
  FakeAirflowScenario s;
  FakeAirflow server(s, &tls);
  SECTION("trusted CA") {
    ApiProbeOptions options = options_for(server, true, s);
    options.http.ca_file = tls.ca_cert;
    ApiFacts facts = probe_api(options);
    CHECK(facts.api_major == 2);
    REQUIRE(facts.http.tls.has_value());
    CHECK(facts.http.tls->verified);
    CHECK((facts.http.tls->protocol == "TLSv1.3" || facts.http.tls->protocol == "TLSv1.2"));
    REQUIRE(facts.http.tls->chain.size() >= 1);
    CHECK(facts.http.tls->chain[0].subject == "/CN=127.0.0.1");
    CHECK(facts.http.tls->chain[0].days_to_expiry >= 19);
    CHECK(facts.http.tls->chain[0].days_to_expiry <= 20);
    CHECK(facts.http.hsts.has_value());
  }
  SECTION("unknown CA") {
    ApiProbeOptions options = options_for(server, true, s);
    ApiFacts facts = probe_api(options);
    CHECK_FALSE(facts.reachable);
    CHECK_FALSE(facts.http.tls_error.empty());
    REQUIRE(facts.http.tls_unverified.has_value());  // read again without verification, no credentials
    CHECK(facts.http.tls_unverified->chain[0].issuer == "/CN=airguard test CA");
    CHECK(server.authorization_headers().empty());
  }
  SECTION("--insecure") {
    ApiProbeOptions options = options_for(server, false, s);
    options.http.insecure = true;
    ApiFacts facts = probe_api(options);
    CHECK(facts.reachable);
    CHECK(facts.insecure);
    REQUIRE(facts.http.tls.has_value());
    CHECK_FALSE(facts.http.tls->verified);
  }
}

TEST_CASE("http client: same-origin redirects followed, conditional headers, retries on 503", "[api][http]") {
  FakeAirflowScenario s;
  FakeAirflow server(s);
  HttpClientOptions options;
  options.honour_proxy_environment = false;
  HttpRequest request;
  request.url = server.url() + "/api/v1/version";
  request.if_none_match = "\"abc\"";
  HttpOutcome outcome = http_perform(request, options);
  REQUIRE(outcome.ok());
  CHECK(outcome.response->status == 200);
  CHECK(outcome.response->header("content-type").value() == "application/json");
  CHECK(url_origin("HTTPS://Example.com/x") == "https://example.com:443");
  CHECK(url_for_display("https://u:pw@h/x?token=abc") == "https://h/x?token=****");
  CHECK_FALSE(http_get("ftp://127.0.0.1/", options).ok());
}

// Benchmark (hidden; run by scripts/bench-api): twenty probes against a server with 200 ms latency.
TEST_CASE("bench: probe phase against a slow server", "[.bench]") {
  FakeAirflowScenario s;
  s.latency_ms = 200;
  FakeAirflow server(s);
  HttpClientOptions options;
  options.honour_proxy_environment = false;
  options.max_concurrency = 32;
  std::vector<HttpRequest> requests(20);
  for (HttpRequest& r : requests) r.url = server.url() + "/api/v1/version";
  http_perform_all({requests.front()}, options);  // warm-up: library initialisation is not the probe phase
  const auto start = std::chrono::steady_clock::now();
  const auto outcomes = http_perform_all(requests, options);
  const double batch_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const auto probe_start = std::chrono::steady_clock::now();
  ApiFacts facts = probe_api(options_for(server, true, s));
  const double probe_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - probe_start).count();
  std::cout << "20 concurrent GETs at 200 ms latency: " << batch_seconds << " s (sequential would be 4 s)\n"
            << "full probe (anonymous + authenticated, " << facts.probes.size() << " probes): " << probe_seconds
            << " s\n";
  CHECK(outcomes.size() == 20);
}
