#include "sources/env/environment.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>

#include "core/file_io.hpp"

extern char** environ;  // NOLINT: POSIX

namespace airguard {

void Environment::set(EnvVar var) {
  if (vars_.empty() || vars_.back().name < var.name) {  // in order: no element moves
    vars_.push_back(std::move(var));
    return;
  }
  const auto it = std::lower_bound(vars_.begin(), vars_.end(), var.name,
                                   [](const EnvVar& a, const std::string& name) { return a.name < name; });
  if (it != vars_.end() && it->name == var.name) {
    *it = std::move(var);
  } else {
    vars_.insert(it, std::move(var));
  }
}

void Environment::set_all(std::vector<EnvVar> layer) {
  const auto by_name = [](const EnvVar& a, const EnvVar& b) { return a.name < b.name; };
  std::stable_sort(layer.begin(), layer.end(), by_name);
  // Of several definitions of a name in the layer, the last one counts.
  std::vector<EnvVar> latest;
  latest.reserve(layer.size());
  for (std::size_t i = 0; i < layer.size(); ++i) {
    if (i + 1 < layer.size() && layer[i + 1].name == layer[i].name) continue;
    latest.push_back(std::move(layer[i]));
  }
  std::vector<EnvVar> merged;
  merged.reserve(vars_.size() + latest.size());
  auto old_it = vars_.begin();
  for (EnvVar& var : latest) {
    while (old_it != vars_.end() && old_it->name < var.name) merged.push_back(std::move(*old_it++));
    if (old_it != vars_.end() && old_it->name == var.name) ++old_it;  // replaced by the layer
    merged.push_back(std::move(var));
  }
  while (old_it != vars_.end()) merged.push_back(std::move(*old_it++));
  vars_ = std::move(merged);
}

const EnvVar* Environment::get(std::string_view name) const {
  const auto it = std::lower_bound(vars_.begin(), vars_.end(), name,
                                   [](const EnvVar& a, std::string_view n) { return a.name < n; });
  return it != vars_.end() && it->name == name ? &*it : nullptr;
}

namespace {

bool is_blank(char c) { return c == ' ' || c == '\t'; }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

bool is_name_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) != 0 || c == '_' || c == '.' || c == '-' || c == '[' || c == ']' || u >= 0x80;
}

std::string rtrim_copy(std::string_view text) {
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return std::string(text);
}

}  // namespace

std::string interpolate_compose(std::string_view text,
                                const std::function<const std::string*(std::string_view)>& lookup,
                                std::vector<std::string>* missing) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] != '$') {
      out += text[i++];
      continue;
    }
    if (i + 1 < text.size() && text[i + 1] == '$') {  // $$ is a literal dollar
      out += '$';
      i += 2;
      continue;
    }
    std::string name;
    std::string op;
    std::string operand;
    std::size_t next = i + 1;
    if (next < text.size() && text[next] == '{') {
      std::size_t depth = 1;
      std::size_t close = next + 1;
      while (close < text.size() && depth > 0) {
        if (text[close] == '{') ++depth;
        if (text[close] == '}') --depth;
        if (depth > 0) ++close;
      }
      if (close >= text.size()) {  // unterminated: kept as written
        out += text.substr(i);
        break;
      }
      const std::string_view body = text.substr(next + 1, close - next - 1);
      std::size_t name_end = 0;
      while (name_end < body.size() &&
             (std::isalnum(static_cast<unsigned char>(body[name_end])) != 0 || body[name_end] == '_')) {
        ++name_end;
      }
      name = std::string(body.substr(0, name_end));
      std::string_view rest = body.substr(name_end);
      for (std::string_view candidate : {":-", ":?", ":+", "-", "?", "+"}) {
        if (rest.substr(0, candidate.size()) == candidate) {
          op = std::string(candidate);
          operand = std::string(rest.substr(candidate.size()));
          break;
        }
      }
      next = close + 1;
    } else {
      std::size_t end = next;
      while (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) != 0 || text[end] == '_')) ++end;
      if (end == next) {
        out += '$';
        ++i;
        continue;
      }
      name = std::string(text.substr(next, end - next));
      next = end;
    }
    const std::string* value = lookup(name);
    const bool set = value != nullptr;
    const bool non_empty = set && !value->empty();
    if (op == ":-") {
      out += non_empty ? *value : interpolate_compose(operand, lookup, missing);
    } else if (op == "-") {
      out += set ? *value : interpolate_compose(operand, lookup, missing);
    } else if (op == ":+") {
      if (non_empty) out += interpolate_compose(operand, lookup, missing);
    } else if (op == "+") {
      if (set) out += interpolate_compose(operand, lookup, missing);
    } else {
      if (set) {
        out += *value;
      } else if (missing != nullptr) {
        missing->push_back(name);
      }
    }
    i = next;
  }
  return out;
}

EnvFileParse parse_env_file(std::string_view input, const std::string& path) {
  EnvFileParse result;
  // compose reads CRLF files as LF; one pass, as erasing each CR in place would be quadratic
  std::string text;
  text.reserve(input.size());
  for (std::size_t i = 0; i < input.size(); ++i) {
    if (!(input[i] == '\r' && i + 1 < input.size() && input[i + 1] == '\n')) text += input[i];
  }
  std::map<std::string, std::string> defined;
  const auto lookup = [&defined](std::string_view name) -> const std::string* {
    auto it = defined.find(std::string(name));
    return it == defined.end() ? nullptr : &it->second;
  };
  std::size_t pos = 0;
  int line = 1;
  const auto advance_to = [&](std::size_t target) {
    for (std::size_t k = pos; k < target && k < text.size(); ++k) {
      if (text[k] == '\n') ++line;
    }
    pos = target;
  };
  while (pos < text.size()) {
    // skip blank space and empty lines
    std::size_t start = pos;
    while (start < text.size() && is_space(text[start])) ++start;
    advance_to(start);
    if (pos >= text.size()) break;
    std::size_t line_end = text.find('\n', pos);
    if (line_end == std::string::npos) line_end = text.size();
    if (text[pos] == '#') {
      advance_to(line_end);
      continue;
    }
    const int key_line = line;
    std::size_t cursor = pos;
    if (text.compare(cursor, 7, "export ") == 0 || text.compare(cursor, 7, "export\t") == 0) {
      cursor += 7;
      while (cursor < line_end && is_blank(text[cursor])) ++cursor;
    }
    const std::size_t key_start = cursor;
    while (cursor < line_end && is_name_char(text[cursor])) ++cursor;
    const std::string key = text.substr(key_start, cursor - key_start);
    while (cursor < line_end && is_blank(text[cursor])) ++cursor;
    EnvVar var;
    var.name = key;
    var.origin.kind = SourceKind::env;
    var.origin.file = path;
    var.origin.line = key_line;
    std::size_t line_start = key_start == 0 ? std::string::npos : text.rfind('\n', key_start - 1);
    line_start = line_start == std::string::npos ? 0 : line_start + 1;
    var.origin.column = static_cast<int>(key_start - line_start + 1);
    var.origin.name = key;
    if (key.empty() || (cursor < line_end && text[cursor] != '=' && text[cursor] != ':')) {
      result.problems.push_back(make_error(path, key_line, "line is not a VARIABLE=value assignment",
                                           "docker compose refuses this env file"));
      advance_to(line_end);
      continue;
    }
    if (cursor >= line_end) {
      // `NAME` alone: compose passes the value from the environment it runs in
      var.value_from_reference = true;
      var.reference = "value taken from the environment docker compose runs in";
      defined.erase(key);
      result.vars.push_back(std::move(var));
      advance_to(line_end);
      continue;
    }
    ++cursor;  // the delimiter
    while (cursor < line_end && is_blank(text[cursor])) ++cursor;
    std::size_t value_end = line_end;
    if (cursor < text.size() && (text[cursor] == '\'' || text[cursor] == '"')) {
      const char quote = text[cursor];
      std::size_t k = cursor + 1;
      std::string value;
      bool closed = false;
      while (k < text.size()) {
        const char c = text[k];
        if (c == '\\' && k + 1 < text.size()) {
          const char e = text[k + 1];
          if (quote == '"') {
            // \n \r \t are control characters, \$ a literal dollar, \X is X
            value += e == 'n'   ? std::string("\n")
                     : e == 'r' ? std::string("\r")
                     : e == 't' ? std::string("\t")
                     : e == '$' ? std::string("$$")
                                : std::string(1, e);
            k += 2;
            continue;
          }
          if (e == '\'') {
            value += '\'';
            k += 2;
            continue;
          }
        }
        if (c == quote) {
          closed = true;
          break;
        }
        value += c;
        ++k;
      }
      if (!closed) {
        result.problems.push_back(make_error(path, key_line, fmt::format("value of {} has no closing quote", key),
                                             "docker compose refuses this env file"));
        advance_to(text.size());
        break;
      }
      var.value = quote == '"' ? interpolate_compose(value, lookup, nullptr) : value;
      value_end = text.find('\n', k);
      if (value_end == std::string::npos) value_end = text.size();
    } else {
      std::string value = text.substr(cursor, line_end - cursor);
      const std::size_t comment = value.find(" #");
      if (comment != std::string::npos) value.resize(comment);
      var.value = interpolate_compose(rtrim_copy(value), lookup, nullptr);
    }
    defined[key] = var.value;
    result.vars.push_back(std::move(var));
    advance_to(value_end);
  }
  return result;
}

Result<EnvFileParse> read_env_file(const std::string& path) {
  auto text = read_text_file(path);
  if (!text) return text.error();
  return parse_env_file(*text, path);
}

std::vector<EnvVar> process_environment() {
  std::vector<EnvVar> vars;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    const std::size_t equals = text.find('=');
    if (equals == std::string_view::npos || equals == 0) continue;
    EnvVar var;
    var.name = std::string(text.substr(0, equals));
    var.value = std::string(text.substr(equals + 1));
    var.origin.kind = SourceKind::env;
    var.origin.name = var.name;
    vars.push_back(std::move(var));
  }
  return vars;
}

}  // namespace airguard
