#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/http_client.hpp"
#include "core/result.hpp"
#include "sources/api/api_facts.hpp"

// Pure readers of Airflow REST API answers (shapes from the 2.11 /api/v1 and 3.x /api/v2 OpenAPI
// specs and the FAB auth manager's). Each takes the body text and returns facts or a diagnostic
// without a file: the caller adds the URL.
namespace airguard {

// No cap on the items a page parser keeps.
inline constexpr std::size_t kAllItems = static_cast<std::size_t>(-1);

template <typename T>
struct ApiPage {
  std::vector<T> items;            // at most the max_items asked for
  long total_entries = -1;         // -1 when the answer did not say
  std::size_t items_received = 0;  // entries the answer held, kept or not
};

struct ApiVersionInfo {
  std::string version;
  std::string git_version;
};

Result<ApiVersionInfo> parse_version_answer(std::string_view body);
Result<std::string> parse_health(std::string_view body);  // "metadatabase=healthy scheduler=unhealthy"
Result<ApiPage<ApiProvider>> parse_providers(std::string_view body, std::size_t max_items = kAllItems);
Result<ApiPage<ApiUser>> parse_users(std::string_view body, std::size_t max_items = kAllItems);
Result<ApiPage<ApiRole>> parse_roles(std::string_view body, std::size_t max_items = kAllItems);
Result<ApiPage<ApiConnection>> parse_connections(std::string_view body, std::size_t max_items = kAllItems);
Result<ApiConnection> parse_connection(std::string_view body);  // one connection (/connections/{id})
Result<ApiPage<ApiVariable>> parse_variables(std::string_view body, std::size_t max_items = kAllItems);
Result<ApiPage<std::string>> parse_dag_ids(std::string_view body, std::size_t max_items = kAllItems);
Result<ApiPage<ApiImportError>> parse_import_errors(std::string_view body, std::size_t max_items = kAllItems);
Result<std::vector<ApiConfigOption>> parse_config(std::string_view body);
Result<std::string> parse_access_token(std::string_view body);  // auth manager's POST /auth/token

// True when an answer is a JSON object with `collection_key` holding an array (an anonymous probe
// that returns this has read real data).
bool is_collection_answer(std::string_view body, std::string_view collection_key, long* total_entries = nullptr);

// Browser-facing header facts.
ApiCookie parse_set_cookie(std::string_view header_value);
std::optional<std::string> frame_ancestors_directive(std::string_view content_security_policy);
bool header_discloses_version(std::string_view name, std::string_view value);

// Names. Airflow masks variable and connection-extra values whose key contains one of its
// sensitive words (plus [core] sensitive_var_conn_names); these say what a name looks like.
bool airflow_masks_name(std::string_view name, const std::vector<std::string>& extra_sensitive_names = {});
// A name that holds a credential: one Airflow masks or one that clearly names a secret, but not one
// that only names, locates or describes it (auth_type, client_id, key_id, token_url, key_path).
bool looks_like_credential_name(std::string_view name);
bool names_a_credential_by_reference(std::string_view name);
bool looks_like_personal_or_payment_name(std::string_view name);
bool is_sensitive_config_option(std::string_view section, std::string_view key);
bool is_masked_value(std::string_view value);  // "***", "< hidden >"

// The URL scheme a connection is used with, lower case: the host's own ("https://h"), else for an
// http connection HttpHook's (`schema`, "http" when empty); "" when the connection has none.
std::string connection_url_scheme(const ApiConnection& connection);

// A stack trace or file name that shows absolute server paths (/opt/airflow/dags/x.py, C:\...).
bool leaks_server_path(std::string_view text);

}  // namespace airguard
