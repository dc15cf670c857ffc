#include "advisories/advisory_db.hpp"

#include <nlohmann/json.hpp>

#include "advisories/osv_archive.hpp"
#include "core/resources.hpp"

#include <algorithm>
#include <numeric>
#include <set>
#include <stdexcept>
#include <tuple>

namespace airguard {
namespace {

// Union-find over record indexes, joined by any shared id or alias.
class Groups {
 public:
  explicit Groups(std::size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), std::size_t{0}); }
  std::size_t find(std::size_t i) {
    while (parent_[i] != i) i = parent_[i] = parent_[parent_[i]];
    return i;
  }
  void join(std::size_t a, std::size_t b) {
    a = find(a);
    b = find(b);
    if (a != b) parent_[std::max(a, b)] = std::min(a, b);
  }

 private:
  std::vector<std::size_t> parent_;
};

bool is_cve(const std::string& id) { return id.starts_with("CVE-"); }

bool more_severe(const AdvisorySeverity& a, const AdvisorySeverity& b) {
  if (a.level != b.level) return a.level > b.level;
  return a.score > b.score;
}

}  // namespace

namespace {

// Records the feed files under the wrong package (data/advisories/corrections.json): matched
// against the package they concern instead, so a provider CVE is not reported on Airflow itself.
const std::map<std::pair<std::string, std::string>, std::string>& package_corrections() {
  static const auto corrections = [] {
    std::map<std::pair<std::string, std::string>, std::string> table;
    const auto text = embedded_resource("data/advisories/corrections.json");
    if (!text) return table;
    const auto json = nlohmann::json::parse(*text, nullptr, false);
    if (json.is_discarded() || !json.contains("corrections")) return table;
    for (const auto& entry : json["corrections"]) {
      table[{entry.value("id", ""), normalize_package_name(entry.value("from", ""))}] =
          normalize_package_name(entry.value("to", ""));
    }
    return table;
  }();
  return corrections;
}

}  // namespace

AdvisoryDatabase::AdvisoryDatabase(std::vector<OsvRecord> records) {
  for (OsvRecord& record : records) {
    for (OsvAffected& affected : record.affected) {
      const auto it = package_corrections().find({record.id, normalize_package_name(affected.package)});
      if (it == package_corrections().end()) continue;
      affected.package = it->second;
      // Its explicit version list was computed against the wrong package's releases: keep the ranges only.
      affected.listed.clear();
    }
  }
  Groups groups(records.size());
  std::map<std::string, std::size_t> owner;  // id or alias -> first live record naming it
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (!records[i].withdrawn.empty()) continue;
    std::vector<std::string> names = records[i].aliases;
    names.push_back(records[i].id);
    for (const auto& name : names) {
      auto [it, inserted] = owner.emplace(name, i);
      if (!inserted) groups.join(it->second, i);
    }
  }
  std::map<std::size_t, std::size_t> group_of_root;
  std::vector<std::set<std::string>> names_of_group;
  std::map<std::string, std::vector<std::tuple<std::size_t, std::size_t, std::size_t>>> by_package;
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (!records[i].withdrawn.empty()) continue;
    ++index_.live_records;
    std::size_t root = groups.find(i);
    auto [it, inserted] = group_of_root.emplace(root, names_of_group.size());
    if (inserted) names_of_group.emplace_back();
    std::size_t g = it->second;
    names_of_group[g].insert(records[i].id);
    names_of_group[g].insert(records[i].aliases.begin(), records[i].aliases.end());
    for (std::size_t a = 0; a < records[i].affected.size(); ++a) {
      by_package[records[i].affected[a].package].emplace_back(g, i, a);
    }
  }

  std::string body;
  const auto append = [&body](const auto&... values) { return append_binary_span(body, values...); };
  for (const OsvRecord& record : records) {
    index_.records.push_back(append(record));
    index_.summaries.push_back(append(record.summary, record.references, record.severity()));
    index_.newest_modified = std::max(index_.newest_modified, record.modified);
  }
  for (const auto& names : names_of_group) {
    auto cve = std::find_if(names.begin(), names.end(), is_cve);
    const std::string& id = cve != names.end() ? *cve : *names.begin();
    std::vector<std::string> aliases;
    for (const auto& name : names) {
      if (name != id) aliases.push_back(name);
    }
    index_.groups.push_back(id);
    index_.group_aliases.push_back(append(aliases));
  }
  for (const auto& [name, entries] : by_package) {
    PackageEntries package{name, static_cast<std::uint32_t>(entries.size()), {}, {}};
    package.entries.offset = static_cast<std::uint32_t>(body.size());
    for (const auto& [group, record, affected] : entries) {
      append(static_cast<std::uint32_t>(group), static_cast<std::uint32_t>(record), records[record].affected[affected]);
    }
    package.entries.size = static_cast<std::uint32_t>(body.size() - package.entries.offset);
    std::vector<Version> fixes;
    for (const auto& [group, record, affected] : entries) {
      for (const auto& range : records[record].affected[affected].ranges) {
        for (const auto& event : range.events) {
          if (event.kind != OsvEvent::Kind::fixed || !event.version) continue;
          fixes.push_back(event.version->is_prerelease() ? event.version->base_version() : *event.version);
        }
      }
    }
    std::sort(fixes.begin(), fixes.end());
    fixes.erase(std::unique(fixes.begin(), fixes.end()), fixes.end());
    package.fixes = append(fixes);
    index_.packages.push_back(std::move(package));
  }
  owned_ = std::make_shared<const std::string>(std::move(body));
  body_ = *owned_;
}

std::string AdvisoryDatabase::binary_index() const {
  std::string bytes;
  append_binary(bytes, index_);
  return bytes;
}

std::optional<AdvisoryDatabase> AdvisoryDatabase::from_binary(std::string_view index, std::string_view body) {
  AdvisoryDatabase database;
  if (!read_binary(index, database.index_)) return std::nullopt;
  const Index& x = database.index_;
  const auto inside = [&body](const Span& span) { return span.inside(body); };
  const bool sound = x.groups.size() == x.group_aliases.size() && x.live_records <= x.records.size() &&
                     x.summaries.size() == x.records.size() &&
                     std::all_of(x.records.begin(), x.records.end(), inside) &&
                     std::all_of(x.summaries.begin(), x.summaries.end(), inside) &&
                     std::all_of(x.group_aliases.begin(), x.group_aliases.end(), inside) &&
                     std::all_of(x.packages.begin(), x.packages.end(),
                                 [&](const PackageEntries& p) { return inside(p.entries) && inside(p.fixes); }) &&
                     std::is_sorted(x.packages.begin(), x.packages.end(),
                                    [](const PackageEntries& a, const PackageEntries& b) { return a.name < b.name; });
  if (!sound) return std::nullopt;
  database.body_ = body;
  return database;
}

const AdvisoryDatabase::PackageEntries* AdvisoryDatabase::find_package(std::string_view package) const {
  const std::string name = normalize_package_name(package);
  auto it = std::lower_bound(index_.packages.begin(), index_.packages.end(), name,
                             [](const PackageEntries& entries, const std::string& key) { return entries.name < key; });
  return it != index_.packages.end() && it->name == name ? &*it : nullptr;
}

// The body was written by this build, here or at build time, and from_binary() checked its
// bounds: a read that fails is a broken build, not bad input.
template <typename Visit>
void AdvisoryDatabase::for_each_entry(const PackageEntries& package, Visit visit) const {
  BinaryReader read(package.entries.of(body_));
  Entry entry;
  for (std::uint32_t i = 0; i < package.count; ++i) {
    read(entry.group, entry.record, entry.affected);
    if (entry.group >= index_.groups.size() || entry.record >= index_.records.size()) {
      throw std::logic_error("advisory index names a record it does not hold");
    }
    visit(entry);
  }
}

OsvRecord AdvisoryDatabase::record(std::size_t i) const {
  OsvRecord record;
  const Span& span = index_.records.at(i);
  BinaryReader read(span.of(body_));
  read(record);
  return record;
}

AdvisoryDatabase::RecordSummary AdvisoryDatabase::decode_summary(std::size_t record) const {
  RecordSummary summary;
  const Span& span = index_.summaries.at(record);
  BinaryReader read(span.of(body_));
  read(summary.summary, summary.references, summary.severity);
  return summary;
}

std::vector<std::string> AdvisoryDatabase::decode_aliases(std::size_t group) const {
  std::vector<std::string> aliases;
  const Span& span = index_.group_aliases.at(group);
  BinaryReader read(span.of(body_));
  read(aliases);
  return aliases;
}

std::vector<AdvisoryMatch> AdvisoryDatabase::query(std::string_view package, const Version& version) const {
  std::vector<AdvisoryMatch> matches;
  const PackageEntries* entries = find_package(package);
  if (entries == nullptr) return matches;
  std::map<std::size_t, std::size_t> match_of_group;
  for_each_entry(*entries, [&](const Entry& entry) {
    if (!affected_includes(entry.affected, version)) return;
    const auto [summary, references, severity] = decode_summary(entry.record);
    auto [slot, inserted] = match_of_group.emplace(entry.group, matches.size());
    if (inserted) {
      AdvisoryMatch match;
      match.id = index_.groups[entry.group];
      match.aliases = decode_aliases(entry.group);
      match.summary = summary;
      match.severity = severity;
      matches.push_back(std::move(match));
    }
    AdvisoryMatch& match = matches[slot->second];
    if (more_severe(severity, match.severity)) match.severity = severity;
    if (match.summary.empty()) match.summary = summary;
    for (const auto& url : references) {
      if (std::find(match.references.begin(), match.references.end(), url) == match.references.end()) {
        match.references.push_back(url);
      }
    }
    for (const auto& range : entry.affected.ranges) {
      for (const auto& event : range.events) {
        if (event.kind != OsvEvent::Kind::fixed || !event.version) continue;
        std::string text = event.version->text();
        if (std::find(match.fixed.begin(), match.fixed.end(), text) == match.fixed.end()) match.fixed.push_back(text);
      }
    }
  });
  for (auto& match : matches) {
    std::sort(match.fixed.begin(), match.fixed.end(),
              [](const std::string& a, const std::string& b) { return *parse_version(a) < *parse_version(b); });
  }
  std::sort(matches.begin(), matches.end(), [](const AdvisoryMatch& a, const AdvisoryMatch& b) {
    if (a.severity.level != b.severity.level) return a.severity.level > b.severity.level;
    return a.id < b.id;
  });
  return matches;
}

UpgradeAdvice AdvisoryDatabase::smallest_fix(std::string_view package, const Version& installed,
                                             const std::vector<AdvisoryMatch>& matches) const {
  UpgradeAdvice advice;
  const PackageEntries* entries = find_package(package);
  if (entries == nullptr || matches.empty()) return advice;
  std::set<std::string_view> wanted;
  for (const auto& match : matches) wanted.insert(match.id);
  // Candidates: every fixed bound of the package above `installed`, smallest first; a candidate
  // is out once an entry of a wanted vulnerability covers it.
  std::vector<Version> candidates;
  {
    BinaryReader read(entries->fixes.of(body_));
    read(candidates);
  }
  candidates.erase(candidates.begin(), std::upper_bound(candidates.begin(), candidates.end(), installed));
  std::vector<bool> covered(candidates.size(), false);
  for_each_entry(*entries, [&](const Entry& entry) {
    if (!wanted.count(index_.groups[entry.group])) return;
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      if (!covered[i] && affected_includes(entry.affected, candidates[i])) covered[i] = true;
    }
  });
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    if (covered[i]) continue;
    const Version& candidate = candidates[i];
    advice.version = candidate.text();
    advice.major_upgrade = candidate.epoch != installed.epoch ||
                           compare_numbers(candidate.release.front(), installed.release.front()) != 0;
    return advice;
  }
  return advice;
}

std::vector<std::string> AdvisoryDatabase::packages() const {
  std::vector<std::string> names;
  for (const PackageEntries& package : index_.packages) names.push_back(package.name);
  return names;
}

std::optional<long> days_from_iso_date(std::string_view text) {
  if (text.size() < 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto number = [&](std::size_t pos, std::size_t len) -> std::optional<long> {
    long value = 0;
    for (std::size_t i = pos; i < pos + len; ++i) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
      value = value * 10 + (text[i] - '0');
    }
    return value;
  };
  auto y = number(0, 4);
  auto m = number(5, 2);
  auto d = number(8, 2);
  if (!y || !m || !d || *m < 1 || *m > 12 || *d < 1 || *d > 31) return std::nullopt;
  // Days from civil date (proleptic Gregorian), Howard Hinnant's algorithm.
  long year = *y - (*m <= 2 ? 1 : 0);
  long era = (year >= 0 ? year : year - 399) / 400;
  long yoe = year - era * 400;
  long mp = (*m + 9) % 12;
  long doy = (153 * mp + 2) / 5 + *d - 1;
  long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

std::optional<long> AdvisoryFeedInfo::age_days(std::string_view today) const {
  auto from = days_from_iso_date(date);
  auto to = days_from_iso_date(today);
  if (!from || !to) return std::nullopt;
  return *to - *from;
}

}  // namespace airguard
