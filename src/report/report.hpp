#pragma once
#include <cstddef>
#include <optional>
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

// One entry of an ignore file (.airguard-ignore.yaml), with where it was written.
struct IgnoreEntry {
  std::string check;       // check id; may use * and ? wildcards ("AFH-ADV-*")
  std::string key;         // optional: only findings with this key
  std::string file;        // optional: only findings from this file
  std::string reason;      // required: why the risk is accepted
  std::string expires;     // optional YYYY-MM-DD: the entry applies up to and including that day
  std::string defined_in;  // the ignore file's path
  int line = 0;            // 1-based line of the entry in that file
};

// How the ignore file was used in this scan: entries past their date and entries that matched nothing.
struct IgnoreAudit {
  std::string path;
  std::size_t suppressed = 0;  // findings marked suppressed
  std::vector<IgnoreEntry> expired;
  std::vector<IgnoreEntry> unused;
};

// This scan compared with an earlier JSON report (--baseline), by finding fingerprint.
struct BaselineDiff {
  std::string baseline_path;
  std::string baseline_generated_at;
  std::vector<std::string> new_fingerprints;  // current, unsuppressed findings the baseline did not have
  std::vector<Finding> fixed;                 // baseline findings this scan no longer reports
  std::size_t unchanged = 0;                  // findings present in both
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
  std::vector<CheckInfo> checks;  // every check that ran, sorted by id
  std::vector<Finding> findings;  // sorted: severity desc, check id, key, location
  Diagnostics diagnostics;
  std::vector<std::string> unavailable_sources;
  std::string advisory_feed_source;
  std::string advisory_feed_date;
  long advisory_feed_age_days = -1;
  double scan_seconds = -1;              // wall time of the scan; < 0 = not measured (golden mode)
  std::optional<IgnoreAudit> ignores;    // set when an ignore file was used
  std::optional<BaselineDiff> baseline;  // set with --baseline
  std::string helm_overlay;              // one values file fixing every Helm finding ("" = none)
  // Helm scans: the plan is told apart by whose value each finding is about, and this overlay fixes
  // the chart defaults alone ("" = none, or not a Helm scan).
  bool split_by_provenance = false;
  std::string helm_chart;  // Helm scans: the chart version and how it was chosen ("" otherwise)
  std::string helm_defaults_overlay;
  bool text_lists_suppressed = false;  // --show-suppressed: the text plan lists ignored findings too
  bool incomplete() const { return !unavailable_sources.empty(); }
};

}  // namespace airguard
