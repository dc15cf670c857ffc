#include <catch2/catch.hpp>

#include "report/junit_report.hpp"
#include "sample_report.hpp"
#include "test_support.hpp"

using namespace airguard;
using namespace airguard::testing;

namespace {
std::size_t occurrences(const std::string& text, const std::string& needle) {
  std::size_t count = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++count;
  return count;
}
}  // namespace

TEST_CASE("junit: a failing test case per finding, a passing one per clean check") {
  ScanReport report = sample_report();
  report.checks.push_back({"AFH-AUTH-001", "Anonymous users get a role", Severity::high, "", "", {}, {}});
  const std::string xml = render_junit(report);
  CHECK(occurrences(xml, "<testcase ") == 6);
  CHECK(occurrences(xml, "<failure ") == 4);
  CHECK(occurrences(xml, "<skipped ") == 1);
  CHECK(xml.find("tests=\"6\" failures=\"4\" errors=\"0\" skipped=\"1\"") != std::string::npos);
  CHECK(xml.find("<testcase name=\"AFH-AUTH-001 Anonymous users get a role\" classname=\"airguard.AFH-AUTH-001\" "
                 "time=\"0\"/>") != std::string::npos);
}

TEST_CASE("junit: a failure carries the evidence, the place and the fix; text is escaped") {
  const std::string xml = render_junit(sample_report());
  CHECK(xml.find("name=\"AFH-WEB-001 The web UI shows the whole configuration to logged-in users "
                 "[webserver.expose_config @ airflow.cfg:41]\"") != std::string::npos);
  CHECK(xml.find("Evidence: expose_config = True\n") != std::string::npos);
  CHECK(xml.find("Fix: Turn expose_config off. (in deploy/airflow.cfg:41)\n[webserver]\nexpose_config = False\n") !=
        std::string::npos);
  CHECK(xml.find("postgresql://etl:****@warehouse/dwh?sslmode=require &amp; &lt;check&gt;") != std::string::npos);
  CHECK(xml.find("<check>") == std::string::npos);
}

TEST_CASE("junit: unreadable sources are errors; golden mode has a fixed timestamp") {
  ScanReport report = sample_report();
  report.unavailable_sources.push_back("api https://airflow.example.com");
  const std::string xml = render_junit(report);
  CHECK(xml.find("errors=\"1\"") != std::string::npos);
  CHECK(xml.find("type=\"source_unavailable\"") != std::string::npos);
  CHECK(xml.find("timestamp=\"1970-01-01T00:00:00\"") != std::string::npos);
  report.generated_at = "2025-11-22T09:30:00Z";
  CHECK(render_junit(report).find("timestamp=\"2025-11-22T09:30:00\"") != std::string::npos);
}

TEST_CASE("junit: xml_escape drops control characters and broken UTF-8 cannot break the document") {
  CHECK(xml_escape("a\x01<b>\"c\"") == "a&lt;b&gt;&quot;c&quot;");
  CHECK(xml_escape("line\nnext") == "line&#10;next");
  CHECK(xml_escape("line\nnext", XmlContext::text) == "line\nnext");
  CHECK(xml_escape("caf\xc3\xa9") == "caf\xc3\xa9");
  CHECK(xml_escape("bad \xff") == "bad ?");
}

TEST_CASE("junit: output is well-formed and valid against the JUnit XSD (xmllint)") {
  if (!have_xmllint()) {
    WARN("xmllint is not installed: JUnit schema validation skipped");
    return;
  }
  ScratchDir scratch;
  const std::string xsd = source_dir() + "/tests/fixtures/report/junit.xsd";
  ScanReport everything = sample_report();
  everything.unavailable_sources.push_back("api");
  everything.generated_at = "2025-11-22T09:30:00Z";
  everything.scan_seconds = 2.5;
  everything.findings[0].evidence = std::string("broken \xff utf-8 and \x07 bell");
  for (const ScanReport& report : {sample_report(), everything, ScanReport{}}) {
    const std::string file = scratch.write("junit.xml", render_junit(report));
    const auto result = run_command("xmllint --noout --schema " + xsd + " " + file);
    INFO(result.output);
    CHECK(result.status == 0);
  }
  // The XSD is a real oracle: a test suite without its required hostname is rejected.
  std::string broken = render_junit(sample_report());
  broken.replace(broken.find(" hostname=\"localhost\""), 20, "");
  CHECK(run_command("xmllint --noout --schema " + xsd + " " + scratch.write("bad.xml", broken)).status != 0);
}
