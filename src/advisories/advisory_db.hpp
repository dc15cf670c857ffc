#pragma once
#include <string>
#include <vector>

namespace airguard {

// The OSV advisory feed in memory. Owned by the advisories area; see issue "Advisories".
struct AdvisoryFeedInfo {
  std::string source;      // "embedded snapshot", a path or a URL
  std::string date;        // newest "modified" of the records (YYYY-MM-DD)
  std::size_t records = 0;
};

}  // namespace airguard
