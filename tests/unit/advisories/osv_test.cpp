#include <catch2/catch.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "advisories/compiled_feed.hpp"
#include "advisories/feed.hpp"
#include "advisories/osv.hpp"
#include "core/resources.hpp"

using namespace airguard;

namespace {
Version v(std::string_view text) { return *parse_version(text); }

std::vector<OsvRecord> parse(std::string_view text) {
  Diagnostics diagnostics;
  auto records = parse_osv_json(text, "test.json", diagnostics);
  REQUIRE(diagnostics.empty());
  return records;
}

const AdvisoryFeedInfo& shipped() {
  static AdvisoryFeedInfo feed = *load_embedded_feed();
  return feed;
}
}  // namespace

TEST_CASE("OSV ranges follow the OSV evaluation algorithm") {
  auto records = parse(R"([
    {"id":"A","affected":[{"package":{"ecosystem":"PyPI","name":"Apache_Airflow"},"ranges":[{"type":"ECOSYSTEM",
      "events":[{"introduced":"1.10.0"},{"fixed":"2.0.0b1"},{"introduced":"2.0.0"},{"fixed":"2.2.0"}]}]}]},
    {"id":"B","affected":[{"package":{"ecosystem":"PyPI","name":"x"},"ranges":[{"type":"ECOSYSTEM",
      "events":[{"introduced":"0"},{"last_affected":"1.2.1"},{"last_affected":"1.2.0"}]}]}]},
    {"id":"C","affected":[{"package":{"ecosystem":"PyPI","name":"y"},"ranges":[{"type":"ECOSYSTEM",
      "events":[{"introduced":"0"},{"last_affected":"2.9.0-NA"},{"last_affected":"2.9.0-rc1"}]}]}]},
    {"id":"D","affected":[{"package":{"ecosystem":"PyPI","name":"z"},"ranges":[{"type":"ECOSYSTEM",
      "events":[{"introduced":"1.0"},{"limit":"1.5"}]}]}]}
  ])");
  REQUIRE(records.size() == 4);
  const auto& a = records[0].affected[0];
  CHECK(a.package == "apache-airflow");
  CHECK(ranges_include(a, v("1.10.15")));
  CHECK_FALSE(ranges_include(a, v("2.0.0b2")));  // the hole between the two ranges
  CHECK(ranges_include(a, v("2.1.4")));
  CHECK_FALSE(ranges_include(a, v("2.2.0")));
  CHECK_FALSE(ranges_include(a, v("1.9.0")));
  // Several last_affected events: the lowest one wins.
  CHECK(ranges_include(records[1].affected[0], v("1.2.0")));
  CHECK_FALSE(ranges_include(records[1].affected[0], v("1.2.1")));
  // A bound that is not PEP 440 sorts below every release, as osv.dev orders it.
  CHECK_FALSE(ranges_include(records[2].affected[0], v("2.8.0")));
  CHECK_FALSE(ranges_include(records[2].affected[0], v("1.0")));
  // limit: nothing at or above it.
  CHECK(ranges_include(records[3].affected[0], v("1.4")));
  CHECK_FALSE(ranges_include(records[3].affected[0], v("1.5")));
}

TEST_CASE("listed versions match by PEP 440 equality, never by substring") {
  auto records = parse(R"([
    {"id":"L","affected":[{"package":{"ecosystem":"PyPI","name":"x"},
      "versions":["1.0", "1.0.0", "2.0rc1", "10.1", "not-a-version"]}]}
  ])");
  REQUIRE(records.size() == 1);
  const auto& listed = records[0].affected[0];
  CHECK(listed.listed_keys() == std::vector<std::string>{"1", "10.1", "2rc1"});
  CHECK(listed.lists(v("1")));
  CHECK(listed.lists(v("1.0.0.0")));
  CHECK(listed.lists(v("2.0.0rc1")));
  CHECK(listed.lists(v("10.1.0")));
  CHECK_FALSE(listed.lists(v("0.1")));  // a piece of "10.1"
  CHECK_FALSE(listed.lists(v("10")));
  CHECK_FALSE(listed.lists(v("2.0")));
  CHECK(affected_includes(listed, v("1.0")));
  CHECK_FALSE(affected_includes(listed, v("1.0.1")));
}

TEST_CASE("withdrawn records are ignored and aliases merge into one vulnerability") {
  auto records = parse(R"([
    {"id":"PYSEC-1","aliases":["CVE-2024-1","GHSA-aaaa"],"summary":"bad thing",
     "severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N"}],
     "affected":[{"package":{"ecosystem":"PyPI","name":"pkg"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"2.0"}]}]}]},
    {"id":"GHSA-aaaa","aliases":["CVE-2024-1"],"database_specific":{"severity":"HIGH"},
     "affected":[{"package":{"ecosystem":"PyPI","name":"pkg"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"1.0"},{"fixed":"1.5"}]}]}]},
    {"id":"PYSEC-2","withdrawn":"2026-01-01T00:00:00Z","aliases":["CVE-2024-2"],
     "affected":[{"package":{"ecosystem":"PyPI","name":"pkg"},"versions":["1.2"]}]}
  ])");
  AdvisoryDatabase db(std::move(records));
  auto matches = db.query("PKG", v("1.2"));
  REQUIRE(matches.size() == 1);
  CHECK(matches[0].id == "CVE-2024-1");
  CHECK(matches[0].aliases == std::vector<std::string>{"GHSA-aaaa", "PYSEC-1"});
  CHECK(matches[0].fixed == std::vector<std::string>{"1.5", "2.0"});
  CHECK(matches[0].severity.level == Severity::high);  // the most severe of the merged records
  auto fix = db.smallest_fix("pkg", v("1.2"), matches);
  REQUIRE(fix.version);
  CHECK(*fix.version == "2.0");
  CHECK(fix.major_upgrade);
  CHECK(db.query("pkg", v("2.0")).empty());
}

TEST_CASE("CVSS v3 base scores are computed from the vector") {
  CHECK(*cvss3_base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H") == Approx(9.8));
  CHECK(*cvss3_base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N") == Approx(5.3));
  CHECK(*cvss3_base_score("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H") == Approx(9.9));
  CHECK(*cvss3_base_score("CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N") == Approx(6.1));
  CHECK(*cvss3_base_score("CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:N/I:N/A:N") == Approx(0.0));
  CHECK_FALSE(cvss3_base_score("CVSS:3.1/AV:X/AC:L"));
  CHECK(severity_from_score(9.8) == Severity::critical);
  CHECK(severity_from_score(6.1) == Severity::medium);
  CHECK(*cvss4_approximate_score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N") == Approx(9.8));
}

// Proof on the shipped feed: every version a record lists is reported affected, and between the
// lowest and highest listed version the ranges agree with the list on every release the feed knows.
// The lists come from the JSON itself: the database keeps only listed versions outside the ranges.
TEST_CASE("records with explicit versions agree with their ranges") {
  const auto& db = *shipped().database;
  const auto raw = nlohmann::json::parse(*embedded_resource("data/advisories/osv-airflow.json"));
  const auto& raw_records = raw.is_array() ? raw : raw.at("vulns");
  REQUIRE(raw_records.size() == db.record_count());
  // record index -> affected index -> the versions it lists, parsed
  std::vector<std::vector<std::vector<Version>>> lists(raw_records.size());
  std::map<std::string, std::set<std::string>> known;  // package -> every version any record lists
  for (std::size_t i = 0; i < raw_records.size(); ++i) {
    const OsvRecord& record = db.record(i);
    REQUIRE(raw_records[i].at("id") == record.id);
    const auto& raw_affected = raw_records[i].value("affected", nlohmann::json::array());
    REQUIRE(raw_affected.size() == record.affected.size());
    for (std::size_t a = 0; a < raw_affected.size(); ++a) {
      std::vector<Version> listed;
      // A corrected record (filed under the wrong package) lists that package's releases: its
      // ranges alone count.
      const bool corrected = normalize_package_name(raw_affected[a].at("package").at("name").get<std::string>()) !=
                             record.affected[a].package;
      for (const auto& text : raw_affected[a].value("versions", nlohmann::json::array())) {
        if (auto parsed = parse_version(text.get<std::string>()); parsed && !corrected) listed.push_back(*parsed);
      }
      for (const auto& version : listed) known[record.affected[a].package].insert(version.text());
      lists[i].push_back(std::move(listed));
    }
  }
  // Records whose ranges and list disagree in the published data (kept as they are upstream).
  const std::set<std::string> known_disagreements = {};
  std::size_t checked = 0;
  std::size_t listed_checked = 0;
  std::vector<std::string> disagreements;
  std::map<std::pair<std::string, std::string>, std::vector<AdvisoryMatch>> query_cache;
  std::vector<std::string> not_reported;
  for (std::size_t i = 0; i < db.record_count(); ++i) {
    const OsvRecord& record = db.record(i);
    if (!record.withdrawn.empty()) continue;
    for (std::size_t a = 0; a < record.affected.size(); ++a) {
      const OsvAffected& affected = record.affected[a];
      const std::vector<Version>& listed_versions = lists[i][a];
      if (listed_versions.empty()) continue;
      for (const auto& listed : listed_versions) {
        // Records of one package list the same versions again and again: ask once per version.
        auto key = std::make_pair(affected.package, listed.text());
        auto cached = query_cache.find(key);
        if (cached == query_cache.end()) cached = query_cache.emplace(key, db.query(affected.package, listed)).first;
        const auto& matches = cached->second;
        bool reported = std::any_of(matches.begin(), matches.end(), [&](const AdvisoryMatch& m) {
          return m.id == record.id || std::find(m.aliases.begin(), m.aliases.end(), record.id) != m.aliases.end();
        });
        if (!reported) not_reported.push_back(record.id + " " + listed.text());
        ++listed_checked;
      }
      if (affected.ranges.empty()) continue;
      Version low = *std::min_element(listed_versions.begin(), listed_versions.end());
      Version high = *std::max_element(listed_versions.begin(), listed_versions.end());
      for (const auto& text : known[affected.package]) {
        Version candidate = v(text);
        if (candidate < low || candidate > high) continue;
        bool listed = std::any_of(listed_versions.begin(), listed_versions.end(),
                                  [&](const Version& x) { return x == candidate; });
        ++checked;
        if (ranges_include(affected, candidate) != listed && !known_disagreements.count(record.id)) {
          disagreements.push_back(record.id + " " + text +
                                  (listed ? " listed, outside ranges" : " in ranges, not listed"));
        }
      }
    }
  }
  CHECK(listed_checked > 10000);
  for (const auto& r : not_reported) UNSCOPED_INFO(r);
  CHECK(not_reported.empty());
  CHECK(checked > 1000);
  for (const auto& d : disagreements) UNSCOPED_INFO(d);
  CHECK(disagreements.empty());
}

TEST_CASE("the shipped feed loads with its date") {
  const auto& feed = shipped();
  CHECK(feed.records > 300);
  CHECK(feed.date.size() == 10);
  CHECK(feed.age_days("2026-08-12") == 30);
  auto matches = feed.database->query("apache-airflow", v("2.7.0"));
  CHECK(matches.size() > 10);
  std::set<std::string> ids;
  for (const auto& m : matches) CHECK(ids.insert(m.id).second);  // one entry per vulnerability
}

TEST_CASE("provider CVEs filed against apache-airflow are matched on their provider instead") {
  const auto& db = *shipped().database;
  const auto names = [](const std::vector<AdvisoryMatch>& matches) {
    std::set<std::string> all;
    for (const auto& m : matches) {
      all.insert(m.id);
      all.insert(m.aliases.begin(), m.aliases.end());
    }
    return all;
  };
  CHECK(names(db.query("apache-airflow", v("2.10.2"))).count("CVE-2023-25693") == 0);
  CHECK(names(db.query("apache-airflow", v("1.10.15"))).count("CVE-2026-32794") == 0);
  CHECK(names(db.query("apache-airflow-providers-databricks", v("1.11.0"))).count("CVE-2026-32794") == 1);
  CHECK(names(db.query("apache-airflow-providers-apache-sqoop", v("3.1.0"))).count("CVE-2023-25693") == 1);
}

// The snapshot is stored at build time as the built database; it must say what the JSON says.
TEST_CASE("the advisory database compiled at build time equals the one built from the JSON snapshot") {
  const auto compiled = compiled_resource("advisories");
  REQUIRE(compiled);  // test executables link airguard_compiled_data, as airguard does
  const auto decoded = decode_advisory_database(*compiled);
  REQUIRE(decoded);
  const auto parsed = parse_embedded_feed();
  REQUIRE(parsed);
  const AdvisoryDatabase& built = *parsed->database;
  REQUIRE(decoded->record_count() == built.record_count());
  for (std::size_t i = 0; i < built.record_count(); ++i) {
    INFO(built.record(i).id);
    CHECK(decoded->record(i) == built.record(i));
  }
  CHECK(decoded->packages() == built.packages());
  CHECK(load_embedded_feed()->date == parsed->date);
  // The index travels too: every query gives the same answer, ids, aliases and fixes included.
  std::size_t compared = 0;
  for (const std::string& package : built.packages()) {
    for (const char* version : {"1.10.0", "2.0.0", "2.4.3", "2.7.0", "2.10.5", "3.0.0", "3.1.0", "1.0.0", "5.0.0"}) {
      const auto expected = built.query(package, v(version));
      const auto actual = decoded->query(package, v(version));
      REQUIRE(actual.size() == expected.size());
      for (std::size_t i = 0; i < expected.size(); ++i) {
        CHECK(actual[i].id == expected[i].id);
        CHECK(actual[i].aliases == expected[i].aliases);
        CHECK(actual[i].fixed == expected[i].fixed);
        ++compared;
      }
      CHECK(decoded->smallest_fix(package, v(version), actual).version ==
            built.smallest_fix(package, v(version), expected).version);
    }
  }
  CHECK(compared > 100);
  CHECK_FALSE(decode_advisory_database(compiled->substr(0, 1000)));
  CHECK_FALSE(decode_advisory_database(*compiled_resource("checks")));
}
