#include "report/ignore_rules.hpp"

#include <fmt/format.h>
#include <fnmatch.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <filesystem>

#include "core/text.hpp"

namespace airguard {

namespace {

constexpr std::array<std::string_view, 5> kEntryFields = {"check", "key", "file", "reason", "expires"};
constexpr std::string_view kShapeHint =
    "expected:\nignore:\n  - check: AFH-WEB-001\n    reason: why the risk is accepted\n    expires: 2026-12-31";

int line_of(const YAML::Node& node) { return node.Mark().is_null() ? 0 : node.Mark().line + 1; }

Diagnostic error_at(const std::string& path, const YAML::Node& node, std::string message, std::string hint = {}) {
  Diagnostic error = make_error(path, line_of(node), std::move(message), std::move(hint));
  if (!node.Mark().is_null()) error.column = node.Mark().column + 1;
  return error;
}

std::string suggest(std::string_view unknown) {
  for (std::string_view field : kEntryFields) {
    if (edit_distance(to_lower(unknown), field) <= 2) return fmt::format("did you mean '{}'?", field);
  }
  return "known fields: check, key, file, reason, expires";
}

bool has_wildcard(std::string_view text) { return text.find_first_of("*?[") != std::string_view::npos; }

bool glob_match(const std::string& pattern, const std::string& text, int flags = 0) {
  return fnmatch(pattern.c_str(), text.c_str(), flags) == 0;
}

bool file_matches(const std::string& entry_file, const std::string& finding_file, const std::string& ignore_file_path) {
  namespace fs = std::filesystem;
  if (finding_file.empty()) return false;
  const std::string wanted = fs::path(entry_file).lexically_normal().generic_string();
  const std::string given = fs::path(finding_file).lexically_normal().generic_string();
  // The finding's path relative to the ignore file's directory, when it lies below it.
  std::string relative;
  std::error_code error;
  const fs::path base = fs::absolute(fs::path(ignore_file_path).parent_path(), error).lexically_normal();
  const fs::path absolute = fs::absolute(fs::path(finding_file), error).lexically_normal();
  if (!error) {
    const fs::path rel = absolute.lexically_relative(base);
    if (!rel.empty() && *rel.begin() != "..") relative = rel.generic_string();
  }
  if (has_wildcard(wanted)) {
    return glob_match(wanted, given) || (!relative.empty() && glob_match(wanted, relative));
  }
  if (wanted == given || wanted == relative) return true;
  // "airflow.cfg" in the entry also covers "deploy/airflow.cfg" given on the command line.
  return given.size() > wanted.size() && given.compare(given.size() - wanted.size(), wanted.size(), wanted) == 0 &&
         given[given.size() - wanted.size() - 1] == '/';
}

}  // namespace

bool is_iso_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u}) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  const auto number = [&](std::size_t from, std::size_t count) {
    int value = 0;
    for (std::size_t i = from; i < from + count; ++i) value = value * 10 + (text[i] - '0');
    return value;
  };
  const int year = number(0, 4);
  const int month = number(5, 2);
  const int day = number(8, 2);
  if (month < 1 || month > 12 || day < 1) return false;
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const int days = kDays[static_cast<std::size_t>(month - 1)] + (month == 2 && leap ? 1 : 0);
  return day <= days;
}

Result<IgnoreFile> parse_ignore_file(std::string_view text, const std::string& path) {
  IgnoreFile file;
  file.path = path;
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& error) {
    Diagnostic diagnostic = make_error(path, error.mark.is_null() ? 0 : error.mark.line + 1,
                                       "not valid YAML: " + error.msg, std::string(kShapeHint));
    if (!error.mark.is_null()) diagnostic.column = error.mark.column + 1;
    return diagnostic;
  }
  if (!root || root.IsNull()) return file;  // an empty file ignores nothing
  if (!root.IsMap())
    return error_at(path, root, "an ignore file is a mapping with an 'ignore' list", std::string(kShapeHint));
  for (const auto& item : root) {
    const std::string name = item.first.Scalar();
    if (name != "ignore") {
      return error_at(path, item.first, fmt::format("unknown top-level key '{}'", name),
                      "the only top-level key is 'ignore'");
    }
  }
  const YAML::Node list = root["ignore"];
  if (list.IsNull()) return file;
  if (!list.IsSequence()) return error_at(path, list, "'ignore' must be a list of entries", std::string(kShapeHint));

  for (const YAML::Node& node : list) {
    if (!node.IsMap()) return error_at(path, node, "an ignore entry must be a mapping", std::string(kShapeHint));
    IgnoreEntry entry;
    entry.defined_in = path;
    entry.line = line_of(node);
    for (const auto& field : node) {
      const std::string name = field.first.Scalar();
      const auto known = std::find(kEntryFields.begin(), kEntryFields.end(), name);
      if (known == kEntryFields.end()) {
        return error_at(path, field.first, fmt::format("unknown field '{}' in an ignore entry", name), suggest(name));
      }
      if (!field.second.IsScalar()) {
        return error_at(path, field.second, fmt::format("'{}' must be a single value", name));
      }
      const std::string value(trim(field.second.Scalar()));
      if (name == "check") entry.check = value;
      if (name == "key") entry.key = value;
      if (name == "file") entry.file = value;
      if (name == "reason") entry.reason = value;
      if (name == "expires") {
        if (!is_iso_date(value)) {
          return error_at(path, field.second, fmt::format("expires '{}' is not a date", value),
                          "write it as YYYY-MM-DD, for example 2026-12-31");
        }
        entry.expires = value;
      }
    }
    if (entry.check.empty()) {
      return error_at(path, node, "an ignore entry needs a check id", "add check: AFH-...; wildcards are allowed");
    }
    if (entry.reason.empty()) {
      return error_at(path, node, fmt::format("the ignore entry for {} has no reason", entry.check),
                      "say why the risk is accepted: reason: ...");
    }
    file.entries.push_back(std::move(entry));
  }
  return file;
}

bool ignore_entry_matches(const IgnoreEntry& entry, const Finding& finding, const std::string& ignore_file_path) {
  const bool check_ok = has_wildcard(entry.check) ? glob_match(to_upper(entry.check), to_upper(finding.check_id))
                                                  : equals_icase(entry.check, finding.check_id);
  if (!check_ok) return false;
  if (!entry.key.empty() && !equals_icase(entry.key, finding.key)) return false;
  if (!entry.file.empty() && !file_matches(entry.file, finding.location.file, ignore_file_path)) return false;
  return true;
}

IgnoreResult apply_ignores(const IgnoreFile& file, std::vector<Finding>& findings, std::string_view today) {
  IgnoreResult result;
  result.audit.path = file.path;
  for (const IgnoreEntry& entry : file.entries) {
    if (!entry.expires.empty() && !today.empty() && entry.expires < today) {
      result.audit.expired.push_back(entry);
      result.diagnostics.push_back(
          make_warning(entry.defined_in, entry.line,
                       fmt::format("the ignore entry for {} expired on {}", entry.check, entry.expires),
                       "its findings are reported again; fix them, or renew the entry with a new reason and date"));
      continue;
    }
    std::size_t matched = 0;
    for (Finding& finding : findings) {
      if (!ignore_entry_matches(entry, finding, file.path)) continue;
      ++matched;  // an entry shadowed by an earlier one still counts as used
      if (finding.suppressed) continue;
      finding.suppressed = true;
      finding.suppression_reason = entry.reason;
      ++result.audit.suppressed;
    }
    if (matched == 0) {
      result.audit.unused.push_back(entry);
      result.diagnostics.push_back(make_note(entry.defined_in, entry.line,
                                             fmt::format("the ignore entry for {} matched no finding", entry.check),
                                             "remove it if the problem was fixed"));
    }
  }
  return result;
}

}  // namespace airguard
