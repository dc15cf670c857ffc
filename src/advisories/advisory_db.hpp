#pragma once
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "advisories/osv.hpp"
#include "advisories/pep440.hpp"
#include "core/diagnostic.hpp"

namespace airguard {

// One vulnerability affecting one installed package version. Records that name each other
// (PYSEC, GHSA, CVE aliases) are merged, so a vulnerability is reported once.
struct AdvisoryMatch {
  std::string id;                    // the CVE id when there is one, else the first record id
  std::vector<std::string> aliases;  // every other id of the vulnerability, sorted
  std::string summary;
  AdvisorySeverity severity;            // the highest of the merged records
  std::vector<std::string> fixed;       // fixed versions for this package, ascending (normalized)
  std::vector<std::string> references;  // advisory links
};

// The smallest upgrade that clears every given advisory.
struct UpgradeAdvice {
  std::optional<std::string> version;  // nullopt: no known version fixes them all
  bool major_upgrade = false;          // the fix leaves the installed major line
};

class AdvisoryDatabase {
 public:
  // Builds the index. Withdrawn records are kept in records() but never matched.
  explicit AdvisoryDatabase(std::vector<OsvRecord> records);
  AdvisoryDatabase() = default;  // empty; what a binary form is read into

  // The built database, index included, in binary form (advisories/compiled_feed.cpp).
  template <typename Archive>
  void serialize(Archive& archive) {
    archive(records_, severities_, groups_, by_package_);
  }

  // Every vulnerability affecting `package` (any spelling; normalized per PEP 503) at `version`,
  // highest severity first, then by id.
  std::vector<AdvisoryMatch> query(std::string_view package, const Version& version) const;
  // Smallest version above `installed` unaffected by every one of `matches` (same major line when one exists).
  UpgradeAdvice smallest_fix(std::string_view package, const Version& installed,
                             const std::vector<AdvisoryMatch>& matches) const;

  const std::vector<OsvRecord>& records() const { return records_; }
  std::size_t live_records() const;
  std::string newest_modified() const;        // ISO timestamp of the newest record ("" when empty)
  std::vector<std::string> packages() const;  // normalized names with at least one live record

 private:
  struct Entry {
    std::size_t group;
    std::size_t record;
    std::size_t affected;
    template <typename Archive>
    void serialize(Archive& archive) {
      archive(group, record, affected);
    }
  };
  struct Group {
    std::string id;
    std::vector<std::string> aliases;
    template <typename Archive>
    void serialize(Archive& archive) {
      archive(id, aliases);
    }
  };
  std::vector<OsvRecord> records_;
  std::vector<AdvisorySeverity> severities_;  // records_[i].severity(), computed once
  std::vector<Group> groups_;
  std::map<std::string, std::vector<Entry>, std::less<>> by_package_;
};

// The loaded feed as the scan and the report see it.
struct AdvisoryFeedInfo {
  std::string source;  // "embedded snapshot", a path or a URL
  std::string kind;    // "embedded", "cache", "path", "url"
  std::string date;    // newest "modified" of the records (YYYY-MM-DD)
  std::size_t records = 0;
  std::shared_ptr<const AdvisoryDatabase> database;  // shared so code checks query it from the snapshot

  // Whole days from `date` to `today` (YYYY-MM-DD); nullopt when either is not a date.
  std::optional<long> age_days(std::string_view today) const;
};

// Days since 1970-01-01 for "YYYY-MM-DD..." text; nullopt when it is not a calendar date.
std::optional<long> days_from_iso_date(std::string_view text);

}  // namespace airguard
