#include "advisories/advisory_db.hpp"

#include <nlohmann/json.hpp>

#include "core/resources.hpp"

#include <algorithm>
#include <numeric>
#include <set>

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

AdvisoryDatabase::AdvisoryDatabase(std::vector<OsvRecord> records) : records_(std::move(records)) {
  for (OsvRecord& record : records_) {
    for (OsvAffected& affected : record.affected) {
      const auto it = package_corrections().find({record.id, normalize_package_name(affected.package)});
      if (it == package_corrections().end()) continue;
      affected.package = it->second;
      // Its explicit version list was computed against the wrong package's releases: keep the ranges only.
      affected.listed.clear();
    }
  }
  severities_.reserve(records_.size());
  for (const OsvRecord& record : records_) severities_.push_back(record.severity());
  Groups groups(records_.size());
  std::map<std::string, std::size_t> owner;  // id or alias -> first live record naming it
  for (std::size_t i = 0; i < records_.size(); ++i) {
    if (!records_[i].withdrawn.empty()) continue;
    std::vector<std::string> names = records_[i].aliases;
    names.push_back(records_[i].id);
    for (const auto& name : names) {
      auto [it, inserted] = owner.emplace(name, i);
      if (!inserted) groups.join(it->second, i);
    }
  }
  std::map<std::size_t, std::size_t> group_of_root;
  std::vector<std::set<std::string>> names_of_group;
  for (std::size_t i = 0; i < records_.size(); ++i) {
    if (!records_[i].withdrawn.empty()) continue;
    std::size_t root = groups.find(i);
    auto [it, inserted] = group_of_root.emplace(root, groups_.size());
    if (inserted) {
      groups_.emplace_back();
      names_of_group.emplace_back();
    }
    std::size_t g = it->second;
    names_of_group[g].insert(records_[i].id);
    names_of_group[g].insert(records_[i].aliases.begin(), records_[i].aliases.end());
    for (std::size_t a = 0; a < records_[i].affected.size(); ++a) {
      by_package_[records_[i].affected[a].package].push_back({g, i, a});
    }
  }
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    const auto& names = names_of_group[g];
    auto cve = std::find_if(names.begin(), names.end(), is_cve);
    groups_[g].id = cve != names.end() ? *cve : *names.begin();
    for (const auto& name : names) {
      if (name != groups_[g].id) groups_[g].aliases.push_back(name);
    }
  }
}

std::vector<AdvisoryMatch> AdvisoryDatabase::query(std::string_view package, const Version& version) const {
  std::vector<AdvisoryMatch> matches;
  auto it = by_package_.find(normalize_package_name(package));
  if (it == by_package_.end()) return matches;
  std::map<std::size_t, std::size_t> match_of_group;
  for (const auto& entry : it->second) {
    const OsvRecord& record = records_[entry.record];
    const OsvAffected& affected = record.affected[entry.affected];
    if (!affected_includes(affected, version)) continue;
    auto [slot, inserted] = match_of_group.emplace(entry.group, matches.size());
    if (inserted) {
      AdvisoryMatch match;
      match.id = groups_[entry.group].id;
      match.aliases = groups_[entry.group].aliases;
      match.summary = record.summary;
      match.severity = severities_[entry.record];
      matches.push_back(std::move(match));
    }
    AdvisoryMatch& match = matches[slot->second];
    if (const AdvisorySeverity& s = severities_[entry.record]; more_severe(s, match.severity)) match.severity = s;
    if (match.summary.empty()) match.summary = record.summary;
    for (const auto& url : record.references) {
      if (std::find(match.references.begin(), match.references.end(), url) == match.references.end()) {
        match.references.push_back(url);
      }
    }
    for (const auto& range : affected.ranges) {
      for (const auto& event : range.events) {
        if (event.kind != OsvEvent::Kind::fixed || !event.version) continue;
        std::string text = event.version->text();
        if (std::find(match.fixed.begin(), match.fixed.end(), text) == match.fixed.end()) match.fixed.push_back(text);
      }
    }
  }
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
  auto it = by_package_.find(normalize_package_name(package));
  if (it == by_package_.end() || matches.empty()) return advice;
  std::set<std::string> wanted;
  for (const auto& match : matches) wanted.insert(match.id);
  // Candidates: every fixed bound of the package, as the final release it belongs to (a fix first
  // shipped in 2.8.3rc1 is recommended as 2.8.3).
  std::vector<Version> candidates;
  for (const auto& entry : it->second) {
    for (const auto& range : records_[entry.record].affected[entry.affected].ranges) {
      for (const auto& event : range.events) {
        if (event.kind != OsvEvent::Kind::fixed || !event.version) continue;
        Version candidate = event.version->is_prerelease() ? event.version->base_version() : *event.version;
        if (candidate > installed) candidates.push_back(std::move(candidate));
      }
    }
  }
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
  for (const auto& candidate : candidates) {
    bool clear = true;
    for (const auto& entry : it->second) {
      if (!wanted.count(groups_[entry.group].id)) continue;
      if (affected_includes(records_[entry.record].affected[entry.affected], candidate)) {
        clear = false;
        break;
      }
    }
    if (!clear) continue;
    advice.version = candidate.text();
    advice.major_upgrade = candidate.epoch != installed.epoch ||
                           compare_numbers(candidate.release.front(), installed.release.front()) != 0;
    return advice;
  }
  return advice;
}

std::size_t AdvisoryDatabase::live_records() const {
  return static_cast<std::size_t>(
      std::count_if(records_.begin(), records_.end(), [](const OsvRecord& r) { return r.withdrawn.empty(); }));
}

std::string AdvisoryDatabase::newest_modified() const {
  std::string newest;
  for (const auto& record : records_) newest = std::max(newest, record.modified);
  return newest;
}

std::vector<std::string> AdvisoryDatabase::packages() const {
  std::vector<std::string> names;
  for (const auto& [name, entries] : by_package_) names.push_back(name);
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
