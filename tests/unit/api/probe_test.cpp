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
  // FAB's default AUTH_ROLE_PUBLIC ("Public") lets anonymous callers through authentication; the
  // Public role then refuses them (Airflow 2.9.1+, api_connexion/security.py).
  CHECK(facts.probe("anonymous.connections")->status == 403);
  CHECK(has_problem(facts, "refused by the Public role's permissions (403)"));
  REQUIRE(facts.connections.has_value());
  CHECK(facts.connections->size() == 253);                                              // every page read
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
  CHECK(facts.auth_manager == "simple");
  CHECK(facts.all_admins);  // what opens Airflow 3 to everyone
  // The Simple auth manager serves no users API: its /auth/ catch-all answers an HTML page.
  REQUIRE(facts.probe("anonymous.users") != nullptr);
  CHECK(facts.probe("anonymous.users")->status == 200);
  CHECK_FALSE(facts.probe("anonymous.users")->json_valid);
  CHECK(facts.probe("anonymous.users")->content_type == "text/html");
  for (const char* name : {"anonymous.dags", "anonymous.connections", "anonymous.variables", "anonymous.config"}) {
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
  s.fab_users_api_reads_jwt = true;
  FakeAirflow server(s);
  ApiProbeOptions options = options_for(server, true, s);
  options.try_default_credentials = true;
  ApiFacts facts = probe_api(options);
  CHECK(facts.credential_kind == "jwt-exchange");
  CHECK(facts.auth_manager == "fab");
  CHECK_FALSE(facts.login_tells_users_apart.has_value());  // one 401 for an unknown user and a wrong password
  CHECK(facts.authenticated);
  CHECK(facts.config_returned);
  CHECK(std::any_of(facts.config.begin(), facts.config.end(),
                    [](const ApiConfigOption& o) { return o.key == "fernet_key" && !o.masked && o.value == "****"; }));
  REQUIRE(facts.connections.has_value());
  REQUIRE(facts.connections->size() == 4);
  CHECK((*facts.connections)[0].sslmode_disabled);
  CHECK((*facts.connections)[3].verification_disabled);
  CHECK((*facts.connections)[3].visible_secret_keys == std::vector<std::string>{"client_secret_value"});
  REQUIRE(facts.users.has_value());
  CHECK(facts.users->size() == 6);
  REQUIRE(facts.roles.has_value());
  REQUIRE(facts.variables.has_value());
  CHECK(facts.variables->size() == 4);
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
  // Basic auth answers 403 (FAB's default Public role), and the UI login refuses them too.
  CHECK(has_problem(facts, "credentials were refused by the REST API (403) and by the UI login"));
  CHECK_FALSE(has_problem(facts, "wrong"));
  CHECK(std::find(facts.incomplete_reasons.begin(), facts.incomplete_reasons.end(),
                  "the credentials were refused by the REST API (403) and by the UI login; only anonymous probes "
                  "ran") != facts.incomplete_reasons.end());
}

TEST_CASE("Airflow 2 with the session backend alone: basic auth is off, the UI login reads the API", "[api][probe]") {
  FakeAirflowScenario s;
  s.version = "2.10.5";
  s.auth_backends = "session";  // Airflow 2's default [api] auth_backends
  FakeAirflow server(s);
  ApiFacts facts = probe_api(options_for(server, true, s));
  CHECK(facts.credential_kind == "ui-session");
  CHECK(facts.authenticated);
  CHECK(has_problem(facts, "basic auth is not enabled on the REST API"));
  CHECK(facts.incomplete_reasons.empty());
  REQUIRE(facts.connections.has_value());
  CHECK(facts.connections->size() == 3);
  REQUIRE(facts.users.has_value());
  // The Authorization header never carried the password once basic auth proved useless.
  std::size_t basic_headers = 0;
  for (const std::string& header : server.authorization_headers()) basic_headers += header.rfind("Basic ", 0) == 0;
  CHECK(basic_headers == 1);
}

TEST_CASE("Airflow 2 default credentials are tried through the UI login", "[api][probe]") {
  FakeAirflowScenario s;
  s.version = "2.10.5";
  s.auth_backends = "session";
  s.default_admin_password = true;  // the Helm chart's admin/admin
  FakeAirflow server(s);
  ApiProbeOptions options = options_for(server, false, s);
  options.try_default_credentials = true;
  ApiFacts facts = probe_api(options);
  CHECK(facts.default_credentials_accepted == std::vector<std::string>{"admin"});
}

TEST_CASE("Airflow 3 token diagnoses: an invalid JWT, FAB 2.x's users API", "[api][probe]") {
  SECTION("a token this server did not sign: 403 Invalid JWT token") {
    FakeAirflowScenario s;
    s.major = 3;
    s.version = "3.1.8";
    s.auth_manager = "simple";
    FakeAirflow server(s);
    ApiProbeOptions options = options_for(server, false, s);
    options.credentials.token = "not-from-this-server";
    options.credentials.source = "AIRGUARD_API_TOKEN";
    ApiFacts facts = probe_api(options);
    CHECK(has_problem(facts, "the token was refused (403 Invalid JWT token)"));
    CHECK_FALSE(has_problem(facts, "may not read this"));
    REQUIRE(facts.incomplete_reasons.size() == 1);
    CHECK(facts.incomplete_reasons[0].find("(403 Invalid JWT token)") != std::string::npos);
  }
  SECTION("FAB provider 2.x: users and roles ignore the JWT, the rest is read") {
    FakeAirflowScenario s;
    s.major = 3;
    s.version = "3.1.8";
    FakeAirflow server(s);
    ApiFacts facts = probe_api(options_for(server, true, s));
    CHECK(facts.auth_manager == "fab");
    CHECK(facts.authenticated);
    CHECK(has_problem(facts, "does not accept the API token before FAB provider 3.2.0"));
    CHECK_FALSE(facts.users.has_value());
    CHECK(facts.incomplete_reasons.empty());
  }
  SECTION("Simple auth manager: users and roles are not asked for, the scan is complete") {
    FakeAirflowScenario s;
    s.major = 3;
    s.version = "3.1.8";
    s.auth_manager = "simple";
    FakeAirflow server(s);
    ApiFacts facts = probe_api(options_for(server, true, s));
    CHECK(facts.auth_manager == "simple");
    CHECK_FALSE(facts.all_admins);
    CHECK(facts.incomplete_reasons.empty());
    for (const std::string& path : server.paths()) CHECK(path.find("/auth/fab/v1/roles") == std::string::npos);
    CHECK_FALSE(std::any_of(facts.problems.begin(), facts.problems.end(),
                            [](const Diagnostic& d) { return d.level == Diagnostic::Level::error; }));
  }
}

TEST_CASE("probes public scanners run: experimental API, CORS, a server that is not Airflow", "[api][probe]") {
  SECTION("the default backend opens Airflow 2's experimental API") {
    FakeAirflowScenario s;
    s.version = "2.10.5";
    s.auth_backends = "default";
    s.experimental_api = true;
    FakeAirflow server(s);
    ApiFacts facts = probe_api(options_for(server, false, s));
    REQUIRE(facts.probe("anonymous.experimental") != nullptr);
    CHECK(facts.probe("anonymous.experimental")->status == 200);
    CHECK(facts.probe("anonymous.experimental")->json_valid);
  }
  SECTION("the session backend first keeps it closed") {
    FakeAirflowScenario s;
    s.version = "2.10.5";
    s.auth_backends = "session";
    s.experimental_api = true;
    FakeAirflow server(s);
    ApiFacts facts = probe_api(options_for(server, false, s));
    REQUIRE(facts.probe("anonymous.experimental") != nullptr);
    CHECK(facts.probe("anonymous.experimental")->status == 401);
  }
  SECTION("Airflow 3 with access_control_allow_origins = * echoes any origin with credentials") {
    FakeAirflowScenario s;
    s.major = 3;
    s.version = "3.1.8";
    s.cors_allow_origins = "*";
    FakeAirflow server(s);
    ApiFacts facts = probe_api(options_for(server, false, s));
    CHECK(facts.http.cors_allow_origin == facts.http.cors_origin_sent);
    CHECK(facts.http.cors_allow_credentials);
  }
  SECTION("Airflow 2 answers \"*\" without credentials") {
    FakeAirflowScenario s;
    s.cors_allow_origins = "*";
    FakeAirflow server(s);
    ApiFacts facts = probe_api(options_for(server, false, s));
    CHECK(facts.http.cors_allow_origin == "*");
    CHECK_FALSE(facts.http.cors_allow_credentials);
  }
  SECTION("a single sign-on proxy is not taken for Airflow") {
    FakeAirflowScenario s;
    s.sso_proxy = true;
    FakeAirflow server(s);
    ApiFacts facts = probe_api(options_for(server, true, s));
    CHECK(facts.api_major == 0);
    CHECK(facts.probe("anonymous.connections") == nullptr);
    REQUIRE(facts.incomplete_reasons.size() == 1);
    CHECK(facts.incomplete_reasons[0].find("could not be identified as Airflow") != std::string::npos);
  }
  SECTION("behind a base path") {
    FakeAirflowScenario s;
    s.major = 3;
    s.version = "3.1.8";
    s.auth_manager = "simple";
    s.base_path = "/airflow";
    FakeAirflow server(s);
    ApiProbeOptions options = options_for(server, true, s);
    options.base_url = server.url() + "/airflow/";
    ApiFacts facts = probe_api(options);
    CHECK(facts.airflow_version == "3.1.8");
    CHECK(facts.authenticated);
    REQUIRE(facts.connections.has_value());
    CHECK(facts.connections->size() == 3);
  }
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
