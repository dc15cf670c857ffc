#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "sources/helm/helm_merge.hpp"
#include "sources/helm/helm_values.hpp"

using namespace airguard;

namespace {

HelmValues build_ok(HelmInputs inputs) {
  auto built = HelmValues::build(inputs);
  if (!built) FAIL(built.error().format());
  return std::move(*built);
}

HelmValues from_text(const std::string& text, const std::string& chart_version = "1.19.0") {
  HelmInputs inputs;
  inputs.values_files.push_back({"values.yaml", text});
  inputs.chart_version = chart_version;
  return build_ok(inputs);
}

std::optional<std::string> value_at(const HelmValues& values, const std::string& path) {
  auto facts = values.facts(path);
  REQUIRE(facts.size() == 1);
  return facts[0].value;
}

const EnvVar* env_named(const HelmValues& values, const std::string& name) {
  for (const auto& var : values.env) {
    if (var.name == name) return &var;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("an empty values file is the chart's defaults, not set by anyone", "[helm][values]") {
  const auto values = from_text("");
  auto facts = values.facts("createUserJob.defaultUser.password");
  REQUIRE(facts.size() == 1);
  CHECK(facts[0].value == "admin");
  CHECK_FALSE(facts[0].is_set);
  CHECK(facts[0].sensitive);
  CHECK(facts[0].origin.kind == SourceKind::helm);
  CHECK(facts[0].origin.file.empty());
  CHECK(facts[0].origin.describe() == "chart default createUserJob.defaultUser.password");
  CHECK(value_at(values, "networkPolicies.enabled") == "false");
  CHECK(values.facts("networkPolicies.enabled")[0].type == "bool");
  CHECK(values.facts("no.such.path").empty());
  CHECK(values.airflow_version == "3.1.7");
}

TEST_CASE("values files given with -f merge in order over the defaults; null deletes a default; lists are replaced",
          "[helm][values]") {
  HelmInputs inputs;
  inputs.values_files.push_back(
      {"a.yaml", "webserver:\n  service:\n    type: NodePort\nenv:\n  - name: A\n    value: '1'\n"});
  inputs.values_files.push_back({"b.yaml",
                                 "webserver:\n  replicas: 3\nenv:\n  - name: B\n    value: '2'\nfernetKey: ~\n"
                                 "postgresql:\n  auth: null\n"});
  inputs.chart_version = "1.18.0";
  const auto values = build_ok(inputs);
  auto type = values.facts("webserver.service.type");
  REQUIRE(type.size() == 1);
  CHECK(type[0].value == "NodePort");
  CHECK(type[0].is_set);
  CHECK(type[0].origin.file == "a.yaml");
  CHECK(type[0].origin.line == 3);
  CHECK(value_at(values, "webserver.replicas") == "3");
  CHECK(values.facts("env[*].name").size() == 1);
  CHECK(value_at(values, "env[0].name") == "B");
  CHECK(values.facts("postgresql.auth").empty());           // null deleted the default
  CHECK(value_at(values, "postgresql.enabled") == "true");  // siblings keep their defaults
  CHECK(values.facts("fernetKey").empty());
}

TEST_CASE("Helm --set and --set-string follow Helm's strvals syntax and typing", "[helm][values]") {
  HelmNode root = make_map();
  REQUIRE(apply_set_argument(root, "a.b=true,a.c=1,a.d=01,a.e=null,a.f=1.5", false));
  REQUIRE(apply_set_argument(root, "list={x,y,3},items[1].name=n,dotted\\.key=v,esc=a\\,b", false));
  REQUIRE(apply_set_argument(root, "s.flag=true,s.num=12", true));
  CHECK(to_json_text(root) ==
        R"({"a":{"b":true,"c":1,"d":"01","e":null,"f":"1.5"},"list":["x","y",3],"items":[null,{"name":"n"}],)"
        R"("dotted.key":"v","esc":"a,b","s":{"flag":"true","num":"12"}})");
  CHECK_FALSE(apply_set_argument(root, "novalue", false));
  CHECK_FALSE(apply_set_argument(root, "a=1,b", false));
  CHECK_FALSE(apply_set_argument(root, "a[x]=1", false));
  CHECK_FALSE(apply_set_argument(root, "a={1,2", false));
  CHECK_FALSE(apply_set_argument(root, "a[99999999]=1", false));
}

TEST_CASE("Helm --set wins over files and is reported as --set", "[helm][values]") {
  HelmInputs inputs;
  inputs.values_files.push_back({"v.yaml", "flower:\n  enabled: false\n"});
  inputs.set = {"flower.enabled=true"};
  inputs.set_string = {"webserverSecretKey=abc"};
  inputs.chart_version = "1.16.0";
  const auto values = build_ok(inputs);
  auto facts = values.facts("flower.enabled");
  REQUIRE(facts.size() == 1);
  CHECK(facts[0].value == "true");
  CHECK(facts[0].type == "bool");
  CHECK(facts[0].origin.file == "--set");
  CHECK(env_named(values, "AIRFLOW__WEBSERVER__SECRET_KEY")->value == "abc");
}

TEST_CASE("config: becomes an airflow.cfg with Helm origins", "[helm][values]") {
  const auto values = from_text(
      "config:\n  webserver:\n    expose_config: 'True'\n  api:\n    expose_config: yes\n"
      "elasticsearch:\n  enabled: true\n");
  const CfgOption* option = values.config_as_cfg.find("webserver", "expose_config");
  REQUIRE(option != nullptr);
  CHECK(option->raw_value == "True");
  CHECK(option->origin.kind == SourceKind::helm);
  CHECK(option->origin.file == "values.yaml");
  CHECK(option->origin.line == 3);
  CHECK(option->origin.name == "config.webserver.expose_config");
  CHECK(values.config_as_cfg.find("api", "expose_config")->raw_value == "true");
  // Defaults are merged in, with the chart's simple templates evaluated.
  CHECK(values.config_as_cfg.find("core", "load_examples")->raw_value == "False");
  CHECK(values.config_as_cfg.find("logging", "remote_logging")->raw_value == "True");
  CHECK(values.config_as_cfg.find("core", "executor")->raw_value == "CeleryExecutor");
}

TEST_CASE("env:, secret:, extraEnv: and the chart's own secrets become environment", "[helm][values]") {
  const auto values = from_text(
      "env:\n  - name: AIRFLOW__CORE__LOAD_EXAMPLES\n    value: 'True'\n"
      "secret:\n  - envName: AIRFLOW_CONN_S3\n    secretName: s3\n    secretKey: uri\n"
      "extraEnv: |\n  - name: AWS_SECRET_ACCESS_KEY\n    value: abcd1234\n"
      "  - name: FROM_SECRET\n    valueFrom:\n      secretKeyRef:\n        name: mine\n        key: k\n"
      "fernetKeySecretName: my-fernet\n");
  const EnvVar* plain = env_named(values, "AIRFLOW__CORE__LOAD_EXAMPLES");
  REQUIRE(plain != nullptr);
  CHECK(plain->value == "True");
  CHECK(plain->origin.line == 2);
  const EnvVar* secret = env_named(values, "AIRFLOW_CONN_S3");
  REQUIRE(secret != nullptr);
  CHECK(secret->value_from_reference);
  CHECK(secret->reference == "secret s3, key uri");
  const EnvVar* extra = env_named(values, "AWS_SECRET_ACCESS_KEY");
  REQUIRE(extra != nullptr);
  CHECK(extra->value == "abcd1234");
  CHECK(extra->origin.line == 9);
  CHECK(env_named(values, "FROM_SECRET")->reference == "secret mine, key k");
  const EnvVar* fernet = env_named(values, "AIRFLOW__CORE__FERNET_KEY");
  REQUIRE(fernet != nullptr);
  CHECK(fernet->value_from_reference);
  CHECK(fernet->reference == "secret my-fernet, key fernet-key");
  const EnvVar* conn = env_named(values, "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN");
  REQUIRE(conn != nullptr);
  CHECK(conn->value == "postgresql://postgres:postgres@RELEASE-postgresql:5432/postgres?sslmode=disable");
  CHECK(env_named(values, "AIRFLOW__API__SECRET_KEY")->value_from_reference);
  CHECK(env_named(values, "AIRFLOW__WEBSERVER__SECRET_KEY") == nullptr);  // chart 1.18+ with Airflow 3
}

TEST_CASE("the Airflow version comes from the image tag, airflowVersion or defaultAirflowTag", "[helm][values]") {
  CHECK(from_text("airflowVersion: 2.9.1\n").airflow_version == "2.9.1");
  CHECK(from_text("images:\n  airflow:\n    tag: 2.10.5-python3.11\nairflowVersion: 2.10.4\n").airflow_version ==
        "2.10.5");
  CHECK(from_text("defaultAirflowTag: '3.0.2'\n").airflow_version == "3.0.2");
  const auto values = from_text("images:\n  airflow:\n    tag: latest\n");
  CHECK(values.airflow_version == "3.1.7");
  CHECK(values.airflow_version_source.find("chart 1.19.0 default") != std::string::npos);
}

TEST_CASE("the chart version is inferred and the reason is given", "[helm][values]") {
  HelmInputs inputs;
  inputs.values_files.push_back({"v.yaml", "airflowVersion: \"2.10.4\"\n"});
  auto values = build_ok(inputs);
  CHECK(values.chart_version == "1.16.0");
  CHECK(values.chart_version_source.find("chart 1.16.0, inferred from Airflow 2.10.4 (v.yaml:1 (airflowVersion))") ==
        0);
  inputs.values_files[0].text = "airflowVersion: 2.7.1\n";
  CHECK(build_ok(inputs).chart_version == "1.15.0");
  inputs.values_files[0].text = "airflowVersion: 3.0.2\n";
  CHECK(build_ok(inputs).chart_version == "1.18.0");
  inputs.values_files[0].text = "executor: KubernetesExecutor\n";
  values = build_ok(inputs);
  CHECK(values.chart_version == default_chart_version());
  CHECK(values.chart_version_source.find("nothing in the values names a version") != std::string::npos);
  inputs.chart_version = "1.22.0";
  values = build_ok(inputs);
  CHECK(values.chart_version == "1.20.0-dev");
  CHECK(values.chart_version_source.find("newer than every chart airguard knows") != std::string::npos);
}

TEST_CASE("Helm --chart-defaults replaces the embedded defaults", "[helm][values]") {
  HelmInputs inputs;
  inputs.values_files.push_back({"v.yaml", "a: 1\n"});
  inputs.chart_defaults = HelmSourceText{"show.yaml", "a: 0\nb:\n  c: d\n"};
  const auto values = build_ok(inputs);
  CHECK(values.chart_version_source == "--chart-defaults show.yaml");
  CHECK(value_at(values, "b.c") == "d");
  CHECK_FALSE(values.facts("b.c")[0].is_set);
  CHECK(values.facts("webserver").empty());
}

TEST_CASE("the community chart is recognized", "[helm][values]") {
  const auto values = from_text("airflow:\n  image:\n    tag: 2.6.3\n  users: []\nweb:\n  replicas: 1\n", "");
  CHECK(values.chart == HelmChart::community);
  CHECK(values.airflow_version == "2.6.3");
  CHECK(value_at(values, "airflow.fernetKey") == "7T512UXSSmBOkpWimFHIVb8jK6lfmSAvx4mO6Arehnc=");
  const EnvVar* fernet = env_named(values, "AIRFLOW__CORE__FERNET_KEY");
  REQUIRE(fernet != nullptr);
  CHECK(fernet->value == "7T512UXSSmBOkpWimFHIVb8jK6lfmSAvx4mO6Arehnc=");
}

TEST_CASE("official values nested under an umbrella chart's key are found", "[helm][values]") {
  const auto values =
      from_text("airflow:\n  executor: KubernetesExecutor\n  webserver:\n    service:\n      type: LoadBalancer\n", "");
  CHECK(values.chart == HelmChart::official);
  CHECK(values.nested_under == "airflow");
  auto facts = values.facts("webserver.service.type");
  REQUIRE(facts.size() == 1);
  CHECK(facts[0].value == "LoadBalancer");
  CHECK(facts[0].origin.name == "airflow.webserver.service.type");
  CHECK(facts[0].origin.line == 5);
}

TEST_CASE("wildcards give one fact per match", "[helm][values]") {
  const auto values = from_text("");
  const auto facts = values.facts("*.serviceAccount.automountServiceAccountToken");
  CHECK(facts.size() >= 4);
  for (const auto& fact : facts) CHECK(fact.value == "true");
}

TEST_CASE("files are read bounded: an oversized values file is refused", "[helm][values]") {
  const auto path = std::filesystem::temp_directory_path() / "airguard-helm-big-values.yaml";
  {
    std::ofstream out(path);
    const std::string line = "key: " + std::string(1000, 'x') + "\n";
    for (std::size_t written = 0; written <= 17u * 1024u * 1024u; written += line.size()) out << line;
  }
  auto values = read_helm_values({path.string()}, {}, {}, "", std::nullopt);
  std::filesystem::remove(path);
  REQUIRE_FALSE(values);
  CHECK(values.error().file == path.string());
  auto missing = read_helm_values({"/nonexistent/values.yaml"}, {}, {}, "", std::nullopt);
  REQUIRE_FALSE(missing);
  CHECK(missing.error().message == "no such file");
}
