// OSV advisory records (advisories/osv): a record, a list of records or an osv.dev answer; each
// record's severity (CVSS vectors) and its affected ranges evaluated at a few versions.
#include "advisories/osv.hpp"
#include "advisories/pep440.hpp"
#include "fuzz_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = airguard::fuzz::as_text(data, size);
  airguard::Diagnostics diagnostics;
  const auto records = airguard::parse_osv_json(text, "fuzz-osv.json", diagnostics);
  static const auto probes = [] {
    std::vector<airguard::Version> versions;
    for (const char* spelling : {"0", "1.10.15", "2.10.5", "3.0.0rc1", "99!9.9.post9+local"}) {
      versions.push_back(*airguard::parse_version(spelling));
    }
    return versions;
  }();
  for (const auto& record : records) {
    record.severity();
    for (const auto& affected : record.affected) {
      affected.listed_keys();
      for (const auto& version : probes) airguard::affected_includes(affected, version);
    }
  }
  airguard::cvss3_base_score(text);
  airguard::cvss4_approximate_score(text);
  return 0;
}
