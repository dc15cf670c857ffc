#include <catch2/catch.hpp>

#include <chrono>

#include "core/file_io.hpp"
#include "core/http_client.hpp"
#include "sources/api/api_credentials.hpp"
#include "sources/api/api_parse.hpp"
#include "sources/api/api_probe.hpp"

using namespace airguard;

namespace {
std::string fixture(const std::string& name) {
  Result<std::string> text = read_text_file(std::string(AIRGUARD_SOURCE_DIR) + "/tests/fixtures/api/" + name);
  REQUIRE(text.ok());
  return *text;
}
}  // namespace

TEST_CASE("version answers give the version, other bodies a diagnostic", "[api][parse]") {
  auto info = parse_version_answer(fixture("v1_version.json"));
  REQUIRE(info.ok());
  CHECK(info->version == "2.11.1");
  CHECK_FALSE(parse_version_answer(fixture("html.html")).ok());
  CHECK(parse_version_answer(fixture("html.html")).error().message == "answer is not valid JSON");
  CHECK_FALSE(parse_version_answer("{}").ok());
}

TEST_CASE("users keep roles, last login and active flag; total_entries is read", "[api][parse]") {
  auto page = parse_users(fixture("v1_users.json"));
  REQUIRE(page.ok());
  CHECK(page->total_entries == 7);
  REQUIRE(page->items.size() == 2);
  CHECK(page->items[0].username == "admin");
  CHECK(page->items[0].roles == std::vector<std::string>{"Admin"});
  CHECK(page->items[0].last_login.value() == "2025-01-02T03:04:05.000000+00:00");
  CHECK_FALSE(page->items[1].last_login.has_value());
  CHECK(page->items[1].active == false);
  CHECK(page->items[1].roles.size() == 2);
}

TEST_CASE("roles list their permissions", "[api][parse]") {
  auto page = parse_roles(fixture("v1_roles.json"));
  REQUIRE(page.ok());
  CHECK(page->items[0].name == "Public");
  CHECK(page->items[0].permissions == std::vector<std::string>{"can_read on DAGs"});
  CHECK(page->items[1].permissions.empty());
}

TEST_CASE("connections: insecure settings and visible secrets found, secrets never kept", "[api][parse]") {
  auto page = parse_connections(fixture("v2_connections.json"));
  REQUIRE(page.ok());
  REQUIRE(page->items.size() == 2);
  const ApiConnection& pg = page->items[0];
  CHECK(pg.sslmode_disabled);
  CHECK_FALSE(pg.password_visible);  // "***" is masked
  const ApiConnection& http = page->items[1];
  CHECK(http.password_visible);
  CHECK(http.verification_disabled);
  CHECK(http.visible_secret_keys == std::vector<std::string>{"api_token_x"});  // "password": "***" is masked
  CHECK(http.host.find("hunter22") == std::string::npos);
  CHECK(http.extra_keys.size() == 4);
}

TEST_CASE("config: 3.x [value, source] pairs, masking and redaction", "[api][parse]") {
  auto options = parse_config(fixture("v3_config.json"));
  REQUIRE(options.ok());
  REQUIRE(options->size() == 4);
  const ApiConfigOption& fernet = (*options)[0];
  CHECK(fernet.section == "core");
  CHECK(fernet.sensitive);
  CHECK_FALSE(fernet.masked);
  CHECK(fernet.value == "****");  // the secret itself is not kept
  CHECK((*options)[1].value == "iban");
  CHECK((*options)[2].masked);
  CHECK((*options)[3].value == "True");
}

TEST_CASE("malformed JSON and wrong shapes are diagnostics", "[api][parse]") {
  CHECK_FALSE(parse_connections(fixture("malformed.json")).ok());
  CHECK_FALSE(parse_connections("{\"variables\": []}").ok());
  CHECK(parse_connections("{\"variables\": []}").error().message == "answer has no \"connections\" list");
  CHECK_FALSE(parse_config("[]").ok());
  long total = 0;
  CHECK(is_collection_answer("{\"dags\": [{}, {}], \"total_entries\": 9}", "dags", &total));
  CHECK(total == 9);
  CHECK_FALSE(is_collection_answer(fixture("v1_config_forbidden.json"), "dags"));
}

TEST_CASE("names: what Airflow masks and what looks sensitive", "[api][parse]") {
  CHECK(airflow_masks_name("DB_PASSWORD"));
  CHECK(airflow_masks_name("my_api_key"));
  CHECK_FALSE(airflow_masks_name("customer_iban"));
  CHECK(airflow_masks_name("customer_iban", {"iban"}));
  CHECK(looks_like_credential_name("aws_credentials"));
  CHECK(looks_like_credential_name("signing_key"));
  CHECK_FALSE(looks_like_credential_name("environment"));
  CHECK(looks_like_personal_or_payment_name("customer_card_number"));
  CHECK(looks_like_personal_or_payment_name("lead_email_list"));
  CHECK_FALSE(looks_like_personal_or_payment_name("batch_size"));
  CHECK(is_masked_value("***"));
  CHECK(is_masked_value("< hidden >"));
  CHECK_FALSE(is_masked_value("value"));
}

TEST_CASE("browser-facing headers", "[api][parse]") {
  ApiCookie cookie = parse_set_cookie("session=abc; Path=/; HttpOnly; SameSite=Lax");
  CHECK(cookie.name == "session");
  CHECK(cookie.http_only);
  CHECK_FALSE(cookie.secure);
  CHECK(cookie.same_site == "Lax");
  CHECK(frame_ancestors_directive("default-src 'self'; frame-ancestors 'none'").value() == "frame-ancestors 'none'");
  CHECK_FALSE(frame_ancestors_directive("default-src 'self'").has_value());
  CHECK(header_discloses_version("Server", "gunicorn/20.1.0"));
  CHECK(header_discloses_version("server", "Werkzeug/2.2.3 Python/3.11.4"));
  CHECK_FALSE(header_discloses_version("Server", "nginx"));
  CHECK_FALSE(header_discloses_version("Content-Type", "text/html/1"));
  CHECK(leaks_server_path("File \"/opt/airflow/dags/x.py\", line 3"));
  CHECK_FALSE(leaks_server_path("broken.py"));
}

TEST_CASE("credentials file: KEY=VALUE lines, comments, quotes; errors name the line", "[api][credentials]") {
  auto creds = parse_credentials_file(
      "# scanner account\nAIRGUARD_API_USERNAME=auditor\nexport AIRGUARD_API_PASSWORD=\"p w\"\n", "f");
  REQUIRE(creds.ok());
  REQUIRE(creds->basic.has_value());
  CHECK(creds->basic->username == "auditor");
  CHECK(creds->basic->password == "p w");
  CHECK_FALSE(creds->token.has_value());

  auto typo = parse_credentials_file("AIRGUARD_API_TOKN=abc\n", "f");
  REQUIRE_FALSE(typo.ok());
  CHECK(typo.error().line == 1);
  CHECK(typo.error().message.find("abc") == std::string::npos);

  auto lone = parse_credentials_file("AIRGUARD_API_USERNAME=auditor\n", "f");
  CHECK_FALSE(lone.ok());
  CHECK_FALSE(parse_credentials_file("# nothing\n", "f").ok());
}

TEST_CASE("credentials from the environment", "[api][credentials]") {
  Diagnostics problems;
  auto lookup = [](const std::string& name) -> std::optional<std::string> {
    if (name == "AIRGUARD_API_TOKEN") return std::string("tok");
    if (name == "AIRGUARD_API_USERNAME") return std::string("u");
    return std::nullopt;
  };
  ApiCredentials creds = credentials_from_environment(lookup, problems);
  CHECK(creds.token.value() == "tok");
  CHECK_FALSE(creds.basic.has_value());
  REQUIRE(problems.size() == 1);  // username without password
  CHECK(problems[0].level == Diagnostic::Level::warning);
}

TEST_CASE("base URLs are normalized", "[api]") {
  CHECK(normalize_api_base_url("https://h/api/v2/") == "https://h");
  CHECK(normalize_api_base_url("https://h/airflow/") == "https://h/airflow");
  CHECK(normalize_api_base_url("http://h:8080") == "http://h:8080");
  // Paths are appended to the base: a query or fragment (often a token) has no place in it.
  CHECK(normalize_api_base_url("https://h/api/v2?token=t1#access_token=t2") == "https://h");
  CHECK(normalize_api_base_url("https://h/#access_token=t2") == "https://h");
}

TEST_CASE("URLs are shown without user-info, fragment or secret query values", "[api]") {
  const std::string shown = url_for_display("https://user:pw-1@h:8443/x?token=tok-2&page=3#access_token=tok-3");
  CHECK(shown.find("pw-1") == std::string::npos);
  CHECK(shown.find("user") == std::string::npos);
  CHECK(shown.find("tok-2") == std::string::npos);
  CHECK(shown.find("tok-3") == std::string::npos);
  CHECK(shown.find("page=3") != std::string::npos);
  CHECK(shown.find("h:8443/x") != std::string::npos);
}

TEST_CASE("an answer that is not JSON is described, never quoted", "[api][parse]") {
  const std::string html = "<!DOCTYPE html><html><body>session=sess-secret-1 token=tok-secret-2</body></html>";
  Result<ApiPage<ApiConnection>> page = parse_connections(html);
  REQUIRE_FALSE(page.ok());
  CHECK(page.error().message == "answer is not valid JSON");
  CHECK(page.error().hint.find("HTML page") != std::string::npos);
  CHECK(page.error().hint.find(std::to_string(html.size()) + " bytes") != std::string::npos);
  const std::string words = page.error().message + page.error().hint;
  CHECK(words.find("secret") == std::string::npos);
  CHECK(words.find("session") == std::string::npos);
}

TEST_CASE("an answer nested deeper than any JSON input may be is refused before it is built", "[api][parse]") {
  const std::string deep = "{\"connections\": " + std::string(1000000, '[') + std::string(1000000, ']') + "}";
  Result<ApiPage<ApiConnection>> page = parse_connections(deep);
  REQUIRE_FALSE(page.ok());
  CHECK(page.error().message.find("nests deeper than 256 levels (line 1, column") != std::string::npos);
}

TEST_CASE("a page keeps at most the entries asked for and counts the rest", "[api][parse]") {
  std::string body = "{\"total_entries\": 3000, \"dags\": [";
  for (int i = 0; i < 3000; ++i)
    body += (i > 0 ? "," : "") + std::string("{\"dag_id\": \"d") + std::to_string(i) + "\"}";
  body += "], \"meta\": {\"a\": [1, 2, 3]}}";
  Result<ApiPage<std::string>> capped = parse_dag_ids(body, 100);
  REQUIRE(capped.ok());
  CHECK(capped->items.size() == 100);
  CHECK(capped->items.front() == "d0");
  CHECK(capped->items.back() == "d99");
  CHECK(capped->items_received == 3000);
  CHECK(capped->total_entries == 3000);
  Result<ApiPage<std::string>> none = parse_dag_ids(body, 0);
  REQUIRE(none.ok());
  CHECK(none->items.empty());
  CHECK(none->items_received == 3000);
  Result<ApiPage<std::string>> all = parse_dag_ids(body);
  REQUIRE(all.ok());
  CHECK(all->items.size() == 3000);
  CHECK_FALSE(parse_dag_ids("{\"dags\": [{\"dag_id\": \"d0\"}, {\"dag_id\": ", 1).ok());
}

TEST_CASE("credential names: what Airflow masks or clearly holds a secret, not what points at one", "[api][parse]") {
  // DEFAULT_SENSITIVE_FIELDS and should_hide_value_for_key (airflow/utils/log/secrets_masker.py:57-102 at
  // 4ef847b7d2; 3.2 adds access_key and connection_string: secrets_masker.py:51-71 at dda8d27867).
  for (const char* name : {"password", "client_secret", "keyfile_dict", "Authorization", "private_key_passphrase",
                           "aws_secret_access_key", "connection_string", "signing_key", "api_token", "sas_token",
                           "service_account", "aws_credentials", "proxy_password", "basic_auth", "Bearer"}) {
    INFO(name);
    CHECK(looks_like_credential_name(name));
  }
  for (const char* name : {"auth_type", "client_id", "key_id", "aws_access_key_id", "token_url", "key_path",
                           "secret_arn", "clientId", "http_proxy", "environment", "password_file"}) {
    INFO(name);
    CHECK_FALSE(looks_like_credential_name(name));
  }
}

TEST_CASE("connection extras: masked structures are masked at any depth, also inside a JSON string", "[api][parse]") {
  // api_fastapi/core_api/datamodels/connections.py:53-64 at dda8d27867: json.dumps(redact(json.loads(extra))).
  auto page = parse_connections(R"({"connections": [
    {"connection_id": "gcp", "conn_type": "google_cloud_platform", "description": null, "host": null, "login": null,
     "schema": null, "port": null, "password": null, "team_name": null,
     "extra": "{\"keyfile_dict\": {\"type\": \"***\", \"private_key\": \"***\", \"nested\": {\"list\": [\"***\", 4]}}, \"key_json\": \"{\\\"private_key\\\": \\\"***\\\"}\", \"auth_type\": \"basic\", \"empty_token\": \"\"}"},
    {"connection_id": "leaky", "conn_type": "generic", "description": null, "host": null, "login": null,
     "schema": null, "port": null, "password": "***", "team_name": null,
     "extra": "{\"keyfile_dict\": \"{\\\"private_key\\\": \\\"pk-1\\\"}\", \"nodes\": [{\"token\": \"t-1\"}, {\"token\": \"***\"}], \"api_key\": 12345}"}
  ], "total_entries": 2})");
  REQUIRE(page.ok());
  REQUIRE(page->items.size() == 2);
  CHECK(page->items[0].visible_secret_keys.empty());
  CHECK_FALSE(page->items[0].password_visible);
  CHECK(page->items[1].visible_secret_keys == std::vector<std::string>{"keyfile_dict", "nodes.token"});
  CHECK_FALSE(page->items[1].password_visible);
}

TEST_CASE("http connections keep schema, the scheme HttpHook uses", "[api][parse]") {
  // providers/http/src/airflow/providers/http/hooks/http.py:193-200 at dda8d27867.
  auto page = parse_connections(R"({"connections": [
    {"connection_id": "a", "conn_type": "http", "host": "h", "schema": "HTTPS", "port": null},
    {"connection_id": "b", "conn_type": "http", "host": "h", "schema": null, "port": null},
    {"connection_id": "c", "conn_type": "http", "host": "https://h", "schema": "http", "port": null},
    {"connection_id": "d", "conn_type": "postgres", "host": "db", "schema": "warehouse", "port": 5432},
    {"connection_id": "e", "conn_type": "generic", "host": "ftp://files", "schema": null, "port": null}
  ], "total_entries": 5})");
  REQUIRE(page.ok());
  REQUIRE(page->items.size() == 5);
  CHECK(page->items[0].schema == "HTTPS");
  CHECK(connection_url_scheme(page->items[0]) == "https");
  CHECK(connection_url_scheme(page->items[1]) == "http");
  CHECK(connection_url_scheme(page->items[2]) == "https");
  CHECK(page->items[3].schema.empty());  // a database name, not kept
  CHECK(connection_url_scheme(page->items[3]).empty());
  CHECK(connection_url_scheme(page->items[4]) == "ftp");
}

TEST_CASE("variables: what came back in clear, never the value", "[api][parse]") {
  // Airflow 3 shapes (api_fastapi/core_api/datamodels/variables.py:41-52 at dda8d27867).
  auto page = parse_variables(R"({"variables": [
    {"key": "api_token", "value": "***", "description": null, "is_encrypted": true},
    {"key": "pin_code", "value": "12345", "description": null, "is_encrypted": true},
    {"key": "vault_secret", "value": "{\"password\": \"***\", \"port\": 8200}", "description": null, "is_encrypted": true},
    {"key": "settings", "value": "{\"db\": {\"password\": \"p-1\"}, \"hosts\": [\"a\"]}", "description": null, "is_encrypted": true},
    {"key": "empty", "value": "", "description": null, "is_encrypted": true}
  ], "total_entries": 5})");
  REQUIRE(page.ok());
  REQUIRE(page->items.size() == 5);
  CHECK(page->items[0].value_masked);
  CHECK_FALSE(page->items[0].value_visible);
  CHECK(page->items[1].value_visible);  // JSON 12345: Airflow 3 returns numbers as they are
  CHECK_FALSE(page->items[2].value_visible);
  CHECK(page->items[2].value_masked);
  CHECK(page->items[3].value_visible);
  CHECK(page->items[3].visible_secret_keys == std::vector<std::string>{"db.password"});
  CHECK_FALSE(page->items[4].value_visible);
  CHECK_FALSE(page->items[4].value_masked);
}

TEST_CASE("an extra holding JSON nested a million deep is read past in bounded time", "[api][parse]") {
  // The answer's own depth bound does not see inside a string: the extra and the strings in it are
  // checked again before they are parsed.
  const std::string deep = std::string(1000000, '[') + std::string(1000000, ']');
  const std::string body =
      R"({"connections": [{"connection_id": "x", "conn_type": "generic", "extra": "{\"token\": \")" + deep +
      R"(\", \"other\": \")" + deep + R"(\"}"}, {"connection_id": "y", "conn_type": "generic", "extra": ")" + deep +
      R"("}], "total_entries": 2})";
  const auto started = std::chrono::steady_clock::now();
  auto page = parse_connections(body);
  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  REQUIRE(page.ok());
  REQUIRE(page->items.size() == 2);
  CHECK(page->items[0].visible_secret_keys == std::vector<std::string>{"token"});  // unreadable, so not masked
  CHECK(page->items[1].extra_keys.empty());
  CHECK(seconds < 20.0);
}

TEST_CASE("an extra with thousands of clear credentials names twenty of them, each cut short", "[api][parse]") {
  std::string extra = "{\\\"" + std::string(5000, 'k') + "_password\\\": \\\"v\\\"";
  for (int i = 0; i < 20000; ++i) extra += ", \\\"token_" + std::to_string(i) + "\\\": \\\"v\\\"";
  extra += "}";
  const std::string body = R"({"connections": [{"connection_id": "k", "conn_type": "generic", "extra": ")" + extra +
                           R"("}], "total_entries": 1})";
  auto page = parse_connections(body);
  REQUIRE(page.ok());
  REQUIRE(page->items.size() == 1);
  CHECK(page->items[0].extra_keys.size() == 20001);
  const std::vector<std::string>& named = page->items[0].visible_secret_keys;
  REQUIRE(named.size() == 20);
  CHECK(named[0] == std::string(120, 'k') + "...");
  CHECK(named[1] == "token_0");
}
