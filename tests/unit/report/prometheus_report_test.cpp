#include <catch2/catch.hpp>

#include "report/prometheus_report.hpp"
#include "sample_report.hpp"
#include "test_support.hpp"

using namespace airguard;
using namespace airguard::testing;

TEST_CASE("prometheus: findings by severity, failing, suppressed, success and feed age") {
  const std::string text = render_prometheus(sample_report());
  CHECK(text.find("# TYPE airguard_findings gauge\n") != std::string::npos);
  CHECK(text.find("airguard_findings{severity=\"critical\"} 1\n") != std::string::npos);
  CHECK(text.find("airguard_findings{severity=\"high\"} 2\n") != std::string::npos);
  CHECK(text.find("airguard_findings{severity=\"low\"} 0\n") != std::string::npos);
  CHECK(text.find("airguard_findings_failing{fail_on=\"high\"} 3\n") != std::string::npos);
  CHECK(text.find("airguard_findings_suppressed 1\n") != std::string::npos);
  CHECK(text.find("airguard_scan_success 1\n") != std::string::npos);
  CHECK(text.find("airguard_advisory_feed_age_days 21\n") != std::string::npos);
}

TEST_CASE("prometheus: scan time appears only outside golden mode") {
  ScanReport report = sample_report();
  CHECK(render_prometheus(report).find("airguard_scan_timestamp_seconds") == std::string::npos);
  report.generated_at = "2025-11-22T09:30:00Z";
  report.scan_seconds = 1.25;
  const std::string text = render_prometheus(report);
  CHECK(text.find("airguard_scan_timestamp_seconds 1763803800\n") != std::string::npos);
  CHECK(text.find("airguard_scan_duration_seconds 1.250\n") != std::string::npos);
}

TEST_CASE("prometheus: an incomplete scan reports failure; label values are escaped") {
  ScanReport report = sample_report();
  report.unavailable_sources.push_back("api");
  report.profile = "odd\"name\\";
  const std::string text = render_prometheus(report);
  CHECK(text.find("airguard_scan_success 0\n") != std::string::npos);
  CHECK(text.find("profile=\"odd\\\"name\\\\\"") != std::string::npos);
}

TEST_CASE("prometheus: the exposition parses with a strict line grammar") {
  // Every line is a HELP/TYPE comment or `name{labels} value`, as the textfile collector requires.
  ScanReport report = sample_report();
  report.baseline = BaselineDiff{"last.json", "", {"0123456789abcdef"}, {}, 2};
  report.ignores = IgnoreAudit{".airguard-ignore.yaml", 1, {}, {}};
  ScratchDir scratch;
  const std::string file = scratch.write("airguard.prom", render_prometheus(report));
  const std::string checker = scratch.write("check.py", R"(import re, sys
label = r'[a-z_]+="(?:[^"\\]|\\.)*"'
sample = re.compile(r'^[a-z_]+(?:\{' + label + r'(?:,' + label + r')*\})? -?[0-9]+(?:\.[0-9]+)?$')
comment = re.compile(r'^# (?:HELP [a-z_]+ .+|TYPE [a-z_]+ (?:gauge|counter))$')
bad = [l for l in open(sys.argv[1]).read().splitlines() if not (sample.match(l) or comment.match(l))]
print(bad)
sys.exit(1 if bad else 0)
)");
  const auto result = run_command("/usr/bin/python3 " + checker + " " + file);
  INFO(result.output);
  CHECK(result.status == 0);
  const auto rejected = run_command("/usr/bin/python3 " + checker + " " + scratch.write("bad.prom", "airguard x 1\n"));
  CHECK(rejected.status == 1);
}
