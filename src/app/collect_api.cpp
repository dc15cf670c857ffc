#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>

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

}  // namespace

void collect_api(const ScanOptions& options, Snapshot& snapshot) {
  if (!options.api_url) return;
  const std::string shown_url = url_for_display(*options.api_url);
  snapshot.inputs.push_back({"api", shown_url});

  if (url_has_user_info(*options.api_url)) {
    // A password in the URL would sit in shell history and process lists.
    snapshot.diagnostics.push_back(
        make_error(shown_url, 0, "the API URL carries user credentials; refusing to use them",
                   "put them in AIRGUARD_API_USERNAME/AIRGUARD_API_PASSWORD or --api-credentials-file"));
    snapshot.unavailable_sources.push_back(shown_url);
    return;
  }

  ApiProbeOptions probe_options;
  probe_options.base_url = *options.api_url;
  probe_options.try_default_credentials = options.try_default_credentials;
  probe_options.today = options.today.empty() ? today_utc() : options.today;
  probe_options.http.ca_file = options.ca_cert;
  probe_options.http.insecure = options.insecure;
  probe_options.http.total_timeout_seconds = options.api_timeout_seconds;
  probe_options.http.connect_timeout_seconds = std::min(options.api_timeout_seconds, 10.0);
  probe_options.http.max_body_bytes = 16u * 1024u * 1024u;

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
  for (const Diagnostic& problem : facts.problems) snapshot.diagnostics.push_back(problem);
  if (!facts.reachable || facts.api_major == 0) {
    snapshot.unavailable_sources.push_back(shown_url);
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
