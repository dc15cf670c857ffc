#include <fmt/format.h>

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>

#include "app/collectors.hpp"
#include "core/http_client.hpp"
#include "sources/api/api_credentials.hpp"
#include "sources/api/api_probe.hpp"

namespace airguard {

namespace {

std::string today_utc() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm parts{};
  gmtime_r(&now, &parts);
  return fmt::format("{:04}-{:02}-{:02}", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday);
}

bool url_has_user_info(const std::string& url) {
  const std::size_t scheme = url.find("://");
  if (scheme == std::string::npos) return false;
  const std::size_t authority_end = url.find_first_of("/?#", scheme + 3);
  return url.substr(scheme + 3, authority_end - (scheme + 3)).find('@') != std::string::npos;
}

bool stderr_is_terminal() { return ::isatty(STDERR_FILENO) == 1; }

// "reading the API at https://airflow.example.com: 3 of 11 probes, 2 s" on one terminal line,
// from the first second on, redrawn at most four times a second.
class ApiProgressLine {
 public:
  explicit ApiProgressLine(std::string shown_url) : shown_url_(std::move(shown_url)) {}
  ApiProgressLine(const ApiProgressLine&) = delete;
  ApiProgressLine& operator=(const ApiProgressLine&) = delete;
  ~ApiProgressLine() {
    if (shown_) std::fputs("\n", stderr);
  }

  void update(const ApiProgress& progress) {
    const auto now = Clock::now();
    if (now - started_ < std::chrono::seconds(1) || now - last_ < std::chrono::milliseconds(250)) return;
    last_ = now;
    shown_ = true;
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now - started_).count();
    std::fprintf(stderr, "\rairguard: reading the API at %s: %zu of %zu probes, %lld s\033[K", shown_url_.c_str(),
                 progress.finished, progress.total, static_cast<long long>(seconds));
    std::fflush(stderr);
  }

 private:
  using Clock = std::chrono::steady_clock;
  std::string shown_url_;
  Clock::time_point started_ = Clock::now();
  Clock::time_point last_{};
  bool shown_ = false;
};

}  // namespace

std::optional<Diagnostic> api_url_problem(const ScanOptions& options) {
  if (!options.api_url || !url_has_user_info(*options.api_url)) return std::nullopt;
  // A password in the URL would sit in shell history and process lists; the message names neither.
  return make_error("--api-url", 0, "the API URL carries a user name or password; refusing to use it",
                    "put the credentials in AIRGUARD_API_USERNAME/AIRGUARD_API_PASSWORD, AIRGUARD_API_TOKEN or "
                    "--api-credentials-file, and give the URL without them");
}

void collect_api(const ScanOptions& options, Snapshot& snapshot) {
  if (!options.api_url) return;
  // Shown without query or fragment: paths are appended to it, and "#access_token=..." or
  // "?token=..." are secrets.
  const std::string shown_url = url_for_display(normalize_api_base_url(*options.api_url));
  snapshot.inputs.push_back({"api", shown_url});
  if (api_url_problem(options)) return;  // validate_inputs stopped the scan already
  if (options.api_url->find_first_of("?#") != std::string::npos) {
    snapshot.diagnostics.push_back(make_note(shown_url, 0, "the query and fragment of --api-url are not used",
                                             "the API's paths are appended to the URL; nothing after ? or # is sent"));
  }

  ApiProbeOptions probe_options;
  probe_options.base_url = *options.api_url;
  probe_options.try_default_credentials = options.try_default_credentials;
  probe_options.today = options.today.empty() ? today_utc() : options.today;
  probe_options.http.ca_file = options.ca_cert;
  probe_options.http.insecure = options.insecure;
  probe_options.http.total_timeout_seconds = options.api_timeout_seconds;
  probe_options.http.connect_timeout_seconds = std::min(options.api_timeout_seconds, 10.0);
  // At most 32 bodies in flight of at most 8 MiB each: 256 MiB at worst, whatever the server sends.
  // A page of 100 entries is far smaller unless variables hold megabytes each.
  probe_options.http.max_body_bytes = 8u * 1024u * 1024u;
  // Pages of 100 (Airflow's maximum_page_limit) from a large deployment are a few hundred requests:
  // 32 in flight reads 5,000 connections and 10,000 variables behind 200 ms of latency in under 3 s
  // (scripts/bench-api), and stays within what Airflow's servers pool by default (Airflow 3: 4
  // workers, each with 5 + 10 database connections; Airflow 2's gunicorn queues what it cannot take).
  probe_options.http.max_concurrency = 32;
  probe_options.deadline_seconds = options.api_deadline_seconds;
  probe_options.http.deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(std::llround(options.api_deadline_seconds * 1000.0));
  std::optional<ApiProgressLine> progress_line;
  if (options.progress || (!options.quiet && stderr_is_terminal())) {
    progress_line.emplace(shown_url);
    probe_options.on_progress = [&progress_line](const ApiProgress& progress) { progress_line->update(progress); };
  }

  if (options.insecure) {
    std::fputs(
        "airguard: WARNING: --insecure: TLS certificates of the Airflow API are NOT verified; anyone on the network "
        "path can read and change this scan's traffic, including credentials.\n",
        stderr);
  }

  if (options.api_credentials_file) {
    Result<ApiCredentials> loaded = load_credentials_file(*options.api_credentials_file);
    if (loaded) {
      probe_options.credentials = std::move(*loaded);
    } else {
      snapshot.diagnostics.push_back(loaded.error());
      if (loaded.error().level == Diagnostic::Level::error) {
        snapshot.unavailable_sources.push_back(*options.api_credentials_file);
      }
    }
  } else {
    probe_options.credentials = credentials_from_environment(
        [](const std::string& name) -> std::optional<std::string> {
          const char* value = std::getenv(name.c_str());
          if (value == nullptr) return std::nullopt;
          return std::string(value);
        },
        snapshot.diagnostics);
  }

  ApiFacts facts = probe_api(probe_options);
  progress_line.reset();  // ends its line before any other output
  for (const Diagnostic& problem : facts.problems) snapshot.diagnostics.push_back(problem);
  std::vector<std::string> reasons = facts.incomplete_reasons;
  if (reasons.empty() && (!facts.reachable || facts.api_major == 0)) reasons.push_back("no Airflow API answered");
  if (!reasons.empty()) {
    // The reason goes into the report itself (JSON, text ...), not only to stderr, which -q silences.
    std::string entry = shown_url + " (";
    for (std::size_t i = 0; i < reasons.size(); ++i) entry += (i > 0 ? "; " : "") + reasons[i];
    snapshot.unavailable_sources.push_back(entry + ")");
  }

  if (!facts.airflow_version.empty()) {
    Origin origin{SourceKind::api, "", 0, 0,
                  facts.base_url + (facts.api_major == 2 ? "/api/v1/version" : "/api/v2/version")};
    snapshot.inventory.packages.push_back({"apache-airflow", facts.airflow_version, "api", origin});
    const std::string& source = snapshot.target.source;
    if (snapshot.target.version.empty() || source == "inventory" || source == "helm" || source == "assumed") {
      snapshot.target.version = facts.airflow_version;
      snapshot.target.source = "api";
    }
  }
  if (facts.providers) {
    Origin origin{SourceKind::api, "", 0, 0,
                  facts.base_url + (facts.api_major == 2 ? "/api/v1/providers" : "/api/v2/providers")};
    for (const ApiProvider& provider : *facts.providers) {
      if (provider.package_name.empty() || provider.version.empty()) continue;
      snapshot.inventory.packages.push_back({provider.package_name, provider.version, "api", origin});
    }
  }
  snapshot.api = std::move(facts);
}

}  // namespace airguard
