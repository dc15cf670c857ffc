#include <catch2/catch.hpp>

#include <string>

#include "sources/helm/helm_values.hpp"
#include "sources/helm/helm_version.hpp"

using namespace airguard;

namespace {

Result<HelmValues> build(const std::string& text, const std::string& chart_version = {},
                         const std::string& airflow_hint = {}) {
  HelmInputs inputs;
  inputs.values_files.push_back({"v.yaml", text});
  inputs.chart_version = chart_version;
  inputs.airflow_version_hint = airflow_hint;
  return HelmValues::build(inputs);
}

HelmValues build_ok(const std::string& text, const std::string& chart_version = {},
                    const std::string& airflow_hint = {}) {
  auto built = build(text, chart_version, airflow_hint);
  if (!built) FAIL(built.error().format());
  return std::move(*built);
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("chart versions compare with a pre-release before its release", "[helm][version]") {
  CHECK(compare_chart_versions("1.19.0", "1.20.0-dev") < 0);
  CHECK(compare_chart_versions("1.20.0-dev", "1.20.0") < 0);
  CHECK(compare_chart_versions("1.21.0", "1.20.0") > 0);
  CHECK(compare_chart_versions("1.9.0", "1.15.0") < 0);
  CHECK(compare_chart_versions("1.18.0", "1.18.0") == 0);
}

TEST_CASE("a key that exists only from one chart on picks that chart", "[helm][version]") {
  const auto values = build_ok("flower:\n  enabled: false\ncreateUserJob:\n  defaultUser:\n    enabled: false\n");
  CHECK(values.chart_version == "1.19.0");
  CHECK(values.chart_version_source.find(
            "chart 1.19.0, inferred from createUserJob.defaultUser (v.yaml:4), which exists only from 1.19.0") == 0);
}

TEST_CASE("a key that exists only up to one chart picks that chart", "[helm][version]") {
  const auto values = build_ok("apiServer:\n  defaultUser:\n    enabled: false\n");
  CHECK(values.chart_version == "1.18.0");
  CHECK(
      contains(values.chart_version_source, "apiServer.defaultUser (v.yaml:2), which exists only in 1.16.0 to 1.18.0"));
}

TEST_CASE("keys narrow the charts and the Airflow version picks among them", "[helm][version]") {
  // jwtSecret exists from 1.17.0; Airflow 3.0 picks the newest chart defaulting to 3.0 (1.18.0).
  const auto values = build_ok("airflowVersion: 3.0.2\njwtSecret: x\n");
  CHECK(values.chart_version == "1.18.0");
  CHECK(contains(values.chart_version_source, "inferred from Airflow 3.0.2 (v.yaml:1 (airflowVersion))"));
  // Only 1.15.0 has _rpcServer: Airflow 2.10 alone would pick 1.16.0.
  const auto old = build_ok("airflowVersion: 2.10.4\n_rpcServer:\n  enabled: false\n");
  CHECK(old.chart_version == "1.15.0");
  CHECK(contains(old.chart_version_source, "_rpcServer (v.yaml:2), which exists only up to 1.15.0"));
}

TEST_CASE("the Airflow version alone picks the newest chart for it", "[helm][version]") {
  CHECK(build_ok("airflowVersion: \"2.10.4\"\n").chart_version == "1.16.0");
  CHECK(build_ok("airflowVersion: 2.7.1\n").chart_version == "1.15.0");
  CHECK(build_ok("airflowVersion: 3.0.2\n").chart_version == "1.18.0");
  CHECK(build_ok("images:\n  airflow:\n    tag: 3.1.7-python3.12\n").chart_version == "1.19.0");
  CHECK(build_ok("defaultAirflowTag: 2.9.3\n").chart_version == "1.15.0");
  const auto hinted = build_ok("executor: KubernetesExecutor\n", {}, "2.10.5");
  CHECK(hinted.chart_version == "1.16.0");
  CHECK(contains(hinted.chart_version_source, "(--airflow-version)"));
}

TEST_CASE("an Airflow version that contradicts the keys wins over them", "[helm][version]") {
  // _rpcServer exists only in 1.15.0, which cannot run Airflow 3.
  const auto values = build_ok("airflowVersion: 3.1.0\n_rpcServer:\n  enabled: false\n");
  CHECK(values.chart_version == "1.19.0");
  CHECK(contains(values.chart_version_source, "point elsewhere; the Airflow version wins"));
}

TEST_CASE("nothing that names a version gives the newest release, said so", "[helm][version]") {
  const auto values = build_ok("executor: KubernetesExecutor\n");
  CHECK(values.chart_version == default_chart_version());
  CHECK(values.chart_version_source.find("chart 1.19.0: newest known; nothing in the values names a version") == 0);
}

TEST_CASE("Airflow 3 on a chart that cannot run it is refused at its line", "[helm][version]") {
  const auto refused = build("executor: CeleryExecutor\nairflowVersion: 3.0.2\n", "1.16.0");
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().file == "v.yaml");
  CHECK(refused.error().line == 2);
  CHECK(contains(refused.error().message, "Airflow 3.0.2 (v.yaml:2 (airflowVersion)) cannot run on chart 1.16.0"));
  CHECK(contains(refused.error().message, "chart 1.17.0 is the first that runs Airflow 3"));
  CHECK(contains(refused.error().message, "Supported Airflow version: 1.10+, 2.0+"));
  CHECK(build("airflowVersion: 3.0.2\n", "1.17.0").ok());
  CHECK(build("images:\n  airflow:\n    tag: 3.1.0\n", "1.15.0").error().line == 3);
}

TEST_CASE("Airflow older than the chart's stated minimum is refused", "[helm][version]") {
  const auto refused = build("airflowVersion: 2.10.5\n", "1.20.0-dev");
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().line == 1);
  CHECK(contains(refused.error().message,
                 "cannot run on chart 1.20.0-dev: it is older than the chart's minimum, 2.11.0"));
  CHECK(build("airflowVersion: 2.11.0\n", "1.20.0-dev").ok());
  CHECK_FALSE(build("airflowVersion: 1.9.0\n", "1.19.0").ok());
  // An --airflow-version hint is not a value in the files: it is never refused.
  CHECK(build("executor: CeleryExecutor\n", "1.16.0", "3.0.2").ok());
}

TEST_CASE("an unknown --chart-version says which known chart is used and why", "[helm][version]") {
  auto values = build_ok("a: 1\n", "1.21.0");
  CHECK(values.chart_version == "1.20.0-dev");
  CHECK(values.chart_version_source ==
        "--chart-version 1.21.0 is newer than every chart airguard knows; using 1.20.0-dev's defaults");
  REQUIRE_FALSE(values.notes.empty());
  bool warned = false;
  for (const auto& note : values.notes) {
    if (note.level == Diagnostic::Level::warning && contains(note.message, "1.21.0 is newer") &&
        contains(note.hint, "--chart-defaults") && contains(note.hint, "helm show values")) {
      warned = true;
    }
  }
  CHECK(warned);
  values = build_ok("a: 1\n", "1.16.3");
  CHECK(values.chart_version == "1.16.0");
  CHECK(contains(values.chart_version_source, "the newest known chart not newer than it"));
  values = build_ok("a: 1\n", "1.10.0");
  CHECK(values.chart_version == "1.15.0");
  CHECK(contains(values.chart_version_source, "older than every chart airguard knows"));
}

TEST_CASE("a key under a map that accepts other keys says nothing about the version", "[helm][version]") {
  // Charts 1.15.0-1.18.0 declare securityContexts.container but accept (and read) containers;
  // 1.19.0 declares containers. That is no reason to move Airflow 2.7 values to chart 1.19.0.
  const auto values = build_ok("airflowVersion: 2.7.0\nsecurityContexts:\n  containers:\n    runAsUser: 50000\n");
  CHECK(values.chart_version == "1.15.0");
  CHECK_FALSE(contains(values.chart_version_source, "securityContexts"));
}
