#include "sources/api/api_parse.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>

#include "core/json_text.hpp"
#include "core/printable.hpp"
#include "core/redact.hpp"
#include "core/text.hpp"

namespace airguard {

namespace {

using nlohmann::json;

bool looks_like_html(std::string_view body) {
  const std::string start = to_lower(trim(body.substr(0, 512)));
  return start.starts_with("<!doctype html") || start.starts_with("<html") || start.find("<html") != std::string::npos;
}

// Builds the DOM of a page but keeps at most `max_items` elements of the arrays right under the
// top-level object: the others are read past without being built, so a page far larger than asked
// for never stands in memory. (nlohmann's parser callbacks cannot do this: dropping an element
// scans its whole parent array each time, quadratic in the page's size.)
class CappedPageBuilder : public nlohmann::json_sax<json> {
 public:
  CappedPageBuilder(json& result, std::size_t max_items) : dom_(result, false), max_items_(max_items) {}
  std::size_t received() const { return received_; }
  bool errored() const { return dom_.is_errored(); }

  bool null() override {
    return scalar([this] { return dom_.null(); });
  }
  bool boolean(bool value) override {
    return scalar([&] { return dom_.boolean(value); });
  }
  bool number_integer(number_integer_t value) override {
    return scalar([&] { return dom_.number_integer(value); });
  }
  bool number_unsigned(number_unsigned_t value) override {
    return scalar([&] { return dom_.number_unsigned(value); });
  }
  bool number_float(number_float_t value, const string_t& text) override {
    return scalar([&] { return dom_.number_float(value, text); });
  }
  bool string(string_t& value) override {
    return scalar([&] { return dom_.string(value); });
  }
  bool binary(binary_t& value) override {
    return scalar([&] { return dom_.binary(value); });
  }
  bool start_object(std::size_t size) override {
    return open(true, [&] { return dom_.start_object(size); });
  }
  bool key(string_t& name) override { return skip_depth_ > 0 || dom_.key(name); }
  bool end_object() override {
    return close([this] { return dom_.end_object(); });
  }
  bool start_array(std::size_t size) override {
    return open(false, [&] { return dom_.start_array(size); });
  }
  bool end_array() override {
    return close([this] { return dom_.end_array(); });
  }
  bool parse_error(std::size_t position, const std::string& token, const nlohmann::detail::exception& error) override {
    return dom_.parse_error(position, token, error);
  }

 private:
  // The next value is an element of an array right under the top-level object.
  bool at_item() const { return open_arrays_.size() == 2 && open_arrays_.back(); }
  // Counts an element; false when it is to be dropped.
  bool keep_item() { return !at_item() || ++received_ <= max_items_; }

  template <typename Forward>
  bool scalar(Forward forward) {
    if (skip_depth_ > 0 || !keep_item()) return true;
    return forward();
  }
  template <typename Forward>
  bool open(bool object, Forward forward) {
    if (skip_depth_ > 0) {
      ++skip_depth_;
      return true;
    }
    if (!keep_item()) {
      skip_depth_ = 1;
      return true;
    }
    open_arrays_.push_back(!object);
    return forward();
  }
  template <typename Forward>
  bool close(Forward forward) {
    if (skip_depth_ > 0) {
      --skip_depth_;
      return true;
    }
    open_arrays_.pop_back();
    return forward();
  }

  nlohmann::detail::json_sax_dom_parser<json> dom_;
  std::size_t max_items_;
  std::size_t received_ = 0;
  std::size_t skip_depth_ = 0;     // > 0 while reading past a dropped element
  std::vector<bool> open_arrays_;  // per open container: is it an array
};

// Parses a JSON object; a page's items beyond `max_items` are dropped as they are read (see
// CappedPageBuilder), `items_received` counts them all.
Result<json> parse_json(std::string_view body, std::size_t max_items = kAllItems,
                        std::size_t* items_received = nullptr) {
  // The same depth bound as every other JSON input: a 16 MiB answer of `[[[[` would otherwise
  // build millions of nested nodes.
  if (const auto deep = find_json_too_deep(body)) {
    return make_error("", 0,
                      fmt::format("answer nests deeper than {} levels (line {}, column {})", kMaxJsonDepth, deep->line,
                                  deep->column));
  }
  json parsed;
  std::size_t seen = 0;
  if (max_items == kAllItems) {
    parsed = json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
  } else {
    CappedPageBuilder builder(parsed, max_items);
    const bool ok = json::sax_parse(body.begin(), body.end(), &builder);
    if (!ok || builder.errored()) parsed = json(json::value_t::discarded);
    seen = builder.received();
  }
  if (items_received != nullptr) *items_received = seen;
  if (parsed.is_discarded()) {
    if (body.empty()) return make_error("", 0, "empty answer where JSON was expected");
    // Never the content itself: an error page or a proxy's answer may carry tokens or session data.
    return make_error("", 0, "answer is not valid JSON",
                      fmt::format("received {} bytes{}; the content is not shown", body.size(),
                                  looks_like_html(body) ? " of an HTML page" : ""));
  }
  if (!parsed.is_object()) return make_error("", 0, "answer is JSON but not an object");
  return parsed;
}

std::string string_field(const json& object, const char* key) {
  auto found = object.find(key);
  if (found == object.end() || !found->is_string()) return {};
  return found->get<std::string>();
}

std::optional<std::string> optional_string(const json& object, const char* key) {
  auto found = object.find(key);
  if (found == object.end() || !found->is_string()) return std::nullopt;
  return found->get<std::string>();
}

long read_total_entries(const json& object) {
  auto found = object.find("total_entries");
  if (found == object.end() || !found->is_number_integer()) return -1;
  return found->get<long>();
}

// Parses `{ "<key>": [ ... ], "total_entries": N }`, reading each object item with `read`.
template <typename T, typename ReadItem>
Result<ApiPage<T>> parse_page(std::string_view body, const char* key, ReadItem read, std::size_t max_items) {
  std::size_t received = 0;
  Result<json> parsed = parse_json(body, max_items, &received);
  if (!parsed) return parsed.error();
  auto found = parsed->find(key);
  if (found == parsed->end() || !found->is_array()) {
    return make_error("", 0, std::string("answer has no \"") + key + "\" list",
                      "not the shape the Airflow API documents");
  }
  ApiPage<T> page;
  page.total_entries = read_total_entries(*parsed);
  page.items_received = max_items == kAllItems ? found->size() : received;
  for (const json& item : *found) {
    if (item.is_object() && page.items.size() < max_items) page.items.push_back(read(item));
  }
  return page;
}

bool contains_icase(std::string_view text, std::string_view word) {
  return to_lower(text).find(to_lower(word)) != std::string::npos;
}

bool false_like(const json& value) {
  if (value.is_boolean()) return !value.get<bool>();
  if (value.is_string()) {
    const std::string text = to_lower(trim(value.get<std::string>()));
    return text == "false" || text == "0" || text == "no" || text == "off" || text == "none";
  }
  if (value.is_number_integer()) return value.get<long>() == 0;
  return false;
}

// A JSON structure held in a string ("{\"private_key\": \"***\"}"), parsed with the same depth
// bound as the answer itself; nullopt for any other string.
std::optional<json> embedded_json(const std::string& text) {
  const std::string_view start = trim(text);
  if (start.empty() || (start.front() != '{' && start.front() != '[')) return std::nullopt;
  if (find_json_too_deep(start)) return std::nullopt;
  json parsed = json::parse(start.begin(), start.end(), nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded() || !parsed.is_structured()) return std::nullopt;
  return parsed;
}

// JSON in a string in a string ... is read this many levels deep; each level at least doubles the
// escapes, so real values never come near it.
constexpr int kMaxEmbeddedJsonLevels = 4;

// Something of the value came back in clear: a non-empty string that is not Airflow's mask, at any
// depth, also inside JSON held in a string. Numbers, booleans and null do not count: Airflow's
// masker returns them as they are even under a sensitive name (secrets_masker.py `_redact_all`:
// airflow/utils/log/secrets_masker.py:221-234 at 4ef847b7d2,
// shared/secrets_masker/src/airflow_shared/secrets_masker/secrets_masker.py:318-342 at dda8d27867),
// so a structure whose every string is "***" is a masked one.
bool has_clear_text(const json& value, int embedded_levels = 0) {
  if (value.is_string()) {
    const std::string& text = value.get_ref<const std::string&>();
    if (trim(text).empty() || is_masked_value(text)) return false;
    if (embedded_levels < kMaxEmbeddedJsonLevels) {
      if (const std::optional<json> inner = embedded_json(text)) return has_clear_text(*inner, embedded_levels + 1);
    }
    return true;
  }
  if (value.is_structured()) {
    return std::any_of(value.begin(), value.end(),
                       [&](const json& item) { return has_clear_text(item, embedded_levels); });
  }
  return false;
}

// At most this many credential paths are kept per connection or variable; a path is cut to this length.
constexpr std::size_t kMaxSecretPaths = 20;
constexpr std::size_t kMaxPathLength = 120;

std::string path_for_display(const std::string& path) {
  const std::string shown = printable(path);
  return shown.size() <= kMaxPathLength ? shown : shown.substr(0, kMaxPathLength) + "...";
}

// Walks a JSON value as Airflow's masker does (`_redact`: a dict's values are judged by their key,
// a list's items by their own keys) and records the path of every credential whose value came back
// with something in clear. Airflow masks a key's whole value when the name is sensitive, so a
// credential is not walked into.
void find_clear_credentials(const json& value, const std::string& path, std::vector<std::string>& found,
                            int embedded_levels = 0) {
  if (found.size() >= kMaxSecretPaths) return;
  if (value.is_object()) {
    for (auto it = value.begin(); it != value.end(); ++it) {
      const std::string child = path.empty() ? it.key() : path + "." + it.key();
      if (looks_like_credential_name(it.key())) {
        if (has_clear_text(*it) && found.size() < kMaxSecretPaths) found.push_back(path_for_display(child));
      } else {
        find_clear_credentials(*it, child, found, embedded_levels);
      }
    }
  } else if (value.is_array()) {
    for (const json& item : value) find_clear_credentials(item, path, found, embedded_levels);
  } else if (value.is_string() && embedded_levels < kMaxEmbeddedJsonLevels) {
    if (const std::optional<json> inner = embedded_json(value.get_ref<const std::string&>())) {
      find_clear_credentials(*inner, path, found, embedded_levels + 1);
    }
  }
}

void inspect_extra(ApiConnection& connection, const std::optional<std::string>& extra_text) {
  if (!extra_text || trim(*extra_text).empty()) return;
  if (to_lower(*extra_text).find("sslmode=disable") != std::string::npos) connection.sslmode_disabled = true;
  const std::optional<json> parsed = embedded_json(*extra_text);
  if (!parsed || !parsed->is_object()) return;
  const json& extra = *parsed;
  for (auto it = extra.begin(); it != extra.end(); ++it) {
    const std::string key = it.key();
    const std::string lower = to_lower(key);
    connection.extra_keys.push_back(key);
    if (lower == "sslmode" && it->is_string() && to_lower(it->get<std::string>()) == "disable") {
      connection.sslmode_disabled = true;
    }
    static constexpr std::array<std::string_view, 8> kVerifyKeys = {
        "verify",     "verify_ssl",    "ssl_verify",     "verify_certificate",
        "tls_verify", "ssl_cert_reqs", "check_hostname", "insecure"};
    const bool is_verify_key = std::find(kVerifyKeys.begin(), kVerifyKeys.end(), lower) != kVerifyKeys.end();
    if (is_verify_key) {
      if (lower == "insecure") {
        if (it->is_boolean() ? it->get<bool>() : (it->is_string() && to_lower(it->get<std::string>()) == "true")) {
          connection.verification_disabled = true;
        }
      } else if (lower == "ssl_cert_reqs") {
        if (it->is_string() && to_lower(it->get<std::string>()) == "none") connection.verification_disabled = true;
      } else if (false_like(*it)) {
        connection.verification_disabled = true;
      }
    }
  }
  // Airflow 2 (/connections/{id}) and 3 send the extra through the masker by key
  // (api_connexion/schemas/connection_schema.py:52-63 at 4ef847b7d2; api_fastapi/core_api/datamodels/
  // connections.py:53-64 at dda8d27867, 52-63 at 5fdd5b66d1): what came back in clear is what every reader sees.
  find_clear_credentials(extra, "", connection.visible_secret_keys);
}

ApiConnection read_connection(const json& item) {
  ApiConnection connection;
  connection.connection_id = string_field(item, "connection_id");
  connection.conn_type = string_field(item, "conn_type");
  connection.host = redact_secrets(string_field(item, "host"));
  // HttpHook takes its URL scheme from `schema` (see connection_url_scheme); for other types the
  // field is a database name and is not kept.
  if (equals_icase(connection.conn_type, "http")) connection.schema = redact_secrets(string_field(item, "schema"));
  auto port = item.find("port");
  if (port != item.end() && port->is_number_integer()) connection.port = port->get<long>();
  // Airflow 2 never sends the password (load_only: api_connexion/schemas/connection_schema.py:49 at
  // 4ef847b7d2); Airflow 3 sends it through the masker under the name "password", so "***"
  // unless [core] hide_sensitive_var_conn_fields is off (datamodels/connections.py:46-51 at dda8d27867).
  const auto password = optional_string(item, "password");
  connection.password_visible = password && !password->empty() && !is_masked_value(*password);
  if (contains_icase(string_field(item, "schema"), "sslmode=disable") ||
      contains_icase(string_field(item, "host"), "sslmode=disable")) {
    connection.sslmode_disabled = true;
  }
  inspect_extra(connection, optional_string(item, "extra"));
  return connection;
}

// Airflow's default sensitive words, the same from 2.10 to 3.1 (DEFAULT_SENSITIVE_FIELDS:
// airflow/utils/log/secrets_masker.py:57-72 at 4ef847b7d2; shared/secrets_masker/src/airflow_shared/
// secrets_masker/secrets_masker.py:51-66 at 5fdd5b66d1). 3.2 adds five (see looks_like_credential_name).
constexpr std::array<std::string_view, 12> kAirflowSensitiveWords = {
    "access_token", "api_key",     "apikey", "authorization", "passphrase",   "passwd",
    "password",     "private_key", "secret", "token",         "keyfile_dict", "service_account"};

}  // namespace

Result<ApiVersionInfo> parse_version_answer(std::string_view body) {
  Result<json> parsed = parse_json(body);
  if (!parsed) return parsed.error();
  ApiVersionInfo info;
  info.version = string_field(*parsed, "version");
  info.git_version = string_field(*parsed, "git_version");
  if (info.version.empty()) return make_error("", 0, "answer has no \"version\"", "not an Airflow /version answer");
  return info;
}

Result<std::string> parse_health(std::string_view body) {
  Result<json> parsed = parse_json(body);
  if (!parsed) return parsed.error();
  std::vector<std::string> parts;
  for (const char* component : {"metadatabase", "scheduler", "triggerer", "dag_processor"}) {
    auto found = parsed->find(component);
    if (found == parsed->end() || !found->is_object()) continue;
    const std::string status = string_field(*found, "status");
    parts.push_back(std::string(component) + "=" + (status.empty() ? "unknown" : status));
  }
  if (parts.empty()) return make_error("", 0, "answer has no component status", "not an Airflow health answer");
  return join(parts, " ");
}

Result<ApiPage<ApiProvider>> parse_providers(std::string_view body, std::size_t max_items) {
  return parse_page<ApiProvider>(
      body, "providers",
      [](const json& item) {
        return ApiProvider{string_field(item, "package_name"), string_field(item, "version")};
      },
      max_items);
}

Result<ApiPage<ApiUser>> parse_users(std::string_view body, std::size_t max_items) {
  return parse_page<ApiUser>(
      body, "users",
      [](const json& item) {
        ApiUser user;
        user.username = string_field(item, "username");
        auto roles = item.find("roles");
        if (roles != item.end() && roles->is_array()) {
          for (const json& role : *roles) {
            if (role.is_object()) user.roles.push_back(string_field(role, "name"));
          }
        }
        user.last_login = optional_string(item, "last_login");
        auto active = item.find("active");
        if (active != item.end() && active->is_boolean()) user.active = active->get<bool>();
        return user;
      },
      max_items);
}

Result<ApiPage<ApiRole>> parse_roles(std::string_view body, std::size_t max_items) {
  return parse_page<ApiRole>(
      body, "roles",
      [](const json& item) {
        ApiRole role;
        role.name = string_field(item, "name");
        auto actions = item.find("actions");
        if (actions != item.end() && actions->is_array()) {
          for (const json& pair : *actions) {
            if (!pair.is_object()) continue;
            const auto action = pair.find("action");
            const auto resource = pair.find("resource");
            const std::string action_name =
                action != pair.end() && action->is_object() ? string_field(*action, "name") : "";
            const std::string resource_name =
                resource != pair.end() && resource->is_object() ? string_field(*resource, "name") : "";
            role.permissions.push_back(action_name + " on " + resource_name);
          }
        }
        return role;
      },
      max_items);
}

Result<ApiPage<ApiConnection>> parse_connections(std::string_view body, std::size_t max_items) {
  return parse_page<ApiConnection>(body, "connections", read_connection, max_items);
}

Result<ApiConnection> parse_connection(std::string_view body) {
  Result<json> parsed = parse_json(body);
  if (!parsed) return parsed.error();
  if (string_field(*parsed, "connection_id").empty()) return make_error("", 0, "answer has no \"connection_id\"");
  return read_connection(*parsed);
}

Result<ApiPage<ApiVariable>> parse_variables(std::string_view body, std::size_t max_items) {
  return parse_page<ApiVariable>(
      body, "variables",
      [](const json& item) {
        ApiVariable variable;
        variable.key = string_field(item, "key");
        const auto value = optional_string(item, "value");
        variable.value_returned = value.has_value();
        if (!value) return variable;
        // Airflow 2 sends values as stored (api_connexion/schemas/variable_schema.py:22-27 and
        // endpoints/variable_endpoint.py:62-92 at 4ef847b7d2). Airflow 3 masks a plain value by the
        // variable's name, but a value that parses as JSON only by the keys inside it, one level deep
        // (`redact(val_dict, max_depth=1)`: api_fastapi/core_api/datamodels/variables.py:41-52 at
        // dda8d27867, 39-50 at 5fdd5b66d1). So "12345" or {"user": "u", "pw": "p"} under a
        // sensitive name come back in clear; only what came back counts.
        const std::optional<json> structure = embedded_json(*value);
        variable.value_visible =
            structure ? has_clear_text(*structure) : !trim(*value).empty() && !is_masked_value(*value);
        variable.value_masked = !variable.value_visible && !trim(*value).empty();
        if (structure) find_clear_credentials(*structure, "", variable.visible_secret_keys);
        return variable;
      },
      max_items);
}

Result<ApiPage<std::string>> parse_dag_ids(std::string_view body, std::size_t max_items) {
  return parse_page<std::string>(
      body, "dags", [](const json& item) { return string_field(item, "dag_id"); }, max_items);
}

Result<ApiPage<ApiImportError>> parse_import_errors(std::string_view body, std::size_t max_items) {
  return parse_page<ApiImportError>(
      body, "import_errors",
      [](const json& item) {
        ApiImportError error;
        error.filename = string_field(item, "filename");
        error.stack_trace_has_paths =
            leaks_server_path(string_field(item, "stack_trace")) || leaks_server_path(error.filename);
        return error;
      },
      max_items);
}

Result<std::vector<ApiConfigOption>> parse_config(std::string_view body) {
  Result<json> parsed = parse_json(body);
  if (!parsed) return parsed.error();
  auto sections = parsed->find("sections");
  if (sections == parsed->end() || !sections->is_array()) {
    return make_error("", 0, "answer has no \"sections\" list", "not an Airflow config answer");
  }
  std::vector<ApiConfigOption> options;
  for (const json& section : *sections) {
    if (!section.is_object()) continue;
    const std::string section_name = to_lower(string_field(section, "name"));
    auto entries = section.find("options");
    if (entries == section.end() || !entries->is_array()) continue;
    for (const json& entry : *entries) {
      if (!entry.is_object()) continue;
      ApiConfigOption option;
      option.section = section_name;
      option.key = to_lower(string_field(entry, "key"));
      auto value = entry.find("value");
      // 3.x may send [value, source]
      if (value != entry.end() && value->is_array() && !value->empty() && (*value)[0].is_string()) {
        option.value = (*value)[0].get<std::string>();
      } else if (value != entry.end() && value->is_string()) {
        option.value = value->get<std::string>();
      }
      option.sensitive = is_sensitive_config_option(option.section, option.key);
      option.masked = is_masked_value(option.value);
      if (option.sensitive && !option.masked && !option.value.empty()) option.value = std::string(kRedacted);
      options.push_back(std::move(option));
    }
  }
  return options;
}

Result<std::string> parse_access_token(std::string_view body) {
  Result<json> parsed = parse_json(body);
  if (!parsed) return parsed.error();
  std::string token = string_field(*parsed, "access_token");
  if (token.empty()) return make_error("", 0, "token answer has no \"access_token\"");
  return token;
}

bool is_collection_answer(std::string_view body, std::string_view collection_key, long* total) {
  // The items are only counted, never kept: an anonymous probe needs to know that data came back.
  std::size_t received = 0;
  Result<json> parsed = parse_json(body, 0, &received);
  if (!parsed) return false;
  auto found = parsed->find(std::string(collection_key));
  if (found == parsed->end() || !found->is_array()) return false;
  if (total != nullptr) {
    const long entries = read_total_entries(*parsed);
    *total = entries >= 0 ? entries : static_cast<long>(received);
  }
  return true;
}

ApiCookie parse_set_cookie(std::string_view header_value) {
  ApiCookie cookie;
  const std::vector<std::string> parts = split(header_value, ';');
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string_view part = trim(parts[i]);
    const std::size_t eq = part.find('=');
    const std::string_view name = trim(part.substr(0, eq));
    if (i == 0) {
      cookie.name = std::string(name);
      continue;
    }
    if (equals_icase(name, "secure")) cookie.secure = true;
    if (equals_icase(name, "httponly")) cookie.http_only = true;
    if (equals_icase(name, "samesite") && eq != std::string_view::npos)
      cookie.same_site = std::string(trim(part.substr(eq + 1)));
  }
  return cookie;
}

std::optional<std::string> frame_ancestors_directive(std::string_view policy) {
  for (const std::string& directive : split(policy, ';')) {
    const std::string_view text = trim(directive);
    if (starts_with_icase(text, "frame-ancestors")) return std::string(text);
  }
  return std::nullopt;
}

bool header_discloses_version(std::string_view name, std::string_view value) {
  const bool interesting = equals_icase(name, "Server") || equals_icase(name, "X-Powered-By") ||
                           equals_icase(name, "X-AspNet-Version") || equals_icase(name, "X-Airflow-Version") ||
                           equals_icase(name, "Via");
  if (!interesting) return false;
  if (equals_icase(name, "X-Airflow-Version")) return true;
  // "gunicorn/20.1.0", "Werkzeug/2.2.3 Python/3.11.4", "nginx/1.25.3": a product followed by digits.
  for (std::size_t slash = value.find('/'); slash != std::string_view::npos; slash = value.find('/', slash + 1)) {
    if (slash + 1 < value.size() && value[slash + 1] >= '0' && value[slash + 1] <= '9') return true;
  }
  return false;
}

// should_hide_value_for_key: the stripped, lower-cased name contains a sensitive word
// (secrets_masker.py:90-102 at 4ef847b7d2; 551-559 at dda8d27867).
bool airflow_masks_name(std::string_view name, const std::vector<std::string>& extra_sensitive_names) {
  const std::string lower = to_lower(trim(name));
  for (std::string_view word : kAirflowSensitiveWords) {
    if (lower.find(word) != std::string::npos) return true;
  }
  for (const std::string& word : extra_sensitive_names) {
    const std::string lower_word = to_lower(trim(word));
    if (!lower_word.empty() && lower.find(lower_word) != std::string::npos) return true;
  }
  return false;
}

bool names_a_credential_by_reference(std::string_view name) {
  // auth_type (HttpHook's auth class), client_id, key_id, token_url, key_path, secret_arn: they
  // name, locate or describe a credential without holding it.
  static constexpr std::array<std::string_view, 22> kPointerWords = {
      "id",  "ids", "type",    "types",    "url",    "uri",     "path",       "paths", "file",   "files", "name",
      "arn", "cmd", "command", "endpoint", "expiry", "expires", "expiration", "ttl",   "length", "scope", "scopes"};
  const std::vector<std::string> words = name_words(name);
  return !words.empty() && std::find(kPointerWords.begin(), kPointerWords.end(), words.back()) != kPointerWords.end();
}

bool looks_like_credential_name(std::string_view name) {
  if (names_a_credential_by_reference(name)) return false;
  // Airflow's own rule masks a name that contains one of its words (airflow_masks_name); Airflow
  // 3.2 adds access_key and connection_string (secrets_masker.py:51-71 at dda8d27867; commit
  // 6d9d86c6ca), both credentials in any version. Its proxy/proxies are addresses, not credentials.
  // name_means_secret adds names that clearly hold one: client_secret, AccountKey, signing_key.
  const std::string lower = to_lower(name);
  // A last word auth, bearer or jwt holds one too: basic_auth ("user:pass"), proxy_auth, bearer.
  static constexpr std::array<std::string_view, 3> kHoldingWords = {"auth", "bearer", "jwt"};
  const std::vector<std::string> words = name_words(name);
  if (!words.empty() && std::find(kHoldingWords.begin(), kHoldingWords.end(), words.back()) != kHoldingWords.end()) {
    return true;
  }
  return airflow_masks_name(name) || name_means_secret(name) || lower.find("access_key") != std::string::npos ||
         lower.find("connection_string") != std::string::npos || lower.find("credential") != std::string::npos ||
         lower.find("creds") != std::string::npos;
}

bool looks_like_personal_or_payment_name(std::string_view name) {
  static constexpr std::array<std::string_view, 22> kWords = {
      "email",           "e_mail",   "phone",  "mobile",      "address", "birth",   "dob", "ssn",
      "social_security", "passport", "iban",   "bic",         "card",    "cvv",     "cvc", "pan_",
      "account_number",  "routing",  "tax_id", "national_id", "salary",  "customer"};
  const std::string lower = to_lower(name);
  for (std::string_view word : kWords) {
    if (lower.find(word) != std::string::npos) return true;
  }
  return false;
}

bool is_sensitive_config_option(std::string_view section, std::string_view key) {
  static constexpr std::array<std::string_view, 14> kKnown = {
      "core.fernet_key",           "core.sql_alchemy_conn",
      "database.sql_alchemy_conn", "celery.broker_url",
      "celery.result_backend",     "celery.flower_basic_auth",
      "webserver.secret_key",      "api.secret_key",
      "api_auth.jwt_secret",       "smtp.smtp_password",
      "sentry.sentry_dsn",         "core.internal_api_secret_key",
      "secrets.backend_kwargs",    "database.sql_alchemy_conn_async"};
  const std::string full = to_lower(section) + "." + to_lower(key);
  if (std::find(kKnown.begin(), kKnown.end(), full) != kKnown.end()) return true;
  const std::string lower = to_lower(key);
  return lower.find("password") != std::string::npos || lower.find("secret") != std::string::npos ||
         lower.ends_with("_conn") || lower.find("token") != std::string::npos;
}

std::string connection_url_scheme(const ApiConnection& connection) {
  // HttpHook: a host with "://" is the base URL; otherwise `schema` is the scheme, "http" when empty
  // (providers/http/hooks/http.py:112-118 at 4ef847b7d2; providers/http/src/airflow/providers/
  // http/hooks/http.py:193-200 at dda8d27867).
  const std::size_t separator = connection.host.find("://");
  if (separator != std::string::npos) return to_lower(connection.host.substr(0, separator));
  if (equals_icase(connection.conn_type, "http")) {
    return connection.schema.empty() ? std::string("http") : to_lower(trim(connection.schema));
  }
  return {};
}

bool is_masked_value(std::string_view value) {
  const std::string_view text = trim(value);
  if (text == "< hidden >" || text == "<hidden>") return true;
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c == '*'; });
}

bool leaks_server_path(std::string_view text) {
  static constexpr std::array<std::string_view, 8> kPrefixes = {"/opt/",  "/home/", "/usr/", "/var/",
                                                                "/root/", "/srv/",  "/tmp/", "/app/"};
  for (std::string_view prefix : kPrefixes) {
    if (text.find(prefix) != std::string_view::npos) return true;
  }
  if (text.find("File \"/") != std::string_view::npos) return true;
  for (std::size_t i = 0; i + 2 < text.size(); ++i) {  // C:\ style
    if (((text[i] >= 'A' && text[i] <= 'Z') || (text[i] >= 'a' && text[i] <= 'z')) && text[i + 1] == ':' &&
        text[i + 2] == '\\') {
      return true;
    }
  }
  return false;
}

}  // namespace airguard
