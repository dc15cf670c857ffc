// Golden files for every renderer on the shared sample report (tests/golden/report/sample.*).
// Regenerate with scripts/update-golden (it sets AIRGUARD_UPDATE_GOLDEN=1) and review the diff.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>

#include "report/baseline_text.hpp"
#include "report/json_report.hpp"
#include "report/junit_report.hpp"
#include "report/markdown_report.hpp"
#include "report/prometheus_report.hpp"
#include "report/sarif_report.hpp"
#include "sample_report.hpp"
#include "test_support.hpp"

using namespace airguard;
using namespace airguard::testing;

namespace {

// The sample with every optional part present: an ignore-file audit and a baseline comparison.
ScanReport full_sample() {
  ScanReport report = sample_report();
  report.ignores = IgnoreAudit{"deploy/.airguard-ignore.yaml", 1, {}, {}};
  report.ignores->expired.push_back(
      {"AFH-WEB-002", "", "", "until the proxy is in place", "2025-01-31", "deploy/.airguard-ignore.yaml", 6});
  report.ignores->unused.push_back(
      {"AFH-API-001", "", "", "no API exposed here", "", "deploy/.airguard-ignore.yaml", 10});
  Finding fixed = make_finding("AFH-AUTH-002", Severity::high, SourceKind::webserver_config, "AUTH_ROLE_PUBLIC",
                               Origin{SourceKind::webserver_config, "deploy/webserver_config.py", 14, 1, ""});
  fixed.title = "Anonymous visitors get a role";
  fixed.fingerprint = fingerprint(fixed);
  report.baseline = BaselineDiff{
      "history/report-20251121T093000Z.json", "2025-11-21T09:30:00Z", {report.findings[2].fingerprint}, {fixed}, 4};
  return report;
}

void check_golden(const std::string& name, const std::string& actual) {
  const std::string path = source_dir() + "/tests/golden/report/" + name;
  const char* update = std::getenv("AIRGUARD_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    std::ofstream(path, std::ios::binary) << actual;
    WARN("updated " << path);
    return;
  }
  const std::string expected = read_file(path);
  INFO("golden file " << path << " (regenerate with scripts/update-golden and review the diff)");
  REQUIRE_FALSE(expected.empty());
  CHECK(actual == expected);
}

}  // namespace

TEST_CASE("golden: json") { check_golden("sample.json", render_json(full_sample())); }
TEST_CASE("golden: sarif") { check_golden("sample.sarif", render_sarif(full_sample())); }
TEST_CASE("golden: junit") { check_golden("sample.junit.xml", render_junit(full_sample())); }
TEST_CASE("golden: markdown") { check_golden("sample.md", render_markdown(full_sample())); }
TEST_CASE("golden: prometheus") { check_golden("sample.prom", render_prometheus(full_sample())); }
TEST_CASE("golden: baseline and ignore text blocks") {
  const ScanReport report = full_sample();
  check_golden("sample.baseline.txt", render_baseline_text(report) + render_ignores_text(report));
}
