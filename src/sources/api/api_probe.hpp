#pragma once
#include <cstddef>
#include <functional>
#include <string>

#include "core/http_client.hpp"
#include "sources/api/api_credentials.hpp"
#include "sources/api/api_facts.hpp"

namespace airguard {

// How far the API phase has got, for a progress line.
struct ApiProgress {
  std::size_t finished = 0;  // requests answered or given up
  std::size_t total = 0;     // requests started so far; grows as collections turn out to have more pages
};

struct ApiProbeOptions {
  std::string base_url;  // the Airflow web/API server, e.g. https://airflow.example.com (a /api/vN suffix is dropped)
  HttpClientOptions http;
  ApiCredentials credentials;
  bool try_default_credentials = false;      // admin/admin, airflow/airflow: opt-in only
  std::string today;                         // YYYY-MM-DD for ApiFacts::today
  std::size_t page_size = 100;               // Airflow's default maximum_page_limit
  std::size_t max_pages = 500;               // per collection: 50,000 entries
  std::size_t max_connection_details = 500;  // Airflow 2 lists connections without extras: read each, up to this
  // Entries kept whatever the pages hold (a server may send far more than the page size asked for).
  std::size_t max_items_per_collection = 50'000;
  std::size_t max_items_per_scan = 200'000;
  // The phase's own deadline is http.deadline, one instant for every request; this says how long it
  // was, for the report.
  double deadline_seconds = 0.0;
  std::function<void(const ApiProgress&)> on_progress;  // called at least every 200 ms while requests run
};

// Probes a live Airflow 2 or 3 server, read-only: anonymous access first, then (with credentials)
// configuration, providers, users and roles, connections, variables, DAGs and import errors, every
// collection read to the end (within the item caps). Requests in each phase run concurrently, and
// no request outlives options.http.deadline. Never throws; what could not be read is in
// ApiFacts::problems, and why the API was not read in full in ApiFacts::incomplete_reasons.
ApiFacts probe_api(const ApiProbeOptions& options);

// "https://host/airflow/" or "https://host/api/v2?x#y" -> "https://host/airflow", "https://host".
std::string normalize_api_base_url(std::string_view url);

// The well-known pairs --try-default-credentials tries.
const std::vector<BasicCredentials>& default_credential_pairs();

}  // namespace airguard
