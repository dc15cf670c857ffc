#include <catch2/catch.hpp>

#include "core/resources.hpp"
#include "engine/check_loader.hpp"

using namespace airguard;

namespace {
std::vector<CheckDef> parse(const std::string& text, Diagnostics& problems) {
  return parse_checks_file(text, "checks/test.yaml", problems);
}
const char* const kValid = R"(schema: 1
checks:
  - id: AFH-TEST-001
    title: A test check
    severity: high
    airflow: ">=2.7,<3"
    option: [webserver.expose_config, api.expose_config]
    fail_when:
      all:
        - bool: true
        - option: core.load_examples
          bool: true
    rationale: Because.
    fix:
      summary: Turn it off.
      value: "False"
    tags: [pci-dss:2.2.6]
)";
}  // namespace

TEST_CASE("a valid check file loads with its subject, condition tree and fix") {
  Diagnostics problems;
  const auto checks = parse(kValid, problems);
  REQUIRE(problems.empty());
  REQUIRE(checks.size() == 1);
  const CheckDef& check = checks.front();
  CHECK(check.id == "AFH-TEST-001");
  CHECK(check.severity == Severity::high);
  CHECK(check.subject_kind == "option");
  CHECK(check.subject == std::vector<std::string>{"webserver.expose_config", "api.expose_config"});
  REQUIRE(check.fail_when.has_value());
  CHECK(check.fail_when->op == "all");
  REQUIRE(check.fail_when->children.size() == 2);
  CHECK(check.fail_when->children[1].subject_kind == "option");
  CHECK(check.fail_when->children[1].args == std::vector<std::string>{"true"});
  CHECK(check.fix.value == std::optional<std::string>("False"));
  CHECK(check.line == 3);
}

TEST_CASE("loader errors name the file and the line of the problem") {
  Diagnostics problems;
  std::string text = kValid;
  text.replace(text.find("bool: true\n        - option"), 10, "boolean: true");
  parse(text, problems);
  REQUIRE(problems.size() == 1);
  CHECK(problems.front().file == "checks/test.yaml");
  CHECK(problems.front().line == 10);
  CHECK(problems.front().message == "unknown operator 'boolean'");
  CHECK(problems.front().hint.find("bool") != std::string::npos);
}

TEST_CASE("a check with two operators in one condition, a bad severity or an unknown field is refused") {
  SECTION("two operators") {
    Diagnostics problems;
    std::string text = kValid;
    text.replace(text.find("      all:"), 0, "      bool: true\n");
    parse(text, problems);
    REQUIRE_FALSE(problems.empty());
    CHECK(problems.front().message.find("one operator") != std::string::npos);
  }
  SECTION("severity") {
    Diagnostics problems;
    std::string text = kValid;
    text.replace(text.find("severity: high"), 14, "severity: severe");
    CHECK(parse(text, problems).empty());
    CHECK(problems.front().line == 5);
  }
  SECTION("unknown field") {
    Diagnostics problems;
    std::string text = kValid;
    text.replace(text.find("    tags:"), 0, "    colour: red\n");
    CHECK(parse(text, problems).empty());
    CHECK(problems.front().message == "unknown field 'colour'");
  }
  SECTION("bad version range") {
    Diagnostics problems;
    std::string text = kValid;
    text.replace(text.find(">=2.7,<3"), 8, "newer than 2");
    CHECK(parse(text, problems).empty());
    CHECK(problems.front().line == 6);
  }
  SECTION("invalid regular expression") {
    Diagnostics problems;
    std::string text = kValid;
    text.replace(text.find("bool: true\n        - option"), 10, "matches: \"(unclosed\"");
    CHECK(parse(text, problems).empty());
    CHECK(problems.front().message.find("invalid regular expression") != std::string::npos);
  }
  SECTION("not YAML") {
    Diagnostics problems;
    CHECK(parse("checks: [\n", problems).empty());
    CHECK(problems.front().message.find("invalid YAML") != std::string::npos);
  }
}

TEST_CASE("the catalogue refuses duplicate ids and code checks without a function") {
  CheckCatalog catalog;
  Diagnostics problems;
  catalog.checks = parse(kValid, problems);
  catalog.checks.push_back(catalog.checks.front());
  CheckDef code = catalog.checks.front();
  code.id = "AFH-TEST-999";
  code.subject_kind = "code";
  catalog.checks.push_back(code);
  validate_catalog(catalog);
  const auto has = [&](const std::string& text) {
    return std::any_of(catalog.problems.begin(), catalog.problems.end(),
                       [&](const Diagnostic& d) { return d.message.find(text) != std::string::npos; });
  };
  CHECK(has("duplicate check id AFH-TEST-001"));
  CHECK(has("AFH-TEST-999 is `kind: code` but no function is registered"));
  CHECK_FALSE(catalog.ok());
}

TEST_CASE("the built-in catalogue loads without problems and every code check has a definition") {
  // Loading trusts the build's validation of the compiled catalogue; validate it again here.
  CheckCatalog catalog = load_check_catalog();
  validate_catalog(catalog);
  for (const Diagnostic& d : catalog.problems) INFO(d.format());
  CHECK(catalog.ok());
  CHECK(catalog.checks.size() >= 60);
}

TEST_CASE("the catalogue compiled at build time equals the one parsed from checks/*.yaml, field by field") {
  const auto compiled = compiled_resource("checks");
  REQUIRE(compiled);  // test executables link airguard_compiled_data, as airguard does
  const auto decoded = decode_checks(*compiled, CheckExamples::load);
  REQUIRE(decoded);
  CheckCatalog parsed = parse_builtin_check_catalog();
  validate_catalog(parsed);
  REQUIRE(parsed.ok());
  REQUIRE(decoded->size() == parsed.checks.size());
  for (std::size_t i = 0; i < parsed.checks.size(); ++i) {
    INFO(parsed.checks[i].id);
    CHECK((*decoded)[i] == parsed.checks[i]);
  }
  CHECK(load_check_catalog({}, CheckExamples::load).checks == parsed.checks);
  // Without examples (a scan): the same checks, examples left out.
  const auto without = decode_checks(*compiled, CheckExamples::skip);
  REQUIRE(without);
  std::vector<CheckDef> expected = parsed.checks;
  std::size_t examples = 0;
  for (CheckDef& check : expected) {
    examples += check.examples.size();
    check.examples.clear();
  }
  CHECK(examples > 100);
  CHECK(*without == expected);
  CHECK(load_check_catalog().checks == expected);

  // Texts on demand (a scan): none read on load; each check completes to the parsed one.
  CheckCatalog lean = load_check_catalog({}, CheckExamples::skip, CheckTexts::on_demand);
  REQUIRE(lean.ok());
  REQUIRE(lean.checks.size() == expected.size());
  for (std::size_t i = 0; i < lean.checks.size(); ++i) {
    INFO(expected[i].id);
    CHECK_FALSE(lean.checks[i].has_texts());
    CHECK(lean.checks[i].title.empty());
    CHECK(lean.checks[i].rationale.empty());
    CHECK(lean.checks[i].fail_when == expected[i].fail_when);
    const CheckDef copy = lean.with_texts(lean.checks[i]);
    CHECK(copy == expected[i]);
    CHECK_FALSE(lean.checks[i].has_texts());  // with_texts leaves the catalogue's check as it was
    lean.load_texts(lean.checks[i]);
    CHECK(lean.checks[i] == expected[i]);
  }

  // Conditions on demand as well (what a scan loads): none read on load; each reads as parsed.
  CheckCatalog leaner = load_check_catalog({}, CheckExamples::skip, CheckTexts::on_demand, CheckConditions::on_demand);
  REQUIRE(leaner.ok());
  REQUIRE(leaner.checks.size() == expected.size());
  std::size_t stored = 0;
  for (std::size_t i = 0; i < leaner.checks.size(); ++i) {
    INFO(expected[i].id);
    const CheckDef& check = leaner.checks[i];
    CHECK_FALSE(check.fail_when);
    CHECK(check.condition_stored());  // code checks too: an empty condition is stored as such
    CHECK(leaner.condition(check) == expected[i].fail_when);
    if (expected[i].fail_when) ++stored;
  }
  CHECK(stored > 90);
  // A check given with its condition answers with it, without reading the catalogue.
  CHECK(leaner.condition(expected.front()) == expected.front().fail_when);
}

TEST_CASE("decoding refuses bytes that are not a check list of this format") {
  const auto compiled = compiled_resource("checks");
  REQUIRE(compiled);
  CHECK_FALSE(decode_checks("", CheckExamples::load));
  CHECK_FALSE(decode_checks("not a catalogue at all", CheckExamples::load));
  CHECK_FALSE(decode_checks(compiled->substr(0, compiled->size() / 2), CheckExamples::load));  // cut short
  const auto advisories = compiled_resource("advisories");
  REQUIRE(advisories);
  CHECK_FALSE(decode_checks(*advisories, CheckExamples::load));  // another kind of blob
  // The right header over garbage: the first length read is absurd and must be refused, not thrown.
  const std::size_t header = std::string_view("airguard-checks").size() + 1 + 4 + 4;
  std::string garbage(*compiled);
  std::fill_n(garbage.begin() + static_cast<std::ptrdiff_t>(header), 64, '\xff');
  CHECK_FALSE(decode_checks(garbage, CheckExamples::load));
  std::vector<CheckDef> one(1);
  one[0].id = "AFH-TEST-001";
  Condition condition;
  condition.op = "bool";
  condition.args = {"true"};
  condition.line = 3;
  one[0].fail_when = condition;
  const auto round_trip = decode_checks(encode_checks(one), CheckExamples::load);
  REQUIRE(round_trip);
  CHECK(*round_trip == one);
}
