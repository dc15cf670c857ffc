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

// RFC 3986 percent-encoding of all but the unreserved characters: for path segments and for
// application/x-www-form-urlencoded bodies alike.
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

// A foreign origin for the CORS probe; .invalid never resolves (RFC 2606).
constexpr std::string_view kCorsProbeOrigin = "https://cors-check.airguard.invalid";

std::string media_type(const HttpResponse& response) {
  std::string type = to_lower(trim(response.header("Content-Type").value_or("")));
  return type.substr(0, type.find(';'));
}

// Swagger UI's page (FastAPI's /docs, connexion's /api/v1/ui/), not a catch-all page.
bool looks_like_swagger_ui(std::string_view body) {
  const std::string head = to_lower(body.substr(0, 64 * 1024));
  return head.find("swagger-ui") != std::string::npos || head.find("swaggeruibundle") != std::string::npos;
}

bool looks_like_openapi_document(std::string_view body) {
  const auto doc = nlohmann::json::parse(body, nullptr, false);
  return doc.is_object() && (doc.contains("openapi") || doc.contains("swagger"));
}

// GET /api/experimental/test answers {"status": "OK"} (airflow/www/api/experimental/endpoints.py).
bool is_experimental_test_answer(std::string_view body) {
  const auto doc = nlohmann::json::parse(body, nullptr, false);
  return doc.is_object() && doc.contains("status") && doc["status"].is_string();
}

// What a version endpoint answered instead of Airflow's version, in a few words.
std::string describe_answer(const HttpOutcome& outcome) {
  if (!outcome.ok()) return "no answer";
  const HttpResponse& response = *outcome.response;
  if (response.refused_redirect) return fmt::format("a redirect to {}", url_for_display(*response.refused_redirect));
  const std::string type = media_type(response);
  const std::string what = type.find("html") != std::string::npos   ? " with an HTML page"
                           : type.find("json") != std::string::npos ? " with JSON that is not Airflow's version"
                                                                    : "";
  return fmt::format("{}{}", response.status, what);
}

std::string describe_unidentified(const HttpOutcome& v1, const HttpOutcome& v2) {
  const std::string first = describe_answer(v1);
  const std::string second = describe_answer(v2);
  if (first == second) return "both answered " + first;
  return fmt::format("/api/v1/version answered {}, /api/v2/version {}", first, second);
}

// The hidden CSRF field of the Airflow 2 (Flask-AppBuilder) login form.
std::optional<std::string> csrf_token_of(std::string_view page) {
  const auto field = page.find("name=\"csrf_token\"");
  if (field == std::string_view::npos) return std::nullopt;
  const auto tag_start = page.rfind('<', field);
  const auto tag_end = page.find('>', field);
  if (tag_start == std::string_view::npos || tag_end == std::string_view::npos) return std::nullopt;
  const std::string_view tag = page.substr(tag_start, tag_end - tag_start);
  const auto value = tag.find("value=\"");
  if (value == std::string_view::npos) return std::nullopt;
  const auto end = tag.find('"', value + 7);
  if (end == std::string_view::npos || end - value - 7 > 512) return std::nullopt;
  return std::string(tag.substr(value + 7, end - value - 7));
}

// "session=abc" from the Set-Cookie headers of an answer, for the next request's Cookie header.
std::optional<std::string> session_cookie_of(const HttpResponse& response) {
  for (const std::string& value : response.headers_named("Set-Cookie")) {
    const std::string pair(trim(std::string_view(value).substr(0, value.find(';'))));
    if (pair.rfind("session=", 0) == 0 && pair.size() > 8 && pair.size() < 8192) return pair;
  }
  return std::nullopt;
}

// The "detail" text of an Airflow error answer ({"detail": "Invalid JWT token"}), or "".
std::string error_detail(std::string_view body) {
  if (body.size() > 4096) return {};
  const auto doc = nlohmann::json::parse(body, nullptr, false);
  if (!doc.is_object() || !doc.contains("detail") || !doc["detail"].is_string()) return {};
  return doc["detail"].get<std::string>();
}

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
      if ((bearer_ || basic_ || session_cookie_) && !deadline_passed()) {
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
      if (session_cookie_) req.headers.push_back({"Cookie", *session_cookie_});
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
    if (facts_.api_major == 0) {
      std::string reason = "the server could not be identified as Airflow; only HTTP-level facts were read";
      if (data_answers_ == 0 && !redirected_to_.empty()) {
        reason = fmt::format("every endpoint redirected to another origin ({}); {}", redirected_to_, reason);
      } else if (data_answers_ == 0 && redirects_without_end_ > 0) {
        reason = fmt::format("every endpoint answered with redirects that did not end (more than {}); {}",
                             options_.http.max_redirects, reason);
      } else if (data_answers_ == 0 && unauthorized_answers_ > 0) {
        reason = "every endpoint refused access (401); " + reason;
      }
      facts_.incomplete_reasons.push_back(reason);
      return;
    }
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
    if (!login_refused_.empty()) {
      facts_.incomplete_reasons.push_back(login_refused_);
    } else if (token_refused_status_ != 0) {
      facts_.incomplete_reasons.push_back(fmt::format(
          "the auth manager refused the username and password ({}); only anonymous probes ran", token_refused_status_));
    } else if (authenticated_reads_ > 0 && refused_reads_ == authenticated_reads_) {
      facts_.incomplete_reasons.push_back(fmt::format(
          "the credentials were refused ({}) at every endpoint that needs them; only anonymous probes ran", refusal_));
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
      probe.content_type = media_type(response);
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
    // FAB provider 2.x (Airflow 3.0/3.1) serves users and roles from a Flask app that reads only a
    // UI session or basic auth ([fab] auth_backends), never the token from /auth/token; provider
    // 3.2.0 reads it (providers/fab changelog). Not a refusal of the credentials.
    if (facts_.api_major == 3 && status == 401 && bearer_ && probe.url.find("/auth/fab/v1/") != std::string::npos) {
      add_problem(
          make_warning(facts_.base_url + "/auth/fab/v1", 0,
                       "FAB's users and roles API does not accept the API token before FAB provider 3.2.0 (401); "
                       "users and roles were not read",
                       "upgrade apache-airflow-providers-fab to 3.2.0 or later to audit users and roles"));
      return nullptr;
    }
    ++authenticated_reads_;
    if (status == 200) {
      facts_.authenticated = true;
      return &response;
    }
    const std::string detail = error_detail(response.body);
    if ((status == 401 || status == 403) && !detail.empty() && detail.size() < 40) {
      refusal_ = fmt::format("{} {}", status, detail);
    } else if (status == 401) {
      refusal_ = "401";
    }
    if (status == 401 && detail == "Token Expired") {
      ++refused_reads_;
      add_problem(make_warning(facts_.base_url + prefix(), 0, "the token has expired (401 Token Expired)",
                               "get a fresh token, or give a username and password to exchange at /auth/token"));
    } else if (status == 403 && detail == "Invalid JWT token") {
      // api_fastapi/core_api/security.py resolve_user_from_token: a token this server cannot verify.
      ++refused_reads_;
      add_problem(make_warning(facts_.base_url + prefix(), 0,
                               "the token was refused (403 Invalid JWT token): this server did not sign it, or it "
                               "is not a JWT",
                               "take a token from this server's /auth/token (its [api_auth] jwt_secret signs them), "
                               "or give a username and password instead"));
    } else if (status == 401) {
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
      const bool html =
          d.hint.find("HTML") != std::string::npos || media_type(*response).find("html") != std::string::npos;
      d.hint = fmt::format("received {} bytes of {}{}; the content is not shown", response->body.size(), type,
                           html ? ", an HTML page" : "");
      if (html) {
        // A UI page, a catch-all or a proxy's page where the API was expected: nothing was
        // misread, this endpoint is simply not the API here.
        d.level = Diagnostic::Level::warning;
        d.message = "answered an HTML page, not the API's JSON; not read";
      }
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
        // Airflow 2's experimental API: on only with [api] enable_experimental_api, then guarded by the
        // first auth backend alone and without permissions (airflow/www/api/experimental/endpoints.py).
        {"anonymous.experimental", "/api/experimental/test", 2},
        {"anonymous.openapi", "/openapi.json", 3},
        // The Simple auth manager gives a token to anyone on GET /auth/token in its all-admins mode,
        // and otherwise refuses with 403 naming the setting (simple/services/login.py).
        {"auth.token_without_credentials", "/auth/token", 3},
        // CORS: does the API echo a foreign Origin, with credentials? (Starlette's CORSMiddleware with
        // "*" echoes it when the request carries a cookie.)
        {"cors", "/api/v1/version", 2},
        {"cors", "/api/v2/version", 3},
    };
    std::vector<HttpRequest> requests;
    for (const Spec& spec : specs) {
      HttpRequest req = request(spec.path, false);
      if (spec.name == "cors") {
        req.headers.push_back({"Origin", std::string(kCorsProbeOrigin)});
        req.headers.push_back({"Cookie", "airguard_cors_check=1"});
      }
      requests.push_back(std::move(req));
    }
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
            // Swagger UI itself, not a catch-all page that answers 200 to every path.
            digests[i].json_valid = looks_like_swagger_ui(body);
          } else if (what == "openapi") {
            digests[i].json_valid = looks_like_openapi_document(body);
          } else if (what == "experimental") {
            digests[i].json_valid = is_experimental_test_answer(body);
          } else {
            digests[i].json_valid = is_collection_answer(body, what, &digests[i].entries);
          }
        }
        if (name == "auth.token_without_credentials" &&
            (outcome.response->status == 200 || outcome.response->status == 201)) {
          digests[i].json_valid = parse_access_token(body).ok();
        } else if (name == "auth.token_without_credentials") {
          digests[i].json_valid = body.find("simple_auth_manager_all_admins") != std::string::npos;
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
    // Only Airflow's own version answer identifies it: both versions serve it without credentials
    // (api_connexion version_endpoint.py; api_fastapi routes/public/version.py). A single-sign-on
    // proxy or a platform's front end answers 401 or a redirect everywhere, and is not Airflow.
    if (const auto v3 = version_of(1)) {
      facts_.api_major = 3;
      facts_.airflow_version = v3->version;
      facts_.git_version = v3->git_version;
    } else if (const auto v2 = version_of(0)) {
      facts_.api_major = 2;
      facts_.airflow_version = v2->version;
      facts_.git_version = v2->git_version;
    }
    if (!facts_.airflow_version.empty() && facts_.airflow_version.front() == '2') facts_.api_major = 2;
    if (!facts_.airflow_version.empty() && facts_.airflow_version.front() == '3') facts_.api_major = 3;

    for (std::size_t i = 0; i < specs.size(); ++i) {
      const Spec& spec = specs[i];
      // Not identified as Airflow: only what any HTTP server shows (the page at /) is kept.
      const bool relevant =
          facts_.api_major == 0 ? spec.major == 0 : (spec.major == 0 || spec.major == facts_.api_major);
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
      } else if (spec.name == "auth.token_without_credentials") {
        probe.json_valid = digests[i].json_valid;
        if (digests[i].json_valid) facts_.auth_manager = "simple";
        if (digests[i].json_valid && (response.status == 200 || response.status == 201)) facts_.all_admins = true;
      } else if (spec.name == "cors") {
        facts_.http.cors_origin_sent = std::string(kCorsProbeOrigin);
        facts_.http.cors_allow_origin = response.header("Access-Control-Allow-Origin");
        facts_.http.cors_allow_credentials =
            equals_icase(trim(response.header("Access-Control-Allow-Credentials").value_or("")), "true");
      }
      if (response.status >= 500 && spec.name != "ui") {
        add_problem(
            make_error(probe.url, 0, fmt::format("server error ({})", response.status), "the server's log says why"));
      }
    }
    if (facts_.api_major != 0 && !facts_.http.x_frame_options && !facts_.http.frame_ancestors && !facts_.http.hsts) {
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
      const std::string seen = describe_unidentified(outcomes[0], outcomes[1]);
      add_problem(make_error(facts_.base_url, 0,
                             fmt::format("the server could not be identified as Airflow: /api/v1/version and "
                                         "/api/v2/version gave no Airflow version ({})",
                                         seen),
                             "give the Airflow web server or API server URL itself, e.g. https://airflow.example.com; "
                             "a single sign-on proxy or a managed platform's front end in the way must let the scan "
                             "through"));
      return false;  // judge_completeness() says why in the report
    }
    if (facts_.api_major == 3) detect_auth_manager();
    if (facts_.api_major == 2) note_anonymous_refusal();
    if (facts_.airflow_version.empty()) {
      add_problem(make_warning(facts_.base_url + prefix() + "/version", 0,
                               "the server did not say which Airflow version it runs"));
    }
    return true;
  }

  // Airflow 3 mounts the auth manager's own app at /auth (api_fastapi/app.py). The Simple auth
  // manager names its all-admins setting when GET /auth/token is refused (read above); FAB's users
  // API answers in JSON, where the Simple auth manager's login page answers every /auth/ path
  // with HTML and 200 (simple_auth_manager.py get_fastapi_app).
  void detect_auth_manager() {
    if (!facts_.auth_manager.empty()) return;
    const ApiProbe* users = facts_.probe("anonymous.users");
    if (users != nullptr && users->status > 0 && users->content_type.find("json") != std::string::npos) {
      facts_.auth_manager = "fab";
    } else if (users != nullptr && users->status > 0) {
      facts_.auth_manager = "other";
      add_problem(make_note(facts_.base_url, 0,
                            "the auth manager is neither FAB nor the Simple auth manager; users and roles are not read "
                            "(no API airguard knows serves them)"));
    }
  }

  // Airflow 2 lets an anonymous request through authentication whenever AUTH_ROLE_PUBLIC is set,
  // and FAB sets it to "Public" unless webserver_config.py says otherwise
  // (api_connexion/security.py check_authentication; fab security_manager/override.py _init_config):
  // the Public role's permissions then decide, so a 403 here is one permission away from open.
  void note_anonymous_refusal() {
    const ApiProbe* connections = facts_.probe("anonymous.connections");
    if (connections == nullptr) return;
    if (connections->status == 403) {
      add_problem(make_note(
          connections->url, 0,
          "anonymous requests pass authentication and are refused by the Public role's permissions (403): "
          "whatever that role is given, everyone gets",
          "keep the Public role without permissions, or set AUTH_ROLE_PUBLIC = None in webserver_config.py so "
          "anonymous requests stop at authentication (401)"));
    }
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
      facts_.credential_kind = "basic";
      choose_airflow2_login(*credentials.basic);
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

  // Airflow 2 reads basic auth only when [api] auth_backends lists the basic_auth backend; the
  // default is the session backend alone (config.yml [api] auth_backends), and the Helm chart keeps
  // it. One read tells: when basic auth is refused but the UI login accepts the same credentials
  // and its session reads what basic auth could not, basic auth is off, and the scan goes on with
  // that session.
  void choose_airflow2_login(const BasicCredentials& pair) {
    HttpRequest check = request("/api/v1/dags?limit=1", false);
    check.basic_auth = pair;
    const HttpOutcome outcome = http_perform(check, single_options());
    if (!outcome.ok() || (outcome.response->status != 401 && outcome.response->status != 403)) {
      basic_ = pair;  // accepted, or trouble the authenticated phase reports endpoint by endpoint
      return;
    }
    const long basic_status = outcome.response->status;
    const auto [result, cookie] = ui_login(pair, "ui_login");
    if (result == LoginResult::accepted) {
      HttpRequest again = request("/api/v1/dags?limit=1", false);
      again.headers.push_back({"Cookie", cookie});
      const HttpOutcome with_session = http_perform(again, single_options());
      if (with_session.ok() && with_session.response->status == 200) {
        session_cookie_ = cookie;
        facts_.credential_kind = "ui-session";
        add_problem(make_warning(
            facts_.base_url + "/api/v1", 0,
            fmt::format("basic auth is not enabled on the REST API (it answered {}): [api] auth_backends has no "
                        "basic_auth backend (Airflow 2's default is the session backend alone); the UI login accepted "
                        "the credentials, so the API was read through a UI session",
                        basic_status),
            "to scan without a UI login, add airflow.providers.fab.auth_manager.api.auth.backend.basic_auth to "
            "[api] auth_backends"));
        return;
      }
      basic_ = pair;  // the account logs in but may not read DAGs: the phase says what it may read
      return;
    }
    if (result == LoginResult::refused) {
      login_refused_ = fmt::format(
          "the credentials were refused by the REST API ({}) and by the UI login; only anonymous probes ran",
          basic_status);
      add_problem(make_warning(
          facts_.base_url + "/api/v1", 0,
          fmt::format("the credentials were refused by the REST API ({}) and by the UI login", basic_status),
          "check the credentials from " + options_.credentials.source));
      return;
    }
    basic_ = pair;  // no UI login to ask: read with basic auth and report what each endpoint says
  }

  // The options for one request outside a batch: the phase's deadline, no progress.
  HttpClientOptions single_options() const {
    HttpClientOptions http = options_.http;
    http.on_progress = nullptr;
    return http;
  }

  enum class LoginResult { accepted, refused, unavailable };

  // Airflow 2's UI login (Flask-AppBuilder's AuthDBView, CSRF-protected by Flask-WTF): GET /login/
  // for the form's csrf_token and its session, then POST the form. Success redirects away from
  // /login/ with a new session cookie; failure redirects back to /login/, the same for an unknown
  // user and a wrong password. The login is recorded as the user's last login.
  std::pair<LoginResult, std::string> ui_login(const BasicCredentials& pair, const std::string& probe_name) {
    HttpClientOptions http = single_options();
    http.redirects = RedirectPolicy::none;
    HttpRequest page = request("/login/", false);
    page.headers = {{"Accept", "text/html"}};
    const HttpOutcome form = http_perform(page, http);
    if (!form.ok() || form.response->status != 200) return {LoginResult::unavailable, ""};
    const auto csrf = csrf_token_of(form.response->body);
    const auto cookie = session_cookie_of(*form.response);
    if (!csrf || !cookie) return {LoginResult::unavailable, ""};
    HttpRequest post;
    post.method = "POST";
    post.url = base_ + "/login/";
    post.headers = {
        {"Content-Type", "application/x-www-form-urlencoded"}, {"Cookie", *cookie}, {"Accept", "text/html"}};
    post.body = "csrf_token=" + percent_encode(*csrf) + "&username=" + percent_encode(pair.username) +
                "&password=" + percent_encode(pair.password);
    const HttpOutcome answer = http_perform(post, http);
    record(probe_name, "/login/", true, answer);
    if (!answer.ok()) return {LoginResult::unavailable, ""};
    const HttpResponse& response = *answer.response;
    const std::string location = response.header("Location").value_or("");
    const auto session = session_cookie_of(response);
    if (response.status >= 300 && response.status < 400 && location.find("/login") == std::string::npos && session)
      return {LoginResult::accepted, *session};
    return {LoginResult::refused, ""};
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
    if (facts_.all_admins) return;  // every password "works": the all-admins finding says it once
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
      } else if (!open_anyway) {
        // Airflow 2: the UI login, which every auth backend setting leaves on (basic auth may be off).
        if (ui_login(pair, "default_credentials." + pair.username).first == LoginResult::accepted)
          facts_.default_credentials_accepted.push_back(pair.username);
      }
    }
    if (facts_.api_major == 3) probe_user_enumeration();
  }

  // Does the token endpoint answer an unknown user differently from a known user's wrong
  // password? Both auth managers answer 401 "Invalid credentials" to both (simple/services/
  // login.py; fab api_fastapi/services/login.py with a balanced hash check): a difference is a
  // plugin or proxy telling which accounts exist. Opt-in (--try-default-credentials): it is a
  // failed login for "admin".
  void probe_user_enumeration() {
    const BasicCredentials unknown{"airguard-no-such-user-7f3a", "airguard-not-a-password-7f3a"};
    const BasicCredentials known{"admin", "airguard-not-a-password-7f3a"};
    const HttpOutcome first = http_perform(token_request(unknown), single_options());
    const HttpOutcome second = http_perform(token_request(known), single_options());
    if (!first.ok() || !second.ok()) return;
    const HttpResponse& a = *first.response;
    const HttpResponse& b = *second.response;
    if (a.status == 200 || a.status == 201 || b.status == 200 || b.status == 201) return;  // not a login that refuses
    if (a.status != b.status || a.body != b.body) {
      facts_.login_tells_users_apart =
          fmt::format("an unknown user got {}, \"admin\" with a wrong password {}{}", a.status, b.status,
                      a.status == b.status ? " with another message" : "");
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
    // Users and roles are FAB's API; the Simple auth manager and others serve none (on Airflow 3
    // its /auth/ catch-all would answer an HTML page).
    if (facts_.api_major == 2 || facts_.auth_manager == "fab") {
      queue_collection<ApiUser>("users", users_prefix() + "/users", true, parse_users, appender(facts_.users));
      queue_collection<ApiRole>("roles", users_prefix() + "/roles", true, parse_roles, appender(facts_.roles));
    }
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
  std::optional<std::string> session_cookie_;  // "session=..." from Airflow 2's UI login
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
  std::string login_refused_;      // Airflow 2: the API and the UI login refused the credentials
  std::string refusal_ = "401";    // how the last refusal read: "401", "403 Invalid JWT token" ...
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
