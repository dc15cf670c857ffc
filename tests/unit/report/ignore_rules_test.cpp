#include <catch2/catch.hpp>

#include "report/ignore_rules.hpp"
#include "sample_report.hpp"
#include "test_support.hpp"

using namespace airguard;
using namespace airguard::testing;

namespace {
IgnoreFile parse_ok(const std::string& text, const std::string& path = "deploy/.airguard-ignore.yaml") {
  auto parsed = parse_ignore_file(text, path);
  INFO((parsed.ok() ? std::string() : parsed.error().format()));
  REQUIRE(parsed.ok());
  return *parsed;
}

Diagnostic parse_error(const std::string& text) {
  auto parsed = parse_ignore_file(text, "ign.yaml");
  REQUIRE_FALSE(parsed.ok());
  return parsed.error();
}

std::vector<Finding> sample_findings() {
  std::vector<Finding> findings = sample_report().findings;
  for (Finding& finding : findings) {  // start from nothing suppressed
    finding.suppressed = false;
    finding.suppression_reason.clear();
  }
  return findings;
}

const Finding& by_check(const std::vector<Finding>& findings, const std::string& id) {
  for (const Finding& finding : findings) {
    if (finding.check_id == id) return finding;
  }
  FAIL("no finding for " << id);
  return findings.front();
}
}  // namespace

TEST_CASE("ignore: the documented shape parses, with lines") {
  const IgnoreFile file = parse_ok(R"(# accepted risks
ignore:
  - check: AFH-WEB-001
    key: webserver.expose_config
    file: airflow.cfg
    reason: accepted until the proxy strips the header
    expires: 2026-12-31
  - check: AFH-ADV-*
    reason: upgrade scheduled
)");
  REQUIRE(file.entries.size() == 2);
  CHECK(file.entries[0].check == "AFH-WEB-001");
  CHECK(file.entries[0].key == "webserver.expose_config");
  CHECK(file.entries[0].file == "airflow.cfg");
  CHECK(file.entries[0].expires == "2026-12-31");
  CHECK(file.entries[0].line == 3);
  CHECK(file.entries[0].defined_in == "deploy/.airguard-ignore.yaml");
  CHECK(file.entries[1].line == 8);
  CHECK(parse_ok("").entries.empty());
  CHECK(parse_ok("ignore: []\n").entries.empty());
  CHECK(parse_ok("ignore:\n").entries.empty());
}

TEST_CASE("ignore: a reason is required, with file:line in the error") {
  const Diagnostic missing = parse_error("ignore:\n  - check: AFH-WEB-001\n  - check: AFH-WEB-002\n");
  CHECK(missing.file == "ign.yaml");
  CHECK(missing.line == 2);
  CHECK(missing.message == "the ignore entry for AFH-WEB-001 has no reason");
  CHECK(parse_error("ignore:\n  - check: AFH-WEB-001\n    reason: \"  \"\n").line == 2);
}

TEST_CASE("ignore: malformed entries are errors at their line") {
  CHECK(parse_error("ignore:\n  - reason: x\n").message == "an ignore entry needs a check id");
  const Diagnostic typo = parse_error("ignore:\n  - check: A\n    reason: r\n    expire: 2026-01-01\n");
  CHECK(typo.line == 4);
  CHECK(typo.hint == "did you mean 'expires'?");
  const Diagnostic date = parse_error("ignore:\n  - check: A\n    reason: r\n    expires: 2026-02-30\n");
  CHECK(date.line == 4);
  CHECK(date.message == "expires '2026-02-30' is not a date");
  CHECK(parse_error("ignore:\n  - check: A\n    reason: r\n    expires: 31/12/2026\n").line == 4);
  CHECK(parse_error("ignore:\n  - check: [A, B]\n    reason: r\n").line == 2);
  CHECK(parse_error("ignores:\n  - check: A\n").message == "unknown top-level key 'ignores'");
  CHECK(parse_error("ignore: AFH-WEB-001\n").message == "'ignore' must be a list of entries");
  CHECK(parse_error("ignore:\n  - AFH-WEB-001\n").line == 2);
  CHECK(parse_error("- check: A\n").message == "an ignore file is a mapping with an 'ignore' list");
  const Diagnostic yaml = parse_error("ignore:\n  - check: A\n    reason: [unclosed\n");
  CHECK(yaml.message.rfind("not valid YAML", 0) == 0);
  CHECK(yaml.line >= 3);
}

TEST_CASE("ignore: dates are checked as calendar dates") {
  CHECK(is_iso_date("2024-02-29"));
  CHECK_FALSE(is_iso_date("2023-02-29"));
  CHECK_FALSE(is_iso_date("2026-13-01"));
  CHECK_FALSE(is_iso_date("2026-1-01"));
  CHECK(is_iso_date("2000-02-29"));
  CHECK_FALSE(is_iso_date("1900-02-29"));
}

TEST_CASE("ignore: entries suppress matching findings with their reason") {
  std::vector<Finding> findings = sample_findings();
  const IgnoreFile file = parse_ok(R"(ignore:
  - check: AFH-WEB-001
    reason: proxy strips it
  - check: afh-sec-*
    key: airflow_conn_warehouse
    reason: rotated nightly
)");
  const IgnoreResult result = apply_ignores(file, findings, "2025-11-22");
  CHECK(result.audit.suppressed == 2);
  CHECK(by_check(findings, "AFH-WEB-001").suppressed);
  CHECK(by_check(findings, "AFH-WEB-001").suppression_reason == "proxy strips it");
  CHECK(by_check(findings, "AFH-SEC-002").suppression_reason == "rotated nightly");
  CHECK_FALSE(by_check(findings, "AFH-CORE-001").suppressed);
  CHECK(result.audit.unused.empty());
  CHECK(result.audit.expired.empty());
}

TEST_CASE("ignore: key and file narrow an entry") {
  std::vector<Finding> findings = sample_findings();
  const IgnoreFile file = parse_ok(R"(ignore:
  - check: AFH-WEB-001
    key: webserver.base_url
    reason: wrong key
  - check: AFH-CORE-001
    file: other/.env
    reason: wrong file
  - check: AFH-WEB-007
    file: airflow.cfg
    reason: file relative to the ignore file
)");
  const IgnoreResult result = apply_ignores(file, findings, "2025-11-22");
  CHECK_FALSE(by_check(findings, "AFH-WEB-001").suppressed);
  CHECK_FALSE(by_check(findings, "AFH-CORE-001").suppressed);
  CHECK(by_check(findings, "AFH-WEB-007").suppressed);
  CHECK(result.audit.unused.size() == 2);
}

TEST_CASE("ignore: file paths match relative to the ignore file, by suffix, or by glob") {
  Finding finding;
  finding.check_id = "AFH-WEB-001";
  finding.location.file = "repo/deploy/airflow.cfg";
  IgnoreEntry entry{"AFH-WEB-001", "", "deploy/airflow.cfg", "r", "", "repo/.airguard-ignore.yaml", 1};
  CHECK(ignore_entry_matches(entry, finding, "repo/.airguard-ignore.yaml"));
  entry.file = "airflow.cfg";
  CHECK(ignore_entry_matches(entry, finding, "elsewhere/.airguard-ignore.yaml"));
  entry.file = "flow.cfg";  // a suffix must start at a path component
  CHECK_FALSE(ignore_entry_matches(entry, finding, "elsewhere/.airguard-ignore.yaml"));
  entry.file = "deploy/*.cfg";
  CHECK(ignore_entry_matches(entry, finding, "repo/.airguard-ignore.yaml"));
  entry.file = "./deploy/../deploy/airflow.cfg";
  CHECK(ignore_entry_matches(entry, finding, "repo/.airguard-ignore.yaml"));
  finding.location.file.clear();  // a value from the process environment has no file
  CHECK_FALSE(ignore_entry_matches(entry, finding, "repo/.airguard-ignore.yaml"));
}

TEST_CASE("ignore: an expired entry stops applying and is reported; the last day still applies") {
  const IgnoreFile file = parse_ok(R"(ignore:
  - check: AFH-WEB-001
    reason: until the proxy lands
    expires: 2025-11-21
  - check: AFH-CORE-001
    reason: key rotation in progress
    expires: 2025-11-22
)");
  std::vector<Finding> findings = sample_findings();
  const IgnoreResult result = apply_ignores(file, findings, "2025-11-22");
  CHECK_FALSE(by_check(findings, "AFH-WEB-001").suppressed);
  CHECK(by_check(findings, "AFH-CORE-001").suppressed);
  REQUIRE(result.audit.expired.size() == 1);
  CHECK(result.audit.expired[0].check == "AFH-WEB-001");
  CHECK(result.audit.unused.empty());  // expired is reported as expired, not also as unused
  REQUIRE(result.diagnostics.size() == 1);
  CHECK(result.diagnostics[0].level == Diagnostic::Level::warning);
  CHECK(result.diagnostics[0].line == 2);
  CHECK(result.diagnostics[0].message == "the ignore entry for AFH-WEB-001 expired on 2025-11-21");
}

TEST_CASE("ignore: entries that match nothing are reported as unused") {
  const IgnoreFile file = parse_ok("ignore:\n  - check: AFH-API-001\n    reason: no API here\n");
  std::vector<Finding> findings = sample_findings();
  const IgnoreResult result = apply_ignores(file, findings, "2025-11-22");
  REQUIRE(result.audit.unused.size() == 1);
  CHECK(result.audit.unused[0].line == 2);
  REQUIRE(result.diagnostics.size() == 1);
  CHECK(result.diagnostics[0].level == Diagnostic::Level::note);
  CHECK(result.diagnostics[0].message == "the ignore entry for AFH-API-001 matched no finding");
}

TEST_CASE("ignore: the first matching entry's reason wins; a shadowed entry still counts as used") {
  const IgnoreFile file =
      parse_ok("ignore:\n  - check: AFH-WEB-*\n    reason: first\n  - check: AFH-WEB-001\n    reason: second\n");
  std::vector<Finding> findings = sample_findings();
  const IgnoreResult result = apply_ignores(file, findings, "2025-11-22");
  CHECK(by_check(findings, "AFH-WEB-001").suppression_reason == "first");
  CHECK(result.audit.unused.empty());
  CHECK(result.audit.suppressed == 2);
}

TEST_CASE("ignore: the example ignore file in examples/ci parses") {
  const std::string path = source_dir() + "/examples/ci/airguard-ignore.example.yaml";
  const auto parsed = parse_ignore_file(read_file(path), path);
  INFO((parsed.ok() ? std::string() : parsed.error().format()));
  REQUIRE(parsed.ok());
  CHECK(parsed->entries.size() == 2);
}
