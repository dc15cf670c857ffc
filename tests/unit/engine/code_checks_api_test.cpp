#include <catch2/catch.hpp>

#include <algorithm>

#include "core/file_io.hpp"
#include "engine/check_loader.hpp"
#include "engine/code_checks.hpp"
#include "sources/api/api_parse.hpp"

// The API checks on answers shaped exactly as Airflow's own serializers build them; each body cites
// the code it copies.
using namespace airguard;

namespace {

std::vector<Finding> run_check(const std::string& id, const ApiFacts& api) {
  Snapshot snapshot;
  snapshot.api = api;
  CheckDef check;
  check.id = id;
  check.severity = Severity::medium;
  const auto& registry = code_check_registry();
  const auto entry =
      std::find_if(registry.begin(), registry.end(), [&](const CodeCheckEntry& e) { return e.id == id; });
  REQUIRE(entry != registry.end());
  return entry->run(snapshot, check, Profile{});
}

ApiFacts api_with_connections(int major, std::string_view body) {
  ApiFacts api;
  api.base_url = "http://127.0.0.1:8080";
  api.api_major = major;
  auto page = parse_connections(body);
  REQUIRE(page.ok());
  api.connections = page->items;
  return api;
}

ApiFacts api_with_variables(int major, std::string_view body) {
  ApiFacts api;
  api.base_url = "http://127.0.0.1:8080";
  api.api_major = major;
  auto page = parse_variables(body);
  REQUIRE(page.ok());
  api.variables = page->items;
  return api;
}

bool any_mentions(const std::vector<Finding>& findings, std::string_view text) {
  return std::any_of(findings.begin(), findings.end(),
                     [&](const Finding& f) { return f.evidence.find(text) != std::string::npos; });
}

const CheckDef& api_check(const std::string& id) {
  static const std::vector<CheckDef> checks = [] {
    Result<std::string> text = read_text_file(std::string(AIRGUARD_SOURCE_DIR) + "/checks/api/api.yaml");
    REQUIRE(text.ok());
    Diagnostics problems;
    std::vector<CheckDef> loaded = parse_checks_file(*text, "checks/api/api.yaml", problems);
    REQUIRE(problems.empty());
    return loaded;
  }();
  const auto found = std::find_if(checks.begin(), checks.end(), [&](const CheckDef& c) { return c.id == id; });
  REQUIRE(found != checks.end());
  return *found;
}

}  // namespace

TEST_CASE("AFH-API-010: an http connection is plain text only when HttpHook would use http://", "[api][checks]") {
  // Airflow 2 list items: ConnectionCollectionItemSchema (api_connexion/schemas/connection_schema.py:29-43 at
  // 4ef847b7d2) sends schema but neither password nor extra. HttpHook takes the host's scheme, else
  // `schema`, else http (providers/http/hooks/http.py:112-118 at 4ef847b7d2).
  const ApiFacts api = api_with_connections(2, R"({"connections": [
    {"connection_id": "tls_by_schema", "conn_type": "http", "description": null, "host": "api.example.com",
     "login": "svc", "schema": "https", "port": 443},
    {"connection_id": "tls_by_host", "conn_type": "http", "description": null, "host": "https://api.example.com",
     "login": null, "schema": null, "port": null},
    {"connection_id": "plain_default", "conn_type": "http", "description": null, "host": "api.example.com",
     "login": null, "schema": null, "port": null},
    {"connection_id": "plain_host_wins", "conn_type": "http", "description": null, "host": "http://api.example.com",
     "login": null, "schema": "https", "port": null},
    {"connection_id": "db", "conn_type": "postgres", "description": null, "host": "db.internal",
     "login": "etl", "schema": "airflow", "port": 5432},
    {"connection_id": "files", "conn_type": "ftp", "description": null, "host": "ftp.example.com",
     "login": "u", "schema": null, "port": 21}
  ], "total_entries": 6})");
  const std::vector<Finding> findings = run_check("AFH-API-010", api);
  std::vector<std::string> keys;
  for (const Finding& finding : findings) keys.push_back(finding.key);
  CHECK(keys == std::vector<std::string>{"/api/v1/connections/plain_default", "/api/v1/connections/plain_host_wins",
                                         "/api/v1/connections/files"});
  CHECK(any_mentions(findings, "connection 'plain_default' type http is used over http:// (host api.example.com)"));
  CHECK(any_mentions(findings, "connection 'files' type ftp is used over ftp://"));
}

TEST_CASE("AFH-API-012: names that only point at a credential and values Airflow masked are not findings",
          "[api][checks]") {
  // Airflow 3: ConnectionResponse sends the password through redact(v, "password") and the extra as
  // json.dumps(redact(json.loads(extra))) (api_fastapi/core_api/datamodels/connections.py:46-64 at
  // dda8d27867); redact masks every string under a sensitive key, numbers stay
  // (secrets_masker.py:318-342 at dda8d27867). auth_type, client_id, key_id are no sensitive words.
  const ApiFacts api = api_with_connections(3, R"({"connections": [
    {"connection_id": "http_basic", "conn_type": "http", "description": null, "host": "api.example.com",
     "login": "svc", "schema": "https", "port": null, "password": "***",
     "extra": "{\"auth_type\": \"requests.auth.HTTPBasicAuth\", \"client_id\": \"airflow-prod\", \"key_id\": \"k-2024\", \"token_url\": \"https://idp.example.com/token\", \"headers\": {\"Authorization\": \"***\", \"Accept\": \"application/json\"}}",
     "team_name": null},
    {"connection_id": "gcp", "conn_type": "google_cloud_platform", "description": null, "host": null,
     "login": null, "schema": null, "port": null, "password": null,
     "extra": "{\"keyfile_dict\": {\"type\": \"***\", \"project_id\": \"***\", \"private_key\": \"***\", \"client_email\": \"***\", \"token_uri\": \"***\"}, \"num_retries\": 5}",
     "team_name": null},
    {"connection_id": "gcp_string", "conn_type": "google_cloud_platform", "description": null, "host": null,
     "login": null, "schema": null, "port": null, "password": null,
     "extra": "{\"project\": \"p\", \"key_json\": \"{\\\"private_key\\\": \\\"***\\\", \\\"client_secret\\\": \\\"***\\\", \\\"retries\\\": 3}\"}",
     "team_name": null}
  ], "total_entries": 3})");
  CHECK(run_check("AFH-API-012", api).empty());
}

TEST_CASE("AFH-API-012: credentials that came back in clear are named, never shown", "[api][checks]") {
  // The same answer with [core] hide_sensitive_var_conn_fields = False: the masker leaves every value
  // (secrets_masker.py:551-559 at dda8d27867), so what it would have masked is in clear.
  const ApiFacts api = api_with_connections(3, R"({"connections": [
    {"connection_id": "oauth", "conn_type": "http", "description": null, "host": "api.example.com",
     "login": "svc", "schema": "https", "port": null, "password": "pw-visible-7731",
     "extra": "{\"auth_type\": \"requests.auth.HTTPBasicAuth\", \"client_id\": \"airflow-prod\", \"client_secret\": \"cs-visible-9182\", \"headers\": {\"Authorization\": \"Bearer tok-visible-5521\"}, \"keyfile_dict\": {\"type\": \"***\", \"private_key\": \"pk-visible-6610\"}}",
     "team_name": null}
  ], "total_entries": 1})");
  const std::vector<Finding> findings = run_check("AFH-API-012", api);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].evidence ==
        "connection 'oauth' returned unmasked: password, extra.client_secret, extra.headers.Authorization, "
        "extra.keyfile_dict (values withheld here)");
  for (const char* secret : {"pw-visible", "cs-visible", "tok-visible", "pk-visible", "auth_type", "client_id"}) {
    CHECK(findings[0].evidence.find(secret) == std::string::npos);
  }
}

TEST_CASE("AFH-API-013: a variable is judged by the value the API returned", "[api][checks]") {
  // Airflow 3 (api_fastapi/core_api/datamodels/variables.py:41-52 at dda8d27867): a plain value is masked by
  // the variable's name, a JSON value only by its own keys one level deep, never by the name.
  const ApiFacts v3 = api_with_variables(3, R"({"variables": [
    {"key": "api_token", "value": "***", "description": null, "is_encrypted": true, "team_name": null},
    {"key": "db_password", "value": "{\"user\": \"etl\", \"pw\": \"p-4711-visible\"}", "description": null,
     "is_encrypted": true, "team_name": null},
    {"key": "vault_secret", "value": "{\"password\": \"***\", \"token\": \"***\", \"port\": 8200}", "description": null,
     "is_encrypted": true, "team_name": null},
    {"key": "customer_email", "value": "jane@example.com", "description": null, "is_encrypted": true, "team_name": null},
    {"key": "billing_card", "value": "***", "description": null, "is_encrypted": true, "team_name": null},
    {"key": "etl_settings", "value": "{\"db\": {\"password\": \"p-9090-visible\"}, \"retries\": 3}",
     "description": null, "is_encrypted": true, "team_name": null},
    {"key": "client_id", "value": "airflow-prod", "description": null, "is_encrypted": true, "team_name": null},
    {"key": "batch_size", "value": "500", "description": null, "is_encrypted": true, "team_name": null}
  ], "total_entries": 8})");
  const std::vector<Finding> findings = run_check("AFH-API-013", v3);
  std::vector<std::string> keys;
  for (const Finding& finding : findings) keys.push_back(finding.key);
  CHECK(keys == std::vector<std::string>{"/api/v2/variables/db_password", "/api/v2/variables/customer_email",
                                         "/api/v2/variables/etl_settings"});
  CHECK(any_mentions(findings,
                     "variable 'db_password' is named as a secret and its value was returned in clear (Airflow 3 "
                     "masks a JSON value only by the keys inside it) (withheld here)"));
  CHECK(any_mentions(findings,
                     "variable 'etl_settings' holds credentials returned in clear in its JSON value: db.password"));
  for (const Finding& finding : findings) CHECK(finding.evidence.find("visible") == std::string::npos);
}

TEST_CASE("AFH-API-013: the Airflow 2 API returns every variable value unmasked", "[api][checks]") {
  // VariableCollectionSchema nests VariableSchema, whose value is `val` as stored, with no masking
  // (api_connexion/schemas/variable_schema.py:22-34, endpoints/variable_endpoint.py:70-92 at 4ef847b7d2).
  const ApiFacts v2 = api_with_variables(2, R"({"variables": [
    {"key": "db_password", "value": "p-1234-visible", "description": null},
    {"key": "environment", "value": "production", "description": null}
  ], "total_entries": 2})");
  const std::vector<Finding> findings = run_check("AFH-API-013", v2);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].key == "/api/v1/variables/db_password");
  CHECK(findings[0].evidence ==
        "variable 'db_password' is named as a secret and its value was returned in clear (the Airflow 2 API returns "
        "variable values unmasked) (withheld here)");
}

TEST_CASE("AFH-API-021 says what each major version does about X-Frame-Options", "[api][checks]") {
  ApiFacts api;
  api.base_url = "http://127.0.0.1:8080";
  api.http.ui_path = "/home";
  api.api_major = 2;
  std::vector<Finding> findings = run_check("AFH-API-021", api);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].evidence ==
        "no X-Frame-Options header and no CSP frame-ancestors on /home; Airflow 2 sends X-Frame-Options: DENY only "
        "with [webserver] x_frame_enabled = False");
  api.api_major = 3;
  findings = run_check("AFH-API-021", api);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].evidence.ends_with("; Airflow 3 sends neither, so the reverse proxy must add one"));
  api.http.x_frame_options = "DENY";
  CHECK(run_check("AFH-API-021", api).empty());
}

TEST_CASE("API check words follow Airflow's code", "[api][checks]") {
  // init_xframe_protection returns early when x_frame_enabled is True (airflow/www/extensions/
  // init_security.py:39-47 at 4ef847b7d2): the header needs False.
  const CheckFix& frame_fix = api_check("AFH-API-021").fix;
  CHECK(frame_fix.text.find("x_frame_enabled = False") != std::string::npos);
  CHECK(frame_fix.text.find("x_frame_enabled = True") == std::string::npos);
  CHECK(frame_fix.text.find("Airflow 3 has no such option") != std::string::npos);
  // The default backend authenticates nobody; access then is the AUTH_ROLE_PUBLIC role's
  // (api_connexion/security.py:46-60, providers/fab/auth_manager/models/anonymous_user.py:32-50 at 4ef847b7d2).
  const CheckDef& anonymous = api_check("AFH-API-001");
  CHECK(anonymous.rationale.find("This is the state of an API with the `airflow.api.auth.backend.default`") ==
        std::string::npos);
  CHECK(anonymous.rationale.find("AUTH_ROLE_PUBLIC role") != std::string::npos);
  CHECK(api_check("AFH-API-013").rationale.find("returned the value of a variable in clear") != std::string::npos);
  CHECK(api_check("AFH-API-010").fix.text.find("schema to https") != std::string::npos);
}
