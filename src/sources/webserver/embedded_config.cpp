#include "sources/webserver/embedded_config.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <tuple>
#include <utility>

#include "core/text.hpp"

namespace airguard {
namespace {

struct Action {
  std::size_t begin = 0;  // offset of `{{`
  std::size_t end = 0;    // offset past `}}` (or the end of the text)
  std::string keyword;    // "if", "end", "include", "comment", ".Values.x" -> "" ...
};

bool opens_block(std::string_view keyword) {
  return keyword == "if" || keyword == "range" || keyword == "with" || keyword == "define" || keyword == "block";
}

// Actions that write nothing into the rendered text.
bool writes_nothing(std::string_view keyword) {
  return keyword == "comment" || keyword == "end" || keyword == "else" || opens_block(keyword);
}

// The first word inside `{{ ... }}`, after Go's `-` trim marker: what kind of action it is.
std::string action_keyword(std::string_view inner) {
  if (inner.size() >= 2 && inner[0] == '-' && std::isspace(static_cast<unsigned char>(inner[1])))
    inner.remove_prefix(1);
  inner = trim(inner);
  if (inner.rfind("/*", 0) == 0) return "comment";
  std::size_t length = 0;
  while (length < inner.size() && std::isalpha(static_cast<unsigned char>(inner[length]))) ++length;
  return std::string(inner.substr(0, length));
}

// Go template actions in order. A string literal inside an action may hold `}}`; a comment ends at `*/`.
std::vector<Action> find_actions(std::string_view text, bool& unterminated) {
  std::vector<Action> actions;
  std::size_t at = 0;
  while ((at = text.find("{{", at)) != std::string_view::npos) {
    Action action;
    action.begin = at;
    std::size_t j = at + 2;
    bool closed = false;
    const std::size_t comment = text.find_first_not_of(" -", j);
    if (comment != std::string_view::npos && text.compare(comment, 2, "/*") == 0) {
      const std::size_t comment_end = text.find("*/", comment + 2);
      j = comment_end == std::string_view::npos ? text.size() : comment_end + 2;
    }
    while (j < text.size()) {
      const char c = text[j];
      if (c == '"') {  // interpreted string: ends at the quote, never spans a line
        ++j;
        while (j < text.size() && text[j] != '"' && text[j] != '\n') j += text[j] == '\\' ? 2u : 1u;
        ++j;
      } else if (c == '`') {  // raw string
        const std::size_t close = text.find('`', j + 1);
        j = close == std::string_view::npos ? text.size() : close + 1;
      } else if (c == '}' && j + 1 < text.size() && text[j + 1] == '}') {
        j += 2;
        closed = true;
        break;
      } else {
        ++j;
      }
    }
    action.end = std::min(j, text.size());
    if (!closed) unterminated = true;
    const std::size_t inner_end = closed ? action.end - 2 : action.end;
    action.keyword = action_keyword(text.substr(at + 2, inner_end - (at + 2)));
    actions.push_back(std::move(action));
    at = action.end;
  }
  return actions;
}

int count_lines(std::string_view text) { return 1 + static_cast<int>(std::count(text.begin(), text.end(), '\n')); }

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find('\n', start);
    std::string_view line = text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return lines;
}

int leading_spaces(std::string_view line) {
  int count = 0;
  while (static_cast<std::size_t>(count) < line.size() && line[static_cast<std::size_t>(count)] == ' ') ++count;
  return count;
}

bool is_blank(std::string_view line) { return trim(line).empty(); }

std::string_view without_trailing_newlines(std::string_view text) {
  while (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  return text;
}

ScalarLines all_on_key_line(std::string_view value, int key_line) {
  ScalarLines map;
  map.lines.assign(static_cast<std::size_t>(count_lines(value)), key_line);
  return map;
}

// Where the value of the entry starts on the key's line: past `key:`, a tag and an anchor.
// npos when the line holds no `:` that ends a key.
std::size_t value_start(std::string_view line) {
  std::size_t i = static_cast<std::size_t>(leading_spaces(line));
  if (line.compare(i, 2, "- ") == 0) i += 2;
  if (i < line.size() && (line[i] == '"' || line[i] == '\'')) {  // a quoted key
    const char quote = line[i];
    ++i;
    while (i < line.size() && line[i] != quote) i += line[i] == '\\' && quote == '"' ? 2u : 1u;
    ++i;
  }
  while (i < line.size()) {
    if (line[i] == ':' && (i + 1 == line.size() || line[i + 1] == ' ' || line[i + 1] == '\t')) break;
    ++i;
  }
  if (i >= line.size()) return std::string_view::npos;
  ++i;
  while (true) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i < line.size() && (line[i] == '!' || line[i] == '&')) {
      while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
      continue;
    }
    return i;
  }
}

// The column where the key starts (its parent's indentation for a block scalar's indicator).
int key_indent(std::string_view line) {
  int indent = leading_spaces(line);
  if (line.compare(static_cast<std::size_t>(indent), 2, "- ") == 0) indent += 2;
  return indent;
}

}  // namespace

NeutralizedTemplate neutralize_template_actions(std::string_view text) {
  NeutralizedTemplate result;
  const std::vector<Action> actions = find_actions(text, result.unterminated);
  result.actions = static_cast<int>(actions.size());
  if (actions.empty()) {
    result.text = std::string(text);
    return result;
  }
  // Block structure: the outermost blocks, in order, each from its opening action to its `end`
  // (nested ones lie inside them). Lines are counted as the actions go, so this stays linear.
  std::vector<std::pair<int, std::string>> open;
  int line = 1;
  std::size_t counted = 0;
  for (const Action& action : actions) {
    line += static_cast<int>(std::count(text.begin() + static_cast<std::ptrdiff_t>(counted),
                                        text.begin() + static_cast<std::ptrdiff_t>(action.begin), '\n'));
    counted = action.begin;
    if (opens_block(action.keyword)) {
      open.emplace_back(line, action.keyword);
    } else if (action.keyword == "end" && !open.empty()) {
      if (open.size() == 1) result.blocks.push_back({open.front().first, line, open.front().second});
      open.pop_back();
    }
  }
  if (!open.empty()) result.blocks.push_back({open.front().first, count_lines(text), open.front().second});

  const auto blank = [](std::string_view part) { return part.find_first_not_of(" \t\r") == std::string_view::npos; };
  result.text.reserve(text.size());
  std::size_t next = 0;  // the first action that ends after the current line's start
  std::size_t start = 0;
  int line_number = 1;
  while (true) {
    const std::size_t newline = text.find('\n', start);
    const std::size_t end = newline == std::string_view::npos ? text.size() : newline;
    while (next < actions.size() && actions[next].end <= start) ++next;
    bool has_action = false;
    bool only_actions = true;
    bool output_action = false;
    std::size_t pos = start;
    for (std::size_t k = next; k < actions.size() && actions[k].begin < end; ++k) {
      if (actions[k].begin > pos && !blank(text.substr(pos, actions[k].begin - pos))) only_actions = false;
      has_action = true;
      if (!writes_nothing(actions[k].keyword)) output_action = true;
      pos = std::max(pos, actions[k].end);
    }
    if (pos < end && !blank(text.substr(pos, end - pos))) only_actions = false;
    if (has_action && only_actions) {
      if (output_action) result.output_lines.push_back(line_number);
    } else {
      pos = start;
      bool after_marker = false;  // adjacent actions make one marker, one identifier
      for (std::size_t k = next; k < actions.size() && actions[k].begin < end; ++k) {
        const std::size_t begin = std::max(actions[k].begin, start);
        if (begin > pos) {
          result.text.append(text.substr(pos, begin - pos));
          after_marker = false;
        }
        if (actions[k].keyword != "comment" && !after_marker) {
          result.text += kTemplateActionMarker;
          after_marker = true;
        }
        pos = std::min(std::max(pos, actions[k].end), end);
      }
      if (pos < end) result.text.append(text.substr(pos, end - pos));
    }
    if (newline == std::string_view::npos) break;
    result.text += '\n';
    start = newline + 1;
    ++line_number;
  }
  return result;
}

ScalarLines map_scalar_lines(std::string_view values_text, int key_line, std::string_view value) {
  const std::vector<std::string_view> lines = split_lines(values_text);
  if (key_line < 1 || static_cast<std::size_t>(key_line) > lines.size()) return all_on_key_line(value, key_line);
  const std::string_view key = lines[static_cast<std::size_t>(key_line - 1)];
  const std::size_t start = value_start(key);
  if (start == std::string_view::npos || start >= key.size() || key[start] == '#') {
    return all_on_key_line(value, key_line);  // the value starts on a later line: not mapped line by line
  }
  const char indicator = key[start];
  if (indicator != '|' && indicator != '>') {
    ScalarLines map = all_on_key_line(value, key_line);
    if (value.find('\n') != std::string_view::npos) return map;
    map.exact = true;
    // A plain scalar is the text as written; a quoted one only when it has no escapes.
    const std::size_t quoted = indicator == '"' || indicator == '\'' ? 1 : 0;
    if (key.compare(start + quoted, value.size(), value) == 0) map.column_shift = static_cast<int>(start + quoted);
    return map;
  }
  // Block scalar header: chomping and indentation indicators in either order.
  int indentation_indicator = 0;
  std::size_t i = start + 1;
  for (int k = 0; k < 2 && i < key.size(); ++k, ++i) {
    if (key[i] >= '1' && key[i] <= '9') {
      indentation_indicator = key[i] - '0';
    } else if (key[i] != '+' && key[i] != '-') {
      break;
    }
  }
  int indent = indentation_indicator > 0 ? key_indent(key) + indentation_indicator : 0;
  std::size_t first = static_cast<std::size_t>(key_line);  // index of the first content line
  if (indent == 0) {
    for (std::size_t k = first; k < lines.size(); ++k) {
      if (!is_blank(lines[k])) {
        indent = leading_spaces(lines[k]);
        break;
      }
    }
    if (indent <= key_indent(key)) return all_on_key_line(value, key_line);
  }
  std::vector<std::string_view> content;
  for (std::size_t k = first; k < lines.size(); ++k) {
    if (!is_blank(lines[k]) && leading_spaces(lines[k]) < indent) break;
    const std::string_view line = lines[k];
    content.push_back(line.size() > static_cast<std::size_t>(indent) ? line.substr(static_cast<std::size_t>(indent))
                                                                     : std::string_view());
  }

  ScalarLines map;
  std::string rebuilt;
  if (indicator == '|') {
    for (std::size_t k = 0; k < content.size(); ++k) {
      if (k > 0) rebuilt += '\n';
      rebuilt += content[k];
      map.lines.push_back(key_line + 1 + static_cast<int>(k));
    }
    map.column_shift = indent;
  } else {
    // Folding: a line break between two lines of text at the content's indentation becomes a
    // space, or the empty lines after it; breaks around more-indented lines are kept.
    int empty = 0;
    bool any = false;
    bool previous_more_indented = false;
    for (std::size_t k = 0; k < content.size(); ++k) {
      const std::string_view line = content[k];
      if (is_blank(line) && (line.empty() || line.front() != ' ')) {
        ++empty;
        continue;
      }
      const bool more_indented = line.front() == ' ' || line.front() == '\t';
      const int source_line = key_line + 1 + static_cast<int>(k);
      if (!any) {
        for (int e = 0; e < empty; ++e) {
          rebuilt += '\n';
          map.lines.push_back(source_line - empty + e);
        }
        map.lines.push_back(source_line);
      } else if (!more_indented && !previous_more_indented && empty == 0) {
        rebuilt += ' ';
      } else {
        const int breaks = !more_indented && !previous_more_indented ? empty : empty + 1;
        for (int e = 0; e < breaks; ++e) {
          rebuilt += '\n';
          map.lines.push_back(source_line - breaks + 1 + e);
        }
      }
      rebuilt += line;
      any = true;
      empty = 0;
      previous_more_indented = more_indented;
    }
  }
  if (without_trailing_newlines(rebuilt) != without_trailing_newlines(value)) return all_on_key_line(value, key_line);
  // One entry per line of the value: lines it keeps past the text (`|+` chomping) sit after it,
  // empty lines `|-` strips are dropped.
  const std::size_t value_lines = static_cast<std::size_t>(count_lines(value));
  while (map.lines.size() < value_lines) map.lines.push_back(map.lines.empty() ? key_line + 1 : map.lines.back() + 1);
  map.lines.resize(value_lines);
  map.exact = true;
  if (indicator == '>') map.column_shift = 0;
  return map;
}

namespace {

constexpr std::string_view kTemplateMechanism = "a Helm template action, rendered at install";

bool holds_marker(std::string_view text) { return text.find(kTemplateActionMarker) != std::string_view::npos; }

// A value the template fills in is known only when Helm renders it.
void make_opaque(PyValue& value) {
  switch (value.kind) {
    case PyValue::Kind::string:
    case PyValue::Kind::name:
    case PyValue::Kind::environment:
      if (holds_marker(value.text) || holds_marker(value.mechanism)) {
        value.kind = PyValue::Kind::computed;
        value.text.clear();
        value.mechanism = std::string(kTemplateMechanism);
      }
      break;
    case PyValue::Kind::computed:
      if (holds_marker(value.mechanism)) value.mechanism = std::string(kTemplateMechanism);
      break;
    default:
      break;
  }
  for (PyValue& item : value.items) make_opaque(item);
  for (PyValue& key : value.keys) make_opaque(key);
}

template <typename Place>
void relocate(PyValue& value, const Place& place) {
  const auto [line, column] = place(value.line, value.column);
  value.line = line;
  value.column = column;
  for (PyValue& item : value.items) relocate(item, place);
  for (PyValue& key : value.keys) relocate(key, place);
}

std::string without_marker(std::string text) {
  std::size_t at = 0;
  while ((at = text.find(kTemplateActionMarker, at)) != std::string::npos) {
    text.replace(at, kTemplateActionMarker.size(), "{{ ... }}");
    at += 9;
  }
  return text;
}

}  // namespace

WebserverConfig parse_embedded_webserver_config(std::string_view neutralized_text, const EmbeddedPlacement& placement) {
  WebserverConfig config = parse_webserver_config(neutralized_text, placement.file);
  const ScalarLines& map = placement.lines;
  const auto line_of = [&](int line) {
    if (line <= 0) return 0;
    const std::size_t index = static_cast<std::size_t>(line - 1);
    return index < map.lines.size() ? map.lines[index] : placement.key_line;
  };
  const auto place = [&](int line, int column) {
    const int column_in_file = map.exact && map.column_shift > 0 && column > 0 ? column + map.column_shift : 0;
    return std::pair<int, int>{line_of(line), column_in_file};
  };
  // Blocks are the outermost ones, in order and apart: a binary search finds the one around a line.
  const auto block_around = [&](int line) -> const TemplateBlock* {
    const auto after = std::upper_bound(placement.blocks.begin(), placement.blocks.end(), line,
                                        [](int l, const TemplateBlock& block) { return l < block.first_line; });
    if (after == placement.blocks.begin()) return nullptr;
    const TemplateBlock& block = *std::prev(after);
    return line <= block.last_line ? &block : nullptr;
  };
  for (WebserverSetting& setting : config.settings) {
    if (setting.name.empty()) continue;
    const int line = setting.fact.origin.line;
    const int column = setting.fact.origin.column;
    if (const TemplateBlock* block = block_around(line)) {
      PyValue runtime;
      runtime.kind = PyValue::Kind::computed;
      runtime.mechanism = fmt::format("assigned inside the Helm template `{{{{ {} }}}}` block at line {}",
                                      block->keyword, line_of(block->first_line));
      runtime.line = line;
      runtime.column = column;
      setting.value = std::move(runtime);
      setting.conditional = true;
    } else {
      make_opaque(setting.value);
    }
    relocate(setting.value, place);
    const auto [file_line, file_column] = place(line, column);
    setting.fact = webserver_fact(setting.name, setting.value, placement.file, file_line, file_column);
    setting.fact.origin.name = placement.key;
  }
  config.nested = nested_settings(config.settings, placement.file);
  for (WebserverSetting& element : config.nested) element.fact.origin.name = placement.key;
  for (Diagnostic& diagnostic : config.skipped) {
    diagnostic.file = placement.file;
    if (diagnostic.line > 0) std::tie(diagnostic.line, diagnostic.column) = place(diagnostic.line, diagnostic.column);
    diagnostic.message = without_marker(std::move(diagnostic.message)) + fmt::format(" (in {})", placement.key);
    diagnostic.hint = without_marker(std::move(diagnostic.hint));
  }
  config.path = placement.file;
  config.embedded_key = placement.key;
  return config;
}

bool is_embedded_webserver_origin(const Origin& origin) {
  return origin.kind == SourceKind::webserver_config && !origin.name.empty();
}

std::string embedded_fix_text(std::string_view text, const Origin& origin) {
  std::string body(text);
  std::size_t at = 0;
  while ((at = body.find("webserver_config.py", at)) != std::string::npos) {
    body.replace(at, 19, origin.name);
    at += origin.name.size();
  }
  // The target already says file:line; the snippet says which key's text to change.
  return fmt::format("in the Helm value {} (the chart mounts it as webserver_config.py):\n{}", origin.name, body);
}

}  // namespace airguard
