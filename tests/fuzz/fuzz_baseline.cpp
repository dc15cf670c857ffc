// A baseline (report/json_report): an earlier JSON report read back, compared with its own
// findings and rendered again.
#include "fuzz_target.hpp"
#include "report/baseline_diff.hpp"
#include "report/json_report.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = airguard::fuzz::as_text(data, size);
  const auto report = airguard::parse_json_report(text, "last.json");
  if (!report.ok()) return 0;
  airguard::diff_against_baseline(*report, report->findings, "last.json");
  airguard::render_json(*report);
  return 0;
}
