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
  const auto append = [&body](const auto&... values) {
    Span span{static_cast<std::uint32_t>(body.size()), 0};
    append_binary(body, values...);
    span.size = static_cast<std::uint32_t>(body.size() - span.offset);
    return span;
  };
  for (const OsvRecord& record : records) {
    index_.records.push_back(append(record, record.severity()));
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
    PackageEntries package{name, static_cast<std::uint32_t>(entries.size()), {}};
    package.entries.offset = static_cast<std::uint32_t>(body.size());
    for (const auto& [group, record, affected] : entries) {
      append(static_cast<std::uint32_t>(group), static_cast<std::uint32_t>(record), records[record].affected[affected]);
    }
    package.entries.size = static_cast<std::uint32_t>(body.size() - package.entries.offset);
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
  try {
    BinaryReader read(index);
    read(database.index_);
  } catch (const cereal::Exception&) {
    return std::nullopt;
  }
  const Index& x = database.index_;
  const auto inside = [&body](const Span& span) {
    return span.offset <= body.size() && span.size <= body.size() - span.offset;
  };
  const bool sound =
      x.groups.size() == x.group_aliases.size() && x.live_records <= x.records.size() &&
      std::all_of(x.records.begin(), x.records.end(), inside) &&
      std::all_of(x.group_aliases.begin(), x.group_aliases.end(), inside) &&
      std::all_of(x.packages.begin(), x.packages.end(), [&](const PackageEntries& p) { return inside(p.entries); }) &&
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
  BinaryReader read(body_.substr(package.entries.offset, package.entries.size));
  Entry entry;
  for (std::uint32_t i = 0; i < package.count; ++i) {
    read(entry.group, entry.record, entry.affected);
    if (entry.group >= index_.groups.size() || entry.record >= index_.records.size()) {
      throw std::logic_error("advisory index names a record it does not hold");
    }
    visit(entry);
  }
}

std::pair<OsvRecord, AdvisorySeverity> AdvisoryDatabase::decode_record(std::size_t i) const {
  std::pair<OsvRecord, AdvisorySeverity> stored;
  const Span& span = index_.records.at(i);
  BinaryReader read(body_.substr(span.offset, span.size));
  read(stored.first, stored.second);
  return stored;
}

OsvRecord AdvisoryDatabase::record(std::size_t i) const { return decode_record(i).first; }

std::vector<std::string> AdvisoryDatabase::decode_aliases(std::size_t group) const {
  std::vector<std::string> aliases;
  const Span& span = index_.group_aliases.at(group);
  BinaryReader read(body_.substr(span.offset, span.size));
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
    const auto [record, severity] = decode_record(entry.record);
    auto [slot, inserted] = match_of_group.emplace(entry.group, matches.size());
    if (inserted) {
      AdvisoryMatch match;
      match.id = index_.groups[entry.group];
      match.aliases = decode_aliases(entry.group);
      match.summary = record.summary;
      match.severity = severity;
      matches.push_back(std::move(match));
    }
    AdvisoryMatch& match = matches[slot->second];
    if (more_severe(severity, match.severity)) match.severity = severity;
    if (match.summary.empty()) match.summary = record.summary;
    for (const auto& url : record.references) {
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
  // Candidates: every fixed bound of the package, as the final release it belongs to (a fix first
  // shipped in 2.8.3rc1 is recommended as 2.8.3); and the entries of the wanted vulnerabilities.
  std::vector<Version> candidates;
  std::vector<OsvAffected> wanted_entries;
  for_each_entry(*entries, [&](Entry& entry) {
    for (const auto& range : entry.affected.ranges) {
      for (const auto& event : range.events) {
        if (event.kind != OsvEvent::Kind::fixed || !event.version) continue;
        Version candidate = event.version->is_prerelease() ? event.version->base_version() : *event.version;
        if (candidate > installed) candidates.push_back(std::move(candidate));
      }
    }
    if (wanted.count(index_.groups[entry.group])) wanted_entries.push_back(std::move(entry.affected));
  });
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
  for (const auto& candidate : candidates) {
    const bool clear = std::none_of(wanted_entries.begin(), wanted_entries.end(), [&](const OsvAffected& affected) {
      return affected_includes(affected, candidate);
    });
    if (!clear) continue;
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
