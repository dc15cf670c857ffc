#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "report/json_report.hpp"
#include "sample_report.hpp"
#include "test_support.hpp"

using namespace airguard;
using namespace airguard::testing;
using Json = nlohmann::ordered_json;

TEST_CASE("json: top-level keys come in the documented order") {
  const Json json = Json::parse(render_json(sample_report()));
  std::vector<std::string> keys;
  for (const auto& item : json.items()) keys.push_back(item.key());
  CHECK(keys == std::vector<std::string>{"schema_version", "tool", "target", "profile", "fail_on", "scan_root",
                                         "complete", "inputs", "summary", "findings", "checks", "diagnostics",
                                         "unavailable_sources", "advisory_feed", "ignores", "baseline"});
  CHECK(json["schema_version"] == 1);
  CHECK(json["tool"]["name"] == "airguard");
}

TEST_CASE("json: generated_at and scan_seconds appear only when set") {
  ScanReport report = sample_report();
  CHECK_FALSE(Json::parse(render_json(report)).contains("generated_at"));
  report.generated_at = "2025-11-22T09:30:00Z";
  report.scan_seconds = 0.25;
  const Json json = Json::parse(render_json(report));
  CHECK(json["generated_at"] == "2025-11-22T09:30:00Z");
  CHECK(json["scan_seconds"] == 0.25);
}

TEST_CASE("json: findings are sorted by severity, then check id") {
  const Json json = Json::parse(render_json(sample_report()));
  std::vector<std::string> checks;
  for (const auto& finding : json["findings"]) checks.push_back(finding["check"]);
  CHECK(checks ==
        std::vector<std::string>{"AFH-CORE-001", "AFH-HELM-003", "AFH-WEB-001", "AFH-SEC-002", "AFH-WEB-007"});
}

TEST_CASE("json: the same report renders byte for byte the same whatever the input order") {
  ScanReport report = sample_report();
  const std::string first = render_json(report);
  std::reverse(report.findings.begin(), report.findings.end());
  CHECK(render_json(report) == first);
}

TEST_CASE("json: summary counts unsuppressed findings by severity and the suppressed apart") {
  const Json summary = Json::parse(render_json(sample_report()))["summary"];
  CHECK(summary["total"] == 4);
  CHECK(summary["by_severity"]["critical"] == 1);
  CHECK(summary["by_severity"]["high"] == 2);
  CHECK(summary["by_severity"]["medium"] == 1);
  CHECK(summary["by_severity"]["low"] == 0);  // the low one is suppressed
  CHECK(summary["suppressed"] == 1);
  CHECK(summary["at_or_above_fail_on"] == 3);
}

TEST_CASE("json: a finding carries location, remediation, fingerprint and suppression") {
  const Json json = Json::parse(render_json(sample_report()));
  const Json& fernet = json["findings"][0];
  CHECK(fernet["source"] == "env");
  CHECK(fernet["key"] == "core.fernet_key");
  CHECK(fernet["location"]["file"] == "deploy/.env");
  CHECK(fernet["location"]["line"] == 3);
  CHECK(fernet["location"]["name"] == "AIRFLOW__CORE__FERNET_KEY");
  CHECK(fernet["location"]["description"] == "AIRFLOW__CORE__FERNET_KEY (deploy/.env:3)");
  CHECK(fernet["remediation"]["summary"] == "Generate a Fernet key and set it from a secret.");
  CHECK(fernet["fingerprint"].get<std::string>().size() == 16);
  CHECK(fernet["suppressed"] == false);
  CHECK(fernet["suppression_reason"].is_null());

  const Json& helm = json["findings"][1];
  CHECK(helm["location"]["file"].is_null());
  CHECK(helm["location"]["line"].is_null());

  const Json& http = json["findings"][4];
  CHECK(http["suppressed"] == true);
  CHECK(http["suppression_reason"] == "TLS ends at the ingress; the pod network is private");
}

TEST_CASE("json: invalid UTF-8 in evidence does not throw") {
  ScanReport report = sample_report();
  report.findings[0].evidence = std::string("bad \xff byte");
  const Json json = Json::parse(render_json(report));
  CHECK(json["findings"].size() == 5);
}

TEST_CASE("json: parse_json_report reads back what render_json wrote") {
  ScanReport report = sample_report();
  report.generated_at = "2025-11-22T09:30:00Z";
  const auto parsed = parse_json_report(render_json(report), "report.json");
  REQUIRE(parsed.ok());
  CHECK(parsed->generated_at == "2025-11-22T09:30:00Z");
  CHECK(parsed->profile == "production");
  CHECK(parsed->checks.size() == report.checks.size());
  REQUIRE(parsed->findings.size() == report.findings.size());
  // Rendering the parsed report again gives the same document: nothing is lost on the way.
  CHECK(render_json(*parsed) == render_json(report));
}

TEST_CASE("json: parse_json_report refuses what is not a report, with the path") {
  auto not_json = parse_json_report("{not json", "last.json");
  REQUIRE_FALSE(not_json.ok());
  CHECK(not_json.error().file == "last.json");
  CHECK_FALSE(parse_json_report("{\"a\": 1}", "x.json").ok());
  CHECK_FALSE(parse_json_report("[]", "x.json").ok());
  auto future = parse_json_report("{\"schema_version\": 2, \"findings\": []}", "x.json");
  REQUIRE_FALSE(future.ok());
  CHECK(future.error().message.find("schema_version 2") != std::string::npos);
}

TEST_CASE("json: the report validates against data/schemas/report-v1.json") {
  if (!have_python_jsonschema()) {
    WARN("python3 jsonschema is not installed: schema validation skipped");
    return;
  }
  ScratchDir scratch;
  ScanReport report = sample_report();
  report.generated_at = "2025-11-22T09:30:00Z";
  report.scan_seconds = 1.5;
  report.ignores = IgnoreAudit{".airguard-ignore.yaml", 1, {}, {}};
  report.ignores->unused.push_back({"AFH-API-001", "", "", "no API in CI", "2026-01-31", ".airguard-ignore.yaml", 4});
  report.baseline = BaselineDiff{"last.json", "2025-11-21T09:30:00Z", {report.findings[2].fingerprint}, {}, 3};
  report.baseline->fixed.push_back(report.findings[0]);
  const std::string schema = source_dir() + "/data/schemas/report-v1.json";
  for (const ScanReport& candidate : {sample_report(), report}) {
    const std::string instance = scratch.write("report.json", render_json(candidate));
    const auto result = run_command("/usr/bin/python3 -m jsonschema -i " + instance + " " + schema);
    INFO(result.output);
    CHECK(result.status == 0);
  }
  // The oracle is not vacuous: a report with a wrong severity fails.
  std::string broken = render_json(sample_report());
  broken.replace(broken.find("\"critical\""), 10, "\"urgent\"");
  const auto rejected =
      run_command("/usr/bin/python3 -m jsonschema -i " + scratch.write("bad.json", broken) + " " + schema);
  CHECK(rejected.status != 0);
}
