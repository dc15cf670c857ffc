#include <catch2/catch.hpp>

#include "report/markdown_report.hpp"
#include "sample_report.hpp"

using namespace airguard;
using namespace airguard::testing;

TEST_CASE("markdown: verdict, facts and the severity table come first") {
  const std::string md = render_markdown(sample_report());
  CHECK(md.rfind("## airguard: 3 findings at or above `high`\n\n", 0) == 0);
  CHECK(md.find("profile `production` · Airflow `2.10.5` (from --airflow-version)") != std::string::npos);
  CHECK(md.find("| Severity | Findings |\n|---|---:|\n| critical | 1 |\n| high | 2 |\n| medium | 1 |\n| low | 0 |\n"
                "| info | 0 |\n| suppressed | 1 |\n") != std::string::npos);
}

TEST_CASE("markdown: the plan lists actions most urgent first, with snippets in fenced blocks") {
  const std::string md = render_markdown(sample_report());
  const auto fernet = md.find("#### 1. Generate a Fernet key and set it from a secret.");
  const auto expose = md.find("Turn expose\\_config off.");
  REQUIRE(fernet != std::string::npos);
  REQUIRE(expose != std::string::npos);
  CHECK(fernet < expose);
  CHECK(md.find("Apply in `deploy/airflow.cfg:41`:\n\n```\n[webserver]\nexpose_config = False\n```\n") !=
        std::string::npos);
  // Suppressed findings are listed apart with their reason, not in the plan.
  CHECK(md.find("### Suppressed (1)") != std::string::npos);
  CHECK(md.find("TLS ends at the ingress; the pod network is private") != std::string::npos);
}

TEST_CASE("markdown: findings fixed by the same action form one step") {
  ScanReport report = sample_report();
  Finding second = report.findings[2];  // expose_config, also set in the environment
  second.source = SourceKind::env;
  second.location = Origin{SourceKind::env, "deploy/.env", 9, 1, "AIRFLOW__WEBSERVER__EXPOSE_CONFIG"};
  second.fingerprint = fingerprint(second);
  report.findings.push_back(second);
  const std::string md = render_markdown(report);
  CHECK(md.find("**high** · fixes 2 findings") != std::string::npos);
}

TEST_CASE("markdown: text from scanned files cannot break out of its code span") {
  CHECK(markdown_code_span("a`b") == "``a`b``");
  CHECK(markdown_code_span("`x`") == "`` `x` ``");
  CHECK(markdown_code_span("two\nlines") == "`two lines`");
  ScanReport report = sample_report();
  report.findings[1].evidence = "<script>alert(1)</script> ``` **bold**";
  const std::string md = render_markdown(report);
  CHECK(md.find("````<script>alert(1)</script> ``` **bold**````") != std::string::npos);
}

TEST_CASE("markdown: baseline changes and ignore-file problems are shown") {
  ScanReport report = sample_report();
  report.baseline = BaselineDiff{"last.json", "", {report.findings[2].fingerprint}, {}, 3};
  Finding gone = report.findings[1];
  gone.check_id = "AFH-API-004";
  gone.title = "The REST API accepts basic auth";
  gone.key = "api.auth_backends";
  report.baseline->fixed.push_back(gone);
  report.ignores = IgnoreAudit{".airguard-ignore.yaml", 1, {}, {}};
  report.ignores->expired.push_back(
      {"AFH-WEB-002", "", "", "until the proxy", "2025-01-31", ".airguard-ignore.yaml", 3});
  report.ignores->unused.push_back({"AFH-DAG-001", "", "", "legacy DAGs", "", ".airguard-ignore.yaml", 8});
  const std::string md = render_markdown(report);
  CHECK(md.find("**Since the baseline** `last.json`: 1 new, 1 fixed, 3 unchanged.") != std::string::npos);
  CHECK(md.find("**(new)**") != std::string::npos);
  CHECK(md.find(
            "### Fixed since the baseline\n\n- `AFH-API-004` The REST API accepts basic auth (`api.auth_backends`)") !=
        std::string::npos);
  CHECK(md.find("- expired on 2025-01-31: `AFH-WEB-002` (line 3): until the proxy") != std::string::npos);
  CHECK(md.find("- unused: `AFH-DAG-001` (line 8) matched no finding") != std::string::npos);
}

TEST_CASE("markdown: a clean scan says so") {
  ScanReport report;
  report.fail_on = "high";
  const std::string md = render_markdown(report);
  CHECK(md.rfind("## airguard: nothing at or above `high`", 0) == 0);
  CHECK(md.find("### Plan") == std::string::npos);
}
