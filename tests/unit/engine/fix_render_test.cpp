#include <catch2/catch.hpp>

#include "engine/fix_render.hpp"

using namespace airguard;

namespace {
CheckDef check_with_value(const std::string& value) {
  CheckDef check;
  check.id = "AFH-WEB-003";
  check.subject_kind = "option";
  check.fix.summary = "Turn it off.";
  check.fix.value = value;
  return check;
}
Fact fact_from(SourceKind kind, std::string file, int line, std::string name = {}) {
  Fact f;
  f.key = "webserver.expose_config";
  f.value = "True";
  f.origin.kind = kind;
  f.origin.file = std::move(file);
  f.origin.line = line;
  f.origin.name = std::move(name);
  return f;
}
}  // namespace

TEST_CASE("the fix is written for the place the value comes from") {
  const CheckDef check = check_with_value("False");
  Snapshot snapshot;
  SECTION("airflow.cfg") {
    const Remediation fix = render_fix(check, fact_from(SourceKind::cfg, "deploy/airflow.cfg", 12), snapshot);
    CHECK(fix.target == "deploy/airflow.cfg:12");
    CHECK(fix.snippet == "[webserver]\nexpose_config = False");
    CHECK(fix.action_key == "set:webserver.expose_config=False");
  }
  SECTION("an env file") {
    const Remediation fix =
        render_fix(check, fact_from(SourceKind::env, ".env", 3, "AIRFLOW__WEBSERVER__EXPOSE_CONFIG"), snapshot);
    CHECK(fix.target == ".env:3 (AIRFLOW__WEBSERVER__EXPOSE_CONFIG)");
    CHECK(fix.snippet == "AIRFLOW__WEBSERVER__EXPOSE_CONFIG=False");
  }
  SECTION("Helm config:") {
    const Remediation fix =
        render_fix(check, fact_from(SourceKind::helm, "values.yaml", 40, "config.webserver.expose_config"), snapshot);
    CHECK(fix.target == "values.yaml:40");
    CHECK(fix.snippet == "config:\n  webserver:\n    expose_config: 'False'");
  }
  SECTION("a default nobody set, in a deployment configured by airflow.cfg") {
    snapshot.cfg = CfgFile{};
    snapshot.cfg->path = "airflow.cfg";
    const Remediation fix = render_fix(check, fact_from(SourceKind::default_value, "", 0), snapshot);
    CHECK(fix.target == "airflow.cfg (not set: add it)");
    CHECK(fix.snippet == "[webserver]\nexpose_config = False");
  }
}

TEST_CASE("env var names follow Airflow's rule, dots in sections become underscores") {
  CHECK(airflow_env_var("core", "fernet_key") == "AIRFLOW__CORE__FERNET_KEY");
  CHECK(airflow_env_var("kubernetes_executor", "verify_ssl") == "AIRFLOW__KUBERNETES_EXECUTOR__VERIFY_SSL");
  CHECK(airflow_env_var("a.b", "c") == "AIRFLOW__A_B__C");
}

TEST_CASE("YAML quoting keeps the exact string") {
  CHECK(yaml_quote("False") == "'False'");
  CHECK(yaml_quote("it's") == "'it''s'");
}
