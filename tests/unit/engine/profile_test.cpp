#include <catch2/catch.hpp>

#include <algorithm>

#include "core/resources.hpp"
#include "engine/evaluator.hpp"
#include "engine/profile_loader.hpp"

using namespace airguard;

TEST_CASE("built-in profiles load with their extends chain applied") {
  for (const char* name : {"default", "production", "pci-dss", "gdpr", "development"}) {
    INFO(name);
    REQUIRE(load_profile(name).ok());
  }
  const auto pci = load_profile("pci-dss");
  CHECK(pci->chain == std::vector<std::string>{"pci-dss", "production", "default"});
  CHECK(pci->fail_on == Severity::medium);
  CHECK(pci->param("max_session_minutes") == std::optional<std::string>("15"));
  CHECK(pci->param("max_feed_age_days") == std::optional<std::string>("30"));  // inherited from default
}

TEST_CASE("a child's enable overrides its parent's disable, and ids beat tags") {
  Profile parent;
  parent.disable = {"AFH-X-001", "tag:noisy"};
  CheckDef check;
  check.id = "AFH-X-001";
  check.tags = {"noisy"};
  CHECK_FALSE(check_enabled(check, parent));
  Profile child = parent;
  child.enable = {"AFH-X-001"};
  child.disable = {"tag:noisy"};
  CHECK(check_enabled(check, child));  // the id rule wins over the tag rule
  CheckDef opt_in;
  opt_in.id = "AFH-X-002";
  opt_in.enabled_by_default = false;
  opt_in.tags = {"pci-dss:8.3.6"};
  CHECK_FALSE(check_enabled(opt_in, parent));
  Profile pci;
  pci.enable = {"tag:pci-dss"};
  CHECK(check_enabled(opt_in, pci));  // tag:pci-dss selects pci-dss:8.3.6
}

TEST_CASE("malformed profiles are errors with a line") {
  std::string extends;
  auto bad = parse_profile("schema: 1\nname: x\nfail_on: severe\n", "p.yaml", &extends);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().line == 3);
  auto unknown = parse_profile("schema: 1\nname: x\nenabel: [a]\n", "p.yaml", &extends);
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().message == "unknown field 'enabel'");
  CHECK_FALSE(load_profile("no-such-profile").ok());
}

TEST_CASE("version_applies honours the target version and stays open when it is unknown") {
  CHECK(version_applies("<3", {"2.10.5", "test"}));
  CHECK_FALSE(version_applies("<3", {"3.1.0", "test"}));
  CHECK(version_applies(">=2.7,<3", {"", "unknown"}));
  CHECK(version_applies("", {"3.1.0", "test"}));
}

TEST_CASE("the built-in profiles stored at build time equal the ones resolved from profiles/*.yaml") {
  const auto compiled = compiled_resource("profiles");
  REQUIRE(compiled);  // test executables link airguard_compiled_data, as airguard does
  const auto decoded = decode_profiles(*compiled);
  REQUIRE(decoded);
  REQUIRE(decoded->size() == builtin_profile_names().size());
  for (const std::string& name : builtin_profile_names()) {
    INFO(name);
    const auto parsed = parse_profile_chain(name);
    REQUIRE(parsed);
    const auto loaded = load_profile(name);
    REQUIRE(loaded);
    CHECK(*loaded == *parsed);
    CHECK(std::count(decoded->begin(), decoded->end(), *parsed) == 1);
  }
  CHECK_FALSE(load_profile("no-such-profile"));
  CHECK_FALSE(decode_profiles(*compiled_resource("checks")));
}
