#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/diagnostic.hpp"
#include "core/http_client.hpp"

namespace airguard {

// One HTTP probe and how the server answered it.
struct ApiProbe {
  std::string name;  // stable probe name: "version", "anonymous.connections", "connections", ...
  std::string path;  // endpoint path, the finding key: "/api/v2/connections"
  std::string url;   // full URL, never with credentials
  bool authenticated = false;
  long status = 0;               // 0 = no HTTP answer (see failure)
  std::string failure;           // HttpFailure name when there was no answer
  bool json_valid = false;       // the body parsed as JSON of the expected shape
  long entries = -1;             // entries in a collection answer (total_entries), -1 = not a collection
  std::string refused_redirect;  // Location not followed (another origin, or https -> http)
  std::string content_type;      // media type of the answer, lower case, without parameters
};

struct ApiCookie {
  std::string name;
  std::string path;  // the probe path that set it
  bool secure = false;
  bool http_only = false;
  std::string same_site;  // "", "Lax", "Strict", "None"
};

// Transport and browser-facing protections, read from the answers.
struct ApiHttpFacts {
  bool https = false;
  std::optional<TlsInfo> tls;             // from the first https answer
  std::string tls_error;                  // certificate or handshake failure, one line
  std::optional<TlsInfo> tls_unverified;  // facts read without verification after a certificate failure
  std::string plain_http_url;             // http:// URL tried for a redirect to https ("" = not tried)
  long plain_http_status = 0;             // 0 = no answer (nothing listening is fine)
  bool plain_http_redirects_to_https = false;
  std::optional<std::string> hsts;  // Strict-Transport-Security, when the UI/API sent one
  std::optional<std::string> x_frame_options;
  std::optional<std::string> frame_ancestors;  // the CSP frame-ancestors directive
  std::string ui_path;                         // the page the browser-facing headers were read from
  std::vector<ApiCookie> cookies;
  std::vector<HttpHeader> disclosure_headers;  // Server, X-Powered-By ... that carry a version
  // CORS: what the version endpoint answered to a request from a foreign Origin carrying a cookie.
  std::string cors_origin_sent;                  // "" = not probed
  std::optional<std::string> cors_allow_origin;  // Access-Control-Allow-Origin
  bool cors_allow_credentials = false;           // Access-Control-Allow-Credentials: true
};

struct ApiProvider {
  std::string package_name;
  std::string version;
};

struct ApiUser {
  std::string username;
  std::vector<std::string> roles;
  std::optional<std::string> last_login;  // ISO 8601 as sent
  std::optional<bool> active;
};

struct ApiRole {
  std::string name;
  std::vector<std::string> permissions;  // "can_read on DAGs"
};

// A connection, without its secrets: only the facts the checks need.
struct ApiConnection {
  std::string connection_id;
  std::string conn_type;
  std::string host;    // redacted if it carried user-info
  std::string schema;  // http connections only (HttpHook's URL scheme), redacted
  std::optional<long> port;
  bool password_visible = false;        // the API returned a password that is not masked
  std::vector<std::string> extra_keys;  // top-level keys of the extra JSON
  // Paths in the extra ("token", "headers.Authorization") of credentials that came back with a
  // value in clear; never the values.
  std::vector<std::string> visible_secret_keys;
  bool sslmode_disabled = false;       // sslmode=disable (extra or host/schema query)
  bool verification_disabled = false;  // verify/verify_ssl/ssl_verify/... = false in extra
};

struct ApiVariable {
  std::string key;
  bool value_returned = false;  // the listing carried a value
  bool value_masked = false;    // ... and it was "***", or JSON whose every string is "***"
  bool value_visible = false;   // ... and something of it came back in clear (never kept)
  // In a JSON value: paths of credentials that came back in clear ("db.password").
  std::vector<std::string> visible_secret_keys;
};

struct ApiConfigOption {
  std::string section;
  std::string key;
  std::string value;       // "****" when it is sensitive and came back unmasked; never the secret itself
  bool sensitive = false;  // by name: Airflow's sensitive options and secret-looking keys
  bool masked = false;     // the server sent "< hidden >" (or "***")
};

struct ApiImportError {
  std::string filename;
  bool stack_trace_has_paths = false;
};

// What a live Airflow REST API told us.
struct ApiFacts {
  std::string base_url;         // as given, without credentials
  int api_major = 0;            // 2 (/api/v1) or 3 (/api/v2), 0 = unknown
  std::string airflow_version;  // from /version
  std::string git_version;
  std::string health_summary;   // "metadatabase=healthy scheduler=healthy ..."
  std::string today;            // YYYY-MM-DD the probes ran (or the pinned --today), for stale users
  std::string credential_kind;  // "", "token", "basic", "jwt-exchange", "ui-session" (Airflow 2 UI login)
  // Airflow 3's auth manager as the server shows it: "simple", "fab", "other"; "" on Airflow 2 (FAB).
  std::string auth_manager;
  bool all_admins = false;  // Simple auth manager's all-admins mode: GET /auth/token gave a token to nobody
  // The token endpoint answered an unknown user and a known user's wrong password differently
  // (--try-default-credentials only); the two statuses, e.g. "401 / 403".
  std::optional<std::string> login_tells_users_apart;
  bool authenticated = false;  // credentials were accepted by at least one endpoint
  bool insecure = false;       // certificate verification was turned off (--insecure)
  bool reachable = false;      // some probe got an HTTP answer

  std::vector<ApiProbe> probes;
  ApiHttpFacts http;

  std::optional<std::vector<ApiProvider>> providers;  // nullopt = not read
  std::optional<std::vector<ApiUser>> users;
  std::optional<std::vector<ApiRole>> roles;
  std::optional<std::vector<ApiConnection>> connections;
  std::optional<std::vector<ApiVariable>> variables;
  std::optional<std::vector<std::string>> dag_ids;
  std::optional<std::vector<ApiImportError>> import_errors;
  bool config_returned = false;  // the config endpoint answered with configuration
  std::vector<ApiConfigOption> config;

  std::vector<std::string> default_credentials_accepted;  // usernames of well-known pairs that logged in

  Diagnostics problems;  // unreachable, TLS failure, 401/403 with credentials, 500s, bad JSON ...
  // Why the API was not read as asked: unreachable, the deadline passed, every endpoint redirected
  // elsewhere or refused the credentials. Any of them makes the scan incomplete (exit 3).
  std::vector<std::string> incomplete_reasons;

  const ApiProbe* probe(std::string_view probe_name) const;
};

}  // namespace airguard
