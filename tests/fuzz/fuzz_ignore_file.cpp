// The ignore file (report/ignore_rules): entries with wildcards, keys, files and expiry dates,
// then applied to a few findings.
#include <vector>

#include "core/finding.hpp"
#include "fuzz_target.hpp"
#include "report/ignore_rules.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = airguard::fuzz::as_text(data, size);
  const auto file = airguard::parse_ignore_file(text, "deploy/.airguard-ignore.yaml");
  if (!file.ok()) return 0;
  std::vector<airguard::Finding> findings(2);
  findings[0].check_id = "AFH-WEB-001";
  findings[0].key = "webserver.expose_config";
  findings[0].location.file = "deploy/airflow.cfg";
  findings[1].check_id = "AFH-ADV-CVE-2024-45034";
  findings[1].key = "apache-airflow";
  for (const auto& entry : file->entries) airguard::is_iso_date(entry.expires);
  airguard::apply_ignores(*file, findings, "2026-06-30");
  return 0;
}
