#include <catch2/catch.hpp>

#include <map>

#include "sources/helm/helm_audit.hpp"

using namespace airguard;

namespace {

std::map<std::string, std::vector<HelmIssue>> audit(const std::string& text, const std::string& chart = "1.19.0") {
  HelmInputs inputs;
  inputs.values_files.push_back({"values.yaml", text});
  inputs.chart_version = chart;
  auto values = HelmValues::build(inputs);
  REQUIRE(values);
  std::map<std::string, std::vector<HelmIssue>> out;
  for (const auto& check : helm_audit_checks()) {
    auto issues = check.run(*values);
    if (!issues.empty()) out[check.id] = std::move(issues);
  }
  return out;
}

}  // namespace

TEST_CASE("an empty values file raises every default-derived Helm finding, pointing at chart defaults",
          "[helm][audit]") {
  for (const std::string chart : {"1.15.0", "1.19.0"}) {
    const auto issues = audit("", chart);
    for (const char* id :
         {"AFH-HELM-001", "AFH-HELM-005", "AFH-HELM-015", "AFH-HELM-016", "AFH-HELM-020", "AFH-HELM-021"}) {
      INFO(chart << " " << id);
      REQUIRE(issues.count(id) == 1);
      for (const auto& issue : issues.at(id)) {
        CHECK(issue.origin.file.empty());
        CHECK_FALSE(issue.fix_snippet.empty());
        CHECK(issue.fix_target.find("chart default") != std::string::npos);
      }
    }
    CHECK(issues.count("AFH-HELM-003") == 0);
    CHECK(issues.count("AFH-HELM-019") == 0);
    // The chart's pod security context helper runs every pod as uid 50000.
    CHECK(issues.count("AFH-HELM-014") == 0);
  }
  // Airflow 2 (chart 1.15): the webserver secret key; Airflow 3 (chart 1.19): API key and JWT secret.
  CHECK(audit("", "1.15.0").at("AFH-HELM-004").front().path == "webserverSecretKeySecretName");
  CHECK(audit("", "1.19.0").at("AFH-HELM-004").size() == 2);
  CHECK(audit("", "1.19.0").at("AFH-HELM-001").front().path == "createUserJob.defaultUser.password");
  CHECK(audit("", "1.15.0").at("AFH-HELM-001").front().path == "webserver.defaultUser.password");
}

TEST_CASE("written values are located at their line and never echoed", "[helm][audit]") {
  const auto issues = audit("fernetKey: CHANGE_ME_NOW\nenv:\n  - name: DB_PASSWORD\n    value: hunter2hunter2\n");
  REQUIRE(issues.count("AFH-HELM-003") == 1);
  const HelmIssue& fernet = issues.at("AFH-HELM-003").front();
  CHECK(fernet.origin.line == 1);
  CHECK(fernet.severity == Severity::critical);
  CHECK(fernet.fix_snippet.find("fernetKeySecretName") != std::string::npos);
  REQUIRE(issues.count("AFH-HELM-022") == 1);
  const HelmIssue& env = issues.at("AFH-HELM-022").front();
  CHECK(env.origin.line == 3);
  CHECK(env.evidence.find("hunter2") == std::string::npos);
  CHECK(env.fix_snippet.find("secretKeyRef") != std::string::npos);
}

TEST_CASE("hardened values silence the code checks", "[helm][audit]") {
  const auto issues = audit(
      "createUserJob:\n  enabled: false\nfernetKeySecretName: f\napiSecretKeySecretName: a\n"
      "jwtSecretName: j\nsecurityContexts:\n  pod:\n    runAsNonRoot: true\n    seccompProfile:\n      type: "
      "RuntimeDefault\n"
      "  containers:\n    readOnlyRootFilesystem: true\nimages:\n  airflow:\n    digest: sha256:abc\n");
  for (const char* id : {"AFH-HELM-001", "AFH-HELM-004", "AFH-HELM-005", "AFH-HELM-014", "AFH-HELM-015", "AFH-HELM-016",
                         "AFH-HELM-021"}) {
    INFO(id);
    CHECK(issues.count(id) == 0);
  }
}

TEST_CASE("exposed services and duplicate keys", "[helm][audit]") {
  const auto issues =
      audit("apiServer:\n  service:\n    type: LoadBalancer\nflower:\n  enabled: true\n  enabled: false\n");
  REQUIRE(issues.count("AFH-HELM-019") == 1);
  CHECK(issues.at("AFH-HELM-019").front().path == "apiServer.service.type");
  CHECK(issues.at("AFH-HELM-019").front().origin.line == 3);
  REQUIRE(issues.count("AFH-HELM-030") == 1);
  CHECK(issues.at("AFH-HELM-030").front().origin.line == 6);
}
