#include "advisories/feed.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <system_error>

#include "advisories/compiled_feed.hpp"
#include "core/file_io.hpp"
#include "core/http_client.hpp"
#include "core/redact.hpp"
#include "core/resources.hpp"

namespace airguard {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr const char* kEmbeddedFeed = "data/advisories/osv-airflow.json";
constexpr const char* kOsvApi = "https://api.osv.dev/v1/query";
constexpr const char* kCurrentLink = "current";  // symlink to the live feed directory in the cache
constexpr const char* kFeedFile = "osv.json";
constexpr const char* kMetaFile = "meta.json";

bool is_url(std::string_view text) { return text.starts_with("https://") || text.starts_with("http://"); }

std::string feed_root(const std::string& cache_dir) { return (fs::path(cache_dir) / "advisories").string(); }

std::optional<json> read_meta(const fs::path& dir) {
  auto text = read_text_file((dir / kMetaFile).string(), {.max_bytes = 1u << 20});
  if (!text) return std::nullopt;
  json meta = json::parse(*text, nullptr, false);
  if (meta.is_discarded() || !meta.is_object()) return std::nullopt;
  return meta;
}

}  // namespace

AdvisoryFeedInfo describe_feed(std::shared_ptr<const AdvisoryDatabase> database, std::string source, std::string kind) {
  AdvisoryFeedInfo info;
  info.source = std::move(source);
  info.kind = std::move(kind);
  info.date = database->newest_modified().substr(0, 10);
  info.records = database->record_count();
  info.database = std::move(database);
  return info;
}

AdvisoryFeedInfo make_feed(std::vector<OsvRecord> records, std::string source, std::string kind) {
  return describe_feed(std::make_shared<const AdvisoryDatabase>(std::move(records)), std::move(source),
                       std::move(kind));
}

Result<AdvisoryFeedInfo> parse_embedded_feed() {
  auto text = embedded_resource(kEmbeddedFeed);
  if (!text) return make_error(kEmbeddedFeed, 0, "this build carries no advisory snapshot");
  Diagnostics ignored;
  return make_feed(parse_osv_json(*text, kEmbeddedFeed, ignored), "embedded snapshot", "embedded");
}

Result<AdvisoryFeedInfo> load_embedded_feed() {
  if (const auto compiled = compiled_resource("advisories")) {
    if (auto database = decode_advisory_database(*compiled)) {
      return describe_feed(std::move(database), "embedded snapshot", "embedded");
    }
  }
  return parse_embedded_feed();
}

Result<AdvisoryFeedInfo> load_feed_path(const std::string& path, Diagnostics& diagnostics) {
  std::error_code ec;
  std::vector<OsvRecord> records;
  const ReadLimits limits{.max_bytes = kMaxFeedBytes};
  if (fs::is_directory(path, ec)) {
    std::vector<fs::path> files;
    for (auto it = fs::recursive_directory_iterator(path, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
      if (it->is_regular_file(ec) && it->path().extension() == ".json") files.push_back(it->path());
    }
    if (ec) return make_error(path, 0, fmt::format("cannot list advisory directory: {}", ec.message()));
    std::sort(files.begin(), files.end());
    if (files.empty()) return make_error(path, 0, "no *.json OSV records in this directory");
    for (const auto& file : files) {
      auto text = read_text_file(file.string(), limits);
      if (!text) {
        diagnostics.push_back(text.error());
        continue;
      }
      auto parsed = parse_osv_json(*text, file.string(), diagnostics);
      std::move(parsed.begin(), parsed.end(), std::back_inserter(records));
    }
  } else {
    auto text = read_text_file(path, limits);
    if (!text) return text.error();
    Diagnostics found;
    records = parse_osv_json(*text, path, found);
    for (const auto& d : found) {
      if (d.level == Diagnostic::Level::error) return d;
    }
    diagnostics.insert(diagnostics.end(), found.begin(), found.end());
  }
  if (records.empty()) return make_error(path, 0, "no OSV records could be read", "see the warnings above");
  return make_feed(std::move(records), path, "path");
}

Result<AdvisoryFeedInfo> load_feed_url(const std::string& url, const std::optional<std::string>& ca_file,
                                       Diagnostics& diagnostics) {
  HttpClientOptions options;
  options.ca_file = ca_file;
  options.total_timeout_seconds = 60.0;
  options.max_body_bytes = kMaxFeedBytes;
  auto response = http_get(url, options, {{"Accept", "application/json"}});
  if (!response) return response.error();
  if (response->status != 200) {
    return make_error(redact_secrets(url), 0, fmt::format("advisory feed request answered HTTP {}", response->status));
  }
  Diagnostics found;
  auto records = parse_osv_json(response->body, redact_secrets(url), found);
  for (const auto& d : found) {
    if (d.level == Diagnostic::Level::error) return d;
  }
  diagnostics.insert(diagnostics.end(), found.begin(), found.end());
  if (records.empty()) return make_error(redact_secrets(url), 0, "the advisory feed holds no OSV record");
  return make_feed(std::move(records), redact_secrets(url), "url");
}

std::string advisory_cache_dir() {
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) return (fs::path(xdg) / "airguard").string();
  if (const char* home = std::getenv("HOME"); home && *home) return (fs::path(home) / ".cache" / "airguard").string();
  return {};
}

std::optional<AdvisoryFeedInfo> load_cached_feed(const std::string& cache_dir, Diagnostics& diagnostics) {
  if (cache_dir.empty()) return std::nullopt;
  fs::path current = fs::path(feed_root(cache_dir)) / kCurrentLink;
  std::error_code ec;
  if (!fs::exists(current / kFeedFile, ec)) return std::nullopt;
  Diagnostics found;
  auto feed = load_feed_path((current / kFeedFile).string(), found);
  if (!feed) {
    diagnostics.push_back(make_warning(feed.error().file, 0,
                                       "ignoring the unreadable advisory cache: " + feed.error().message,
                                       "run `airguard advisories update` again"));
    return std::nullopt;
  }
  feed->kind = "cache";
  if (auto meta = read_meta(current); meta && meta->contains("source") && (*meta)["source"].is_string()) {
    feed->source = (*meta)["source"].get<std::string>() + " (cached in " + cache_dir + ")";
  }
  return std::move(*feed);
}

Result<AdvisoryFeedInfo> resolve_feed(const std::optional<std::string>& advisories, const std::string& cache_dir,
                                      Diagnostics& diagnostics) {
  if (advisories) {
    if (is_url(*advisories)) return load_feed_url(*advisories, std::nullopt, diagnostics);
    return load_feed_path(*advisories, diagnostics);
  }
  auto embedded = load_embedded_feed();
  auto cached = load_cached_feed(cache_dir, diagnostics);
  if (cached && (!embedded || cached->date >= embedded->date)) return std::move(*cached);
  return embedded;
}

namespace {

// osv.dev's API has no bulk JSON endpoint: ask /v1/query once per package (following page tokens).
Result<std::string> fetch_from_osv_api(const std::string& url, const HttpClientOptions& http) {
  std::vector<std::string> packages;
  if (auto embedded = load_embedded_feed()) packages = embedded->database->packages();
  if (packages.empty()) packages = {"apache-airflow"};
  json all = json::array();
  std::set<std::string> seen;
  std::size_t total_bytes = 0;
  for (const auto& package : packages) {
    std::string page_token;
    for (int page = 0; page < 100; ++page) {
      json query = {{"package", {{"name", package}, {"ecosystem", "PyPI"}}}};
      if (!page_token.empty()) query["page_token"] = page_token;
      HttpRequest request;
      request.method = "POST";
      request.url = url;
      request.body = query.dump();
      request.headers = {{"Content-Type", "application/json"}, {"Accept", "application/json"}};
      HttpOutcome outcome = http_perform(request, http);
      if (!outcome.ok()) return outcome.error;
      if (outcome.response->status != 200) {
        return make_error(redact_secrets(url), 0,
                          fmt::format("advisory query for {} answered HTTP {}", package, outcome.response->status));
      }
      total_bytes += outcome.response->body.size();
      if (total_bytes > http.max_body_bytes) {
        return make_error(redact_secrets(url), 0, "advisory answers exceed the size limit");
      }
      json answer = json::parse(outcome.response->body, nullptr, false);
      if (answer.is_discarded() || !answer.is_object()) {
        return make_error(redact_secrets(url), 0, "advisory query answer is not a JSON object");
      }
      if (auto vulns = answer.find("vulns"); vulns != answer.end() && vulns->is_array()) {
        for (auto& vuln : *vulns) {
          if (vuln.is_object() && vuln.contains("id") && vuln["id"].is_string() &&
              seen.insert(vuln["id"].get<std::string>()).second) {
            all.push_back(std::move(vuln));
          }
        }
      }
      auto token = answer.find("next_page_token");
      if (token == answer.end() || !token->is_string() || token->get<std::string>().empty()) break;
      page_token = token->get<std::string>();
    }
  }
  return all.dump();
}

std::string unique_suffix() { return std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()); }

}  // namespace

Result<FeedUpdateResult> update_feed_cache(const FeedUpdateOptions& options) {
  const std::string cache_dir = options.cache_dir.empty() ? advisory_cache_dir() : options.cache_dir;
  if (cache_dir.empty()) {
    return make_error("", 0, "no cache directory", "set XDG_CACHE_HOME or HOME");
  }
  const fs::path root = feed_root(cache_dir);
  const fs::path current = root / kCurrentLink;
  std::error_code ec;
  fs::create_directories(root, ec);
  if (ec) return make_error(root.string(), 0, fmt::format("cannot create the cache directory: {}", ec.message()));

  HttpClientOptions http;
  http.ca_file = options.ca_file;
  http.total_timeout_seconds = options.timeout_seconds;
  http.max_body_bytes = options.max_bytes;

  const bool api_mode = options.url.empty() || options.url.ends_with("/v1/query");
  const std::string url = options.url.empty() ? kOsvApi : options.url;
  std::optional<json> previous = read_meta(current);
  FeedUpdateResult result;
  result.source = redact_secrets(url);
  result.cache_path = cache_dir;

  std::string body;
  json meta = {{"source", redact_secrets(url)}};
  if (api_mode) {
    auto fetched = fetch_from_osv_api(url, http);
    if (!fetched) return fetched.error();
    body = std::move(*fetched);
  } else {
    HttpRequest request;
    request.url = url;
    request.headers = {{"Accept", "application/json"}};
    if (previous && previous->value("source", "") == redact_secrets(url)) {
      if (auto etag = previous->value("etag", ""); !etag.empty()) request.if_none_match = etag;
      if (auto lm = previous->value("last_modified", ""); !lm.empty()) request.if_modified_since = lm;
    }
    HttpOutcome outcome = http_perform(request, http);
    if (!outcome.ok()) return outcome.error;
    const HttpResponse& response = *outcome.response;
    if (response.status == 304) {
      Diagnostics ignored;
      auto cached = load_cached_feed(cache_dir, ignored);
      if (cached) {
        result.records = cached->records;
        result.date = cached->date;
        return result;  // unchanged; the cache stays as it is
      }
      return make_error(redact_secrets(url), 0, "server answered 304 Not Modified but the cache is missing",
                        "remove the cache directory and update again");
    }
    if (response.status != 200) {
      return make_error(redact_secrets(url), 0, fmt::format("advisory feed request answered HTTP {}", response.status));
    }
    if (auto etag = response.header("ETag")) meta["etag"] = *etag;
    if (auto lm = response.header("Last-Modified")) meta["last_modified"] = *lm;
    body = response.body;
  }

  // Validate before anything touches the cache.
  Diagnostics found;
  auto records = parse_osv_json(body, redact_secrets(url), found);
  for (const auto& d : found) {
    if (d.level == Diagnostic::Level::error) return d;
  }
  if (records.empty()) return make_error(redact_secrets(url), 0, "the downloaded feed holds no OSV record");
  AdvisoryFeedInfo feed = make_feed(std::move(records), redact_secrets(url), "cache");
  meta["records"] = feed.records;
  meta["date"] = feed.date;

  // Write a fresh directory, then atomically repoint the `current` symlink at it.
  const std::string stamp = unique_suffix();
  const fs::path fresh = root / ("feed-" + stamp);
  fs::create_directory(fresh, ec);
  if (ec) return make_error(fresh.string(), 0, fmt::format("cannot create: {}", ec.message()));
  auto cleanup = [&] { fs::remove_all(fresh, ec); };
  if (auto w = write_file_atomic((fresh / kFeedFile).string(), body); !w) {
    cleanup();
    return w.error();
  }
  if (auto w = write_file_atomic((fresh / kMetaFile).string(), meta.dump(2) + "\n"); !w) {
    cleanup();
    return w.error();
  }
  fs::path old_target;
  if (fs::is_symlink(current, ec)) old_target = fs::read_symlink(current, ec);
  const fs::path link_tmp = root / ("current.tmp-" + stamp);
  fs::create_directory_symlink(fresh.filename(), link_tmp, ec);
  if (ec) {
    cleanup();
    return make_error(link_tmp.string(), 0, fmt::format("cannot create the cache link: {}", ec.message()));
  }
  fs::rename(link_tmp, current, ec);
  if (ec) {
    fs::remove(link_tmp, ec);
    cleanup();
    return make_error(current.string(), 0, fmt::format("cannot swap the cache: {}", ec.message()));
  }
  if (!old_target.empty() && old_target != fresh.filename()) fs::remove_all(root / old_target, ec);

  result.changed = true;
  result.records = feed.records;
  result.date = feed.date;
  return result;
}

}  // namespace airguard
