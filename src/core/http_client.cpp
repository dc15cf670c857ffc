#include "core/http_client.hpp"

#include <curl/curl.h>
#include <fmt/format.h>
#include <openssl/asn1.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <ctime>
#include <memory>
#include <type_traits>

#include "core/dynamic_library.hpp"
#include "core/redact.hpp"
#include "core/text.hpp"

namespace airguard {

namespace {

using Clock = std::chrono::steady_clock;

// libcurl and the OpenSSL it is built on (Debian's libcurl4), opened on first use: see
// core/dynamic_library.hpp. Each row is a member, the symbol it is bound to, and the library
// that has it. Members drop the curl_ prefix because curl.h defines some of those names as macros.
#define AIRGUARD_NET_FUNCTIONS(X)                           \
  X(global_init, curl_global_init, curl)                    \
  X(easy_init, curl_easy_init, curl)                        \
  X(easy_cleanup, curl_easy_cleanup, curl)                  \
  X(easy_reset, curl_easy_reset, curl)                      \
  X(easy_setopt, curl_easy_setopt, curl)                    \
  X(easy_getinfo, curl_easy_getinfo, curl)                  \
  X(easy_strerror, curl_easy_strerror, curl)                \
  X(free, curl_free, curl)                                  \
  X(multi_init, curl_multi_init, curl)                      \
  X(multi_cleanup, curl_multi_cleanup, curl)                \
  X(multi_setopt, curl_multi_setopt, curl)                  \
  X(multi_add_handle, curl_multi_add_handle, curl)          \
  X(multi_remove_handle, curl_multi_remove_handle, curl)    \
  X(multi_perform, curl_multi_perform, curl)                \
  X(multi_poll, curl_multi_poll, curl)                      \
  X(multi_info_read, curl_multi_info_read, curl)            \
  X(slist_append, curl_slist_append, curl)                  \
  X(slist_free_all, curl_slist_free_all, curl)              \
  X(url, curl_url, curl)                                    \
  X(url_cleanup, curl_url_cleanup, curl)                    \
  X(url_get, curl_url_get, curl)                            \
  X(url_set, curl_url_set, curl)                            \
  X(SSL_get_version, SSL_get_version, ssl)                  \
  X(SSL_get_current_cipher, SSL_get_current_cipher, ssl)    \
  X(SSL_CIPHER_get_name, SSL_CIPHER_get_name, ssl)          \
  X(SSL_get_peer_cert_chain, SSL_get_peer_cert_chain, ssl)  \
  X(ASN1_TIME_to_tm, ASN1_TIME_to_tm, crypto)               \
  X(ASN1_TIME_diff, ASN1_TIME_diff, crypto)                 \
  X(ASN1_STRING_get0_data, ASN1_STRING_get0_data, crypto)   \
  X(ASN1_STRING_length, ASN1_STRING_length, crypto)         \
  X(X509_NAME_oneline, X509_NAME_oneline, crypto)           \
  X(X509_get_subject_name, X509_get_subject_name, crypto)   \
  X(X509_get_issuer_name, X509_get_issuer_name, crypto)     \
  X(X509_get0_notBefore, X509_get0_notBefore, crypto)       \
  X(X509_get0_notAfter, X509_get0_notAfter, crypto)         \
  X(X509_check_issued, X509_check_issued, crypto)           \
  X(X509_get_signature_nid, X509_get_signature_nid, crypto) \
  X(X509_get0_pubkey, X509_get0_pubkey, crypto)             \
  X(X509_get_ext_d2i, X509_get_ext_d2i, crypto)             \
  X(OBJ_nid2ln, OBJ_nid2ln, crypto)                         \
  X(EVP_PKEY_get_bits, EVP_PKEY_get_bits, crypto)           \
  X(OPENSSL_sk_num, OPENSSL_sk_num, crypto)                 \
  X(OPENSSL_sk_value, OPENSSL_sk_value, crypto)             \
  X(GENERAL_NAMES_free, GENERAL_NAMES_free, crypto)

struct NetLibrary {
#define AIRGUARD_NET_MEMBER(member, symbol, library) decltype(&::symbol) member = nullptr;
  AIRGUARD_NET_FUNCTIONS(AIRGUARD_NET_MEMBER)
#undef AIRGUARD_NET_MEMBER
  std::vector<DynamicLibrary> handles;  // open for the life of the process
};

Result<NetLibrary> load_net_library() {
  // libssl and libcrypto are the ones libcurl itself loaded; opening them again only finds them.
  auto curl = DynamicLibrary::open("libcurl.so.4");
  if (!curl) return curl.error();
  auto ssl = DynamicLibrary::open("libssl.so.3");
  if (!ssl) return ssl.error();
  auto crypto = DynamicLibrary::open("libcrypto.so.3");
  if (!crypto) return crypto.error();
  NetLibrary net;
#define AIRGUARD_NET_BIND(member, symbol, library)                                            \
  if (auto bound = library->function<std::remove_pointer_t<decltype(net.member)>>(#symbol)) { \
    net.member = *bound;                                                                      \
  } else {                                                                                    \
    return bound.error();                                                                     \
  }
  AIRGUARD_NET_FUNCTIONS(AIRGUARD_NET_BIND)
#undef AIRGUARD_NET_BIND
  if (net.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    return make_error(curl->soname(), 0, "libcurl could not initialise");
  }
  net.handles.push_back(std::move(*curl));
  net.handles.push_back(std::move(*ssl));
  net.handles.push_back(std::move(*crypto));
  return net;
}

const Result<NetLibrary>& net_library() {
  // Never destroyed: the libraries stay loaded until the process ends, and unloading them from a
  // static destructor would race OpenSSL's own exit handlers.
  static const Result<NetLibrary>* const loaded = [] {
    Result<NetLibrary> result = load_net_library();
    if (!result) {
      Diagnostic error = result.error();
      error.message = "libcurl is needed for network access and " + error.message;
      error.hint = "install the Debian package libcurl4 (it brings libssl3)";
      return new Result<NetLibrary>(std::move(error));
    }
    return new Result<NetLibrary>(std::move(result));
  }();
  return *loaded;
}

// The loaded library; only called on paths that checked net_library() first.
const NetLibrary& net() { return *net_library(); }

struct CurlUrlDeleter {
  void operator()(CURLU* url) const { net().url_cleanup(url); }
};
using CurlUrl = std::unique_ptr<CURLU, CurlUrlDeleter>;

struct CurlFreeDeleter {
  void operator()(char* text) const { net().free(text); }
};

std::optional<std::string> url_part(CURLU* url, CURLUPart part, unsigned int flags = 0) {
  char* raw = nullptr;
  if (net().url_get(url, part, &raw, flags) != CURLUE_OK || raw == nullptr) return std::nullopt;
  std::unique_ptr<char, CurlFreeDeleter> owned(raw);
  return std::string(raw);
}

CurlUrl parse_url(std::string_view text) {
  CurlUrl url(net().url());
  if (!url) return nullptr;
  const std::string copy(text);
  if (net().url_set(url.get(), CURLUPART_URL, copy.c_str(), 0) != CURLUE_OK) return nullptr;
  return url;
}

std::string asn1_time_iso(const ASN1_TIME* time) {
  std::tm parts{};
  if (time == nullptr || net().ASN1_TIME_to_tm(time, &parts) != 1) return {};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
                     parts.tm_hour, parts.tm_min, parts.tm_sec);
}

std::string x509_name(const X509_NAME* name) {
  if (name == nullptr) return {};
  std::array<char, 512> buffer{};
  net().X509_NAME_oneline(name, buffer.data(), static_cast<int>(buffer.size()));
  return std::string(buffer.data());
}

CertificateInfo describe_certificate(X509* cert) {
  CertificateInfo info;
  info.subject = x509_name(net().X509_get_subject_name(cert));
  info.issuer = x509_name(net().X509_get_issuer_name(cert));
  info.not_before = asn1_time_iso(net().X509_get0_notBefore(cert));
  info.not_after = asn1_time_iso(net().X509_get0_notAfter(cert));
  int days = 0;
  int seconds = 0;
  if (net().ASN1_TIME_diff(&days, &seconds, nullptr, net().X509_get0_notAfter(cert)) == 1) {
    // Round towards minus infinity, so a certificate that expired an hour ago shows -1, not 0.
    info.days_to_expiry = days - ((days <= 0 && seconds < 0) ? 1 : 0);
  }
  info.self_signed = net().X509_check_issued(cert, cert) == X509_V_OK;
  info.signature_algorithm = net().OBJ_nid2ln(net().X509_get_signature_nid(cert));
  if (EVP_PKEY* key = net().X509_get0_pubkey(cert)) info.public_key_bits = net().EVP_PKEY_get_bits(key);
  auto* names = static_cast<GENERAL_NAMES*>(net().X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  if (names != nullptr) {
    const auto* stack = reinterpret_cast<const OPENSSL_STACK*>(names);  // sk_GENERAL_NAME_* are inline wrappers
    for (int i = 0; i < net().OPENSSL_sk_num(stack); ++i) {
      const auto* name = static_cast<const GENERAL_NAME*>(net().OPENSSL_sk_value(stack, i));
      if (name->type == GEN_DNS) {
        const ASN1_IA5STRING* dns = name->d.dNSName;
        info.subject_alt_names.push_back("DNS:" +
                                         std::string(reinterpret_cast<const char*>(net().ASN1_STRING_get0_data(dns)),
                                                     static_cast<std::size_t>(net().ASN1_STRING_length(dns))));
      } else if (name->type == GEN_IPADD) {
        const ASN1_OCTET_STRING* ip = name->d.iPAddress;
        const unsigned char* bytes = net().ASN1_STRING_get0_data(ip);
        if (net().ASN1_STRING_length(ip) == 4) {
          info.subject_alt_names.push_back(
              fmt::format("IP Address:{}.{}.{}.{}", bytes[0], bytes[1], bytes[2], bytes[3]));
        }
      }
    }
    net().GENERAL_NAMES_free(names);
  }
  return info;
}

// Reads the negotiated protocol, cipher and chain from the live SSL object. libcurl clears the
// pointer when the transfer ends, so this runs from the header callback.
std::optional<TlsInfo> read_tls_info(CURL* easy) {
  curl_tlssessioninfo* session = nullptr;
  if (net().easy_getinfo(easy, CURLINFO_TLS_SSL_PTR, &session) != CURLE_OK || session == nullptr) return std::nullopt;
  if (session->backend != CURLSSLBACKEND_OPENSSL || session->internals == nullptr) return std::nullopt;
  auto* ssl = static_cast<SSL*>(session->internals);
  TlsInfo info;
  info.protocol = net().SSL_get_version(ssl);
  if (const SSL_CIPHER* cipher = net().SSL_get_current_cipher(ssl)) info.cipher = net().SSL_CIPHER_get_name(cipher);
  if (STACK_OF(X509)* chain = net().SSL_get_peer_cert_chain(ssl)) {
    const auto* stack = reinterpret_cast<const OPENSSL_STACK*>(chain);
    for (int i = 0; i < net().OPENSSL_sk_num(stack); ++i) {
      info.chain.push_back(describe_certificate(static_cast<X509*>(net().OPENSSL_sk_value(stack, i))));
    }
  }
  return info;
}

// One request moving through the multi loop: attempts, redirects, buffers.
struct Transfer {
  const HttpRequest* request = nullptr;
  CURL* easy = nullptr;
  curl_slist* header_list = nullptr;
  std::string first_origin;
  std::string current_url;
  bool send_credentials = true;
  int attempt = 0;
  std::vector<std::string> redirects;
  Clock::time_point ready_at{};
  Clock::time_point started_at{};
  bool running = false;
  bool done = false;

  // Per attempt
  std::string body;
  std::vector<HttpHeader> headers;
  std::optional<TlsInfo> tls;
  bool too_large = false;
  std::size_t max_body = 0;
  std::array<char, CURL_ERROR_SIZE> error_buffer{};

  HttpOutcome outcome;

  void reset_attempt() {
    body.clear();
    headers.clear();
    tls.reset();
    too_large = false;
    error_buffer.fill('\0');
  }
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const std::size_t bytes = size * count;
  if (transfer->body.size() + bytes > transfer->max_body) {
    transfer->too_large = true;
    return 0;  // libcurl aborts the transfer with CURLE_WRITE_ERROR
  }
  transfer->body.append(data, bytes);
  return bytes;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const std::size_t bytes = size * count;
  const std::string_view line(data, bytes);
  if (!transfer->tls) transfer->tls = read_tls_info(transfer->easy);
  if (line.starts_with("HTTP/")) {
    transfer->headers.clear();  // a new response (after 100-continue or a proxy CONNECT)
    return bytes;
  }
  const std::size_t colon = line.find(':');
  if (colon != std::string_view::npos) {
    transfer->headers.push_back({std::string(trim(line.substr(0, colon))), std::string(trim(line.substr(colon + 1)))});
  }
  return bytes;
}

long to_milliseconds(double seconds) { return std::lround(std::max(seconds, 0.001) * 1000.0); }

std::optional<long> tls_version_code(const std::string& text, bool maximum) {
  const auto pick = [maximum](long minimum_code, long maximum_code) { return maximum ? maximum_code : minimum_code; };
  if (text == "1.0" || text == "1") return pick(CURL_SSLVERSION_TLSv1_0, CURL_SSLVERSION_MAX_TLSv1_0);
  if (text == "1.1") return pick(CURL_SSLVERSION_TLSv1_1, CURL_SSLVERSION_MAX_TLSv1_1);
  if (text == "1.2") return pick(CURL_SSLVERSION_TLSv1_2, CURL_SSLVERSION_MAX_TLSv1_2);
  if (text == "1.3") return pick(CURL_SSLVERSION_TLSv1_3, CURL_SSLVERSION_MAX_TLSv1_3);
  return std::nullopt;
}

bool is_idempotent(const HttpRequest& request) {
  const std::string method = to_upper(request.method);
  return method == "GET" || method == "HEAD";
}

// Headers that carry no secret and may follow a redirect to another origin.
bool header_may_cross_origins(std::string_view name) {
  return equals_icase(name, "Accept") || equals_icase(name, "User-Agent") || equals_icase(name, "If-None-Match") ||
         equals_icase(name, "If-Modified-Since");
}

void configure(Transfer& transfer, const HttpClientOptions& options) {
  CURL* easy = transfer.easy;
  const HttpRequest& request = *transfer.request;
  net().easy_reset(easy);
  net().easy_setopt(easy, CURLOPT_URL, transfer.current_url.c_str());
  net().easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
  net().easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);  // redirects are followed here, by policy
  net().easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  net().easy_setopt(easy, CURLOPT_ERRORBUFFER, transfer.error_buffer.data());
  net().easy_setopt(easy, CURLOPT_WRITEFUNCTION, &on_body);
  net().easy_setopt(easy, CURLOPT_WRITEDATA, &transfer);
  net().easy_setopt(easy, CURLOPT_HEADERFUNCTION, &on_header);
  net().easy_setopt(easy, CURLOPT_HEADERDATA, &transfer);
  net().easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, to_milliseconds(options.connect_timeout_seconds));
  net().easy_setopt(easy, CURLOPT_TIMEOUT_MS, to_milliseconds(options.total_timeout_seconds));
  net().easy_setopt(easy, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options.max_body_bytes));
  net().easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");  // any encoding libcurl can decode; the cap applies after
  const std::string agent =
      options.user_agent.empty() ? std::string("airguard/") + AIRGUARD_VERSION : options.user_agent;
  net().easy_setopt(easy, CURLOPT_USERAGENT, agent.c_str());  // libcurl copies string options
  if (!options.honour_proxy_environment) net().easy_setopt(easy, CURLOPT_NOPROXY, "*");

  net().easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, options.insecure ? 0L : 1L);
  net().easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, options.insecure ? 0L : 2L);
  if (options.ca_file) net().easy_setopt(easy, CURLOPT_CAINFO, options.ca_file->c_str());
  long ssl_version = CURL_SSLVERSION_DEFAULT;
  if (options.tls_min_version) ssl_version = tls_version_code(*options.tls_min_version, false).value_or(ssl_version);
  if (options.tls_max_version) ssl_version |= tls_version_code(*options.tls_max_version, true).value_or(0L);
  net().easy_setopt(easy, CURLOPT_SSLVERSION, ssl_version);
  if (options.allow_legacy_tls) net().easy_setopt(easy, CURLOPT_SSL_CIPHER_LIST, "DEFAULT:@SECLEVEL=0");

  const std::string method = to_upper(request.method);
  if (method == "HEAD") {
    net().easy_setopt(easy, CURLOPT_NOBODY, 1L);
  } else if (method == "POST") {
    net().easy_setopt(easy, CURLOPT_POST, 1L);
    net().easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    net().easy_setopt(easy, CURLOPT_COPYPOSTFIELDS, request.body.c_str());
  } else if (method != "GET") {
    net().easy_setopt(easy, CURLOPT_CUSTOMREQUEST, method.c_str());
  }

  net().slist_free_all(transfer.header_list);
  transfer.header_list = nullptr;
  auto add_header = [&](const std::string& line) {
    transfer.header_list = net().slist_append(transfer.header_list, line.c_str());
  };
  for (const HttpHeader& header : request.headers) {
    if (transfer.send_credentials || header_may_cross_origins(header.name))
      add_header(header.name + ": " + header.value);
  }
  if (request.if_none_match) add_header("If-None-Match: " + *request.if_none_match);
  if (request.if_modified_since) add_header("If-Modified-Since: " + *request.if_modified_since);
  if (transfer.send_credentials && request.bearer_token) add_header("Authorization: Bearer " + *request.bearer_token);
  if (transfer.header_list != nullptr) net().easy_setopt(easy, CURLOPT_HTTPHEADER, transfer.header_list);
  if (transfer.send_credentials && request.basic_auth) {
    net().easy_setopt(easy, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC));
    net().easy_setopt(easy, CURLOPT_USERNAME, request.basic_auth->username.c_str());
    net().easy_setopt(easy, CURLOPT_PASSWORD, request.basic_auth->password.c_str());
  }
  transfer.max_body = options.max_body_bytes;
}

HttpFailure classify(CURLcode code, bool too_large) {
  if (too_large) return HttpFailure::too_large;
  switch (code) {
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
      return HttpFailure::bad_url;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return HttpFailure::dns;
    case CURLE_COULDNT_CONNECT:
      return HttpFailure::connect;
    case CURLE_OPERATION_TIMEDOUT:
      return HttpFailure::timeout;
    case CURLE_FILESIZE_EXCEEDED:
      return HttpFailure::too_large;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_USE_SSL_FAILED:
      return HttpFailure::tls;
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return HttpFailure::protocol;
    default:
      return HttpFailure::other;
  }
}

bool is_transient(HttpFailure failure) { return failure == HttpFailure::connect || failure == HttpFailure::protocol; }
bool is_transient_status(long status) { return status == 429 || status == 502 || status == 503 || status == 504; }

Diagnostic describe_failure(const Transfer& transfer, CURLcode code, HttpFailure failure,
                            const HttpClientOptions& options) {
  const std::string where = url_for_display(transfer.current_url);
  const std::string detail = redact_secrets(std::string(trim(transfer.error_buffer.data())));
  const std::string libcurl_text = detail.empty() ? net().easy_strerror(code) : detail;
  switch (failure) {
    case HttpFailure::bad_url:
      return make_error(where, 0, "not a usable http(s) URL: " + libcurl_text,
                        "give a URL such as https://airflow.example.com");
    case HttpFailure::dns:
      return make_error(where, 0, "host name could not be resolved: " + libcurl_text, "check the host name and DNS");
    case HttpFailure::connect:
      return make_error(where, 0, "connection failed: " + libcurl_text,
                        "check that the server is running and reachable");
    case HttpFailure::timeout:
      return make_error(
          where, 0, fmt::format("no complete answer within {:g} s: {}", options.total_timeout_seconds, libcurl_text),
          "the server hangs or is very slow; raise the timeout if that is expected");
    case HttpFailure::too_large:
      return make_error(where, 0, fmt::format("response body larger than the {} byte limit", options.max_body_bytes),
                        "the answer was discarded unread");
    case HttpFailure::tls:
      return make_error(where, 0, "TLS handshake or certificate verification failed: " + libcurl_text,
                        "trust the server's CA with --ca-cert FILE, or fix the certificate");
    case HttpFailure::protocol:
      return make_error(where, 0, "the server broke off or answered with something that is not HTTP: " + libcurl_text);
    case HttpFailure::deadline:
    case HttpFailure::other:
    case HttpFailure::none:
      break;
  }
  return make_error(where, 0, "request failed: " + libcurl_text);
}

using OutcomeHandler = std::function<void(std::size_t, HttpOutcome&&)>;

class Batch {
 public:
  Batch(const std::vector<HttpRequest>& requests, const HttpClientOptions& options, const OutcomeHandler& on_outcome)
      : options_(options), on_outcome_(on_outcome), transfers_(requests.size()) {
    multi_ = net().multi_init();
    net().multi_setopt(multi_, CURLMOPT_MAX_TOTAL_CONNECTIONS,
                       static_cast<long>(std::max<std::size_t>(options.max_concurrency, 1)));
    const auto now = Clock::now();
    for (std::size_t i = 0; i < requests.size(); ++i) {
      Transfer& transfer = transfers_[i];
      transfer.request = &requests[i];
      transfer.current_url = requests[i].url;
      transfer.first_origin = url_origin(requests[i].url).value_or("");
      transfer.ready_at = now;
      if (transfer.first_origin.empty()) {
        transfer.done = true;
        transfer.outcome.failure = HttpFailure::bad_url;
        transfer.outcome.error = make_error(url_for_display(requests[i].url), 0, "not a usable http(s) URL",
                                            "give a URL such as https://airflow.example.com");
      }
    }
  }
  ~Batch() {
    for (Transfer& transfer : transfers_) {
      if (transfer.easy != nullptr) {
        if (transfer.running) net().multi_remove_handle(multi_, transfer.easy);
        net().easy_cleanup(transfer.easy);
      }
      net().slist_free_all(transfer.header_list);
    }
    net().multi_cleanup(multi_);
  }
  Batch(const Batch&) = delete;
  Batch& operator=(const Batch&) = delete;

  void run() {
    for (Transfer& transfer : transfers_) {
      if (transfer.done) deliver(transfer);  // refused before the start: not a usable URL
    }
    while (finished_ < transfers_.size()) {
      if (options_.deadline && Clock::now() >= *options_.deadline) {
        stop_at_deadline();
        break;
      }
      start_ready_transfers();
      int still_running = 0;
      net().multi_perform(multi_, &still_running);
      collect_finished();
      if (options_.on_progress) options_.on_progress(finished_, transfers_.size());
      if (finished_ == transfers_.size()) break;
      net().multi_poll(multi_, nullptr, 0, next_wait_milliseconds(), nullptr);
    }
  }

 private:
  // Hands the outcome over at once, so its body is freed before the batch ends.
  void deliver(Transfer& transfer) {
    transfer.done = true;
    ++finished_;
    HttpOutcome outcome = std::move(transfer.outcome);
    transfer.outcome = HttpOutcome{};
    on_outcome_(static_cast<std::size_t>(&transfer - transfers_.data()), std::move(outcome));
  }

  void stop_at_deadline() {
    for (Transfer& transfer : transfers_) {
      if (transfer.done) continue;
      if (transfer.running) net().multi_remove_handle(multi_, transfer.easy);
      transfer.running = false;
      transfer.outcome.failure = HttpFailure::deadline;
      transfer.outcome.error = make_error(url_for_display(transfer.current_url), 0,
                                          "stopped unanswered at the deadline", "the server is slow or hangs");
      deliver(transfer);
    }
  }

  std::size_t running_count() const {
    return static_cast<std::size_t>(
        std::count_if(transfers_.begin(), transfers_.end(), [](const Transfer& t) { return t.running; }));
  }

  void start_ready_transfers() {
    const auto now = Clock::now();
    std::size_t running = running_count();
    const std::size_t limit = std::max<std::size_t>(options_.max_concurrency, 1);
    for (Transfer& transfer : transfers_) {
      if (running >= limit) break;
      if (transfer.done || transfer.running || transfer.ready_at > now) continue;
      if (transfer.easy == nullptr) transfer.easy = net().easy_init();
      transfer.reset_attempt();
      configure(transfer, options_);
      ++transfer.attempt;
      transfer.started_at = Clock::now();
      transfer.running = true;
      net().multi_add_handle(multi_, transfer.easy);
      ++running;
    }
  }

  int next_wait_milliseconds() const {
    long long wait = 200;
    const auto now = Clock::now();
    if (options_.deadline) {
      const auto until = std::chrono::duration_cast<std::chrono::milliseconds>(*options_.deadline - now).count();
      wait = std::min(wait, std::max<long long>(until, 0));
    }
    for (const Transfer& transfer : transfers_) {
      if (transfer.done || transfer.running) continue;
      const auto until = std::chrono::duration_cast<std::chrono::milliseconds>(transfer.ready_at - now).count();
      wait = std::min(wait, std::max<long long>(until, 0));
    }
    return static_cast<int>(wait);
  }

  Transfer* find(CURL* easy) {
    for (Transfer& transfer : transfers_) {
      if (transfer.easy == easy) return &transfer;
    }
    return nullptr;
  }

  void collect_finished() {
    int queued = 0;
    while (CURLMsg* message = net().multi_info_read(multi_, &queued)) {
      if (message->msg != CURLMSG_DONE) continue;
      Transfer* transfer = find(message->easy_handle);
      if (transfer == nullptr) continue;
      const CURLcode code = message->data.result;
      net().multi_remove_handle(multi_, transfer->easy);
      transfer->running = false;
      finish_attempt(*transfer, code);
    }
  }

  void schedule_retry(Transfer& transfer) {
    const double delay = options_.retry_backoff_seconds * std::pow(2.0, transfer.attempt - 1);
    transfer.ready_at = Clock::now() + std::chrono::milliseconds(to_milliseconds(delay));
  }

  bool may_retry(const Transfer& transfer) const {
    return is_idempotent(*transfer.request) && transfer.attempt <= options_.retries;
  }

  void finish_attempt(Transfer& transfer, CURLcode code) {
    const double elapsed = std::chrono::duration<double>(Clock::now() - transfer.started_at).count();
    if (code != CURLE_OK) {
      const HttpFailure failure = classify(code, transfer.too_large);
      if (is_transient(failure) && may_retry(transfer)) {
        schedule_retry(transfer);
        return;
      }
      transfer.outcome.failure = failure;
      transfer.outcome.error = describe_failure(transfer, code, failure, options_);
      if (transfer.attempt > 1) transfer.outcome.error.message += fmt::format(" (after {} attempts)", transfer.attempt);
      deliver(transfer);
      return;
    }
    long status = 0;
    net().easy_getinfo(transfer.easy, CURLINFO_RESPONSE_CODE, &status);
    if (is_transient_status(status) && may_retry(transfer)) {
      schedule_retry(transfer);
      return;
    }
    HttpResponse response;
    response.status = status;
    response.headers = std::move(transfer.headers);
    response.body = std::move(transfer.body);
    response.url = transfer.current_url;
    response.redirects = transfer.redirects;
    response.attempts = transfer.attempt;
    response.elapsed_seconds = elapsed;
    if (transfer.tls) {
      response.tls = std::move(transfer.tls);
      long verify = 1;
      net().easy_getinfo(transfer.easy, CURLINFO_SSL_VERIFYRESULT, &verify);
      response.tls->verified = !options_.insecure && verify == 0;
    }
    if (status >= 300 && status < 400 && follow_redirect(transfer, response)) return;
    transfer.outcome.response = std::move(response);
    deliver(transfer);
  }

  // Re-queues the transfer at the Location when the policy allows it; otherwise notes the refusal.
  bool follow_redirect(Transfer& transfer, HttpResponse& response) {
    char* location_raw = nullptr;
    net().easy_getinfo(transfer.easy, CURLINFO_REDIRECT_URL, &location_raw);
    if (location_raw == nullptr) return false;
    const std::string location(location_raw);
    const std::optional<std::string> target_origin = url_origin(location);
    const bool same_origin = target_origin && *target_origin == transfer.first_origin;
    bool allowed = false;
    switch (options_.redirects) {
      case RedirectPolicy::none:
        allowed = false;
        break;
      case RedirectPolicy::same_origin:
        allowed = same_origin && transfer.send_credentials;
        break;
      case RedirectPolicy::any_origin_without_credentials:
        allowed = target_origin.has_value() &&
                  !(starts_with_icase(transfer.current_url, "https:") && starts_with_icase(location, "http:"));
        break;
    }
    if (!allowed || static_cast<int>(transfer.redirects.size()) >= options_.max_redirects ||
        !is_idempotent(*transfer.request)) {
      response.refused_redirect = location;
      return false;
    }
    transfer.redirects.push_back(location);
    transfer.current_url = location;
    if (!same_origin) transfer.send_credentials = false;  // and never again for this request
    transfer.attempt = 0;
    transfer.ready_at = Clock::now();
    return true;
  }

  const HttpClientOptions& options_;
  const OutcomeHandler& on_outcome_;
  std::vector<Transfer> transfers_;
  std::size_t finished_ = 0;
  CURLM* multi_ = nullptr;
};

}  // namespace

std::string_view to_string(HttpFailure failure) {
  switch (failure) {
    case HttpFailure::none:
      return "none";
    case HttpFailure::bad_url:
      return "bad_url";
    case HttpFailure::dns:
      return "dns";
    case HttpFailure::connect:
      return "connect";
    case HttpFailure::tls:
      return "tls";
    case HttpFailure::timeout:
      return "timeout";
    case HttpFailure::too_large:
      return "too_large";
    case HttpFailure::protocol:
      return "protocol";
    case HttpFailure::deadline:
      return "deadline";
    case HttpFailure::other:
      return "other";
  }
  return "other";
}

std::optional<std::string> HttpResponse::header(std::string_view name) const {
  for (const HttpHeader& h : headers) {
    if (equals_icase(h.name, name)) return h.value;
  }
  return std::nullopt;
}

std::vector<std::string> HttpResponse::headers_named(std::string_view name) const {
  std::vector<std::string> values;
  for (const HttpHeader& h : headers) {
    if (equals_icase(h.name, name)) values.push_back(h.value);
  }
  return values;
}

std::optional<std::string> url_origin(std::string_view url) {
  if (!net_library()) return std::nullopt;
  CurlUrl parsed = parse_url(url);
  if (!parsed) return std::nullopt;
  const auto scheme = url_part(parsed.get(), CURLUPART_SCHEME);
  const auto host = url_part(parsed.get(), CURLUPART_HOST);
  const auto port = url_part(parsed.get(), CURLUPART_PORT, CURLU_DEFAULT_PORT);
  if (!scheme || !host || !port) return std::nullopt;
  const std::string lower_scheme = to_lower(*scheme);
  if (lower_scheme != "http" && lower_scheme != "https") return std::nullopt;
  return lower_scheme + "://" + to_lower(*host) + ":" + *port;
}

namespace {

// For text libcurl cannot parse: the fragment and any user-info cut off by hand.
std::string strip_fragment_and_user_info(std::string_view url) {
  std::string text(url.substr(0, url.find('#')));
  const std::size_t scheme = text.find("://");
  const std::size_t authority = scheme == std::string::npos ? 0 : scheme + 3;
  const std::size_t authority_end = std::min(text.find_first_of("/?", authority), text.size());
  const std::size_t at = text.rfind('@', authority_end == 0 ? 0 : authority_end - 1);
  if (at != std::string::npos && at >= authority && at < authority_end) text.erase(authority, at + 1 - authority);
  return text;
}

}  // namespace

std::string url_for_display(std::string_view url) {
  if (!net_library()) return redact_secrets(strip_fragment_and_user_info(url));
  CurlUrl parsed = parse_url(url);
  if (!parsed) return redact_secrets(strip_fragment_and_user_info(url));
  net().url_set(parsed.get(), CURLUPART_USER, nullptr, 0);
  net().url_set(parsed.get(), CURLUPART_PASSWORD, nullptr, 0);
  net().url_set(parsed.get(), CURLUPART_FRAGMENT, nullptr, 0);  // "#access_token=..." is the browser's, never shown
  const auto text = url_part(parsed.get(), CURLUPART_URL);
  return redact_secrets(text ? *text : strip_fragment_and_user_info(url));
}

void http_perform_each(const std::vector<HttpRequest>& requests, const HttpClientOptions& options,
                       const std::function<void(std::size_t index, HttpOutcome&& outcome)>& on_outcome) {
  if (const auto& library = net_library(); !library) {
    for (std::size_t i = 0; i < requests.size(); ++i) {
      HttpOutcome outcome;
      outcome.failure = HttpFailure::other;
      outcome.error = library.error();
      on_outcome(i, std::move(outcome));
    }
    return;
  }
  Batch batch(requests, options, on_outcome);
  batch.run();
}

std::vector<HttpOutcome> http_perform_all(const std::vector<HttpRequest>& requests, const HttpClientOptions& options) {
  std::vector<HttpOutcome> outcomes(requests.size());
  http_perform_each(requests, options,
                    [&outcomes](std::size_t index, HttpOutcome&& outcome) { outcomes[index] = std::move(outcome); });
  return outcomes;
}

HttpOutcome http_perform(const HttpRequest& request, const HttpClientOptions& options) {
  std::vector<HttpOutcome> outcomes = http_perform_all({request}, options);
  return std::move(outcomes.front());
}

Result<HttpResponse> http_get(const std::string& url, const HttpClientOptions& options,
                              std::vector<HttpHeader> headers) {
  HttpRequest request;
  request.url = url;
  request.headers = std::move(headers);
  HttpOutcome outcome = http_perform(request, options);
  if (outcome.response) return std::move(*outcome.response);
  return std::move(outcome.error);
}

}  // namespace airguard
