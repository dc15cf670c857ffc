#include <catch2/catch.hpp>

#include <sstream>

#include "report/formats.hpp"
#include "sample_report.hpp"
#include "test_support.hpp"

using namespace airguard;
using namespace airguard::testing;

namespace {
std::vector<FormatSpec> specs_ok(const std::vector<std::string>& given, const std::optional<std::string>& output = {}) {
  auto parsed = parse_format_specs(given, output);
  INFO((parsed.ok() ? std::string() : parsed.error().format()));
  REQUIRE(parsed.ok());
  return *parsed;
}
Diagnostic specs_error(const std::vector<std::string>& given, const std::optional<std::string>& output = {}) {
  auto parsed = parse_format_specs(given, output);
  REQUIRE_FALSE(parsed.ok());
  return parsed.error();
}
}  // namespace

TEST_CASE("formats: the table lists every format once, and help comes from it") {
  std::vector<std::string> names;
  for (const OutputFormat& format : output_formats()) names.emplace_back(format.name);
  CHECK(names == std::vector<std::string>{"text", "json", "sarif", "junit", "markdown", "prometheus"});
  const std::string help = output_formats_help();
  for (const std::string& name : names) CHECK(help.find("  " + name + " ") != std::string::npos);
  CHECK(find_output_format("SARIF") == find_output_format("sarif"));
  CHECK(find_output_format("html") == nullptr);
}

TEST_CASE("formats: several formats with destinations, one to stdout") {
  const auto specs = specs_ok({"sarif=airguard.sarif", "json=report.json", "text"});
  REQUIRE(specs.size() == 3);
  CHECK(specs[0].format->name == "sarif");
  CHECK(specs[0].destination == "airguard.sarif");
  CHECK(specs[1].destination == "report.json");
  CHECK(specs[2].format->name == "text");
  CHECK(specs[2].destination.empty());
}

TEST_CASE("formats: no --format means text on stdout; a bare format follows --output") {
  const auto defaults = specs_ok({});
  REQUIRE(defaults.size() == 1);
  CHECK(defaults[0].format->name == "text");
  CHECK(defaults[0].destination.empty());
  const auto with_output = specs_ok({"json", "sarif=x.sarif"}, std::string("report.json"));
  CHECK(with_output[0].destination == "report.json");
  CHECK(specs_ok({"json=-"})[0].destination.empty());
}

TEST_CASE("formats: usage errors say what to do") {
  const Diagnostic unknown = specs_error({"sarf=x"});
  CHECK(unknown.message == "unknown output format 'sarf' in --format sarf=x");
  CHECK(unknown.hint.rfind("did you mean sarif?", 0) == 0);
  CHECK(specs_error({"json", "text"}).message == "more than one --format would be written to standard output");
  CHECK(specs_error({"json", "text=-"}).message == "more than one --format would be written to standard output");
  CHECK(specs_error({"json=a", "sarif=a"}).message == "two formats would be written to a");
  CHECK(specs_error({"json="}).message == "--format json= names no file");
  CHECK(specs_error({"json=a.json"}, std::string("out.txt")).message.find("is not used") != std::string::npos);
}

TEST_CASE("formats: write_reports writes files atomically and stdout once, scrubbed") {
  ScratchDir scratch;
  ScanReport report = sample_report();
  report.findings[0].evidence = "leaked hunter2-password here";  // a check that forgot to redact
  SecretScrubber scrubber;
  scrubber.add("hunter2-password");
  const auto specs = specs_ok({"json=" + scratch.file("r.json"), "sarif=" + scratch.file("r.sarif"), "markdown"});
  std::ostringstream out;
  const Diagnostics problems = write_reports(specs, report, out, {}, &scrubber);
  CHECK(problems.empty());
  CHECK(out.str().rfind("## airguard:", 0) == 0);
  const std::string json = read_file(scratch.file("r.json"));
  CHECK(json.find("\"schema_version\": 1") != std::string::npos);
  CHECK(json.find("hunter2-password") == std::string::npos);
  CHECK(json.find("leaked **** here") != std::string::npos);
  CHECK(read_file(scratch.file("r.sarif")).find("hunter2-password") == std::string::npos);
  CHECK(out.str().find("hunter2-password") == std::string::npos);
}

TEST_CASE("formats: a destination that cannot be written is reported; the others are still written") {
  ScratchDir scratch;
  const auto specs = specs_ok({"json=" + scratch.file("missing-dir/r.json"), "sarif=" + scratch.file("r.sarif")});
  std::ostringstream out;
  const Diagnostics problems = write_reports(specs, sample_report(), out);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].level == Diagnostic::Level::error);
  CHECK_FALSE(read_file(scratch.file("r.sarif")).empty());
}

TEST_CASE("formats: every format renders the sample and the text plan comes from render_text_plan") {
  for (const OutputFormat& format : output_formats()) {
    INFO(format.name);
    CHECK_FALSE(format.render(sample_report(), RenderOptions{}).empty());
  }
  CHECK(find_output_format("text")->render(sample_report(), {}).find("AFH-CORE-001") != std::string::npos);
}
