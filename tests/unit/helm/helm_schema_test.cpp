#include <catch2/catch.hpp>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

#include "core/resources.hpp"
#include "sources/helm/helm_audit.hpp"
#include "sources/helm/helm_schema.hpp"
#include "sources/helm/helm_values.hpp"

using namespace airguard;

namespace {

HelmValues build_ok(HelmInputs inputs) {
  auto built = HelmValues::build(inputs);
  if (!built) FAIL(built.error().format());
  return std::move(*built);
}

HelmValues on_chart(const std::string& text, const std::string& chart_version) {
  HelmInputs inputs;
  inputs.values_files.push_back({"values.yaml", text});
  inputs.chart_version = chart_version;
  return build_ok(inputs);
}

std::vector<HelmIssue> issues_of(const std::string& text, const std::string& chart_version = "1.19.0") {
  return unknown_key_issues(on_chart(text, chart_version));
}

// Block-style YAML of a JSON value, every string and key double-quoted (JSON's escapes are YAML's).
void emit_yaml(const nlohmann::ordered_json& value, int indent, std::string& out) {
  const std::string pad(static_cast<std::size_t>(indent), ' ');
  if (value.is_object()) {
    for (const auto& [key, item] : value.items()) {
      out += pad + nlohmann::json(key).dump() + ":";
      if ((item.is_object() || item.is_array()) && !item.empty()) {
        out += "\n";
        emit_yaml(item, indent + 2, out);
      } else {
        out += " " + item.dump() + "\n";
      }
    }
  } else if (value.is_array()) {
    for (const auto& item : value) {
      if ((item.is_object() || item.is_array()) && !item.empty()) {
        out += pad + "-\n";
        emit_yaml(item, indent + 2, out);
      } else {
        out += pad + "- " + item.dump() + "\n";
      }
    }
  }
}

}  // namespace

TEST_CASE("a schema table ships for every known chart and names its source", "[helm][schema]") {
  for (const auto& version : known_chart_versions()) {
    const ChartSchema* schema = chart_schema(version);
    REQUIRE(schema != nullptr);
    CHECK(schema->chart_version() == version);
    CHECK(schema->source_commit().size() == 40);
    REQUIRE(schema->supported_airflow().has_value());
    CHECK_FALSE(schema->supported_airflow()->majors.empty());
  }
  CHECK(chart_schema("1.99.0") == nullptr);
}

TEST_CASE("the schema says how it treats a key path", "[helm][schema]") {
  const ChartSchema& schema = *chart_schema("1.19.0");
  CHECK(schema.status({"networkPolicies", "enabled"}) == SchemaKeyStatus::declared);
  CHECK(schema.status({"webserver", "defaultUsr"}) == SchemaKeyStatus::refused);
  CHECK(schema.status({"networkpolicies"}) == SchemaKeyStatus::undeclared_accepted);
  CHECK(schema.status({"config", "core", "anything"}) == SchemaKeyStatus::free_form);
  CHECK(schema.status({"labels", "team"}) == SchemaKeyStatus::free_form);
  CHECK(schema.status({"env", "[0]", "name"}) == SchemaKeyStatus::declared);
  CHECK(schema.status({"env", "[0]", "nmae"}) == SchemaKeyStatus::refused);
  CHECK(schema.deprecation({"webserver", "defaultUser"}).find("createUserJob") != std::string::npos);
}

TEST_CASE("a full copy of the chart's own values.yaml has no unknown key, for every version", "[helm][schema]") {
  for (const auto& version : known_chart_versions()) {
    const auto data = embedded_resource("data/helm/values-" + version + ".json");
    REQUIRE(data.has_value());
    const auto parsed = nlohmann::ordered_json::parse(*data);
    std::string yaml;
    emit_yaml(parsed["values"], 0, yaml);
    INFO("chart " << version);
    const HelmValues values = on_chart(yaml, version);
    REQUIRE(values.root().children.size() > 50);
    const UnknownKeyScan scan = find_unknown_keys(values);
    for (const auto& key : scan.keys) INFO("unknown: " << key.path << " " << key.hint);
    CHECK(scan.keys.empty());
    CHECK(scan.unlisted == 0);
  }
}

TEST_CASE("a misspelt top-level key is reported with the sibling it was meant to be", "[helm][schema]") {
  const auto issues = issues_of("networkpolicies:\n  enabled: true\n");
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].path == "networkpolicies");
  CHECK(issues[0].origin.file == "values.yaml");
  CHECK(issues[0].origin.line == 1);
  CHECK(issues[0].evidence.find("did you mean `networkPolicies`?") != std::string::npos);
  CHECK(issues[0].evidence.find("Helm accepts it, but the chart reads no such key") != std::string::npos);
}

TEST_CASE("a misspelt key where the schema refuses others says helm install fails", "[helm][schema]") {
  const auto issues = issues_of("webserver:\n  service:\n    type: ClusterIP\n  defaultUsr:\n    enabled: false\n");
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].path == "webserver.defaultUsr");
  CHECK(issues[0].origin.line == 4);
  CHECK(issues[0].evidence.find("did you mean `defaultUser`?") != std::string::npos);
  CHECK(issues[0].evidence.find("`helm install` fails") != std::string::npos);
  CHECK(issues[0].fix_target == "values.yaml:4");
}

TEST_CASE("a key of another chart version says where it exists", "[helm][schema]") {
  const auto issues = issues_of("createUserJob:\n  defaultUser:\n    enabled: false\n", "1.18.0");
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].path == "createUserJob.defaultUser");
  CHECK(issues[0].evidence.find("exists in chart 1.19.0, 1.20.0-dev but not in 1.18.0") != std::string::npos);
  CHECK(issues[0].evidence.find("chart 1.18.0 has `webserver.defaultUser`") != std::string::npos);

  const auto removed = issues_of("apiServer:\n  defaultUser:\n    enabled: false\n", "1.19.0");
  REQUIRE(removed.size() == 1);
  CHECK(removed[0].evidence.find("exists in chart 1.16.0, 1.17.0, 1.18.0 but not in 1.19.0") != std::string::npos);
}

TEST_CASE("community chart keys in official values are named as such", "[helm][schema]") {
  const auto issues = issues_of("webserver:\n  replicas: 2\nexternalDatabase:\n  host: db\n");
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].path == "externalDatabase");
  CHECK(issues[0].evidence.find("community chart airflow-helm/charts") != std::string::npos);
}

TEST_CASE("free-form maps are not checked, their neighbours are", "[helm][schema]") {
  const std::string text =
      "config:\n  core:\n    any_option: x\n  my_section:\n    k: v\n"
      "labels:\n  team: data\nairflowPodAnnotations:\n  a/b: c\nscheduler:\n  podAnnotations:\n    x/y: z\n"
      "extraEnv: |\n  - name: X\n    value: y\n"
      "env:\n  - name: A\n    value: b\n  - name: C\n    value: d\n    nmae: oops\n"
      "nodeSelector:\n  disk: ssd\n"
      "tolerations:\n  - key: k\n    operator: Exists\n    effct: NoSchedule\n"
      "global:\n  anything: 1\n"
      "postgresql:\n  primary:\n    persistence:\n      size: 1Gi\n";
  const auto issues = issues_of(text);
  std::vector<std::string> paths;
  for (const auto& issue : issues) paths.push_back(issue.path);
  CHECK(paths == std::vector<std::string>{"env[1].nmae", "tolerations[0].effct"});
  REQUIRE(issues.size() == 2);
  CHECK(issues[0].evidence.find("did you mean `name`?") != std::string::npos);
  CHECK(issues[1].evidence.find("did you mean `effect`?") != std::string::npos);
}

TEST_CASE("chart defaults and nulls are never reported", "[helm][schema]") {
  CHECK(issues_of("{}").empty());
  CHECK(issues_of("notAKey: null\n").empty());
}

TEST_CASE("keys given with --set are checked and located at --set", "[helm][schema]") {
  HelmInputs inputs;
  inputs.values_files.push_back({"values.yaml", "flower:\n  enabled: false\n"});
  inputs.set = {"webserver.defaultUsr.enabled=false"};
  inputs.chart_version = "1.19.0";
  const auto issues = unknown_key_issues(build_ok(inputs));
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].path == "webserver.defaultUsr");
  CHECK(issues[0].origin.file == "--set");
}

TEST_CASE("umbrella values are checked under their parent key only", "[helm][schema]") {
  HelmInputs inputs;
  inputs.values_files.push_back(
      {"values.yaml",
       "other-chart:\n  whatever: 1\nairflow:\n  webserver:\n    defaultUsr:\n      enabled: false\n"
       "  createUserJob:\n    defaultUser:\n      enabled: false\n"});
  inputs.chart_version = "1.19.0";
  const HelmValues values = build_ok(inputs);
  REQUIRE(values.nested_under == "airflow");
  const auto issues = unknown_key_issues(values);
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].path == "webserver.defaultUsr");
  CHECK(issues[0].origin.name == "airflow.webserver.defaultUsr");
  CHECK(issues[0].origin.line == 5);
}

TEST_CASE("the community chart is not checked against the official schema", "[helm][schema]") {
  HelmInputs inputs;
  inputs.values_files.push_back(
      {"values.yaml", "airflow:\n  users: []\n  image:\n    tag: 2.6.3\nweb:\n  replicas: 1\n"});
  const HelmValues values = build_ok(inputs);
  REQUIRE(values.chart == HelmChart::community);
  CHECK(unknown_key_issues(values).empty());
}

TEST_CASE("unknown keys are listed up to the bound, then counted in one note", "[helm][schema]") {
  std::string text;
  const int keys = 50000;
  for (int i = 0; i < keys; ++i) text += "unknownKey" + std::to_string(i) + ": 1\n";
  const auto started = std::chrono::steady_clock::now();
  const HelmValues values = on_chart(text, "1.19.0");
  const auto issues = unknown_key_issues(values);
  const auto seconds =
      std::chrono::duration_cast<std::chrono::duration<double>>(std::chrono::steady_clock::now() - started).count();
  CHECK(issues.size() == kMaxListedUnknownKeys);
  CHECK(issues.front().path == "unknownKey0");
  const auto note = std::find_if(values.notes.begin(), values.notes.end(), [](const Diagnostic& diagnostic) {
    return diagnostic.message.find("more keys that chart 1.19.0's values.schema.json does not allow") !=
           std::string::npos;
  });
  REQUIRE(note != values.notes.end());
  CHECK(note->message.find(std::to_string(keys - static_cast<int>(kMaxListedUnknownKeys))) == 0);
  CHECK(seconds < 20.0);  // generous: a bound, not a benchmark
}
