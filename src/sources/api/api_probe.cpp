#include "sources/api/api_probe.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <chrono>
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

// Why nothing answered, in words that do not change from run to run (for the report).
std::string_view unreachable_reason(HttpFailure failure) {
  switch (failure) {
    case HttpFailure::bad_url:
      return "not a usable http(s) URL";
    case HttpFailure::dns:
      return "not reachable: the host name could not be resolved";
    case HttpFailure::connect:
      return "not reachable: the connection failed";
    case HttpFailure::tls:
      return "not reachable: the TLS handshake or certificate verification failed";
    case HttpFailure::timeout:
      return "not reachable: no complete answer within the request timeout";
    case HttpFailure::too_large:
      return "every answer was larger than the size limit";
    case HttpFailure::protocol:
      return "not reachable: the server broke off or did not speak HTTP";
    case HttpFailure::deadline:
      return "the API phase's deadline passed";
    case HttpFailure::none:
    case HttpFailure::other:
      break;
  }
  return "not reachable";
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
    if (anonymous_phase() && !deadline_passed()) {
      authenticate();
      if ((bearer_ || basic_) && !deadline_passed()) {
        authenticated_phase();
        while (!pending_.empty() && !deadline_passed()) run_pending();  // the remaining pages, all at once
        if (facts_.api_major == 2 && !deadline_passed()) connection_details_phase();
      }
    }
    judge_completeness();
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

  // True once the phase's deadline has passed; later reads are then not started.
  bool deadline_passed() {
    if (options_.http.deadline && std::chrono::steady_clock::now() >= *options_.http.deadline) {
      stopped_by_deadline_ = true;
    }
    return stopped_by_deadline_;
  }

  // The HTTP options of one batch: progress counts the requests of earlier batches too.
  HttpClientOptions batch_options() const {
    HttpClientOptions http = options_.http;
    if (options_.on_progress) {
      http.on_progress = [this](std::size_t finished, std::size_t total) {
        options_.on_progress(ApiProgress{finished_before_ + finished, started_before_ + total});
      };
    }
    return http;
  }

  // Runs the requests concurrently and hands each answer over as it arrives, so only the bodies in
  // flight are held. Requests the deadline cut off are counted, not handled.
  void run_batch(const std::vector<HttpRequest>& requests,
                 const std::function<void(std::size_t, HttpOutcome&&)>& handle) {
    http_perform_each(requests, batch_options(), [&](std::size_t index, HttpOutcome&& outcome) {
      note_answer(outcome);
      if (outcome.failure == HttpFailure::deadline) {
        ++unanswered_at_deadline_;
        stopped_by_deadline_ = true;
        return;
      }
      handle(index, std::move(outcome));
    });
    finished_before_ += requests.size();
    started_before_ += requests.size();
  }

  void run_pending() {
    std::vector<PendingProbe> batch = std::move(pending_);
    pending_.clear();
    std::vector<HttpRequest> requests;
    requests.reserve(batch.size());
    for (const PendingProbe& probe : batch) requests.push_back(probe.request);
    run_batch(requests, [&batch](std::size_t index, HttpOutcome&& outcome) { batch[index].handle(outcome); });
  }

  // What kind of answer came back, for judging at the end whether the API was read at all.
  void note_answer(const HttpOutcome& outcome) {
    if (!outcome.ok()) return;
    const HttpResponse& response = *outcome.response;
    if (response.status >= 200 && response.status < 300) ++data_answers_;
    if (response.status == 401) ++unauthorized_answers_;
    if (response.status < 300 || response.status >= 400 || !response.refused_redirect) return;
    const auto target = url_origin(*response.refused_redirect);
    const auto ours = url_origin(base_);
    if (target && ours && *target != *ours) {
      if (redirected_to_.empty()) redirected_to_ = url_for_display(*target);
    } else {
      ++redirects_without_end_;
    }
  }

  // Why the API was not read as asked, in words for the report; nothing when it was.
  void judge_completeness() {
    if (stopped_by_deadline_ || unanswered_at_deadline_ > 0) {
      const std::string reason =
          unanswered_at_deadline_ > 0
              ? fmt::format("the API phase's deadline of {:g} s passed with {} request{} unanswered",
                            options_.deadline_seconds, unanswered_at_deadline_, unanswered_at_deadline_ == 1 ? "" : "s")
              : fmt::format("the API phase's deadline of {:g} s passed before all reads were made",
                            options_.deadline_seconds);
      add_problem(make_error(facts_.base_url, 0, reason,
                             "the server is slow or hangs; --api-deadline SECONDS gives it longer"));
      facts_.incomplete_reasons.push_back(reason);
    }
    if (!facts_.reachable) return;  // the anonymous phase said why
    if (data_answers_ == 0) {
      if (!redirected_to_.empty()) {
        facts_.incomplete_reasons.push_back(
            fmt::format("every endpoint redirected to another origin ({}); nothing was read", redirected_to_));
      } else if (redirects_without_end_ > 0) {
        facts_.incomplete_reasons.push_back(
            fmt::format("every endpoint answered with redirects that did not end (more than {}); nothing was read",
                        options_.http.max_redirects));
      } else if (unauthorized_answers_ > 0) {
        facts_.incomplete_reasons.push_back(
            options_.credentials.any()
                ? "every endpoint refused access (401), with the credentials too; nothing was read"
                : "every endpoint refused access (401); nothing was read");
      } else if (!stopped_by_deadline_) {
        facts_.incomplete_reasons.push_back("no endpoint answered with data (2xx); nothing was read");
      }
      return;
    }
    if (token_refused_status_ != 0) {
      facts_.incomplete_reasons.push_back(fmt::format(
          "the auth manager refused the username and password ({}); only anonymous probes ran", token_refused_status_));
    } else if (authenticated_reads_ > 0 && refused_reads_ == authenticated_reads_) {
      facts_.incomplete_reasons.push_back(
          "the credentials were refused (401) at every endpoint that needs them; only anonymous probes ran");
    }
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
    ++authenticated_reads_;
    if (status == 200) {
      facts_.authenticated = true;
      return &response;
    }
    if (status == 401) {
      ++refused_reads_;
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

  // The parser's words with the probe's URL; for an answer that is not JSON, what arrived (type and
  // size), never its content.
  void parse_problem(const ApiProbe& probe, const Diagnostic& parse_error, const HttpResponse* response = nullptr) {
    Diagnostic d = parse_error;
    d.file = probe.url;
    if (response != nullptr && d.message == "answer is not valid JSON") {
      std::string type(trim(response->header("Content-Type").value_or("no Content-Type")));
      type = type.substr(0, std::min(type.find(';'), std::size_t{60}));
      const bool html = d.hint.find("HTML") != std::string::npos;
      d.hint = fmt::format("received {} bytes of {}{}; the content is not shown", response->body.size(), type,
                           html ? ", an HTML page" : "");
    }
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
    // Collection and config answers are judged as they arrive and their bodies let go: a hostile
    // server may send the largest body allowed to every probe at once.
    struct Digest {
      bool json_valid = false;
      long entries = -1;
    };
    std::vector<HttpOutcome> outcomes(requests.size());
    std::vector<Digest> digests(requests.size());
    run_batch(requests, [&](std::size_t i, HttpOutcome&& outcome) {
      if (outcome.ok()) {
        std::string& body = outcome.response->body;
        const std::string name = i < specs.size() ? specs[i].name : "";
        if (name.starts_with("anonymous.") && outcome.response->status == 200) {
          const std::string what = name.substr(std::string("anonymous.").size());
          if (what == "config") {
            digests[i].json_valid = parse_config(body).ok();
          } else if (what == "docs") {
            digests[i].json_valid = true;  // an HTML page: served is what matters
          } else {
            digests[i].json_valid = is_collection_answer(body, what, &digests[i].entries);
          }
        }
        if (name != "version" && name != "health") std::string().swap(body);
      }
      outcomes[i] = std::move(outcome);
    });

    facts_.reachable = std::any_of(outcomes.begin(), outcomes.end(), [](const HttpOutcome& o) { return o.ok(); });
    if (!facts_.reachable) {
      if (unanswered_at_deadline_ == requests.size()) return false;  // judge_completeness() says why
      // A certificate problem says most, even when slower handshakes timed out first.
      auto first_failed = std::find_if(outcomes.begin(), outcomes.end(),
                                       [](const HttpOutcome& o) { return o.failure == HttpFailure::tls; });
      if (first_failed == outcomes.end()) {
        first_failed = std::find_if(outcomes.begin(), outcomes.end(),
                                    [](const HttpOutcome& o) { return o.failure != HttpFailure::none; });
      }
      const HttpOutcome& first = first_failed != outcomes.end() ? *first_failed : outcomes.front();
      if (first.failure == HttpFailure::tls) facts_.http.tls_error = first.error.message;
      add_problem(first.error);
      facts_.incomplete_reasons.push_back(std::string(unreachable_reason(first.failure)));
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
    // A redirect that was not followed is no answer from Airflow.
    const auto answered = [&](std::size_t index) {
      if (!outcomes[index].ok()) return false;
      const long status = outcomes[index].response->status;
      return status != 404 && status < 500 && !(status >= 300 && status < 400);
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
      const HttpOutcome& outcome = outcomes[i];
      if (outcome.failure == HttpFailure::none && !outcome.ok()) continue;  // cut off by the deadline
      ApiProbe& probe = record(spec.name, spec.path, false, outcome);
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
          parse_problem(probe, health.error(), &response);
      } else if (spec.name == "version" && response.status == 200) {
        Result<ApiVersionInfo> info = parse_version_answer(response.body);
        probe.json_valid = info.ok();
        if (!info) parse_problem(probe, info.error(), &response);
      } else if (spec.name.starts_with("anonymous.") && response.status == 200) {
        probe.json_valid = digests[i].json_valid;
        probe.entries = digests[i].entries;
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
                 parse_problem(probe, token.error(), &*outcome.response);
             } else {
               token_refused_status_ = status;
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

  template <typename T>
  using PageParser = std::function<Result<ApiPage<T>>(std::string_view, std::size_t)>;
  template <typename T>
  using PageStore = std::function<void(std::vector<T>&&)>;

  // One collection being read: the entries kept so far, and whether reading it has stopped.
  struct CollectionRead {
    std::size_t kept = 0;
    bool stopped = false;
  };

  // How many more entries of this collection may be kept, under both caps.
  std::size_t item_budget(const CollectionRead& read) const {
    const std::size_t collection_left =
        options_.max_items_per_collection - std::min(read.kept, options_.max_items_per_collection);
    const std::size_t scan_left = options_.max_items_per_scan - std::min(items_kept_, options_.max_items_per_scan);
    return std::min(collection_left, scan_left);
  }

  // Parses a page within the caps and stores the entries it may keep; the page comes back with its
  // counts (its items moved out), or nullopt when it was no page. Reading the collection stops,
  // with a warning, when a cap is reached or the server sent more entries than were asked for.
  template <typename T>
  std::optional<ApiPage<T>> read_page(CollectionRead& read, const ApiProbe& probe, const std::string& path,
                                      const HttpResponse& response, bool paginated, const PageParser<T>& parse,
                                      const PageStore<T>& store) {
    Result<ApiPage<T>> page = parse(response.body, item_budget(read));
    if (!page) {
      parse_problem(probe, page.error(), &response);
      return std::nullopt;
    }
    const std::size_t kept = page->items.size();
    read.kept += kept;
    items_kept_ += kept;
    store(std::move(page->items));
    page->items.clear();
    const std::string where = url_for_display(base_ + path);
    if (paginated && page->items_received > options_.page_size) {
      read.stopped = true;
      const bool scan_cap = items_kept_ >= options_.max_items_per_scan;
      add_problem(make_warning(
          where, 0,
          fmt::format(
              "answered {} entries to a request for at most {}; {} kept{}, further "
              "pages not read",
              page->items_received, options_.page_size, read.kept,
              scan_cap ? fmt::format(" (a scan keeps at most {} API entries)", options_.max_items_per_scan) : ""),
          "the server does not honour the page size"));
    } else if (page->items_received > kept) {
      read.stopped = true;
      const bool collection_cap = read.kept >= options_.max_items_per_collection;
      add_problem(make_warning(
          where, 0,
          collection_cap ? fmt::format("only the first {} entries were kept (at most {} per collection)", read.kept,
                                       options_.max_items_per_collection)
                         : fmt::format("only the first {} entries were kept: a scan keeps at most {} API entries",
                                       read.kept, options_.max_items_per_scan)));
    }
    return std::move(*page);
  }

  // Reads a paginated collection: the first page now, the rest queued for one concurrent batch.
  template <typename T>
  void queue_collection(const std::string& name, const std::string& path, bool paginated, PageParser<T> parse,
                        PageStore<T> store) {
    auto read = std::make_shared<CollectionRead>();
    const std::string first = paginated ? fmt::format("{}?limit={}&offset=0", path, options_.page_size) : path;
    pending_.push_back({request(first, true), [=, this](const HttpOutcome& outcome) {
                          ApiProbe& probe = record(name, first, true, outcome);
                          const HttpResponse* response = expect_ok(probe, outcome);
                          if (response == nullptr) return;
                          std::optional<ApiPage<T>> page =
                              read_page<T>(*read, probe, path, *response, paginated, parse, store);
                          probe.json_valid = page.has_value();
                          if (!page) return;
                          const auto received = static_cast<long>(page->items_received);
                          probe.entries = page->total_entries >= 0 ? page->total_entries : received;
                          if (!paginated || read->stopped || page->total_entries <= received) return;
                          queue_more_pages<T>(name, path, page->total_entries, read, parse, store);
                        }});
  }

  template <typename T>
  void queue_more_pages(const std::string& name, const std::string& path, long total,
                        const std::shared_ptr<CollectionRead>& read, const PageParser<T>& parse,
                        const PageStore<T>& store) {
    const auto size = static_cast<long>(options_.page_size);
    const long pages = std::min<long>((total + size - 1) / size, static_cast<long>(options_.max_pages));
    if ((total + size - 1) / size > pages) {
      add_problem(make_warning(url_for_display(base_ + path), 0,
                               fmt::format("{} entries; only the first {} were read", total, pages * size)));
    }
    // No more pages than the item caps leave room for.
    const auto budget_pages = static_cast<long>((item_budget(*read) + options_.page_size - 1) / options_.page_size);
    const long queued = std::min(pages, budget_pages + 1);
    for (long page_number = 1; page_number < queued; ++page_number) {
      const std::string url_path = fmt::format("{}?limit={}&offset={}", path, size, page_number * size);
      pending_.push_back({request(url_path, true), [=, this](const HttpOutcome& outcome) {
                            if (read->stopped) return;
                            // Pages after the first are not kept as separate probes, only their problems.
                            ApiProbe scratch;
                            scratch.name = name;
                            scratch.url = url_for_display(base_ + url_path);
                            const HttpResponse* response = expect_ok(scratch, outcome);
                            if (response == nullptr) return;
                            read_page<T>(*read, scratch, path, *response, true, parse, store);
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
                            parse_problem(probe, config.error(), response);
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
                              parse_problem(scratch, detail.error(), response);
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

  // Progress and completeness
  std::size_t finished_before_ = 0;  // requests of earlier batches
  std::size_t started_before_ = 0;
  std::size_t unanswered_at_deadline_ = 0;
  bool stopped_by_deadline_ = false;
  std::size_t data_answers_ = 0;           // 2xx answers
  std::size_t unauthorized_answers_ = 0;   // 401 answers
  std::string redirected_to_;              // the other origin an endpoint sent us to
  std::size_t redirects_without_end_ = 0;  // same-origin redirect chains longer than allowed
  std::size_t authenticated_reads_ = 0;
  std::size_t refused_reads_ = 0;  // ... of them answered 401
  long token_refused_status_ = 0;  // the auth manager refused the username and password
  std::size_t items_kept_ = 0;     // collection entries kept, over all collections
};

}  // namespace

const ApiProbe* ApiFacts::probe(std::string_view probe_name) const {
  for (const ApiProbe& p : probes) {
    if (p.name == probe_name) return &p;
  }
  return nullptr;
}

std::string normalize_api_base_url(std::string_view url) {
  // Paths are appended to the base, so a query or fragment has no place in it (and may hold a token).
  std::string base(trim(url.substr(0, url.find_first_of("?#"))));
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
