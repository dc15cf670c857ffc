#pragma once
#include <string>
#include <vector>

#include "core/diagnostic.hpp"
#include "core/finding.hpp"

namespace airguard {

inline constexpr int kReportSchemaVersion = 1;

// What a reporter needs to know about a check that ran (SARIF rules, JUnit test cases).
struct CheckInfo {
  std::string id;
  std::string title;
  Severity severity = Severity::medium;
  std::string rationale;
  std::string fix_summary;
  std::vector<std::string> references;
  std::vector<std::string> tags;
};

struct InputInfo {
  std::string kind;
  std::string path;
};

// A finished scan: reporters only format it.
struct ScanReport {
  std::string tool_version;
  std::string generated_at;  // RFC 3339 UTC; empty in golden mode
  std::string airflow_version;
  std::string airflow_version_source;
  std::string profile;
  std::string fail_on;
  std::string scan_root;
  std::vector<InputInfo> inputs;
  std::vector<CheckInfo> checks;    // every check that ran, sorted by id
  std::vector<Finding> findings;    // sorted: severity desc, check id, key, location
  Diagnostics diagnostics;
  std::vector<std::string> unavailable_sources;
  std::string advisory_feed_source;
  std::string advisory_feed_date;
  long advisory_feed_age_days = -1;
  bool incomplete() const { return !unavailable_sources.empty(); }
};

}  // namespace airguard
