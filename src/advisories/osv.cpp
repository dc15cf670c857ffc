#include "advisories/osv.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>

#include "core/json_text.hpp"
#include "core/text.hpp"

namespace airguard {
namespace {

using nlohmann::json;

std::string string_field(const json& object, const char* name) {
  auto it = object.find(name);
  return (it != object.end() && it->is_string()) ? it->get<std::string>() : std::string();
}

std::vector<std::string> string_list(const json& object, const char* name) {
  std::vector<std::string> out;
  auto it = object.find(name);
  if (it == object.end() || !it->is_array()) return out;
  for (const auto& item : *it) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

// OSV evaluation order: "0" first, then bounds that are not PEP 440 (osv.dev's legacy ordering
// puts them below every release), then real versions; at equal versions the event order is kept.
bool event_before(const OsvEvent& a, const OsvEvent& b) {
  auto rank = [](const OsvEvent& e) { return e.is_zero ? 0 : (e.version ? 2 : 1); };
  if (rank(a) != rank(b)) return rank(a) < rank(b);
  if (rank(a) == 2) return *a.version < *b.version;
  return false;
}

// v >= bound / v > bound, where a non-PEP 440 bound is below every version.
bool at_or_above(const Version& v, const OsvEvent& e) { return e.is_zero || !e.version || v >= *e.version; }
bool above(const Version& v, const OsvEvent& e) { return e.is_zero || !e.version || v > *e.version; }

std::optional<OsvRange> parse_range(const json& item) {
  if (!item.is_object()) return std::nullopt;
  OsvRange range;
  range.type = string_field(item, "type");
  auto events = item.find("events");
  if (events == item.end() || !events->is_array()) return std::nullopt;
  for (const auto& ev : *events) {
    if (!ev.is_object() || ev.size() != 1) continue;
    auto [key, value] = *ev.items().begin();
    if (!value.is_string()) continue;
    OsvEvent event;
    if (key == "introduced")
      event.kind = OsvEvent::Kind::introduced;
    else if (key == "fixed")
      event.kind = OsvEvent::Kind::fixed;
    else if (key == "last_affected")
      event.kind = OsvEvent::Kind::last_affected;
    else if (key == "limit")
      event.kind = OsvEvent::Kind::limit;
    else
      continue;
    event.value = value.get<std::string>();
    event.is_zero = event.kind == OsvEvent::Kind::introduced && event.value == "0";
    if (!event.is_zero) event.version = parse_version(event.value);
    range.events.push_back(std::move(event));
  }
  std::stable_sort(range.events.begin(), range.events.end(), event_before);
  return range;
}

std::optional<OsvRecord> parse_record(const json& item, const std::string& source_name, Diagnostics& diagnostics) {
  if (!item.is_object()) {
    diagnostics.push_back(make_warning(source_name, 0, "skipped an advisory entry that is not a JSON object"));
    return std::nullopt;
  }
  OsvRecord record;
  record.id = string_field(item, "id");
  if (record.id.empty()) {
    diagnostics.push_back(make_warning(source_name, 0, "skipped an advisory record without an id"));
    return std::nullopt;
  }
  record.aliases = string_list(item, "aliases");
  record.summary = string_field(item, "summary");
  if (record.summary.empty()) {
    std::string details = string_field(item, "details");
    record.summary = details.substr(0, std::min<std::size_t>(details.find('\n'), 200));
  }
  record.modified = string_field(item, "modified");
  record.published = string_field(item, "published");
  record.withdrawn = string_field(item, "withdrawn");
  if (auto severities = item.find("severity"); severities != item.end() && severities->is_array()) {
    for (const auto& s : *severities) {
      if (!s.is_object()) continue;
      std::string type = string_field(s, "type");
      std::string score = string_field(s, "score");
      if (type == "CVSS_V3")
        record.cvss_v3.push_back(score);
      else if (type == "CVSS_V4")
        record.cvss_v4.push_back(score);
    }
  }
  if (auto db = item.find("database_specific"); db != item.end() && db->is_object()) {
    record.database_severity = string_field(*db, "severity");
  }
  if (auto refs = item.find("references"); refs != item.end() && refs->is_array()) {
    for (const auto& r : *refs) {
      if (r.is_object() && string_field(r, "type") == "ADVISORY") record.references.push_back(string_field(r, "url"));
    }
  }
  if (auto affected = item.find("affected"); affected != item.end() && affected->is_array()) {
    for (const auto& a : *affected) {
      if (!a.is_object()) continue;
      OsvAffected entry;
      if (auto package = a.find("package"); package != a.end() && package->is_object()) {
        entry.ecosystem = string_field(*package, "ecosystem");
        entry.package = normalize_package_name(string_field(*package, "name"));
      }
      if (entry.package.empty()) continue;
      if (auto ranges = a.find("ranges"); ranges != a.end() && ranges->is_array()) {
        for (const auto& r : *ranges) {
          if (auto range = parse_range(r)) entry.ranges.push_back(std::move(*range));
        }
      }
      // A listed version the ranges already include adds nothing (affected = listed or in a
      // range); keeping only the others leaves most lists empty.
      std::vector<std::string> keys;
      for (const auto& text : string_list(a, "versions")) {
        if (auto v = parse_version(text); v && !ranges_include(entry, *v)) keys.push_back(v->equality_key());
      }
      std::sort(keys.begin(), keys.end());
      keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
      for (const auto& key : keys) entry.listed += (entry.listed.empty() ? "\n" : "") + key + "\n";
      record.affected.push_back(std::move(entry));
    }
  }
  return record;
}

double round_up_1(double value) {
  // CVSS v3.1 Roundup: smallest number with one decimal >= value, immune to float noise.
  auto scaled = static_cast<long long>(std::llround(value * 100000.0));
  if (scaled % 10000 == 0) return static_cast<double>(scaled) / 100000.0;
  return (std::floor(static_cast<double>(scaled) / 10000.0) + 1.0) / 10.0;
}

std::map<std::string, std::string> vector_metrics(std::string_view vector, std::string_view prefix) {
  std::map<std::string, std::string> metrics;
  if (!vector.starts_with(prefix)) return metrics;
  for (const auto& part : split(vector.substr(prefix.size()), '/')) {
    auto colon = part.find(':');
    if (colon == std::string::npos) continue;
    metrics[part.substr(0, colon)] = part.substr(colon + 1);
  }
  return metrics;
}

struct BaseMetrics {
  std::string av, ac, pr, ui, s, c, i, a;
};

std::optional<double> v3_equations(const BaseMetrics& m) {
  static const std::map<std::string, double> kAv = {{"N", 0.85}, {"A", 0.62}, {"L", 0.55}, {"P", 0.2}};
  static const std::map<std::string, double> kAc = {{"L", 0.77}, {"H", 0.44}};
  static const std::map<std::string, double> kUi = {{"N", 0.85}, {"R", 0.62}};
  static const std::map<std::string, double> kCia = {{"H", 0.56}, {"L", 0.22}, {"N", 0.0}};
  bool changed = m.s == "C";
  if (m.s != "C" && m.s != "U") return std::nullopt;
  std::map<std::string, double> pr = {{"N", 0.85}, {"L", changed ? 0.68 : 0.62}, {"H", changed ? 0.5 : 0.27}};
  if (!kAv.count(m.av) || !kAc.count(m.ac) || !pr.count(m.pr) || !kUi.count(m.ui) || !kCia.count(m.c) ||
      !kCia.count(m.i) || !kCia.count(m.a)) {
    return std::nullopt;
  }
  double iss = 1.0 - (1.0 - kCia.at(m.c)) * (1.0 - kCia.at(m.i)) * (1.0 - kCia.at(m.a));
  double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * std::pow(iss - 0.02, 15.0) : 6.42 * iss;
  double exploitability = 8.22 * kAv.at(m.av) * kAc.at(m.ac) * pr.at(m.pr) * kUi.at(m.ui);
  if (impact <= 0) return 0.0;
  return changed ? round_up_1(std::min(1.08 * (impact + exploitability), 10.0))
                 : round_up_1(std::min(impact + exploitability, 10.0));
}

std::string format_score(double score) {
  std::string text = std::to_string(std::round(score * 10.0) / 10.0);
  return text.substr(0, text.find('.') + 2);
}

}  // namespace

std::vector<OsvRecord> parse_osv_json(std::string_view text, const std::string& source_name, Diagnostics& diagnostics) {
  std::vector<OsvRecord> records;
  auto parsed = parse_json_bounded<json>(text, source_name, "advisory feed",
                                         "expected OSV records: one object, an array of them, or {\"vulns\": [...]}");
  if (!parsed) {
    diagnostics.push_back(parsed.error());
    return records;
  }
  json document = std::move(*parsed);
  const json* list = &document;
  if (document.is_object() && document.contains("vulns")) list = &document["vulns"];
  if (list->is_array()) {
    for (const auto& item : *list) {
      if (auto record = parse_record(item, source_name, diagnostics)) records.push_back(std::move(*record));
    }
  } else if (list->is_object()) {
    if (auto record = parse_record(*list, source_name, diagnostics)) records.push_back(std::move(*record));
  } else {
    diagnostics.push_back(make_error(source_name, 0, "advisory feed holds no OSV record"));
  }
  return records;
}

bool range_includes(const OsvRange& range, const Version& version) {
  if (range.type != "ECOSYSTEM") return false;
  bool has_limit = false;
  bool under_a_limit = false;
  for (const auto& e : range.events) {
    if (e.kind != OsvEvent::Kind::limit) continue;
    has_limit = true;
    if (e.value == "*" || (e.version && version < *e.version)) under_a_limit = true;
  }
  if (has_limit && !under_a_limit) return false;
  bool affected = false;
  for (const auto& e : range.events) {
    switch (e.kind) {
      case OsvEvent::Kind::introduced:
        if (at_or_above(version, e)) affected = true;
        break;
      case OsvEvent::Kind::fixed:
        if (at_or_above(version, e)) affected = false;
        break;
      case OsvEvent::Kind::last_affected:
        if (above(version, e)) affected = false;
        break;
      case OsvEvent::Kind::limit:
        break;
    }
  }
  return affected;
}

bool ranges_include(const OsvAffected& affected, const Version& version) {
  return std::any_of(affected.ranges.begin(), affected.ranges.end(),
                     [&](const OsvRange& r) { return range_includes(r, version); });
}

bool OsvAffected::lists(const Version& version) const {
  return !listed.empty() && listed.find('\n' + version.equality_key() + '\n') != std::string::npos;
}

std::vector<std::string> OsvAffected::listed_keys() const {
  std::vector<std::string> keys;
  std::size_t start = 1;
  while (start < listed.size()) {
    const std::size_t end = listed.find('\n', start);
    keys.push_back(listed.substr(start, end - start));
    start = end + 1;
  }
  return keys;
}

bool affected_includes(const OsvAffected& affected, const Version& version) {
  return affected.lists(version) || ranges_include(affected, version);
}

std::optional<double> cvss3_base_score(std::string_view vector) {
  std::string_view prefix = vector.starts_with("CVSS:3.0/") ? "CVSS:3.0/" : "CVSS:3.1/";
  auto m = vector_metrics(vector, prefix);
  if (m.empty()) return std::nullopt;
  return v3_equations({m["AV"], m["AC"], m["PR"], m["UI"], m["S"], m["C"], m["I"], m["A"]});
}

std::optional<double> cvss4_approximate_score(std::string_view vector) {
  auto m = vector_metrics(vector, "CVSS:4.0/");
  if (m.empty()) return std::nullopt;
  auto level = [](const std::string& v) { return v == "H" ? 2 : (v == "L" ? 1 : 0); };
  auto higher = [&](const std::string& a, const std::string& b) { return level(a) >= level(b) ? a : b; };
  bool changed = level(m["SC"]) > level(m["VC"]) || level(m["SI"]) > level(m["VI"]) || level(m["SA"]) > level(m["VA"]);
  BaseMetrics base{m["AV"],
                   (m["AC"] == "H" || m["AT"] == "P") ? "H" : "L",
                   m["PR"],
                   m["UI"] == "N" ? "N" : "R",
                   changed ? "C" : "U",
                   higher(m["VC"], m["SC"]),
                   higher(m["VI"], m["SI"]),
                   higher(m["VA"], m["SA"])};
  return v3_equations(base);
}

Severity severity_from_score(double score) {
  if (score >= 9.0) return Severity::critical;
  if (score >= 7.0) return Severity::high;
  if (score >= 4.0) return Severity::medium;
  if (score > 0.0) return Severity::low;
  return Severity::info;
}

AdvisorySeverity OsvRecord::severity() const {
  AdvisorySeverity best;
  bool found = false;
  for (const auto& vector : cvss_v3) {
    if (auto score = cvss3_base_score(vector); score && (!found || *score > best.score)) {
      best = {severity_from_score(*score), *score, vector.substr(0, 8) + " " + format_score(*score)};
      found = true;
    }
  }
  if (found) return best;
  if (!database_severity.empty()) {
    std::string rating = to_upper(database_severity);
    Severity level = rating == "CRITICAL" ? Severity::critical
                     : rating == "HIGH"   ? Severity::high
                     : rating == "LOW"    ? Severity::low
                                          : Severity::medium;  // MODERATE / MEDIUM / unknown words
    return {level, 0.0, "database rating " + rating};
  }
  for (const auto& vector : cvss_v4) {
    if (auto score = cvss4_approximate_score(vector); score && (!found || *score > best.score)) {
      best = {severity_from_score(*score), *score, "CVSS:4.0 approx. " + format_score(*score)};
      found = true;
    }
  }
  if (found) return best;
  return {Severity::medium, 0.0, "unrated (medium assumed)"};
}

}  // namespace airguard
