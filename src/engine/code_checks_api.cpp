#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "core/text.hpp"
#include "engine/code_checks.hpp"
#include "engine/evaluator.hpp"
#include "sources/api/api_parse.hpp"

// Checks on what a live REST API answered (snapshot.api, filled by app/collect_api.cpp). Each
// finding has source "api", the endpoint path as key and the URL as location.
namespace airguard {

namespace {

Finding api_finding(const Snapshot& snapshot, const CheckDef& check, const Profile& profile, const std::string& path,
                    std::string evidence) {
  Finding finding;
  finding.check_id = check.id;
  finding.severity = effective_severity(check, profile);
  finding.source = SourceKind::api;
  finding.key = path;
  finding.location.kind = SourceKind::api;
  finding.location.name = snapshot.api->base_url + path;
  finding.evidence = std::move(evidence);
  finding.airflow_version = snapshot.target.version;
  finding.airflow_version_source = snapshot.target.source;
  return finding;
}

std::string api_prefix(const ApiFacts& api) { return api.api_major == 2 ? "/api/v1" : "/api/v2"; }
std::string users_prefix(const ApiFacts& api) { return api.api_major == 2 ? "/api/v1" : "/auth/fab/v1"; }

// Names listed, at most `limit`, then "and N more".
std::string name_list(const std::vector<std::string>& names, std::size_t limit = 5) {
  std::vector<std::string> shown(names.begin(),
                                 names.begin() + static_cast<std::ptrdiff_t>(std::min(limit, names.size())));
  std::string text = join(shown, ", ");
  if (names.size() > limit) text += fmt::format(" and {} more", names.size() - limit);
  return text;
}

std::optional<std::chrono::sys_days> parse_date(std::string_view text) {
  if (text.size() < 10) return std::nullopt;
  int year = 0;
  unsigned month = 0;
  unsigned day = 0;
  if (std::sscanf(std::string(text.substr(0, 10)).c_str(), "%4d-%2u-%2u", &year, &month, &day) != 3)
    return std::nullopt;
  const std::chrono::year_month_day date{std::chrono::year{year}, std::chrono::month{month}, std::chrono::day{day}};
  if (!date.ok()) return std::nullopt;
  return std::chrono::sys_days{date};
}

std::vector<Finding> anonymous_reads(const Snapshot& snapshot, const CheckDef& check, const Profile& profile,
                                     const std::vector<std::string>& kinds) {
  std::vector<Finding> findings;
  if (!snapshot.api) return findings;
  for (const ApiProbe& probe : snapshot.api->probes) {
    if (!probe.name.starts_with("anonymous.") || probe.status != 200 || !probe.json_valid) continue;
    const std::string what = probe.name.substr(std::string("anonymous.").size());
    if (std::find(kinds.begin(), kinds.end(), what) == kinds.end()) continue;
    std::string evidence = fmt::format("GET {} without credentials answered 200", probe.path);
    if (probe.entries >= 0) evidence += fmt::format(" with {} entries", probe.entries);
    findings.push_back(api_finding(snapshot, check, profile, probe.path, std::move(evidence)));
  }
  return findings;
}

std::vector<Finding> anonymous_sensitive(const Snapshot& s, const CheckDef& c, const Profile& p) {
  return anonymous_reads(s, c, p, {"connections", "variables", "config", "users"});
}
std::vector<Finding> anonymous_dags(const Snapshot& s, const CheckDef& c, const Profile& p) {
  return anonymous_reads(s, c, p, {"dags"});
}
std::vector<Finding> anonymous_docs(const Snapshot& s, const CheckDef& c, const Profile& p) {
  return anonymous_reads(s, c, p, {"docs", "openapi"});
}
std::vector<Finding> anonymous_experimental(const Snapshot& s, const CheckDef& c, const Profile& p) {
  return anonymous_reads(s, c, p, {"experimental"});
}

std::vector<Finding> config_exposed(const Snapshot& s, const CheckDef& c, const Profile& p) {
  if (!s.api || !s.api->config_returned) return {};
  return {api_finding(s, c, p, api_prefix(*s.api) + "/config",
                      fmt::format("GET {}/config returned {} options", api_prefix(*s.api), s.api->config.size()))};
}

std::vector<Finding> config_secrets(const Snapshot& s, const CheckDef& c, const Profile& p) {
  if (!s.api || !s.api->config_returned) return {};
  std::vector<std::string> names;
  for (const ApiConfigOption& option : s.api->config) {
    if (option.sensitive && !option.masked && option.value == kRedacted)
      names.push_back(option.section + "." + option.key);
  }
  if (names.empty()) return {};
  return {api_finding(s, c, p, api_prefix(*s.api) + "/config",
                      fmt::format("unmasked: {} (values withheld here)", name_list(names, 8)))};
}

std::vector<Finding> many_admins(const Snapshot& s, const CheckDef& c, const Profile& p) {
  if (!s.api || !s.api->users) return {};
  const double limit = p.param_number("max_admin_users").value_or(3.0);
  std::vector<std::string> admins;
  for (const ApiUser& user : *s.api->users) {
    if (user.active == false) continue;
    if (std::any_of(user.roles.begin(), user.roles.end(),
                    [](const std::string& r) { return equals_icase(r, "Admin"); })) {
      admins.push_back(user.username);
    }
  }
  if (static_cast<double>(admins.size()) <= limit) return {};
  return {api_finding(s, c, p, users_prefix(*s.api) + "/users",
                      fmt::format("{} active Admin users (limit {}): {}", admins.size(), limit, name_list(admins)))};
}

std::vector<Finding> public_role(const Snapshot& s, const CheckDef& c, const Profile& p) {
  if (!s.api || !s.api->roles) return {};
  for (const ApiRole& role : *s.api->roles) {
    if (role.name == "Public" && !role.permissions.empty()) {
      return {api_finding(
          s, c, p, users_prefix(*s.api) + "/roles",
          fmt::format("Public role has {} permissions: {}", role.permissions.size(), name_list(role.permissions, 4)))};
    }
  }
  return {};
}

std::vector<Finding> admin_user(const Snapshot& s, const CheckDef& c, const Profile& p) {
  if (!s.api || !s.api->users) return {};
  for (const ApiUser& user : *s.api->users) {
    if (equals_icase(user.username, "admin")) {
      return {api_finding(
          s, c, p, users_prefix(*s.api) + "/users",
          fmt::format("user 'admin' exists (roles: {})", user.roles.empty() ? "none" : join(user.roles, ", ")))};
    }
  }
  return {};
}

std::vector<Finding> stale_users(const Snapshot& s, const CheckDef& c, const Profile& p) {
  if (!s.api || !s.api->users) return {};
  const auto today = parse_date(s.api->today);
  if (!today) return {};
  const double limit = p.param_number("max_user_inactive_days").value_or(90.0);
  std::vector<std::string> stale;
  for (const ApiUser& user : *s.api->users) {
    if (user.active == false || !user.last_login) continue;
    const auto last = parse_date(*user.last_login);
    if (!last) continue;
    const auto days = (*today - *last).count();
    if (static_cast<double>(days) > limit) stale.push_back(fmt::format("{} ({} days)", user.username, days));
  }
  if (stale.empty()) return {};
  return {api_finding(
      s, c, p, users_prefix(*s.api) + "/users",
      fmt::format("{} active users without a login for more than {} days: {}", stale.size(), limit, name_list(stale)))};
}

std::string connection_path(const ApiFacts& api, const ApiConnection& connection) {
  return api_prefix(api) + "/connections/" + connection.connection_id;
}

template <typename Predicate, typename Describe>
std::vector<Finding> per_connection(const Snapshot& s, const CheckDef& c, const Profile& p, Predicate matches,
                                    Describe describe) {
  std::vector<Finding> findings;
  if (!s.api || !s.api->connections) return findings;
  for (const ApiConnection& connection : *s.api->connections) {
    if (matches(connection))
      findings.push_back(api_finding(s, c, p, connection_path(*s.api, connection), describe(connection)));
  }
  return findings;
}

std::vector<Finding> plaintext_connections(const Snapshot& s, const CheckDef& c, const Profile& p) {
  // The scheme the hook uses, not the type: an http connection with schema "https" (or a host
  // "https://...") is encrypted, one with no schema is not (connection_url_scheme cites HttpHook).
  const auto plain_scheme = [](const ApiConnection& conn) -> std::string {
    const std::string scheme = connection_url_scheme(conn);
    if (scheme == "http" || scheme == "ftp") return scheme;
    if (scheme.empty() && equals_icase(conn.conn_type, "ftp")) return "ftp";
    return {};
  };
  return per_connection(
      s, c, p, [&](const ApiConnection& conn) { return !plain_scheme(conn).empty(); },
      [&](const ApiConnection& conn) {
        return fmt::format("connection '{}' type {} is used over {}:// (host {})", conn.connection_id, conn.conn_type,
                           plain_scheme(conn), conn.host.empty() ? "not set" : conn.host);
      });
}

std::vector<Finding> verification_off(const Snapshot& s, const CheckDef& c, const Profile& p) {
  return per_connection(
      s, c, p, [](const ApiConnection& conn) { return conn.sslmode_disabled || conn.verification_disabled; },
      [](const ApiConnection& conn) {
        return fmt::format("connection '{}': {}", conn.connection_id,
                           conn.sslmode_disabled ? "sslmode=disable" : "certificate verification turned off in extra");
      });
}

std::vector<Finding> visible_credentials(const Snapshot& s, const CheckDef& c, const Profile& p) {
  return per_connection(
      s, c, p, [](const ApiConnection& conn) { return conn.password_visible || !conn.visible_secret_keys.empty(); },
      [](const ApiConnection& conn) {
        std::vector<std::string> what;
        if (conn.password_visible) what.push_back("password");
        for (const std::string& key : conn.visible_secret_keys) what.push_back("extra." + key);
        return fmt::format("connection '{}' returned unmasked: {} (values withheld here)", conn.connection_id,
                           join(what, ", "));
      });
}

std::vector<std::string> masking_names(const Snapshot& s) {
  std::vector<std::string> names;
  if (const ResolvedOption* option = s.config.get("core", "sensitive_var_conn_names"); option && option->value) {
    for (const std::string& name : split(*option->value, ',')) names.emplace_back(trim(name));
  }
  if (s.api) {
    for (const ApiConfigOption& option : s.api->config) {
      if (option.section == "core" && option.key == "sensitive_var_conn_names") {
        for (const std::string& name : split(option.value, ',')) names.emplace_back(trim(name));
      }
    }
  }
  return names;
}

std::vector<Finding> unmasked_variables(const Snapshot& s, const CheckDef& c, const Profile& p) {
  std::vector<Finding> findings;
  if (!s.api || !s.api->variables) return findings;
  const std::vector<std::string> extra = masking_names(s);
  // Judged by what came back: a name Airflow masks does not protect a value the API still returns in
  // clear (Airflow 2 never masks variables; Airflow 3 masks a JSON value only by its inner keys).
  const std::string why_clear = s.api->api_major == 2   ? " (the Airflow 2 API returns variable values unmasked)"
                                : s.api->api_major == 3 ? " (Airflow 3 masks a JSON value only by the keys inside it)"
                                                        : "";
  for (const ApiVariable& variable : *s.api->variables) {
    if (!variable.value_visible) continue;
    const bool credential = looks_like_credential_name(variable.key) ||
                            (airflow_masks_name(variable.key, extra) && !names_a_credential_by_reference(variable.key));
    std::string evidence;
    if (credential) {
      evidence = fmt::format("variable '{}' is named as a secret and its value was returned in clear{} (withheld here)",
                             variable.key, why_clear);
    } else if (looks_like_personal_or_payment_name(variable.key)) {
      evidence = fmt::format(
          "variable '{}' looks like personal or payment data, no masking name covers it, and its value was returned "
          "in clear (withheld here)",
          variable.key);
    } else if (!variable.visible_secret_keys.empty()) {
      evidence =
          fmt::format("variable '{}' holds credentials returned in clear in its JSON value: {}{} (withheld here)",
                      variable.key, name_list(variable.visible_secret_keys), why_clear);
    } else {
      continue;
    }
    findings.push_back(api_finding(s, c, p, api_prefix(*s.api) + "/variables/" + variable.key, std::move(evidence)));
  }
  return findings;
}

std::vector<Finding> example_dags(const Snapshot& s, const CheckDef& c, const Profile& p) {
  if (!s.api || !s.api->dag_ids) return {};
  std::vector<std::string> examples;
  for (const std::string& id : *s.api->dag_ids) {
    if (id.starts_with("example_") || id.starts_with("tutorial")) examples.push_back(id);
  }
  if (examples.empty()) return {};
  return {api_finding(s, c, p, api_prefix(*s.api) + "/dags",
                      fmt::format("{} example DAGs: {}", examples.size(), name_list(examples)))};
}

std::vector<Finding> import_error_paths(const Snapshot& s, const CheckDef& c, const Profile& p) {
  if (!s.api || !s.api->import_errors) return {};
  std::vector<std::string> files;
  for (const ApiImportError& error : *s.api->import_errors) {
    if (error.stack_trace_has_paths) files.push_back(error.filename);
  }
  if (files.empty()) return {};
  return {api_finding(s, c, p, api_prefix(*s.api) + "/importErrors",
                      fmt::format("{} import errors show server paths: {}", files.size(), name_list(files, 3)))};
}

std::vector<Finding> old_tls(const Snapshot& s, const CheckDef& c, const Profile& p) {
  if (!s.api || !s.api->http.tls) return {};
  const std::string& protocol = s.api->http.tls->protocol;
  if (protocol != "TLSv1" && protocol != "TLSv1.1" && protocol != "SSLv3") return {};
  return {api_finding(s, c, p, "/", fmt::format("negotiated {} ({})", protocol, s.api->http.tls->cipher))};
}

std::vector<Finding> invalid_certificate(const Snapshot& s, const CheckDef& c, const Profile& p) {
  if (!s.api || s.api->http.tls_error.empty()) return {};
  std::string evidence = s.api->http.tls_error;
  if (s.api->http.tls_unverified && !s.api->http.tls_unverified->chain.empty()) {
    const CertificateInfo& leaf = s.api->http.tls_unverified->chain.front();
    evidence += fmt::format("; certificate {} issued by {}, valid until {}{}", leaf.subject, leaf.issuer,
                            leaf.not_after, leaf.self_signed ? ", self-signed" : "");
  }
  return {api_finding(s, c, p, "/", std::move(evidence))};
}

std::vector<Finding> expiring_certificate(const Snapshot& s, const CheckDef& c, const Profile& p) {
  if (!s.api) return {};
  const std::optional<TlsInfo>& tls = s.api->http.tls ? s.api->http.tls : s.api->http.tls_unverified;
  if (!tls || tls->chain.empty()) return {};
  const double warn_days = p.param_number("cert_expiry_warning_days").value_or(30.0);
  const CertificateInfo& leaf = tls->chain.front();
  if (leaf.days_to_expiry < 0 || static_cast<double>(leaf.days_to_expiry) > warn_days) return {};
  return {api_finding(s, c, p, "/",
                      fmt::format("certificate {} expires {} (within {} days)", leaf.subject,
                                  leaf.not_after.substr(0, 10), warn_days))};
}

std::vector<Finding> plain_http(const Snapshot& s, const CheckDef& c, const Profile& p) {
  if (!s.api) return {};
  const ApiHttpFacts& http = s.api->http;
  if (http.plain_http_url.empty() || http.plain_http_status == 0 || http.plain_http_redirects_to_https) return {};
  if (http.plain_http_status >= 300 && http.plain_http_status < 400) return {};
  Finding finding = api_finding(
      s, c, p, "/",
      fmt::format("{} answered {} without redirecting to HTTPS", http.plain_http_url, http.plain_http_status));
  finding.location.name = http.plain_http_url;
  return {finding};
}

std::vector<Finding> missing_hsts(const Snapshot& s, const CheckDef& c, const Profile& p) {
  if (!s.api || !s.api->http.https || !s.api->http.tls || s.api->http.hsts || s.api->http.ui_path.empty()) return {};
  return {api_finding(s, c, p, s.api->http.ui_path, "no Strict-Transport-Security header on " + s.api->http.ui_path)};
}

std::vector<Finding> frameable(const Snapshot& s, const CheckDef& c, const Profile& p) {
  if (!s.api || s.api->http.ui_path.empty() || s.api->http.x_frame_options || s.api->http.frame_ancestors) return {};
  std::string evidence = "no X-Frame-Options header and no CSP frame-ancestors on " + s.api->http.ui_path;
  // Airflow 2 sends X-Frame-Options: DENY only when x_frame_enabled is False, its default being True
  // (airflow/www/extensions/init_security.py:39-47, config.yml:1945-1951 at 4ef847b7d2); Airflow 3
  // removed the option and sends no such header (cli/commands/config_command.py:425-428 at dda8d27867).
  if (s.api->api_major == 2) {
    evidence += "; Airflow 2 sends X-Frame-Options: DENY only with [webserver] x_frame_enabled = False";
  } else if (s.api->api_major == 3) {
    evidence += "; Airflow 3 sends neither, so the reverse proxy must add one";
  }
  return {api_finding(s, c, p, s.api->http.ui_path, std::move(evidence))};
}

std::vector<Finding> cookie_flags(const Snapshot& s, const CheckDef& c, const Profile& p) {
  std::vector<Finding> findings;
  if (!s.api) return findings;
  for (const ApiCookie& cookie : s.api->http.cookies) {
    const std::string name = to_lower(cookie.name);
    if (name.find("session") == std::string::npos && name != "_token") continue;
    std::vector<std::string> missing;
    if (!cookie.secure) missing.push_back("Secure");
    if (!cookie.http_only && name != "_token") missing.push_back("HttpOnly");
    if (cookie.same_site.empty() || equals_icase(cookie.same_site, "None")) missing.push_back("SameSite");
    if (missing.empty()) continue;
    findings.push_back(
        api_finding(s, c, p, cookie.path, fmt::format("cookie '{}' set without {}", cookie.name, join(missing, ", "))));
  }
  return findings;
}

std::vector<Finding> version_headers(const Snapshot& s, const CheckDef& c, const Profile& p) {
  if (!s.api || s.api->http.disclosure_headers.empty()) return {};
  std::vector<std::string> shown;
  for (const HttpHeader& header : s.api->http.disclosure_headers) shown.push_back(header.name + ": " + header.value);
  return {api_finding(s, c, p, "/", name_list(shown, 3))};
}

std::vector<Finding> default_credentials(const Snapshot& s, const CheckDef& c, const Profile& p) {
  std::vector<Finding> findings;
  if (!s.api) return findings;
  const std::string path = s.api->api_major == 3 ? "/auth/token" : "/api/v1/dags";
  for (const std::string& user : s.api->default_credentials_accepted) {
    findings.push_back(
        api_finding(s, c, p, path, fmt::format("login as '{}' with the well-known default password succeeded", user)));
  }
  return findings;
}

std::vector<Finding> all_admins(const Snapshot& s, const CheckDef& c, const Profile& p) {
  if (!s.api || !s.api->all_admins) return {};
  return {api_finding(s, c, p, "/auth/token",
                      "GET /auth/token without credentials answered with an access token: every caller is an admin")};
}

std::vector<Finding> cors_reflection(const Snapshot& s, const CheckDef& c, const Profile& p) {
  if (!s.api || s.api->http.cors_origin_sent.empty() || !s.api->http.cors_allow_credentials) return {};
  const auto& allowed = s.api->http.cors_allow_origin;
  if (!allowed || *allowed != s.api->http.cors_origin_sent) return {};
  const std::string path = api_prefix(*s.api) + "/version";
  return {api_finding(s, c, p, path,
                      fmt::format("a request from Origin {} with a cookie got Access-Control-Allow-Origin: {} and "
                                  "Access-Control-Allow-Credentials: true",
                                  s.api->http.cors_origin_sent, *allowed))};
}

std::vector<Finding> login_enumeration(const Snapshot& s, const CheckDef& c, const Profile& p) {
  if (!s.api || !s.api->login_tells_users_apart) return {};
  return {
      api_finding(s, c, p, "/auth/token", "POST /auth/token answered differently: " + *s.api->login_tells_users_apart)};
}

std::vector<Finding> insecure_scan(const Snapshot& s, const CheckDef& c, const Profile& p) {
  if (!s.api || !s.api->insecure) return {};
  return {api_finding(s, c, p, "/", "--insecure: certificate verification was off for " + s.api->base_url)};
}

}  // namespace

std::vector<CodeCheckEntry> api_code_checks() {
  return {
      {"AFH-API-001", anonymous_sensitive},
      {"AFH-API-002", anonymous_dags},
      {"AFH-API-003", anonymous_docs},
      {"AFH-API-004", config_exposed},
      {"AFH-API-005", config_secrets},
      {"AFH-API-006", many_admins},
      {"AFH-API-007", public_role},
      {"AFH-API-008", admin_user},
      {"AFH-API-009", stale_users},
      {"AFH-API-010", plaintext_connections},
      {"AFH-API-011", verification_off},
      {"AFH-API-012", visible_credentials},
      {"AFH-API-013", unmasked_variables},
      {"AFH-API-014", example_dags},
      {"AFH-API-015", import_error_paths},
      {"AFH-API-016", old_tls},
      {"AFH-API-017", invalid_certificate},
      {"AFH-API-018", expiring_certificate},
      {"AFH-API-019", plain_http},
      {"AFH-API-020", missing_hsts},
      {"AFH-API-021", frameable},
      {"AFH-API-022", cookie_flags},
      {"AFH-API-023", version_headers},
      {"AFH-API-024", default_credentials},
      {"AFH-API-025", insecure_scan},
      {"AFH-API-030", all_admins},
      {"AFH-API-031", anonymous_experimental},
      {"AFH-API-032", cors_reflection},
      {"AFH-API-033", login_enumeration},
  };
}

}  // namespace airguard
