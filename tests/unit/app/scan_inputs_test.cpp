#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "app/scan.hpp"

using namespace airguard;
namespace fs = std::filesystem;

namespace {
struct TempDir {
  fs::path path;
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "airguard-app-XXXXXX").string();
    path = mkdtemp(tmpl.data());
  }
  ~TempDir() { fs::remove_all(path); }
  std::string write(const std::string& name, const std::string& text) const {
    const fs::path file = path / name;
    fs::create_directories(file.parent_path());
    std::ofstream(file) << text;
    return file.string();
  }
};
}  // namespace

TEST_CASE("a 100 MB input is refused with its size, without reading it") {
  TempDir dir;
  const std::string big = (dir.path / "airflow.cfg").string();
  REQUIRE(truncate(dir.write("airflow.cfg", "[core]\n").c_str(), 100L * 1024 * 1024) == 0);
  ScanOptions options;
  options.airflow_cfg = big;
  options.today = "2026-11-22";
  const ScanOutcome outcome = run_scan(options);
  CHECK(outcome.exit_code == 2);
  REQUIRE(outcome.fatal.size() == 1);
  CHECK(outcome.fatal.front().message.find("too large") != std::string::npos);
}

TEST_CASE("a folder scan finds deployment files by their usual names and says so") {
  TempDir dir;
  dir.write("config/airflow.cfg", "[core]\nload_examples = False\n");
  dir.write(".env", "AIRFLOW__CORE__FERNET_KEY=81HqDtbqAywKSOumSha3BhWNOdQ26slT6K0YaZeZyPs=\n");
  dir.write("webserver_config.py", "AUTH_ROLE_PUBLIC = 'Admin'\n");
  ScanOptions options;
  std::vector<std::string> notes;
  discover_inputs(dir.path.string(), options, notes);
  REQUIRE(options.airflow_cfg.has_value());
  CHECK(fs::path(*options.airflow_cfg).filename() == "airflow.cfg");
  CHECK(options.env_files.size() == 1);
  CHECK(options.webserver_config.has_value());
  CHECK(notes.size() == 3);
}

TEST_CASE("a folder with nothing Airflow in it is reported, not scanned") {
  TempDir dir;
  dir.write("README.txt", "hello\n");
  ScanOptions options;
  options.directory = dir.path.string();
  options.today = "2026-11-22";
  const ScanOutcome outcome = run_scan(options);
  CHECK(outcome.exit_code == 2);
  REQUIRE_FALSE(outcome.fatal.empty());
  CHECK(outcome.fatal.front().message == "found nothing to scan");
}

TEST_CASE("explicit sources do not read the process environment unless asked") {
  TempDir dir;
  const std::string cfg = dir.write("airflow.cfg", "[core]\nload_examples = False\n");
  setenv("AIRFLOW__CORE__LOAD_EXAMPLES", "True", 1);
  ScanOptions options;
  options.airflow_cfg = cfg;
  options.airflow_version = "2.10.5";
  options.no_advisories = true;
  options.today = "2026-11-22";
  const ScanOutcome without_env = run_scan(options);
  options.process_env = true;
  const ScanOutcome with_env = run_scan(options);
  unsetenv("AIRFLOW__CORE__LOAD_EXAMPLES");
  const auto fires = [](const ScanOutcome& o) {
    return std::any_of(o.report.findings.begin(), o.report.findings.end(),
                       [](const Finding& f) { return f.check_id == "AFH-CORE-001"; });
  };
  CHECK_FALSE(fires(without_env));
  CHECK(fires(with_env));
}

// A text-only scan reads the texts of the checks that found something and leaves the others in
// the compiled catalogue; the findings must not differ from a scan that reads them all.
TEST_CASE("a scan that lists no checks writes the same findings without reading every check's texts") {
  ScanOptions options;
  options.directory = std::string(AIRGUARD_SOURCE_DIR) + "/examples/airflow2-insecure";
  options.airflow_version = "2.10.5";
  options.today = "2026-11-22";
  options.golden = true;
  const ScanOutcome full = run_scan(options);
  options.check_texts = false;
  const ScanOutcome lean = run_scan(options);
  REQUIRE(full.fatal.empty());
  REQUIRE(lean.fatal.empty());
  REQUIRE(full.report.findings.size() > 10);
  REQUIRE(lean.report.findings.size() == full.report.findings.size());
  for (std::size_t i = 0; i < full.report.findings.size(); ++i) {
    const Finding& a = full.report.findings[i];
    const Finding& b = lean.report.findings[i];
    INFO(a.check_id << " " << a.key);
    CHECK(a.check_id == b.check_id);
    CHECK(a.title == b.title);
    CHECK(!b.title.empty());
    CHECK(a.rationale == b.rationale);
    CHECK(a.evidence == b.evidence);
    CHECK(a.remediation.summary == b.remediation.summary);
    CHECK(a.remediation.snippet == b.remediation.snippet);
    CHECK(a.references == b.references);
    CHECK(a.fingerprint == b.fingerprint);
  }
  REQUIRE(full.report.checks.size() == lean.report.checks.size());
  CHECK(std::all_of(full.report.checks.begin(), full.report.checks.end(),
                    [](const CheckInfo& c) { return !c.title.empty() && !c.rationale.empty(); }));
  CHECK(std::all_of(lean.report.checks.begin(), lean.report.checks.end(),
                    [](const CheckInfo& c) { return !c.id.empty() && c.title.empty(); }));
}
