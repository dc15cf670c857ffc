#include "sources/dags/airflowignore.hpp"

#include <re2/re2.h>

#include "core/text.hpp"

namespace airguard {

namespace {

void append_escaped(std::string& out, char c) {
  if (std::string_view("\\.^$|?*+()[]{}").find(c) != std::string_view::npos) out += '\\';
  out += c;
}

// One path segment of a gitwildmatch pattern: * ? [...] and backslash escapes.
std::string translate_segment(std::string_view segment) {
  std::string out;
  for (std::size_t i = 0; i < segment.size(); ++i) {
    const char c = segment[i];
    if (c == '\\' && i + 1 < segment.size()) {
      append_escaped(out, segment[++i]);
    } else if (c == '*') {
      out += "[^/]*";
    } else if (c == '?') {
      out += "[^/]";
    } else if (c == '[') {
      std::size_t j = i + 1;
      if (j < segment.size() && (segment[j] == '!' || segment[j] == '^')) ++j;
      if (j < segment.size() && segment[j] == ']') ++j;
      while (j < segment.size() && segment[j] != ']') ++j;
      if (j >= segment.size()) {
        out += "\\[";  // no closing bracket: a literal "["
        continue;
      }
      std::string_view body = segment.substr(i + 1, j - i - 1);
      out += '[';
      if (!body.empty() && (body[0] == '!' || body[0] == '^')) {
        out += '^';
        body.remove_prefix(1);
      }
      for (char b : body) {
        if (b == '\\' || b == '[' || b == ']') out += '\\';
        out += b;
      }
      out += ']';
      i = j;
    } else {
      append_escaped(out, c);
    }
  }
  return out;
}

}  // namespace

std::string gitwildmatch_to_regex(std::string_view pattern, bool& include) {
  include = true;
  if (pattern.empty() || pattern[0] == '#' || pattern == "/") return {};
  if (pattern[0] == '!') {
    include = false;
    pattern.remove_prefix(1);
  }
  if (!pattern.empty() && pattern[0] == '\\') pattern.remove_prefix(1);
  std::vector<std::string> segments = split(pattern, '/');
  if (segments.empty()) return {};
  if (segments.front().empty()) {
    segments.erase(segments.begin());  // a leading slash anchors the pattern
  } else if (segments.size() == 1 || (segments.size() == 2 && segments[1].empty())) {
    if (segments.front() != "**") segments.insert(segments.begin(), "**");  // matches at any level
  }
  if (segments.empty()) return {};
  if (segments.size() > 1 && segments.back().empty()) segments.back() = "**";  // "dir/" = everything below
  std::string out = "^";
  bool need_slash = false;
  const std::size_t end = segments.size() - 1;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const std::string& segment = segments[i];
    if (segment == "**") {
      if (i == 0 && i == end) {
        out += ".+";
      } else if (i == 0) {
        out += "(?:.+/)?";
        need_slash = false;
      } else if (i == end) {
        out += "/.*";
      } else {
        out += "(?:/.+)?";
        need_slash = true;
      }
    } else if (segment == "*") {
      if (need_slash) out += '/';
      out += "[^/]+";
      if (i == end) out += "(?:/.*)?";
      need_slash = true;
    } else {
      if (need_slash) out += '/';
      out += translate_segment(segment);
      if (i == end) out += "(?:/.*)?";
      need_slash = true;
    }
  }
  out += '$';
  return out;
}

std::vector<IgnoreRule> parse_airflowignore(std::string_view text, IgnoreSyntax syntax, const std::string& ignore_dir,
                                            const std::string& file_for_messages, Diagnostics& problems) {
  std::vector<IgnoreRule> rules;
  int line_number = 0;
  for (std::string_view line : split(text, '\n')) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    // Airflow drops `\s*#.*` from every line before compiling it, in both syntaxes.
    const std::size_t hash = line.find('#');
    if (hash != std::string_view::npos) {
      std::size_t cut = hash;
      while (cut > 0 && (line[cut - 1] == ' ' || line[cut - 1] == '\t')) --cut;
      line = line.substr(0, cut);
    }
    if (line.empty()) continue;
    IgnoreRule rule;
    std::string regex;
    if (syntax == IgnoreSyntax::regexp) {
      regex = std::string(line);
    } else {
      if (trim(line) == "/") {
        problems.push_back(make_warning(file_for_messages, line_number, "the glob pattern \"/\" matches nothing",
                                        "Airflow ignores it too"));
        continue;
      }
      const std::string_view stripped = line.substr(0, line.find_last_not_of('/') + 1);
      rule.anchored = line.front() == '/' || stripped.find('/') != std::string_view::npos;
      if (rule.anchored) rule.relative_to = ignore_dir;
      rule.directory_only = line.back() == '/';
      regex = gitwildmatch_to_regex(line, rule.include);
      if (regex.empty()) continue;
    }
    RE2::Options options;
    options.set_log_errors(false);
    auto compiled = std::make_shared<const RE2>(regex, options);
    if (!compiled->ok()) {
      problems.push_back(make_warning(file_for_messages, line_number,
                                      "invalid ignore pattern skipped: " + compiled->error(),
                                      "Airflow skips it as well; fix or remove the line"));
      continue;
    }
    rule.pattern = std::move(compiled);
    rules.push_back(std::move(rule));
  }
  return rules;
}

bool is_ignored(const std::vector<IgnoreRule>& rules, IgnoreSyntax syntax, std::string_view relative_path,
                bool is_directory) {
  if (syntax == IgnoreSyntax::regexp) {
    for (const IgnoreRule& rule : rules) {
      if (RE2::PartialMatch(relative_path, *rule.pattern)) return true;
    }
    return false;
  }
  bool matched = false;
  const std::size_t slash = relative_path.rfind('/');
  const std::string_view name = slash == std::string_view::npos ? relative_path : relative_path.substr(slash + 1);
  std::string subject;
  for (const IgnoreRule& rule : rules) {
    if (rule.anchored) {
      std::string_view rel = relative_path;
      if (!rule.relative_to.empty()) {
        if (rel.size() <= rule.relative_to.size() || rel.substr(0, rule.relative_to.size()) != rule.relative_to ||
            rel[rule.relative_to.size()] != '/') {
          continue;
        }
        rel.remove_prefix(rule.relative_to.size() + 1);
      }
      subject.assign(rel);
    } else {
      subject.assign(name);
    }
    if (rule.directory_only && is_directory) subject += '/';
    if (RE2::FullMatch(subject, *rule.pattern)) matched = rule.include;
  }
  return matched;
}

}  // namespace airguard
