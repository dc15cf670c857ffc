#include <catch2/catch.hpp>

#include "report/baseline_diff.hpp"
#include "report/baseline_text.hpp"
#include "report/json_report.hpp"
#include "sample_report.hpp"

using namespace airguard;
using namespace airguard::testing;

namespace {
// The baseline as a later run would read it: written to JSON and parsed back.
ScanReport through_json(const ScanReport& report) {
  auto parsed = parse_json_report(render_json(report), "last.json");
  REQUIRE(parsed.ok());
  return *parsed;
}

void recompute_fingerprints(std::vector<Finding>& findings) {
  for (Finding& finding : findings) finding.fingerprint = fingerprint(finding);
}
}  // namespace

TEST_CASE("baseline: the same findings are all unchanged") {
  const ScanReport previous = through_json(sample_report());
  const BaselineDiff diff = diff_against_baseline(previous, sample_report().findings, "last.json");
  CHECK(diff.new_fingerprints.empty());
  CHECK(diff.fixed.empty());
  CHECK(diff.unchanged == 5);
}

TEST_CASE("baseline: moving lines does not make findings new") {
  const ScanReport previous = through_json(sample_report());
  std::vector<Finding> current = sample_report().findings;
  for (Finding& finding : current) {
    finding.location.line += 17;  // a comment block was added at the top of every file
    finding.location.column = 3;
    finding.remediation.target = "moved";
  }
  recompute_fingerprints(current);
  const BaselineDiff diff = diff_against_baseline(previous, current, "last.json");
  CHECK(diff.new_fingerprints.empty());
  CHECK(diff.fixed.empty());
  CHECK(diff.unchanged == 5);
}

TEST_CASE("baseline: an unrelated new finding is the only new one; a removed one is fixed") {
  const ScanReport previous = through_json(sample_report());
  std::vector<Finding> current = sample_report().findings;
  Finding added = make_finding("AFH-AUTH-002", Severity::high, SourceKind::webserver_config, "AUTH_ROLE_PUBLIC",
                               Origin{SourceKind::webserver_config, "deploy/webserver_config.py", 5, 1, ""});
  added.fingerprint = fingerprint(added);
  current.insert(current.begin(), added);
  current.erase(
      std::remove_if(current.begin(), current.end(), [](const Finding& f) { return f.check_id == "AFH-SEC-002"; }),
      current.end());
  const BaselineDiff diff = diff_against_baseline(previous, current, "last.json");
  REQUIRE(diff.new_fingerprints.size() == 1);
  CHECK(diff.new_fingerprints[0] == added.fingerprint);
  REQUIRE(diff.fixed.size() == 1);
  CHECK(diff.fixed[0].check_id == "AFH-SEC-002");
  CHECK(diff.unchanged == 4);
}

TEST_CASE("baseline: the same value moving to another file is new there and fixed here") {
  const ScanReport previous = through_json(sample_report());
  std::vector<Finding> current = sample_report().findings;
  for (Finding& finding : current) {
    if (finding.check_id == "AFH-WEB-001") finding.location.file = "deploy/other.cfg";
  }
  recompute_fingerprints(current);
  const BaselineDiff diff = diff_against_baseline(previous, current, "last.json");
  CHECK(diff.new_fingerprints.size() == 1);
  CHECK(diff.fixed.size() == 1);
}

TEST_CASE("baseline: findings sharing a fingerprint are counted, not collapsed") {
  ScanReport previous_report = sample_report();
  const ScanReport previous = through_json(previous_report);
  std::vector<Finding> current = sample_report().findings;
  current.push_back(current[1]);  // the same credential appears a second time in the same file
  const BaselineDiff diff = diff_against_baseline(previous, current, "last.json");
  CHECK(diff.new_fingerprints.size() == 1);
  CHECK(diff.unchanged == 5);
}

TEST_CASE("baseline: a new finding that is suppressed is not new") {
  const ScanReport previous = through_json(sample_report());
  std::vector<Finding> current = sample_report().findings;
  Finding added = make_finding("AFH-DAG-001", Severity::high, SourceKind::dag, "dags/etl.py",
                               Origin{SourceKind::dag, "dags/etl.py", 12, 5, ""});
  added.fingerprint = fingerprint(added);
  added.suppressed = true;
  current.push_back(added);
  CHECK(diff_against_baseline(previous, current, "last.json").new_fingerprints.empty());
}

TEST_CASE("baseline: text summary for the plan") {
  ScanReport report = sample_report();
  CHECK(render_baseline_text(report).empty());
  ScanReport previous = sample_report();
  Finding gone = make_finding("AFH-API-004", Severity::medium, SourceKind::api, "/api/v1/config",
                              Origin{SourceKind::api, "", 0, 0, "https://airflow.example.com/api/v1/config"});
  gone.title = "The API serves the configuration";
  gone.fingerprint = fingerprint(gone);
  previous.findings.push_back(gone);
  previous.generated_at = "2025-11-21T09:30:00Z";
  report.baseline = diff_against_baseline(through_json(previous), report.findings, "history/last.json");
  CHECK(render_baseline_text(report) ==
        "Since history/last.json (2025-11-21T09:30:00Z): 0 new, 1 fixed, 5 unchanged.\n"
        "  fixed: AFH-API-004 The API serves the configuration (/api/v1/config)\n");
  CHECK(is_new_finding(ScanReport{}, report.findings[0]));
  CHECK_FALSE(is_new_finding(report, report.findings[0]));
}
