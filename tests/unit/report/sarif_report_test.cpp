#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "report/sarif_report.hpp"
#include "sample_report.hpp"
#include "test_support.hpp"

using namespace airguard;
using namespace airguard::testing;
using Json = nlohmann::json;

namespace {
const Json* result_for(const Json& sarif, const std::string& rule_id) {
  for (const Json& result : sarif["runs"][0]["results"]) {
    if (result["ruleId"] == rule_id) return &result;
  }
  return nullptr;
}
}  // namespace

TEST_CASE("sarif: one rule per check with help text, severity score and tags") {
  const Json sarif = Json::parse(render_sarif(sample_report()));
  CHECK(sarif["version"] == "2.1.0");
  const Json& rules = sarif["runs"][0]["tool"]["driver"]["rules"];
  REQUIRE(rules.size() == 5);
  CHECK(rules[0]["id"] == "AFH-CORE-001");
  CHECK(rules[0]["name"] == "AfhCore001");
  CHECK(rules[0]["shortDescription"]["text"] == "The Fernet key is empty, so connection passwords are stored in clear");
  CHECK(rules[0]["help"]["text"].get<std::string>().rfind("Fix: Generate a Fernet key", 0) == 0);
  CHECK(rules[0]["properties"]["security-severity"] == "9.5");
  CHECK(rules[0]["defaultConfiguration"]["level"] == "error");
  const auto tags = rules[0]["properties"]["tags"].get<std::vector<std::string>>();
  CHECK(std::find(tags.begin(), tags.end(), "pci-dss:3.5.1") != tags.end());
  CHECK(std::find(tags.begin(), tags.end(), "security") != tags.end());
}

TEST_CASE("sarif: results point at files relative to the scan root, with lines") {
  const Json sarif = Json::parse(render_sarif(sample_report()));
  const Json* expose = result_for(sarif, "AFH-WEB-001");
  REQUIRE(expose != nullptr);
  CHECK((*expose)["level"] == "error");
  const Json& physical = (*expose)["locations"][0]["physicalLocation"];
  CHECK(physical["artifactLocation"]["uri"] == "airflow.cfg");
  CHECK(physical["artifactLocation"]["uriBaseId"] == "SRCROOT");
  CHECK(physical["region"]["startLine"] == 41);
  CHECK((*expose)["partialFingerprints"]["airguard/v1"] == sample_report().findings[2].fingerprint);
  const auto rules = sarif["runs"][0]["tool"]["driver"]["rules"];
  CHECK(rules[(*expose)["ruleIndex"].get<std::size_t>()]["id"] == "AFH-WEB-001");
}

TEST_CASE("sarif: a finding without a file gets a logical location only") {
  const Json sarif = Json::parse(render_sarif(sample_report()));
  const Json* helm = result_for(sarif, "AFH-HELM-003");
  REQUIRE(helm != nullptr);
  const Json& location = (*helm)["locations"][0];
  CHECK_FALSE(location.contains("physicalLocation"));
  CHECK(location["logicalLocations"][0]["fullyQualifiedName"] == "webserver.defaultUser.enabled");
}

TEST_CASE("sarif: suppressed findings stay, with an external suppression and its reason") {
  const Json sarif = Json::parse(render_sarif(sample_report()));
  const Json* http = result_for(sarif, "AFH-WEB-007");
  REQUIRE(http != nullptr);
  CHECK((*http)["suppressions"][0]["kind"] == "external");
  CHECK((*http)["suppressions"][0]["justification"] == "TLS ends at the ingress; the pod network is private");
  CHECK_FALSE(result_for(sarif, "AFH-WEB-001")->contains("suppressions"));
}

TEST_CASE("sarif: paths outside the scan root become file URIs; odd characters are percent-encoded") {
  ScanReport report = sample_report();
  report.findings[0].location.file = "/etc/airflow/air flow.cfg";
  report.findings[1].location.file = "deploy/sub dir/.env";
  const Json sarif = Json::parse(render_sarif(report));
  CHECK(result_for(sarif, "AFH-WEB-007")->at("locations")[0]["physicalLocation"]["artifactLocation"]["uri"] ==
        "file:///etc/airflow/air%20flow.cfg");
  CHECK(result_for(sarif, "AFH-SEC-002")->at("locations")[0]["physicalLocation"]["artifactLocation"]["uri"] ==
        "sub%20dir/.env");
}

TEST_CASE("sarif: with a baseline, results say whether they are new") {
  ScanReport report = sample_report();
  report.baseline = BaselineDiff{"last.json", "", {report.findings[2].fingerprint}, {}, 4};
  const Json sarif = Json::parse(render_sarif(report));
  CHECK(result_for(sarif, "AFH-WEB-001")->at("baselineState") == "new");
  CHECK(result_for(sarif, "AFH-CORE-001")->at("baselineState") == "unchanged");
}

TEST_CASE("sarif: a finding whose check is not listed still gets a rule") {
  ScanReport report = sample_report();
  report.checks.clear();
  const Json sarif = Json::parse(render_sarif(report));
  CHECK(sarif["runs"][0]["tool"]["driver"]["rules"].size() == 5);
}

TEST_CASE("sarif: an incomplete scan is not a successful execution and says why") {
  ScanReport report = sample_report();
  report.unavailable_sources.push_back("api https://airflow.example.com");
  const Json sarif = Json::parse(render_sarif(report));
  const Json& invocation = sarif["runs"][0]["invocations"][0];
  CHECK(invocation["executionSuccessful"] == false);
  CHECK(invocation["toolExecutionNotifications"].size() == 2);  // the diagnostic and the source
}

TEST_CASE("sarif: output validates against the official SARIF 2.1.0 schema") {
  if (!have_python_jsonschema()) {
    WARN("python3 jsonschema is not installed: SARIF schema validation skipped");
    return;
  }
  ScratchDir scratch;
  const std::string schema = source_dir() + "/tests/fixtures/report/sarif-schema-2.1.0.json";
  ScanReport with_everything = sample_report();
  with_everything.generated_at = "2025-11-22T09:30:00Z";
  with_everything.unavailable_sources.push_back("api");
  with_everything.baseline = BaselineDiff{"last.json", "", {with_everything.findings[2].fingerprint}, {}, 4};
  for (const ScanReport& report : {sample_report(), with_everything, ScanReport{}}) {
    const auto result = run_command("/usr/bin/python3 -m jsonschema -i " +
                                    scratch.write("out.sarif", render_sarif(report)) + " " + schema);
    INFO(result.output);
    CHECK(result.status == 0);
  }
  // The schema does reject a malformed log (wrong level), so passing means something.
  std::string broken = render_sarif(sample_report());
  broken.replace(broken.find("\"level\": \"error\""), 16, "\"level\": \"fatal\"");
  CHECK(run_command("/usr/bin/python3 -m jsonschema -i " + scratch.write("bad.sarif", broken) + " " + schema).status !=
        0);
}

TEST_CASE("sarif: a finding suppressed by a comment in the scanned file is an inSource suppression") {
  ScanReport report = sample_report();
  for (Finding& finding : report.findings) {
    if (finding.check_id == "AFH-WEB-007") finding.suppressed_in_source = true;
  }
  const Json sarif = Json::parse(render_sarif(report));
  CHECK(result_for(sarif, "AFH-WEB-007")->at("suppressions")[0]["kind"] == "inSource");
}
