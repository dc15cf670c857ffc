#include "report/sarif_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "report/report_order.hpp"

namespace airguard {

namespace {

using Json = nlohmann::ordered_json;

constexpr std::string_view kFingerprintKey = "airguard/v1";

// Percent-encodes everything but unreserved characters and '/', so a path is a valid URI reference.
std::string uri_encode_path(std::string_view path) {
  std::string encoded;
  for (char c : path) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) != 0 || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
      encoded.push_back(c);
    } else {
      encoded += fmt::format("%{:02X}", static_cast<unsigned>(byte));
    }
  }
  return encoded;
}

// An artifact location: relative to SRCROOT when the file lies below the scan root, an absolute
// file: URI otherwise.
Json artifact_location(const std::string& file, const std::string& scan_root) {
  const std::string relative = path_relative_to_root(file, scan_root);
  if (!relative.empty() && relative.front() == '/') {
    return Json{{"uri", "file://" + uri_encode_path(relative)}};
  }
  return Json{{"uri", uri_encode_path(relative)}, {"uriBaseId", "SRCROOT"}};
}

// "AFH-WEB-001" -> "AfhWeb001": SARIF wants a rule name that reads as an identifier.
std::string rule_name(const std::string& id) {
  std::string name;
  bool upper = true;
  for (char c : id) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) == 0) {
      upper = true;
      continue;
    }
    name.push_back(upper ? static_cast<char>(std::toupper(byte)) : static_cast<char>(std::tolower(byte)));
    upper = false;
  }
  return name;
}

std::string logical_kind(SourceKind source) {
  switch (source) {
    case SourceKind::env:
      return "variable";
    case SourceKind::api:
      return "resource";
    case SourceKind::inventory:
      return "package";
    case SourceKind::helm:
      return "member";
    default:
      return "member";
  }
}

Json rule_json(const CheckInfo& check) {
  std::string help_text = check.fix_summary.empty() ? check.title : "Fix: " + check.fix_summary;
  std::string help_markdown = check.fix_summary.empty() ? check.title : "**Fix:** " + check.fix_summary;
  if (!check.rationale.empty()) {
    help_text += "\n\nWhy: " + check.rationale;
    help_markdown += "\n\n**Why:** " + check.rationale;
  }
  if (!check.references.empty()) {
    help_text += "\n\nReferences:";
    help_markdown += "\n\n**References:**\n";
    for (const std::string& reference : check.references) {
      help_text += "\n- " + reference;
      help_markdown += "\n- <" + reference + ">";
    }
  }
  std::vector<std::string> tags = {"security", "airflow"};
  tags.insert(tags.end(), check.tags.begin(), check.tags.end());

  Json rule;
  rule["id"] = check.id;
  rule["name"] = rule_name(check.id);
  rule["shortDescription"] = Json{{"text", check.title}};
  rule["fullDescription"] = Json{{"text", check.rationale.empty() ? check.title : check.rationale}};
  rule["help"] = Json{{"text", help_text}, {"markdown", help_markdown}};
  if (!check.references.empty()) rule["helpUri"] = check.references.front();
  rule["defaultConfiguration"] = Json{{"level", sarif_level(check.severity)}};
  rule["properties"] = Json{{"security-severity", sarif_security_severity(check.severity)},
                            {"precision", "high"},
                            {"problem.severity", check.severity >= Severity::high ? "error" : "warning"},
                            {"tags", tags}};
  return rule;
}

// Every check that ran, plus any check a finding names that the report did not list.
std::vector<CheckInfo> rules_for(const ScanReport& report) {
  std::map<std::string, CheckInfo> by_id;
  for (const CheckInfo& check : report.checks) by_id.emplace(check.id, check);
  for (const Finding& finding : report.findings) {
    if (by_id.count(finding.check_id) != 0) continue;
    CheckInfo synthesized;
    synthesized.id = finding.check_id;
    synthesized.title = finding.title;
    synthesized.severity = finding.severity;
    synthesized.rationale = finding.rationale;
    synthesized.fix_summary = finding.remediation.summary;
    synthesized.references = finding.references;
    synthesized.tags = finding.tags;
    by_id.emplace(finding.check_id, std::move(synthesized));
  }
  std::vector<CheckInfo> rules;
  for (auto& [id, check] : by_id) rules.push_back(std::move(check));
  return rules;
}

std::string result_message(const Finding& finding) {
  std::string message = finding.title;
  if (!finding.evidence.empty()) message += fmt::format(" ({})", finding.evidence);
  if (!finding.remediation.summary.empty()) message += " Fix: " + finding.remediation.summary;
  return message;
}

Json result_json(const Finding& finding, std::size_t rule_index, const ScanReport& report,
                 const std::multiset<std::string>& new_fingerprints) {
  Json result;
  result["ruleId"] = finding.check_id;
  result["ruleIndex"] = rule_index;
  result["level"] = sarif_level(finding.severity);
  result["message"] = Json{{"text", result_message(finding)}};

  Json location = Json::object();
  if (!finding.location.file.empty()) {
    Json physical{{"artifactLocation", artifact_location(finding.location.file, report.scan_root)}};
    if (finding.location.line > 0) {
      Json region{{"startLine", finding.location.line}};
      if (finding.location.column > 0) region["startColumn"] = finding.location.column;
      physical["region"] = region;
    }
    location["physicalLocation"] = physical;
  }
  const std::string logical_name = !finding.key.empty() ? finding.key : finding.location.name;
  if (!logical_name.empty()) {
    location["logicalLocations"] =
        Json::array({Json{{"fullyQualifiedName", logical_name}, {"kind", logical_kind(finding.source)}}});
  }
  location["message"] = Json{{"text", finding.location.describe()}};
  result["locations"] = Json::array({location});

  const std::string identity = finding_fingerprint(finding);
  result["partialFingerprints"] = Json{{std::string(kFingerprintKey), identity}};
  if (report.baseline) {
    result["baselineState"] = new_fingerprints.count(identity) != 0 ? "new" : "unchanged";
  }
  if (finding.suppressed) {
    result["suppressions"] = Json::array({Json{{"kind", finding.suppressed_in_source ? "inSource" : "external"},
                                               {"status", "accepted"},
                                               {"justification", finding.suppression_reason}}});
  }
  Json properties;
  properties["severity"] = to_string(finding.severity);
  properties["source"] = to_string(finding.source);
  properties["key"] = finding.key;
  properties["provenance"] = to_string(finding.provenance);
  properties["evidence"] = finding.evidence;
  properties["remediation"] = Json{{"summary", finding.remediation.summary},
                                   {"target", finding.remediation.target},
                                   {"snippet", finding.remediation.snippet}};
  properties["airflowVersion"] = finding.airflow_version;
  if (!finding.tags.empty()) properties["tags"] = finding.tags;
  result["properties"] = properties;
  return result;
}

Json notification_json(const Diagnostic& diagnostic, const std::string& scan_root) {
  Json notification;
  notification["level"] = diagnostic.level == Diagnostic::Level::error     ? "error"
                          : diagnostic.level == Diagnostic::Level::warning ? "warning"
                                                                           : "note";
  std::string text = diagnostic.message;
  if (!diagnostic.hint.empty()) text += " (" + diagnostic.hint + ")";
  notification["message"] = Json{{"text", text}};
  if (!diagnostic.file.empty()) {
    Json physical{{"artifactLocation", artifact_location(diagnostic.file, scan_root)}};
    if (diagnostic.line > 0) physical["region"] = Json{{"startLine", diagnostic.line}};
    notification["locations"] = Json::array({Json{{"physicalLocation", physical}}});
  }
  return notification;
}

}  // namespace

std::string_view sarif_level(Severity severity) {
  switch (severity) {
    case Severity::critical:
    case Severity::high:
      return "error";
    case Severity::medium:
      return "warning";
    case Severity::low:
    case Severity::info:
      return "note";
  }
  return "note";
}

std::string_view sarif_security_severity(Severity severity) {
  switch (severity) {
    case Severity::critical:
      return "9.5";
    case Severity::high:
      return "8.0";
    case Severity::medium:
      return "5.5";
    case Severity::low:
      return "3.0";
    case Severity::info:
      return "0.0";
  }
  return "0.0";
}

std::string render_sarif(const ScanReport& report) {
  const std::vector<CheckInfo> rules = rules_for(report);
  std::map<std::string, std::size_t> rule_index;
  Json rules_json = Json::array();
  for (const CheckInfo& check : rules) {
    rule_index.emplace(check.id, rules_json.size());
    rules_json.push_back(rule_json(check));
  }

  Json driver;
  driver["name"] = "airguard";
  driver["version"] = report.tool_version;
  driver["semanticVersion"] = report.tool_version;
  driver["rules"] = rules_json;

  std::multiset<std::string> new_fingerprints;
  if (report.baseline)
    new_fingerprints.insert(report.baseline->new_fingerprints.begin(), report.baseline->new_fingerprints.end());
  Json results = Json::array();
  for (const Finding* finding : ordered_findings(report)) {
    results.push_back(result_json(*finding, rule_index.at(finding->check_id), report, new_fingerprints));
  }

  Json invocation;
  invocation["executionSuccessful"] = !report.incomplete();
  Json notifications = Json::array();
  for (const Diagnostic& diagnostic : report.diagnostics) {
    notifications.push_back(notification_json(diagnostic, report.scan_root));
  }
  for (const std::string& source : report.unavailable_sources) {
    notifications.push_back(
        Json{{"level", "error"}, {"message", Json{{"text", "source could not be read: " + source}}}});
  }
  invocation["toolExecutionNotifications"] = notifications;
  if (!report.generated_at.empty()) invocation["endTimeUtc"] = report.generated_at;

  Json run;
  run["tool"] = Json{{"driver", driver}};
  run["invocations"] = Json::array({invocation});
  const std::string root_text = report.scan_root.empty() ? std::string("the current directory") : report.scan_root;
  run["originalUriBaseIds"] =
      Json{{"SRCROOT", Json{{"description", Json{{"text", "The scanned directory: " + root_text}}}}}};
  run["columnKind"] = "unicodeCodePoints";
  run["results"] = results;
  Json properties;
  properties["profile"] = report.profile;
  properties["failOn"] = report.fail_on;
  properties["airflowVersion"] = report.airflow_version;
  properties["airflowVersionSource"] = report.airflow_version_source;
  if (!report.advisory_feed_date.empty()) properties["advisoryFeedDate"] = report.advisory_feed_date;
  run["properties"] = properties;

  Json sarif;
  sarif["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
  sarif["version"] = "2.1.0";
  sarif["runs"] = Json::array({run});
  return sarif.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace airguard
