#include <catch2/catch.hpp>

#include "engine/operators.hpp"
#include "engine/subjects.hpp"

using namespace airguard;

namespace {
Fact fact(std::optional<std::string> value) {
  Fact f;
  f.key = "x.y";
  f.value = std::move(value);
  return f;
}
bool test(const std::string& op, const Fact& f, std::vector<std::string> args) {
  const OperatorInfo* info = find_operator(op);
  REQUIRE(info != nullptr);
  REQUIRE(info->test);
  return info->test(f, args);
}
}  // namespace

TEST_CASE("bool reads Airflow's and YAML's boolean spellings and nothing else") {
  CHECK(test("bool", fact("True"), {"true"}));
  CHECK(test("bool", fact(" t "), {"true"}));
  CHECK(test("bool", fact("yes"), {"true"}));
  CHECK(test("bool", fact("0"), {"false"}));
  CHECK_FALSE(test("bool", fact("maybe"), {"true"}));
  CHECK_FALSE(test("bool", fact("maybe"), {"false"}));
  CHECK_FALSE(test("bool", fact(std::nullopt), {"true"}));
}

TEST_CASE("empty treats runtime values as set") {
  Fact runtime = fact(std::nullopt);
  runtime.runtime_only = true;
  CHECK(test("empty", fact(""), {"true"}));
  CHECK(test("empty", fact("   "), {"true"}));
  CHECK(test("empty", fact(std::nullopt), {"true"}));
  CHECK_FALSE(test("empty", runtime, {"true"}));
  CHECK(test("empty", fact("x"), {"false"}));
}

TEST_CASE("URI operators look at scheme and user-info") {
  CHECK(test("uri_password", fact("postgresql+psycopg2://u:p@h/d"), {"true"}));
  CHECK_FALSE(test("uri_password", fact("postgresql://u@h/d"), {"true"}));
  CHECK(test("uri_scheme_in", fact("postgresql+psycopg2://u@h/d"), {"postgresql"}));
  CHECK(test("uri_scheme_in", fact("REDIS://h"), {"redis"}));
  CHECK_FALSE(test("uri_scheme_in", fact("rediss://h"), {"redis"}));
}

TEST_CASE("numbers, lengths, membership and patterns") {
  CHECK(test("number_gt", fact("43200"), {"720"}));
  CHECK_FALSE(test("number_gt", fact("abc"), {"720"}));
  CHECK(test("number_le", fact("0"), {"0"}));
  CHECK(test("length_lt", fact("short"), {"16"}));
  CHECK_FALSE(test("length_lt", fact(""), {"16"}));
  CHECK(test("in", fact("debug"), {"DEBUG", "TRACE"}));
  CHECK(test("not_in", fact("prefer"), {"verify-full", "verify-ca"}));
  CHECK_FALSE(test("not_in", fact(std::nullopt), {"verify-full"}));
  CHECK(test("matches", fact("http://a"), {"^http://"}));
  CHECK(test("contains", fact("x?SSLMODE=disable"), {"sslmode=disable"}));
}

TEST_CASE("Fernet keys and published placeholder secrets") {
  CHECK(test("fernet_invalid", fact("not-a-key"), {"true"}));
  CHECK_FALSE(test("fernet_invalid", fact("81HqDtbqAywKSOumSha3BhWNOdQ26slT6K0YaZeZyPs="), {"true"}));
  CHECK_FALSE(test("fernet_invalid", fact(""), {"true"}));
  CHECK(test("weak_secret", fact("temporary_key"), {"true"}));
  CHECK(test("weak_secret", fact("7T512UXSSmBOkpWimFHIVb8jK6lfmSAvx4mO6Arehnc="), {"true"}));
  CHECK_FALSE(test("weak_secret", fact("x8Jq2LmV0pRt7WcN4sYb"), {"true"}));
}

TEST_CASE("env globs match whole names") {
  CHECK(glob_match("AIRFLOW_CONN_*", "AIRFLOW_CONN_CRM"));
  CHECK_FALSE(glob_match("AIRFLOW_CONN_*", "XAIRFLOW_CONN_CRM"));
  CHECK(glob_match("*PASSWORD*", "SMTP_PASSWORD_FILE"));
  CHECK(glob_match("A*B*C", "AxxBxxC"));
  CHECK_FALSE(glob_match("A*B*C", "AxxBxx"));
}

TEST_CASE("every operator in the registry is documented") {
  for (const OperatorInfo& info : operator_registry()) {
    INFO(info.name);
    CHECK_FALSE(info.description.empty());
    CHECK_FALSE(info.example.empty());
  }
}
