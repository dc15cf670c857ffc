#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "advisories/osv.hpp"
#include "advisories/pep440.hpp"
#include "core/binary_archive.hpp"
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

// The records and their index, kept in binary form (cereal): a query decodes the entries of the
// one package it asks about and the records it matches, not the whole feed. The same form is
// compiled into the binary for the embedded snapshot (advisories/compiled_feed.cpp), so loading
// it decodes only the small index.
class AdvisoryDatabase {
 public:
  // Builds the index. Withdrawn records are kept (record(i)) but never matched.
  explicit AdvisoryDatabase(std::vector<OsvRecord> records);
  AdvisoryDatabase() = default;  // empty

  // Every vulnerability affecting `package` (any spelling; normalized per PEP 503) at `version`,
  // highest severity first, then by id.
  std::vector<AdvisoryMatch> query(std::string_view package, const Version& version) const;
  // Smallest version above `installed` unaffected by every one of `matches` (same major line when one exists).
  UpgradeAdvice smallest_fix(std::string_view package, const Version& installed,
                             const std::vector<AdvisoryMatch>& matches) const;

  std::size_t record_count() const { return index_.records.size(); }
  OsvRecord record(std::size_t i) const;  // as built: package corrections applied
  std::size_t live_records() const { return index_.live_records; }
  const std::string& newest_modified() const { return index_.newest_modified; }  // ISO timestamp ("" when empty)
  std::vector<std::string> packages() const;  // normalized names with at least one live record

  // The binary form is two parts: the index, decoded on load, and the body it points into, read in
  // place. from_binary() checks that every part the index names lies inside the body; the body
  // must outlive the database (the compiled-in snapshot does).
  std::string binary_index() const;
  std::string_view binary_body() const { return body_; }
  static std::optional<AdvisoryDatabase> from_binary(std::string_view index, std::string_view body);

 private:
  using Span = BinarySpan;  // bytes of body_
  struct PackageEntries {
    std::string name;  // normalized
    std::uint32_t count = 0;
    Span entries;  // `count` times: group, record, the OsvAffected
    Span fixes;    // every fixed bound of the package as the final release it belongs to, ascending
    template <typename Archive>
    void serialize(Archive& archive) {
      archive(name, count, entries, fixes);
    }
  };
  struct Index {
    std::vector<Span> records;             // each: the OsvRecord
    std::vector<Span> summaries;           // each: the record's summary, references and AdvisorySeverity
    std::vector<std::string> groups;       // id of each vulnerability (a CVE when there is one)
    std::vector<Span> group_aliases;       // the group's other ids, sorted
    std::vector<PackageEntries> packages;  // sorted by name; live records only
    std::string newest_modified;
    std::uint32_t live_records = 0;
    template <typename Archive>
    void serialize(Archive& archive) {
      archive(records, summaries, groups, group_aliases, packages, newest_modified, live_records);
    }
  };
  // What a match shows of a record.
  struct RecordSummary {
    std::string summary;
    std::vector<std::string> references;
    AdvisorySeverity severity;
  };
  // One (record, affected package) pair of a package's entries.
  struct Entry {
    std::uint32_t group = 0;
    std::uint32_t record = 0;
    OsvAffected affected;
  };

  const PackageEntries* find_package(std::string_view package) const;
  // Calls visit(Entry&) for each entry of `package`, decoding one at a time into the same Entry.
  template <typename Visit>
  void for_each_entry(const PackageEntries& package, Visit visit) const;
  RecordSummary decode_summary(std::size_t record) const;
  std::vector<std::string> decode_aliases(std::size_t group) const;

  std::shared_ptr<const std::string> owned_;  // the body, when built here
  std::string_view body_;
  Index index_;
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
