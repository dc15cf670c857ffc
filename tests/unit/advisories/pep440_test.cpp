#include <catch2/catch.hpp>

#include "advisories/pep440.hpp"

using namespace airguard;

namespace {
Version v(std::string_view text) {
  auto parsed = parse_version(text);
  REQUIRE(parsed);
  return *parsed;
}
bool in(std::string_view spec, std::string_view version, bool pre = false) {
  auto set = SpecifierSet::parse(spec);
  REQUIRE(set);
  return set->contains(v(version), pre);
}
}  // namespace

TEST_CASE("versions normalize as packaging does") {
  CHECK(v("1.0RC1").text() == "1.0rc1");
  CHECK(v("v2.7").text() == "2.7");
  CHECK(v(" 1.0-alpha-2 ").text() == "1.0a2");
  CHECK(v("1.0.c1").text() == "1.0rc1");
  CHECK(v("1.0-1").text() == "1.0.post1");
  CHECK(v("1.0.rev").text() == "1.0.post0");
  CHECK(v("1!01.02_preview3-r4.DEV5+Ubuntu-007").text() == "1!1.2rc3.post4.dev5+ubuntu.7");
  CHECK(v("2.9.0-beta1").text() == "2.9.0b1");
  CHECK(v("3.0.0rc1.post1").text() == "3.0.0rc1.post1");
  CHECK(v("1.0cr").text() == "1.0rc0.post0");
  CHECK_FALSE(parse_version("2.9.0-NA"));
  CHECK_FALSE(parse_version(""));
  CHECK_FALSE(parse_version("1.0+"));
  CHECK_FALSE(parse_version("1.0 rc1"));
  CHECK_FALSE(parse_version("latest"));
}

TEST_CASE("versions order as packaging does") {
  const char* ordered[] = {"1.0.dev0", "1.0a0.dev0", "1.0a0", "1.0a1",          "1.0b1",     "1.0rc1", "1.0",
                           "1.0+abc",  "1.0+abc.1",  "1.0+1", "1.0.post0.dev1", "1.0.post0", "1.1",    "1!0.1"};
  for (std::size_t i = 0; i + 1 < std::size(ordered); ++i) {
    INFO(ordered[i] << " < " << ordered[i + 1]);
    CHECK(v(ordered[i]) < v(ordered[i + 1]));
  }
  CHECK(v("1.0") == v("1.0.0.0"));
  CHECK(v("1.0+A") == v("1.0+a"));
  CHECK(compare_versions(v("2.10.0"), v("2.9.9")) > 0);
  CHECK(compare_versions(v("99999999999999999999999.1"), v("99999999999999999999998.2")) > 0);
}

TEST_CASE("equality keys are equal exactly when the versions are") {
  const char* texts[] = {"1",       "1.0",      "1.0.0",        "1.0.0.1",    "1.0.1",       "01.00",
                         "1.0rc1",  "1.0.0rc1", "1.0rc1.post0", "1.0.post0",  "1.0.0.post0", "1.0.dev0",
                         "1.0+abc", "1.0+ABC",  "1.0+abc.0",    "1.0+abc.00", "1!1.0",       "0!1.0",
                         "0",       "0.0",      "2.10",         "2.10.0",     "2.1"};
  for (const char* a : texts) {
    for (const char* b : texts) {
      INFO(a << " vs " << b);
      CHECK((v(a).equality_key() == v(b).equality_key()) == (v(a) == v(b)));
    }
  }
  CHECK(v("2.10.0").equality_key() == "2.10");
  CHECK(v("0.0").equality_key() == "0");
}

TEST_CASE("specifier sets contain as packaging does") {
  CHECK(in(">=2.7,<3", "2.10.5"));
  CHECK_FALSE(in(">=2.7,<3", "3.0.0"));
  CHECK_FALSE(in(">=2.7,<3", "3.0.0rc1"));
  CHECK_FALSE(in(">=2.7,<3", "2.8.0rc1"));
  CHECK(in(">=2.7,<3", "2.8.0rc1", true));
  CHECK(in(">=2.8.0rc1", "2.8.0rc2"));
  CHECK(in("==2.10.*", "2.10.5"));
  CHECK_FALSE(in("==2.10.*", "2.1.0"));
  CHECK(in("~=2.9", "2.11.1"));
  CHECK_FALSE(in("~=2.9", "3.0"));
  CHECK(in("~=2.9.1", "2.9.5"));
  CHECK_FALSE(in("~=2.9.1", "2.10.0"));
  CHECK_FALSE(in("!=2.8.0", "2.8"));
  CHECK(in("", "1.0"));
  CHECK_FALSE(in("", "1.0rc1"));
  CHECK(in("==1.0", "1.0+local"));
  CHECK_FALSE(in(">1.0", "1.0.post1"));
  CHECK_FALSE(in("<3", "3.0.dev1", true));
  CHECK_FALSE(SpecifierSet::parse(">=latest"));
  CHECK_FALSE(SpecifierSet::parse("~=2"));
  CHECK_FALSE(SpecifierSet::parse("<2.0+local"));
  CHECK(SpecifierSet::parse(" >= 2.7 , , < 3 "));
}

TEST_CASE("package names normalize per PEP 503") {
  CHECK(normalize_package_name("Apache_Airflow.Providers--Celery") == "apache-airflow-providers-celery");
}
