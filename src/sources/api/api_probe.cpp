#include "sources/api/api_probe.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <functional>
#include <memory>

#include "core/text.hpp"
#include "sources/api/api_parse.hpp"

namespace airguard {

namespace {

// A request and what to do with its outcome; one phase runs a list of these concurrently.
struct PendingProbe {
  HttpRequest request;
  std::function<void(const HttpOutcome&)> handle;
};

std::string percent_encode(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out += c;
    } else {
      out += fmt::format("%{:02X}", byte);
    }
  }
  return out;
}

std::string path_without_query(std::string_view path) { return std::string(path.substr(0, path.find('?'))); }

class Prober {
 public:
  explicit Prober(const ApiProbeOptions& options) : options_(options), base_(normalize_api_base_url(options.base_url)) {
    facts_.base_url = url_for_display(base_);
    // Findings append endpoint paths ("/api/v2/config") to it: no trailing slash.
    while (facts_.base_url.size() > 1 && facts_.base_url.back() == '/') facts_.base_url.pop_back();
    facts_.today = options.today;
    facts_.insecure = options.http.insecure;
    facts_.http.https = starts_with_icase(base_, "https://");
  }

  ApiFacts run() {
    if (!anonymous_phase()) return std::move(facts_);
    authenticate();
    if (bearer_ || basic_) {
      authenticated_phase();
      if (!pending_.empty()) run_pending();  // the remaining pages, all at once
      if (facts_.api_major == 2) connection_details_phase();
    }
    return std::move(facts_);
  }

 private:
  std::string prefix() const { return facts_.api_major == 2 ? "/api/v1" : "/api/v2"; }
  std::string users_prefix() const { return facts_.api_major == 2 ? "/api/v1" : "/auth/fab/v1"; }

  HttpRequest request(const std::string& path, bool authenticated) const {
    HttpRequest req;
    req.url = base_ + path;
    req.headers.push_back({"Accept", "application/json"});
    if (authenticated) {
      req.bearer_token = bearer_;
      req.basic_auth = basic_;
    }
    return req;
  }

  void run_pending() {
    std::vector<PendingProbe> batch = std::move(pending_);
    pending_.clear();
    std::vector<HttpRequest> requests;
    requests.reserve(batch.size());
    for (const PendingProbe& probe : batch) requests.push_back(probe.request);
    const std::vector<HttpOutcome> outcomes = http_perform_all(requests, options_.http);
    for (std::size_t i = 0; i < batch.size(); ++i) batch[i].handle(outcomes[i]);
  }

  // Records the probe and the HTTP-level facts every answer carries.
  ApiProbe& record(const std::string& name, const std::string& path, bool authenticated, const HttpOutcome& outcome) {
    ApiProbe probe;
    probe.name = name;
    probe.path = path_without_query(path);
    probe.url = url_for_display(base_ + path);
    probe.authenticated = authenticated;
    if (!outcome.ok()) {
      probe.failure = std::string(to_string(outcome.failure));
      if (outcome.failure == HttpFailure::tls && facts_.http.tls_error.empty())
        facts_.http.tls_error = outcome.error.message;
    } else {
      const HttpResponse& response = *outcome.response;
      facts_.reachable = true;
      probe.status = response.status;
      if (response.refused_redirect) {
        probe.refused_redirect = url_for_display(*response.refused_redirect);
        const auto target = url_origin(*response.refused_redirect);
        const auto ours = url_origin(base_);
        if (target && ours && *target != *ours && !(target->starts_with("https://") && ours->starts_with("http://"))) {
          add_problem(make_warning(probe.url, 0,
                                   fmt::format("answered {} with a redirect to another origin ({}); not followed, "
                                               "credentials not sent",
                                               response.status, url_for_display(*response.refused_redirect))));
        }
      }
      if (response.tls && !facts_.http.tls) facts_.http.tls = response.tls;
      for (const std::string& value : response.headers_named("Set-Cookie")) {
        ApiCookie cookie = parse_set_cookie(value);
        cookie.path = probe.path;
        const bool seen = std::any_of(facts_.http.cookies.begin(), facts_.http.cookies.end(),
                                      [&](const ApiCookie& c) { return c.name == cookie.name; });
        if (!seen && !cookie.name.empty()) facts_.http.cookies.push_back(std::move(cookie));
      }
      for (const HttpHeader& header : response.headers) {
        if (!header_discloses_version(header.name, header.value)) continue;
        const bool seen = std::any_of(
            facts_.http.disclosure_headers.begin(), facts_.http.disclosure_headers.end(),
            [&](const HttpHeader& h) { return equals_icase(h.name, header.name) && h.value == header.value; });
        if (!seen) facts_.http.disclosure_headers.push_back(header);
      }
    }
    facts_.probes.push_back(std::move(probe));
    return facts_.probes.back();
  }

  void add_problem(Diagnostic diagnostic) {
    const bool seen = std::any_of(facts_.problems.begin(), facts_.problems.end(), [&](const Diagnostic& d) {
      return d.file == diagnostic.file && d.message == diagnostic.message;
    });
    if (!seen) facts_.problems.push_back(std::move(diagnostic));
  }

  // For an authenticated read: the response when it answered 200, else a clear line in problems.
  const HttpResponse* expect_ok(ApiProbe& probe, const HttpOutcome& outcome) {
    if (!outcome.ok()) {
      add_problem(outcome.error);
      return nullptr;
    }
    const HttpResponse& response = *outcome.response;
    const long status = response.status;
    if (status == 200) {
      facts_.authenticated = true;
      return &response;
    }
    if (status == 401) {
      add_problem(
          make_warning(probe.url, 0, "the credentials were refused (401)",
                       "check the credentials from " + options_.credentials.source + "; a token may have expired"));
    } else if (status == 403) {
      if (probe.name == "config" && to_lower(response.body).find("expose") != std::string::npos) {
        facts_.authenticated = true;
        add_problem(make_note(probe.url, 0, "the configuration is not exposed (403: expose_config is off)"));
      } else {
        add_problem(make_warning(probe.url, 0, "the account may not read this (403)",
                                 "give the scanning account read access to see more"));
      }
    } else if (status == 404) {
      add_problem(make_note(probe.url, 0, "not served (404): this Airflow version or auth manager does not have it"));
    } else if (status >= 500) {
      add_problem(make_error(probe.url, 0, fmt::format("server error ({})", status), "the server's log says why"));
    } else {
      add_problem(make_warning(probe.url, 0, fmt::format("unexpected answer ({})", status)));
    }
    return nullptr;
  }

  void parse_problem(const ApiProbe& probe, const Diagnostic& parse_error) {
    Diagnostic d = parse_error;
    d.file = probe.url;
    add_problem(std::move(d));
  }

  // ---- phase 1: anonymous -------------------------------------------------------------------

  bool anonymous_phase() {
    struct Spec {
      std::string name;
      std::string path;
      int major;  // 0 = both
    };
    const std::vector<Spec> specs = {
        {"version", "/api/v1/version", 2},
        {"version", "/api/v2/version", 3},
        {"health", "/api/v1/health", 2},
        {"health", "/api/v2/monitor/health", 3},
        {"ui", "/", 0},
        {"anonymous.dags", "/api/v1/dags?limit=1", 2},
        {"anonymous.connections", "/api/v1/connections?limit=1", 2},
        {"anonymous.variables", "/api/v1/variables?limit=1", 2},
        {"anonymous.config", "/api/v1/config", 2},
        {"anonymous.users", "/api/v1/users?limit=1", 2},
        {"anonymous.docs", "/api/v1/ui/", 2},
        {"anonymous.dags", "/api/v2/dags?limit=1", 3},
        {"anonymous.connections", "/api/v2/connections?limit=1", 3},
        {"anonymous.variables", "/api/v2/variables?limit=1", 3},
        {"anonymous.config", "/api/v2/config", 3},
        {"anonymous.users", "/auth/fab/v1/users?limit=1", 3},
        {"anonymous.docs", "/docs", 3},
    };
    std::vector<HttpRequest> requests;
    for (const Spec& spec : specs) requests.push_back(request(spec.path, false));
    // Does plain HTTP on the default port answer, and does it send the browser to HTTPS?
    std::optional<std::size_t> plain_index;
    if (facts_.http.https) {
      const auto origin = url_origin(base_);
      if (origin && origin->ends_with(":443")) {
        HttpRequest plain;
        plain.url = "http://" + base_.substr(std::string("https://").size()) + "/";
        plain_index = requests.size();
        requests.push_back(plain);
      }
    }
    const std::vector<HttpOutcome> outcomes = http_perform_all(requests, options_.http);

    facts_.reachable = std::any_of(outcomes.begin(), outcomes.end(), [](const HttpOutcome& o) { return o.ok(); });
    if (!facts_.reachable) {
      const HttpOutcome& first = outcomes.front();
      if (first.failure == HttpFailure::tls) facts_.http.tls_error = first.error.message;
      add_problem(first.error);
      if (first.failure == HttpFailure::tls && !options_.http.insecure) read_certificate_without_verification();
      return false;
    }

    // Which flavour answered?
    const auto version_of = [&](std::size_t index) -> std::optional<ApiVersionInfo> {
      const HttpOutcome& outcome = outcomes[index];
      if (!outcome.ok() || outcome.response->status != 200) return std::nullopt;
      Result<ApiVersionInfo> info = parse_version_answer(outcome.response->body);
      if (!info) return std::nullopt;
      return *info;
    };
    const auto answered = [&](std::size_t index) {
      return outcomes[index].ok() && outcomes[index].response->status != 404 && outcomes[index].response->status < 500;
    };
    if (const auto v3 = version_of(1)) {
      facts_.api_major = 3;
      facts_.airflow_version = v3->version;
      facts_.git_version = v3->git_version;
    } else if (const auto v2 = version_of(0)) {
      facts_.api_major = 2;
      facts_.airflow_version = v2->version;
      facts_.git_version = v2->git_version;
    } else if (answered(3) || answered(11) || answered(12)) {
      facts_.api_major = 3;
    } else if (answered(2) || answered(5) || answered(6)) {
      facts_.api_major = 2;
    }
    if (!facts_.airflow_version.empty() && facts_.airflow_version.front() == '2') facts_.api_major = 2;
    if (!facts_.airflow_version.empty() && facts_.airflow_version.front() == '3') facts_.api_major = 3;

    for (std::size_t i = 0; i < specs.size(); ++i) {
      const Spec& spec = specs[i];
      const bool relevant = spec.major == 0 || spec.major == facts_.api_major || facts_.api_major == 0;
      if (!relevant) continue;
      ApiProbe& probe = record(spec.name, spec.path, false, outcomes[i]);
      const HttpOutcome& outcome = outcomes[i];
      if (!outcome.ok()) {
        if (spec.name == "version" || spec.name == "health" || spec.name == "ui") add_problem(outcome.error);
        continue;
      }
      const HttpResponse& response = *outcome.response;
      if (spec.name == "health" && response.status == 200) {
        Result<std::string> health = parse_health(response.body);
        probe.json_valid = health.ok();
        if (health)
          facts_.health_summary = *health;
        else
          parse_problem(probe, health.error());
      } else if (spec.name == "version" && response.status == 200) {
        Result<ApiVersionInfo> info = parse_version_answer(response.body);
        probe.json_valid = info.ok();
        if (!info) parse_problem(probe, info.error());
      } else if (spec.name.starts_with("anonymous.") && response.status == 200) {
        const std::string what = spec.name.substr(std::string("anonymous.").size());
        long entries = -1;
        if (what == "config") {
          probe.json_valid = parse_config(response.body).ok();
        } else if (what == "docs") {
          probe.json_valid = true;  // an HTML page: served is what matters
        } else {
          probe.json_valid = is_collection_answer(response.body, what, &entries);
          probe.entries = entries;
        }
      } else if (spec.name == "ui" && response.status < 500) {
        read_browser_headers(response, probe.path);
      }
      if (response.status >= 500 && spec.name != "ui") {
        add_problem(
            make_error(probe.url, 0, fmt::format("server error ({})", response.status), "the server's log says why"));
      }
    }
    if (!facts_.http.x_frame_options && !facts_.http.frame_ancestors && !facts_.http.hsts) {
      if (outcomes[facts_.api_major == 2 ? 0 : 1].ok())
        read_browser_headers(*outcomes[facts_.api_major == 2 ? 0 : 1].response, prefix() + "/version");
    }
    if (plain_index) {
      const HttpOutcome& plain = outcomes[*plain_index];
      facts_.http.plain_http_url = url_for_display(requests[*plain_index].url);
      if (plain.ok()) {
        facts_.http.plain_http_status = plain.response->status;
        const auto location =
            plain.response->refused_redirect ? plain.response->refused_redirect : plain.response->header("Location");
        facts_.http.plain_http_redirects_to_https = location && starts_with_icase(*location, "https://");
      }
    } else if (!facts_.http.https) {
      facts_.http.plain_http_url = facts_.base_url;
      const ApiProbe* ui = facts_.probe("ui");
      facts_.http.plain_http_status = ui != nullptr ? ui->status : 0;
      facts_.http.plain_http_redirects_to_https = ui != nullptr && starts_with_icase(ui->refused_redirect, "https://");
    }
    if (!facts_.http.tls_error.empty() && !options_.http.insecure) read_certificate_without_verification();

    if (facts_.api_major == 0) {
      add_problem(make_error(facts_.base_url, 0,
                             "no Airflow REST API answered here (/api/v1/version and /api/v2/version)",
                             "give the Airflow web server or API server URL, e.g. https://airflow.example.com"));
      return false;
    }
    if (facts_.airflow_version.empty()) {
      add_problem(make_warning(facts_.base_url + prefix() + "/version", 0,
                               "the server did not say which Airflow version it runs"));
    }
    return true;
  }

  void read_browser_headers(const HttpResponse& response, const std::string& path) {
    facts_.http.ui_path = path;
    facts_.http.hsts = response.header("Strict-Transport-Security");
    facts_.http.x_frame_options = response.header("X-Frame-Options");
    facts_.http.frame_ancestors.reset();
    if (const auto csp = response.header("Content-Security-Policy"))
      facts_.http.frame_ancestors = frame_ancestors_directive(*csp);
  }

  // After a certificate failure, read the certificate once more without verifying it, without
  // credentials, only to say what is wrong with it (expired, self-signed, wrong name).
  void read_certificate_without_verification() {
    HttpClientOptions lax = options_.http;
    lax.insecure = true;
    lax.retries = 0;
    HttpRequest req;
    req.url = base_ + "/";
    req.method = "HEAD";
    const HttpOutcome outcome = http_perform(req, lax);
    if (outcome.ok() && outcome.response->tls) facts_.http.tls_unverified = outcome.response->tls;
  }

  // ---- credentials ---------------------------------------------------------------------------

  void authenticate() {
    const ApiCredentials& credentials = options_.credentials;
    if (credentials.token) {
      bearer_ = credentials.token;
      facts_.credential_kind = "token";
    } else if (credentials.basic && facts_.api_major == 2) {
      basic_ = credentials.basic;
      facts_.credential_kind = "basic";
    } else if (credentials.basic && facts_.api_major == 3) {
      facts_.credential_kind = "jwt-exchange";
      pending_.push_back(
          {token_request(*credentials.basic), [this](const HttpOutcome& outcome) {
             ApiProbe& probe = record("token", "/auth/token", true, outcome);
             if (!outcome.ok()) {
               add_problem(outcome.error);
               return;
             }
             const long status = outcome.response->status;
             if (status == 200 || status == 201) {
               Result<std::string> token = parse_access_token(outcome.response->body);
               probe.json_valid = token.ok();
               if (token)
                 bearer_ = *token;
               else
                 parse_problem(probe, token.error());
             } else {
               add_problem(make_warning(probe.url, 0,
                                        fmt::format("the auth manager refused the username and password ({})", status),
                                        "check the credentials from " + options_.credentials.source +
                                            "; the scan continues with anonymous probes"));
             }
           }});
    }
    if (options_.try_default_credentials) queue_default_credentials();
    if (!pending_.empty()) run_pending();
  }

  HttpRequest token_request(const BasicCredentials& pair) const {
    HttpRequest req;
    req.method = "POST";
    req.url = base_ + "/auth/token";
    req.headers = {{"Content-Type", "application/json"}, {"Accept", "application/json"}};
    req.body = nlohmann::json{{"username", pair.username}, {"password", pair.password}}.dump();
    return req;
  }

  void queue_default_credentials() {
    const ApiProbe* anonymous_dags = facts_.probe("anonymous.dags");
    const bool open_anyway = anonymous_dags != nullptr && anonymous_dags->status == 200;
    for (const BasicCredentials& pair : default_credential_pairs()) {
      if (facts_.api_major == 3) {
        pending_.push_back({token_request(pair), [this, pair](const HttpOutcome& outcome) {
                              record("default_credentials." + pair.username, "/auth/token", true, outcome);
                              if (outcome.ok() &&
                                  (outcome.response->status == 200 || outcome.response->status == 201) &&
                                  parse_access_token(outcome.response->body).ok()) {
                                facts_.default_credentials_accepted.push_back(pair.username);
                              }
                            }});
      } else if (!open_anyway) {  // an API that lets everyone in would "accept" any password
        HttpRequest req = request("/api/v1/dags?limit=1", false);
        req.basic_auth = pair;
        pending_.push_back({req, [this, pair](const HttpOutcome& outcome) {
                              record("default_credentials." + pair.username, "/api/v1/dags", true, outcome);
                              if (outcome.ok() && outcome.response->status == 200 &&
                                  is_collection_answer(outcome.response->body, "dags")) {
                                facts_.default_credentials_accepted.push_back(pair.username);
                              }
                            }});
      }
    }
  }

  // ---- phase 2: authenticated reads ----------------------------------------------------------

  // Reads a paginated collection: the first page now, the rest queued for one concurrent batch.
  template <typename T>
  void queue_collection(const std::string& name, const std::string& path, bool paginated,
                        std::function<Result<ApiPage<T>>(std::string_view)> parse,
                        std::function<void(std::vector<T>&&)> store) {
    auto items = std::make_shared<std::vector<T>>();
    auto finish = [store, items] { store(std::move(*items)); };
    const std::string first = paginated ? fmt::format("{}?limit={}&offset=0", path, options_.page_size) : path;
    pending_.push_back({request(first, true), [=, this](const HttpOutcome& outcome) {
                          ApiProbe& probe = record(name, first, true, outcome);
                          const HttpResponse* response = expect_ok(probe, outcome);
                          if (response == nullptr) return;
                          Result<ApiPage<T>> page = parse(response->body);
                          probe.json_valid = page.ok();
                          if (!page) {
                            parse_problem(probe, page.error());
                            return;
                          }
                          probe.entries =
                              page->total_entries >= 0 ? page->total_entries : static_cast<long>(page->items.size());
                          const auto first_count = static_cast<long>(page->items.size());
                          *items = std::move(page->items);
                          finish();
                          if (!paginated || page->total_entries <= first_count) return;
                          queue_more_pages<T>(name, path, page->total_entries, parse, store);
                        }});
  }

  template <typename T>
  void queue_more_pages(const std::string& name, const std::string& path, long total,
                        std::function<Result<ApiPage<T>>(std::string_view)> parse,
                        std::function<void(std::vector<T>&&)> store) {
    const auto size = static_cast<long>(options_.page_size);
    const long pages = std::min<long>((total + size - 1) / size, static_cast<long>(options_.max_pages));
    if ((total + size - 1) / size > pages) {
      add_problem(make_warning(url_for_display(base_ + path), 0,
                               fmt::format("{} entries; only the first {} were read", total, pages * size)));
    }
    for (long page_number = 1; page_number < pages; ++page_number) {
      const std::string url_path = fmt::format("{}?limit={}&offset={}", path, size, page_number * size);
      pending_.push_back({request(url_path, true), [=, this](const HttpOutcome& outcome) {
                            // Pages after the first are not kept as separate probes, only their problems.
                            ApiProbe scratch;
                            scratch.name = name;
                            scratch.url = url_for_display(base_ + url_path);
                            const HttpResponse* response = expect_ok(scratch, outcome);
                            if (response == nullptr) return;
                            Result<ApiPage<T>> next = parse(response->body);
                            if (!next) {
                              parse_problem(scratch, next.error());
                              return;
                            }
                            store(std::move(next->items));
                          }});
    }
  }

  template <typename T>
  static std::function<void(std::vector<T>&&)> appender(std::optional<std::vector<T>>& target) {
    return [&target](std::vector<T>&& items) {
      if (!target) target.emplace();
      target->insert(target->end(), std::make_move_iterator(items.begin()), std::make_move_iterator(items.end()));
    };
  }

  void authenticated_phase() {
    const std::string p = prefix();
    pending_.push_back({request(p + "/config", true), [this, p](const HttpOutcome& outcome) {
                          ApiProbe& probe = record("config", p + "/config", true, outcome);
                          const HttpResponse* response = expect_ok(probe, outcome);
                          if (response == nullptr) return;
                          Result<std::vector<ApiConfigOption>> config = parse_config(response->body);
                          probe.json_valid = config.ok();
                          if (!config) {
                            parse_problem(probe, config.error());
                            return;
                          }
                          facts_.config_returned = !config->empty();
                          facts_.config = std::move(*config);
                        }});
    queue_collection<ApiProvider>("providers", p + "/providers", facts_.api_major == 3, parse_providers,
                                  appender(facts_.providers));
    queue_collection<ApiUser>("users", users_prefix() + "/users", true, parse_users, appender(facts_.users));
    queue_collection<ApiRole>("roles", users_prefix() + "/roles", true, parse_roles, appender(facts_.roles));
    queue_collection<ApiConnection>("connections", p + "/connections", true, parse_connections,
                                    appender(facts_.connections));
    queue_collection<ApiVariable>("variables", p + "/variables", true, parse_variables, appender(facts_.variables));
    queue_collection<std::string>("dags", p + "/dags", true, parse_dag_ids, appender(facts_.dag_ids));
    queue_collection<ApiImportError>("import_errors", p + "/importErrors", true, parse_import_errors,
                                     appender(facts_.import_errors));
    run_pending();
  }

  // Airflow 2 lists connections without their extras; each one's details carry them.
  void connection_details_phase() {
    if (!facts_.connections) return;
    std::vector<ApiConnection>& connections = *facts_.connections;
    const std::size_t count = std::min(connections.size(), options_.max_connection_details);
    if (connections.size() > count) {
      add_problem(
          make_note(url_for_display(base_ + "/api/v1/connections"), 0,
                    fmt::format("{} connections; the extras of the first {} were read", connections.size(), count)));
    }
    for (std::size_t i = 0; i < count; ++i) {
      const std::string path = "/api/v1/connections/" + percent_encode(connections[i].connection_id);
      pending_.push_back({request(path, true), [this, i, path](const HttpOutcome& outcome) {
                            ApiProbe scratch;
                            scratch.name = "connection";
                            scratch.url = url_for_display(base_ + path);
                            const HttpResponse* response = expect_ok(scratch, outcome);
                            if (response == nullptr) return;
                            Result<ApiConnection> detail = parse_connection(response->body);
                            if (!detail) {
                              parse_problem(scratch, detail.error());
                              return;
                            }
                            (*facts_.connections)[i] = std::move(*detail);
                          }});
    }
    run_pending();
  }

  const ApiProbeOptions& options_;
  std::string base_;
  ApiFacts facts_;
  std::optional<std::string> bearer_;
  std::optional<BasicCredentials> basic_;
  std::vector<PendingProbe> pending_;
};

}  // namespace

const ApiProbe* ApiFacts::probe(std::string_view probe_name) const {
  for (const ApiProbe& p : probes) {
    if (p.name == probe_name) return &p;
  }
  return nullptr;
}

std::string normalize_api_base_url(std::string_view url) {
  std::string base(trim(url));
  while (!base.empty() && base.back() == '/') base.pop_back();
  for (std::string_view suffix : {"/api/v1", "/api/v2"}) {
    if (base.ends_with(suffix)) base.resize(base.size() - suffix.size());
  }
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base;
}

const std::vector<BasicCredentials>& default_credential_pairs() {
  static const std::vector<BasicCredentials> pairs = {{"admin", "admin"}, {"airflow", "airflow"}};
  return pairs;
}

ApiFacts probe_api(const ApiProbeOptions& options) {
  Prober prober(options);
  return prober.run();
}

}  // namespace airguard
