#pragma once
#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.hpp"
#include "core/result.hpp"

// A small HTTP(S) client over libcurl for everything airguard fetches from the network (the live
// REST API, advisory feed updates). Safe by default: TLS verification on, bounded time and size,
// redirects only within one origin, credentials never sent to another host, proxy variables honoured.
namespace airguard {

struct HttpHeader {
  std::string name;
  std::string value;
};

// One certificate the server presented, leaf first.
struct CertificateInfo {
  std::string subject;      // "/CN=airflow.example.com"
  std::string issuer;       // "/CN=Example CA"
  std::string not_before;   // "2026-01-01T00:00:00Z"
  std::string not_after;    // "2027-01-01T00:00:00Z"
  long days_to_expiry = 0;  // negative once expired
  bool self_signed = false;
  std::string signature_algorithm;  // "sha256WithRSAEncryption"
  int public_key_bits = 0;
  std::vector<std::string> subject_alt_names;  // "DNS:airflow.example.com", "IP Address:127.0.0.1"
};

// What the TLS handshake negotiated, read from the live connection.
struct TlsInfo {
  std::string protocol;  // "TLSv1.3", "TLSv1.2", ...
  std::string cipher;    // "TLS_AES_256_GCM_SHA384"
  std::vector<CertificateInfo> chain;
  bool verified = false;  // certificate verification was on and succeeded
};

// Credentials go only to the origin (scheme, host, port) of the request's first URL.
struct BasicCredentials {
  std::string username;
  std::string password;
};

struct HttpRequest {
  std::string method = "GET";  // GET, HEAD (retried on transient failure), POST (never retried)
  std::string url;
  std::vector<HttpHeader> headers;  // never sent to another origin, except Accept/User-Agent/conditional ones
  std::string body;                 // for POST
  std::optional<std::string> bearer_token;
  std::optional<BasicCredentials> basic_auth;
  std::optional<std::string> if_none_match;      // conditional GET: an ETag from an earlier response
  std::optional<std::string> if_modified_since;  // conditional GET: a Last-Modified from an earlier response
};

enum class RedirectPolicy {
  none,                            // return the 3xx response as it is
  same_origin,                     // follow only to the same scheme, host and port (the default)
  any_origin_without_credentials,  // follow anywhere except https -> http; credentials and custom headers dropped
};

struct HttpClientOptions {
  std::optional<std::string> ca_file;  // PEM bundle to trust instead of the system store
  bool insecure = false;               // skip certificate verification (reported by callers, never silent)
  double connect_timeout_seconds = 5.0;
  double total_timeout_seconds = 10.0;              // per attempt, whole transfer
  std::size_t max_body_bytes = 8u * 1024u * 1024u;  // larger bodies fail with HttpFailure::too_large
  RedirectPolicy redirects = RedirectPolicy::same_origin;
  int max_redirects = 5;
  int retries = 2;                             // extra attempts for GET/HEAD on connection errors, 429, 502-504
  double retry_backoff_seconds = 0.25;         // doubled on each further attempt
  bool honour_proxy_environment = true;        // http_proxy, https_proxy, all_proxy, no_proxy
  std::size_t max_concurrency = 16;            // transfers in flight at once in a batch
  std::string user_agent;                      // default "airguard/<version>"
  std::optional<std::string> tls_min_version;  // "1.0" .. "1.3"; default libcurl's (1.2 on this OpenSSL)
  std::optional<std::string> tls_max_version;  // "1.0" .. "1.3"
  bool allow_legacy_tls = false;  // OpenSSL security level 0, to probe whether a server still speaks TLS 1.0/1.1
  // No transfer outlives it: a batch still running then ends, its unfinished requests failing with
  // HttpFailure::deadline. Callers set one for a whole phase of many batches.
  std::optional<std::chrono::steady_clock::time_point> deadline;
  // Called while a batch runs, at least every 200 ms: requests finished and requested so far.
  std::function<void(std::size_t finished, std::size_t total)> on_progress;
};

struct HttpResponse {
  long status = 0;
  std::vector<HttpHeader> headers;  // of the final response, in order, names as sent
  std::string body;
  std::string url;                              // the URL that produced this response (after redirects)
  std::vector<std::string> redirects;           // URLs followed, in order
  std::optional<std::string> refused_redirect;  // a Location not followed because of the redirect policy
  std::optional<TlsInfo> tls;                   // https only
  int attempts = 1;
  double elapsed_seconds = 0.0;  // of the last attempt

  std::optional<std::string> header(std::string_view name) const;       // first, case-insensitive
  std::vector<std::string> headers_named(std::string_view name) const;  // all, e.g. Set-Cookie
};

enum class HttpFailure { none, bad_url, dns, connect, tls, timeout, too_large, protocol, deadline, other };
std::string_view to_string(HttpFailure failure);

// A response with any HTTP status, or why there is none. `error` explains the failure in one line
// (file = the redacted URL) with a hint, ready for the report.
struct HttpOutcome {
  std::optional<HttpResponse> response;
  HttpFailure failure = HttpFailure::none;
  Diagnostic error;

  bool ok() const { return response.has_value(); }
};

// Runs one request (with retries and redirects as the options say).
HttpOutcome http_perform(const HttpRequest& request, const HttpClientOptions& options);

// Convenience for simple fetches: the response (any status) or the error diagnostic.
Result<HttpResponse> http_get(const std::string& url, const HttpClientOptions& options,
                              std::vector<HttpHeader> headers = {});

// Runs all requests concurrently on one curl multi handle; outcomes are in request order.
std::vector<HttpOutcome> http_perform_all(const std::vector<HttpRequest>& requests, const HttpClientOptions& options);

// Like http_perform_all, but hands each outcome over as soon as its request is done (with the
// request's index), so a caller that digests answers one by one holds only the bodies in flight.
void http_perform_each(const std::vector<HttpRequest>& requests, const HttpClientOptions& options,
                       const std::function<void(std::size_t index, HttpOutcome&& outcome)>& on_outcome);

// "https://host:8443" for a URL, lower-cased, default port made explicit; nullopt when unparsable.
std::optional<std::string> url_origin(std::string_view url);

// The URL with user-info and fragment removed and secret-looking query values masked, for messages.
std::string url_for_display(std::string_view url);

}  // namespace airguard
