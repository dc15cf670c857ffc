#pragma once
#include <cstddef>
#include <string>

#include "core/http_client.hpp"
#include "sources/api/api_credentials.hpp"
#include "sources/api/api_facts.hpp"

namespace airguard {

struct ApiProbeOptions {
  std::string base_url;  // the Airflow web/API server, e.g. https://airflow.example.com (a /api/vN suffix is dropped)
  HttpClientOptions http;
  ApiCredentials credentials;
  bool try_default_credentials = false;      // admin/admin, airflow/airflow: opt-in only
  std::string today;                         // YYYY-MM-DD for ApiFacts::today
  std::size_t page_size = 100;               // Airflow's default maximum_page_limit
  std::size_t max_pages = 500;               // per collection: 50,000 entries
  std::size_t max_connection_details = 500;  // Airflow 2 lists connections without extras: read each, up to this
};

// Probes a live Airflow 2 or 3 server, read-only: anonymous access first, then (with credentials)
// configuration, providers, users and roles, connections, variables, DAGs and import errors, every
// collection read to the end. Requests in each phase run concurrently. Never throws; what could not
// be read is in ApiFacts::problems.
ApiFacts probe_api(const ApiProbeOptions& options);

// "https://host/airflow/" or "https://host/api/v2" -> "https://host/airflow", "https://host".
std::string normalize_api_base_url(std::string_view url);

// The well-known pairs --try-default-credentials tries.
const std::vector<BasicCredentials>& default_credential_pairs();

}  // namespace airguard
