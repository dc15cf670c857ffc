#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "advisories/advisory_db.hpp"
#include "advisories/pep440.hpp"
#include "core/resources.hpp"
#include "engine/code_checks.hpp"

// Advisory checks: installed versions against the OSV feed, Airflow past end of life, and the age
// of the feed itself. Their words live in checks/advisories/advisories.yaml.
namespace airguard {
namespace {

constexpr double kDefaultMaxFeedAgeDays = 30.0;

std::string join_list(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += separator;
    out += items[i];
  }
  return out;
}

// Same package and version reported by several sources: one finding naming all of them.
struct PackageVersion {
  std::string name;
  std::string version;
  std::vector<const InstalledPackage*> entries;
};

std::vector<PackageVersion> distinct_packages(const Inventory& inventory) {
  std::vector<PackageVersion> out;
  // name NUL version -> place in `out`: a linear search per pin was quadratic in the pins
  std::unordered_map<std::string, std::size_t> seen;
  for (const auto& package : inventory.packages) {
    auto parsed = parse_version(package.version);
    std::string normalized = parsed ? parsed->text() : package.version;
    std::string key = package.name;
    key += '\0';
    key += normalized;
    const auto [it, inserted] = seen.try_emplace(std::move(key), out.size());
    if (inserted)
      out.push_back({package.name, std::move(normalized), {&package}});
    else
      out[it->second].entries.push_back(&package);
  }
  return out;
}

std::string sources_of(const PackageVersion& package) {
  std::vector<std::string> sources;
  for (const auto* entry : package.entries) {
    if (std::find(sources.begin(), sources.end(), entry->source) == sources.end()) sources.push_back(entry->source);
  }
  return join_list(sources, ", ");
}

bool from_helm(const InstalledPackage& entry) {
  return entry.origin.kind == SourceKind::helm || entry.source == "helm";
}

std::string upgrade_snippet(const InstalledPackage& entry, const std::string& name, const std::string& version) {
  if (from_helm(entry) && name == "apache-airflow") {
    return fmt::format("airflowVersion: \"{0}\"\ndefaultAirflowTag: \"{0}\"", version);
  }
  return fmt::format("pip install '{}=={}'", name, version);
}

void set_airflow(Finding& finding, const Snapshot& snapshot) {
  finding.airflow_version = snapshot.target.version;
  finding.airflow_version_source = snapshot.target.source;
}

std::vector<Finding> check_known_vulnerabilities(const Snapshot& snapshot, const CheckDef& def, const Profile&) {
  std::vector<Finding> findings;
  if (!snapshot.advisory_feed || !snapshot.advisory_feed->database) return findings;
  const AdvisoryDatabase& database = *snapshot.advisory_feed->database;
  for (const auto& package : distinct_packages(snapshot.inventory)) {
    auto version = parse_version(package.version);
    if (!version) continue;
    auto matches = database.query(package.name, *version);
    if (matches.empty()) continue;
    const InstalledPackage& trusted = *package.entries.front();
    Finding finding;
    finding.check_id = def.id;
    finding.severity = matches.front().severity.level;  // query() sorts the most severe first
    finding.title = fmt::format("{} {} is affected by {} known {}", package.name, package.version, matches.size(),
                                matches.size() == 1 ? "vulnerability" : "vulnerabilities");
    finding.source = SourceKind::inventory;
    finding.key = package.name;
    finding.location = trusted.origin;
    std::vector<std::string> lines;
    lines.push_back(fmt::format("{} {} (version from {})", package.name, package.version, sources_of(package)));
    for (const auto& match : matches) {
      std::string ids =
          match.aliases.empty() ? match.id : fmt::format("{} ({})", match.id, join_list(match.aliases, ", "));
      std::string fixed = match.fixed.empty() ? "no fix listed" : "fixed in " + join_list(match.fixed, ", ");
      lines.push_back(fmt::format("{} [{}; {}] {}; {}", ids, to_string(match.severity.level), match.severity.basis,
                                  match.summary, fixed));
      finding.references.push_back("https://osv.dev/vulnerability/" + match.id);
    }
    finding.evidence = join_list(lines, "\n");
    UpgradeAdvice advice = database.smallest_fix(package.name, *version, matches);
    finding.remediation.action_key = "upgrade " + package.name;
    finding.remediation.target = trusted.origin.file.empty() ? trusted.source : trusted.origin.describe();
    if (!advice.version) {
      finding.remediation.summary = fmt::format(
          "No released version of {} is known to fix all {} advisories; follow the advisories' "
          "mitigations or remove the package.",
          package.name, matches.size());
    } else {
      finding.remediation.summary =
          advice.major_upgrade
              ? fmt::format(
                    "Upgrade {} to {} (a major upgrade is needed: no {} release on the installed major line fixes "
                    "all of them).",
                    package.name, *advice.version, package.name)
              : fmt::format("Upgrade {} to {} or later on the same major line; it fixes all {} advisories.",
                            package.name, *advice.version, matches.size());
      finding.remediation.snippet = upgrade_snippet(trusted, package.name, *advice.version);
    }
    set_airflow(finding, snapshot);
    findings.push_back(std::move(finding));
  }
  return findings;
}

struct LifecycleLine {
  std::string major;  // "3", "2", "1.10"
  std::string eol;    // ISO date or ""
  std::string state;
};

std::vector<LifecycleLine> lifecycle_lines() {
  std::vector<LifecycleLine> lines;
  auto text = embedded_resource("data/airflow/lifecycle.json");
  if (!text) return lines;
  auto document = nlohmann::json::parse(*text, nullptr, false);
  if (document.is_discarded() || !document.contains("versions")) return lines;
  for (const auto& v : document["versions"]) {
    LifecycleLine line;
    line.major = v.value("major_version", "");
    if (v.contains("eol_terminated_iso") && v["eol_terminated_iso"].is_string()) line.eol = v["eol_terminated_iso"];
    line.state = v.value("state", "");
    lines.push_back(std::move(line));
  }
  return lines;
}

// The life-cycle row of a version: "1.10" for 1.10.x, else the major number.
const LifecycleLine* lifecycle_of(const std::vector<LifecycleLine>& lines, const Version& version) {
  const LifecycleLine* best = nullptr;
  for (const auto& line : lines) {
    auto prefix = SpecifierSet::parse("==" + line.major + ".*");
    if (prefix && prefix->contains(version, true)) {
      if (!best || line.major.size() > best->major.size()) best = &line;
    }
  }
  return best;
}

std::vector<Finding> check_end_of_life(const Snapshot& snapshot, const CheckDef& def, const Profile&) {
  std::vector<Finding> findings;
  auto today = days_from_iso_date(snapshot.today);
  if (!today) return findings;
  auto lines = lifecycle_lines();
  std::vector<PackageVersion> airflow;
  for (auto& package : distinct_packages(snapshot.inventory)) {
    if (package.name == "apache-airflow") airflow.push_back(std::move(package));
  }
  InstalledPackage target_entry;
  if (airflow.empty() && !snapshot.target.version.empty()) {
    target_entry.name = "apache-airflow";
    target_entry.version = snapshot.target.version;
    target_entry.source = snapshot.target.source;
    target_entry.origin.kind = SourceKind::inventory;
    target_entry.origin.name = snapshot.target.source;
    airflow.push_back({"apache-airflow", snapshot.target.version, {&target_entry}});
  }
  for (const auto& package : airflow) {
    auto version = parse_version(package.version);
    if (!version) continue;
    const LifecycleLine* line = lifecycle_of(lines, *version);
    if (!line || line->eol.empty()) continue;
    auto eol = days_from_iso_date(line->eol);
    if (!eol || *today <= *eol) continue;
    Finding finding;
    finding.check_id = def.id;
    finding.severity = def.severity;
    finding.title =
        fmt::format("Airflow {} is past its end of life ({} ended {})", package.version, line->major + ".x", line->eol);
    finding.source = SourceKind::inventory;
    finding.key = "apache-airflow";
    finding.location = package.entries.front()->origin;
    finding.evidence = fmt::format(
        "apache-airflow {} (version from {}); Airflow {} reached end of life on {}, {} days "
        "before {}",
        package.version, sources_of(package), line->major, line->eol, *today - *eol, snapshot.today);
    const LifecycleLine* supported = nullptr;
    for (const auto& candidate : lines) {
      if (candidate.eol.empty() && (!supported || compare_numbers(candidate.major, supported->major) > 0))
        supported = &candidate;
    }
    finding.remediation.action_key = "upgrade apache-airflow";
    finding.remediation.summary =
        supported ? fmt::format(
                        "Upgrade to a supported Airflow line ({}.x); releases past end of life get no security fixes.",
                        supported->major)
                  : "Upgrade to a supported Airflow release.";
    set_airflow(finding, snapshot);
    findings.push_back(std::move(finding));
  }
  return findings;
}

std::vector<Finding> check_feed_age(const Snapshot& snapshot, const CheckDef& def, const Profile& profile) {
  std::vector<Finding> findings;
  if (!snapshot.advisory_feed) return findings;
  auto age = snapshot.advisory_feed->age_days(snapshot.today);
  if (!age) return findings;
  double limit = profile.param_number("max_feed_age_days").value_or(kDefaultMaxFeedAgeDays);
  if (static_cast<double>(*age) <= limit) return findings;
  Finding finding;
  finding.check_id = def.id;
  finding.severity = def.severity;
  finding.title = fmt::format("The advisory feed is {} days old", *age);
  finding.source = SourceKind::inventory;
  finding.key = "advisory-feed";
  finding.location.kind = SourceKind::inventory;
  finding.location.name = snapshot.advisory_feed->source;
  finding.evidence =
      fmt::format("newest advisory record {} ({}, {} records); the limit is {} days", snapshot.advisory_feed->date,
                  snapshot.advisory_feed->source, snapshot.advisory_feed->records, static_cast<long>(limit));
  finding.remediation.action_key = "advisories update";
  finding.remediation.summary = "Refresh the advisory feed, then scan again.";
  finding.remediation.snippet = "airguard advisories update";
  set_airflow(finding, snapshot);
  findings.push_back(std::move(finding));
  return findings;
}

}  // namespace

std::vector<CodeCheckEntry> advisory_code_checks() {
  return {
      {"AFH-VER-001", check_known_vulnerabilities},
      {"AFH-VER-002", check_end_of_life},
      {"AFH-VER-003", check_feed_age},
  };
}

}  // namespace airguard
