#include "report/json_report.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "core/json_text.hpp"
#include "report/report_order.hpp"

namespace airguard {

namespace {

using Json = nlohmann::ordered_json;

Json string_or_null(const std::string& text) { return text.empty() ? Json(nullptr) : Json(text); }
Json positive_or_null(int number) { return number > 0 ? Json(number) : Json(nullptr); }

Json location_json(const Origin& origin) {
  return Json{{"file", string_or_null(origin.file)},
              {"line", positive_or_null(origin.line)},
              {"column", positive_or_null(origin.column)},
              {"name", string_or_null(origin.name)},
              {"description", origin.describe()}};
}

Json finding_json(const Finding& finding) {
  Json json;
  json["check"] = finding.check_id;
  json["severity"] = to_string(finding.severity);
  json["title"] = finding.title;
  json["source"] = to_string(finding.source);
  json["key"] = finding.key;
  json["location"] = location_json(finding.location);
  json["provenance"] = to_string(finding.provenance);
  json["evidence"] = finding.evidence;
  json["remediation"] = Json{{"summary", finding.remediation.summary},
                             {"target", finding.remediation.target},
                             {"snippet", finding.remediation.snippet},
                             {"action_key", finding.remediation.action_key}};
  json["rationale"] = finding.rationale;
  json["references"] = finding.references;
  json["tags"] = finding.tags;
  json["airflow_version"] = finding.airflow_version;
  json["airflow_version_source"] = finding.airflow_version_source;
  json["fingerprint"] = finding_fingerprint(finding);
  json["suppressed"] = finding.suppressed;
  json["suppression_reason"] = string_or_null(finding.suppressed ? finding.suppression_reason : std::string());
  json["suppression_kind"] =
      finding.suppressed ? Json(finding.suppressed_in_source ? "in_source" : "ignore_file") : Json(nullptr);
  return json;
}

Json check_json(const CheckInfo& check) {
  return Json{{"id", check.id},
              {"title", check.title},
              {"severity", to_string(check.severity)},
              {"rationale", check.rationale},
              {"fix", check.fix_summary},
              {"references", check.references},
              {"tags", check.tags}};
}

Json diagnostic_json(const Diagnostic& diagnostic) {
  return Json{{"level", to_string(diagnostic.level)},
              {"file", string_or_null(diagnostic.file)},
              {"line", positive_or_null(diagnostic.line)},
              {"column", positive_or_null(diagnostic.column)},
              {"message", diagnostic.message},
              {"hint", string_or_null(diagnostic.hint)}};
}

Json ignore_entry_json(const IgnoreEntry& entry) {
  return Json{{"check", entry.check},
              {"key", string_or_null(entry.key)},
              {"file", string_or_null(entry.file)},
              {"reason", entry.reason},
              {"expires", string_or_null(entry.expires)},
              {"defined_in", entry.defined_in},
              {"line", positive_or_null(entry.line)}};
}

Json ignores_json(const IgnoreAudit& audit) {
  Json expired = Json::array();
  for (const IgnoreEntry& entry : audit.expired) expired.push_back(ignore_entry_json(entry));
  Json unused = Json::array();
  for (const IgnoreEntry& entry : audit.unused) unused.push_back(ignore_entry_json(entry));
  return Json{{"file", audit.path}, {"suppressed", audit.suppressed}, {"expired", expired}, {"unused", unused}};
}

Json baseline_json(const BaselineDiff& diff) {
  Json fixed = Json::array();
  for (const Finding& finding : diff.fixed) {
    fixed.push_back(Json{{"check", finding.check_id},
                         {"severity", to_string(finding.severity)},
                         {"title", finding.title},
                         {"key", finding.key},
                         {"location", location_json(finding.location)},
                         {"fingerprint", finding_fingerprint(finding)}});
  }
  return Json{{"file", diff.baseline_path},
              {"generated_at", string_or_null(diff.baseline_generated_at)},
              {"new", diff.new_fingerprints.size()},
              {"fixed", diff.fixed.size()},
              {"unchanged", diff.unchanged},
              {"new_fingerprints", diff.new_fingerprints},
              {"fixed_findings", fixed}};
}

}  // namespace

std::string render_json(const ScanReport& report) {
  Json json;
  json["schema_version"] = kReportSchemaVersion;
  json["tool"] = Json{{"name", "airguard"}, {"version", report.tool_version}};
  if (!report.generated_at.empty()) json["generated_at"] = report.generated_at;
  if (report.scan_seconds >= 0) json["scan_seconds"] = report.scan_seconds;
  json["target"] = Json{{"airflow_version", string_or_null(report.airflow_version)},
                        {"source", string_or_null(report.airflow_version_source)}};
  json["profile"] = report.profile;
  json["fail_on"] = string_or_null(report.fail_on);
  json["scan_root"] = string_or_null(report.scan_root);
  json["complete"] = !report.incomplete();

  Json inputs = Json::array();
  for (const InputInfo& input : report.inputs) inputs.push_back(Json{{"kind", input.kind}, {"path", input.path}});
  json["inputs"] = inputs;

  const auto counts = count_by_severity(report);
  Json by_severity = Json::object();
  std::size_t total = 0;
  std::size_t failing = 0;
  for (Severity severity : kSeveritiesDescending) {
    by_severity[std::string(to_string(severity))] = counts[static_cast<std::size_t>(severity)];
    total += counts[static_cast<std::size_t>(severity)];
  }
  for (const Finding& finding : report.findings) failing += finding_fails(report, finding) ? 1u : 0u;
  json["summary"] = Json{{"total", total},
                         {"by_severity", by_severity},
                         {"suppressed", count_suppressed(report)},
                         {"at_or_above_fail_on", failing},
                         {"checks_run", report.checks.size()}};

  Json findings = Json::array();
  for (const Finding* finding : ordered_findings(report)) findings.push_back(finding_json(*finding));
  json["findings"] = findings;

  Json checks = Json::array();
  for (const CheckInfo& check : report.checks) checks.push_back(check_json(check));
  json["checks"] = checks;

  Json diagnostics = Json::array();
  for (const Diagnostic& diagnostic : report.diagnostics) diagnostics.push_back(diagnostic_json(diagnostic));
  json["diagnostics"] = diagnostics;
  json["unavailable_sources"] = report.unavailable_sources;
  json["advisory_feed"] =
      Json{{"source", string_or_null(report.advisory_feed_source)},
           {"date", string_or_null(report.advisory_feed_date)},
           {"age_days", report.advisory_feed_age_days >= 0 ? Json(report.advisory_feed_age_days) : Json(nullptr)}};
  json["ignores"] = report.ignores ? ignores_json(*report.ignores) : Json(nullptr);
  json["baseline"] = report.baseline ? baseline_json(*report.baseline) : Json(nullptr);
  // Non-ASCII stays as UTF-8; invalid bytes become U+FFFD instead of throwing.
  return json.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

namespace {

std::string text_at(const Json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

int int_at(const Json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_number_integer() ? it->get<int>() : 0;
}

std::vector<std::string> strings_at(const Json& object, const char* key) {
  std::vector<std::string> strings;
  const auto it = object.find(key);
  if (it == object.end() || !it->is_array()) return strings;
  for (const Json& item : *it) {
    if (item.is_string()) strings.push_back(item.get<std::string>());
  }
  return strings;
}

SourceKind parse_source_kind(const std::string& text) {
  for (SourceKind kind : {SourceKind::cfg, SourceKind::env, SourceKind::helm, SourceKind::webserver_config,
                          SourceKind::api, SourceKind::inventory, SourceKind::dag, SourceKind::default_value}) {
    if (text == to_string(kind)) return kind;
  }
  return SourceKind::default_value;
}

Origin parse_location(const Json& json, SourceKind kind) {
  Origin origin;
  origin.kind = kind;
  if (!json.is_object()) return origin;
  origin.file = text_at(json, "file");
  origin.line = int_at(json, "line");
  origin.column = int_at(json, "column");
  origin.name = text_at(json, "name");
  return origin;
}

Finding parse_finding(const Json& json) {
  Finding finding;
  finding.check_id = text_at(json, "check");
  finding.severity = parse_severity(text_at(json, "severity")).value_or(Severity::info);
  finding.title = text_at(json, "title");
  finding.source = parse_source_kind(text_at(json, "source"));
  finding.key = text_at(json, "key");
  finding.location = parse_location(json.value("location", Json::object()), finding.source);
  const std::string provenance = text_at(json, "provenance");
  finding.provenance = provenance == "chart-default"     ? Provenance::chart_default
                       : provenance == "airflow-default" ? Provenance::airflow_default
                                                         : Provenance::user;
  finding.evidence = text_at(json, "evidence");
  const Json remediation = json.value("remediation", Json::object());
  if (remediation.is_object()) {
    finding.remediation.summary = text_at(remediation, "summary");
    finding.remediation.target = text_at(remediation, "target");
    finding.remediation.snippet = text_at(remediation, "snippet");
    finding.remediation.action_key = text_at(remediation, "action_key");
  }
  finding.rationale = text_at(json, "rationale");
  finding.references = strings_at(json, "references");
  finding.tags = strings_at(json, "tags");
  finding.airflow_version = text_at(json, "airflow_version");
  finding.airflow_version_source = text_at(json, "airflow_version_source");
  finding.fingerprint = text_at(json, "fingerprint");
  if (finding.fingerprint.empty()) finding.fingerprint = fingerprint(finding);
  const auto suppressed = json.find("suppressed");
  finding.suppressed = suppressed != json.end() && suppressed->is_boolean() && suppressed->get<bool>();
  finding.suppression_reason = text_at(json, "suppression_reason");
  finding.suppressed_in_source = text_at(json, "suppression_kind") == "in_source";
  return finding;
}

}  // namespace

Result<ScanReport> parse_json_report(std::string_view text, const std::string& path) {
  auto parsed =
      parse_json_bounded<Json>(text, path, "the report", "give a report written by `airguard scan --format json`");
  if (!parsed) return parsed.error();
  const Json json = std::move(*parsed);
  if (!json.is_object() || !json.contains("schema_version") || !json.contains("findings") ||
      !json["findings"].is_array()) {
    return make_error(path, 0, "not an airguard JSON report (no schema_version or findings)",
                      "give a report written by `airguard scan --format json`");
  }
  if (!json["schema_version"].is_number_integer() || json["schema_version"].get<int>() != kReportSchemaVersion) {
    return make_error(path, 0,
                      fmt::format("unsupported report schema_version {} (this airguard reads {})",
                                  json["schema_version"].dump(), kReportSchemaVersion),
                      "regenerate the report with this version of airguard");
  }
  ScanReport report;
  const Json tool = json.value("tool", Json::object());
  if (tool.is_object()) report.tool_version = text_at(tool, "version");
  report.generated_at = text_at(json, "generated_at");
  const Json target = json.value("target", Json::object());
  if (target.is_object()) {
    report.airflow_version = text_at(target, "airflow_version");
    report.airflow_version_source = text_at(target, "source");
  }
  report.profile = text_at(json, "profile");
  report.fail_on = text_at(json, "fail_on");
  report.scan_root = text_at(json, "scan_root");
  if (json.contains("inputs") && json["inputs"].is_array()) {
    for (const Json& input : json["inputs"]) {
      if (input.is_object()) report.inputs.push_back({text_at(input, "kind"), text_at(input, "path")});
    }
  }
  for (const Json& finding : json["findings"]) {
    if (!finding.is_object()) {
      return make_error(path, 0, "a finding in the report is not a JSON object", "regenerate the report");
    }
    report.findings.push_back(parse_finding(finding));
  }
  if (json.contains("checks") && json["checks"].is_array()) {
    for (const Json& check : json["checks"]) {
      if (!check.is_object()) continue;
      CheckInfo info;
      info.id = text_at(check, "id");
      info.title = text_at(check, "title");
      info.severity = parse_severity(text_at(check, "severity")).value_or(Severity::info);
      info.rationale = text_at(check, "rationale");
      info.fix_summary = text_at(check, "fix");
      info.references = strings_at(check, "references");
      info.tags = strings_at(check, "tags");
      report.checks.push_back(std::move(info));
    }
  }
  if (json.contains("diagnostics") && json["diagnostics"].is_array()) {
    for (const Json& item : json["diagnostics"]) {
      if (!item.is_object()) continue;
      Diagnostic diagnostic;
      const std::string level = text_at(item, "level");
      diagnostic.level = level == "warning" ? Diagnostic::Level::warning
                         : level == "note"  ? Diagnostic::Level::note
                                            : Diagnostic::Level::error;
      diagnostic.file = text_at(item, "file");
      diagnostic.line = int_at(item, "line");
      diagnostic.column = int_at(item, "column");
      diagnostic.message = text_at(item, "message");
      diagnostic.hint = text_at(item, "hint");
      report.diagnostics.push_back(std::move(diagnostic));
    }
  }
  report.unavailable_sources = strings_at(json, "unavailable_sources");
  const Json feed = json.value("advisory_feed", Json::object());
  if (feed.is_object()) {
    report.advisory_feed_source = text_at(feed, "source");
    report.advisory_feed_date = text_at(feed, "date");
    const auto age = feed.find("age_days");
    if (age != feed.end() && age->is_number_integer()) report.advisory_feed_age_days = age->get<long>();
  }
  return report;
}

}  // namespace airguard
