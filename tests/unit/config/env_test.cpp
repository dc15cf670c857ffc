#include <catch2/catch.hpp>

#include <map>

#include "sources/env/compose.hpp"
#include "sources/env/environment.hpp"

using namespace airguard;

namespace {
std::map<std::string, EnvVar> by_name(const std::vector<EnvVar>& vars) {
  std::map<std::string, EnvVar> out;
  for (const auto& v : vars) out[v.name] = v;
  return out;
}
}  // namespace

TEST_CASE("env file: compose's .env rules", "[env]") {
  const auto parsed = parse_env_file(
      "# comment\n\nexport A=1\nB=val # comment\nC=val# not a comment\nD=\"quoted # kept\" # comment\n"
      "E='$A literal'\nF=\"${A}-x\\n\"\nG=${MISSING:-fallback}\nH\nI = spaced  \nJ='it\\'s'\n",
      ".env");
  CHECK(parsed.problems.empty());
  auto vars = by_name(parsed.vars);
  CHECK(vars["A"].value == "1");
  CHECK(vars["A"].origin.line == 3);
  CHECK(vars["B"].value == "val");
  CHECK(vars["C"].value == "val# not a comment");
  CHECK(vars["D"].value == "quoted # kept");
  CHECK(vars["E"].value == "$A literal");
  CHECK(vars["F"].value == "1-x\n");
  CHECK(vars["G"].value == "fallback");
  CHECK(vars["H"].value_from_reference);
  CHECK(vars["I"].value == "spaced");
  CHECK(vars["J"].value == "it's");
}

TEST_CASE("env file: multi-line double-quoted values and line numbers", "[env]") {
  const auto parsed = parse_env_file("A=\"line1\nline2\"\nB=2\r\n", ".env");
  auto vars = by_name(parsed.vars);
  CHECK(vars["A"].value == "line1\nline2");
  CHECK(vars["B"].origin.line == 3);
}

TEST_CASE("env file: a line that is not an assignment is a problem with its line", "[env]") {
  const auto parsed = parse_env_file("A=1\nnot valid here\n", ".env");
  REQUIRE(parsed.problems.size() == 1);
  CHECK(parsed.problems[0].line == 2);
}

TEST_CASE("compose: anchors, merges, list form and env_file", "[env][compose]") {
  const std::string yaml =
      "x-airflow-common:\n"
      "  &airflow-common\n"
      "  image: ${AIRFLOW_IMAGE_NAME:-apache/airflow:2.10.5}\n"
      "  env_file:\n"
      "    - airflow.env\n"
      "  environment:\n"
      "    &airflow-common-env\n"
      "    AIRFLOW__CORE__EXECUTOR: CeleryExecutor\n"
      "    AIRFLOW__CORE__FERNET_KEY: ''\n"
      "    AIRFLOW__WEBSERVER__EXPOSE_CONFIG: True\n"
      "services:\n"
      "  airflow-webserver:\n"
      "    <<: *airflow-common\n"
      "    command: webserver\n"
      "  airflow-init:\n"
      "    <<: *airflow-common\n"
      "    environment:\n"
      "      <<: *airflow-common-env\n"
      "      _AIRFLOW_WWW_USER_PASSWORD: ${_AIRFLOW_WWW_USER_PASSWORD:-airflow}\n"
      "  redis:\n"
      "    image: redis:7\n"
      "    environment:\n"
      "      - REDIS_ONLY=1\n"
      "  worker:\n"
      "    image: apache/airflow:2.10.5\n"
      "    environment:\n"
      "      - AIRFLOW__CELERY__BROKER_URL=redis://redis:6379/0\n"
      "      - AIRFLOW_UID\n";
  int reads = 0;
  const auto reader = [&reads](const std::string& path) -> Result<EnvFileParse> {
    ++reads;
    CHECK(path == "deploy/airflow.env");
    return parse_env_file("AIRFLOW__CORE__LOAD_EXAMPLES=False\n", path);
  };
  const auto env = parse_compose_environment(yaml, "deploy/docker-compose.yaml", {}, reader);
  CHECK(env.services == std::vector<std::string>{"airflow-webserver", "airflow-init", "worker"});
  auto vars = by_name(env.vars);
  CHECK(vars["AIRFLOW__CORE__EXECUTOR"].value == "CeleryExecutor");
  CHECK(vars["AIRFLOW__CORE__EXECUTOR"].origin.line == 8);
  CHECK(vars["AIRFLOW__CORE__FERNET_KEY"].value.empty());
  CHECK(vars["AIRFLOW__WEBSERVER__EXPOSE_CONFIG"].value == "true");
  CHECK(vars["_AIRFLOW_WWW_USER_PASSWORD"].value == "airflow");
  CHECK(vars["AIRFLOW__CORE__LOAD_EXAMPLES"].value == "False");
  CHECK(vars["AIRFLOW__CELERY__BROKER_URL"].value == "redis://redis:6379/0");
  CHECK(vars["AIRFLOW_UID"].value_from_reference);
  CHECK(vars.count("REDIS_ONLY") == 0);
  CHECK(reads == 2);  // both services take env_file from the merged anchor
}

TEST_CASE("compose: invalid YAML is a problem with a line", "[env][compose]") {
  const auto env = parse_compose_environment("services:\n  a: [\n", "c.yaml", {}, [](const std::string& p) {
    return Result<EnvFileParse>(make_error(p, 0, "no"));
  });
  REQUIRE_FALSE(env.problems.empty());
  CHECK(env.problems[0].level == Diagnostic::Level::error);
}
