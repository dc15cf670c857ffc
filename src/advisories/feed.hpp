#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "advisories/advisory_db.hpp"
#include "core/diagnostic.hpp"
#include "core/result.hpp"

// Where the advisory feed comes from: the snapshot compiled into the binary, the local cache that
// `airguard advisories update` refreshes, or a path/URL the user names with --advisories.
namespace airguard {

inline constexpr std::size_t kMaxFeedBytes = 64u * 1024u * 1024u;

// Builds the feed info (database, newest date, count) from parsed records.
AdvisoryFeedInfo make_feed(std::vector<OsvRecord> records, std::string source, std::string kind);

// Builds the feed info (newest date, count) around a built database.
AdvisoryFeedInfo describe_feed(std::shared_ptr<const AdvisoryDatabase> database, std::string source, std::string kind);

// The snapshot shipped in the binary (data/advisories/osv-airflow.json), from the binary form the
// build compiled it into; parsed from the JSON when the binary carries no such form.
Result<AdvisoryFeedInfo> load_embedded_feed();
// The same snapshot parsed and indexed from its JSON: what the build compiles.
Result<AdvisoryFeedInfo> parse_embedded_feed();
// A directory of OSV *.json files (searched recursively), or one JSON file (record or array).
Result<AdvisoryFeedInfo> load_feed_path(const std::string& path, Diagnostics& diagnostics);
// GET of an OSV-compatible JSON document (record, array, or {"vulns": [...]}) over HTTP(S).
Result<AdvisoryFeedInfo> load_feed_url(const std::string& url, const std::optional<std::string>& ca_file,
                                       Diagnostics& diagnostics);

// $XDG_CACHE_HOME/airguard, else $HOME/.cache/airguard; "" when neither is set.
std::string advisory_cache_dir();
// The cached feed, when `airguard advisories update` has written one under `cache_dir`.
std::optional<AdvisoryFeedInfo> load_cached_feed(const std::string& cache_dir, Diagnostics& diagnostics);

// The feed a scan uses: --advisories PATH|URL when given; else the cache when it is newer than the
// embedded snapshot; else the embedded snapshot.
Result<AdvisoryFeedInfo> resolve_feed(const std::optional<std::string>& advisories, const std::string& cache_dir,
                                      Diagnostics& diagnostics);

struct FeedUpdateOptions {
  std::string url;  // "" = osv.dev's API (one query per package known to the shipped snapshot)
  std::optional<std::string> ca_file;
  std::string cache_dir;  // "" = advisory_cache_dir()
  double timeout_seconds = 60.0;
  std::size_t max_bytes = kMaxFeedBytes;
};

struct FeedUpdateResult {
  bool changed = false;  // false: the server said 304 Not Modified
  std::string source;
  std::size_t records = 0;
  std::string date;
  std::string cache_path;
};

// Downloads the feed, checks that it parses, and swaps it into the cache atomically: a failed
// update leaves the previous cache exactly as it was. A mirror URL is fetched with a conditional
// GET (ETag / Last-Modified of the previous update).
Result<FeedUpdateResult> update_feed_cache(const FeedUpdateOptions& options);

}  // namespace airguard
