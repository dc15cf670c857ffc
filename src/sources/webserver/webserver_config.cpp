#include "sources/webserver/webserver_config.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <map>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

#include "core/file_io.hpp"
#include "core/redact.hpp"
#include "core/text.hpp"
#include "sources/webserver/python_tokens.hpp"

namespace airguard {
namespace {

using python::LogicalLine;
using python::Token;
using Tokens = std::span<const Token>;

// Flask-AppBuilder's authentication type constants (flask_appbuilder.const).
constexpr std::string_view kFabAuthConstants[] = {"AUTH_OID",         "AUTH_DB",    "AUTH_LDAP",
                                                  "AUTH_REMOTE_USER", "AUTH_OAUTH", "AUTH_SAML"};

bool is_fab_constant(std::string_view name) {
  return std::find(std::begin(kFabAuthConstants), std::end(kFabAuthConstants), name) != std::end(kFabAuthConstants);
}

bool is_op(const Token& token, std::string_view op) { return token.kind == Token::Kind::op && token.text == op; }
bool is_keyword(const Token& token, std::string_view word) {
  return token.kind == Token::Kind::name && token.text == word;
}
bool is_open(const Token& t) { return is_op(t, "(") || is_op(t, "[") || is_op(t, "{"); }
bool is_close(const Token& t) { return is_op(t, ")") || is_op(t, "]") || is_op(t, "}"); }

// Index of the bracket closing the one at `open`, or tokens.size() when it never closes.
std::size_t matching_close(Tokens tokens, std::size_t open) {
  int depth = 0;
  for (std::size_t i = open; i < tokens.size(); ++i) {
    if (is_open(tokens[i])) ++depth;
    if (is_close(tokens[i]) && --depth == 0) return i;
  }
  return tokens.size();
}

// Splits at every bracket-depth-0 token equal to `op`; a trailing separator adds no empty part.
std::vector<Tokens> split_top_level(Tokens tokens, std::string_view op) {
  std::vector<Tokens> parts;
  int depth = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (is_open(tokens[i])) ++depth;
    if (is_close(tokens[i])) --depth;
    if (depth == 0 && is_op(tokens[i], op)) {
      parts.push_back(tokens.subspan(start, i - start));
      start = i + 1;
    }
  }
  if (start < tokens.size() || parts.empty()) parts.push_back(tokens.subspan(start));
  return parts;
}

bool has_top_level(Tokens tokens, bool (*pred)(const Token&)) {
  int depth = 0;
  for (const Token& token : tokens) {
    if (is_open(token)) ++depth;
    if (is_close(token)) --depth;
    if (depth == 0 && pred(token)) return true;
  }
  return false;
}

bool is_comma(const Token& t) { return is_op(t, ","); }
bool is_colon(const Token& t) { return is_op(t, ":"); }
bool is_for(const Token& t) { return is_keyword(t, "for"); }

bool is_identifier(std::string_view text) {
  if (text.empty() || (text[0] >= '0' && text[0] <= '9')) return false;
  return std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

std::string json_quote(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

PyValue computed(std::string mechanism, const Token& at) {
  PyValue value;
  value.kind = PyValue::Kind::computed;
  value.mechanism = std::move(mechanism);
  value.line = at.line;
  value.column = at.column;
  return value;
}

// Python integer literal to decimal text: 0x1F, 0o17, 0b101, 1_800. nullopt when it is not one.
std::optional<std::string> integer_text(std::string text) {
  text.erase(std::remove(text.begin(), text.end(), '_'), text.end());
  int base = 10;
  std::string digits = text;
  if (text.size() > 2 && text[0] == '0') {
    const char marker = static_cast<char>(text[1] | 0x20);
    if (marker == 'x') base = 16;
    if (marker == 'o') base = 8;
    if (marker == 'b') base = 2;
    if (base != 10) digits = text.substr(2);
  }
  if (digits.empty()) return std::nullopt;
  if (base == 10) {
    if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) return std::nullopt;
    const std::size_t first = digits.find_first_not_of('0');
    return first == std::string::npos ? std::string("0") : digits.substr(first);
  }
  errno = 0;
  char* end = nullptr;
  const unsigned long long value = std::strtoull(digits.c_str(), &end, base);
  if (*end != '\0' || errno == ERANGE) return std::nullopt;
  return std::to_string(value);
}

std::string describe_tokens(Tokens tokens) {
  if (tokens.empty()) return "nothing";
  if (tokens.size() >= 2 && tokens[0].kind == Token::Kind::name && is_op(tokens[1], "(")) {
    return fmt::format("a call to {}", tokens[0].text);
  }
  // Dotted call: a.b.c(
  std::string dotted;
  std::size_t i = 0;
  while (i < tokens.size() && tokens[i].kind == Token::Kind::name) {
    dotted += tokens[i].text;
    if (i + 1 < tokens.size() && is_op(tokens[i + 1], ".")) {
      dotted += '.';
      i += 2;
    } else {
      ++i;
      break;
    }
  }
  if (!dotted.empty() && i < tokens.size() && is_op(tokens[i], "(")) return fmt::format("a call to {}", dotted);
  return "an expression";
}

// Reads one module: imports, assignments, blocks. Values of names assigned earlier are looked up
// as Python would at that point of the module.
class ModuleReader {
 public:
  ModuleReader(const std::string& path, WebserverConfig& out) : path_(path), out_(out) {}

  // One logical line after the other, as the tokenizer ends them.
  void read_line(const LogicalLine& line) {
    std::vector<Block>& blocks = blocks_;
    while (!blocks.empty() && line.indent <= blocks.back().indent) blocks.pop_back();
    const bool in_function = std::any_of(blocks.begin(), blocks.end(), [](const Block& b) { return b.skip_body; });
    if (in_function) return;  // the def/class header was already named once
    const Tokens tokens(line.tokens);
    if (is_op(tokens[0], "@")) return;  // a decorator: the def or class after it is what matters
    if (const std::optional<Block> header = block_header(tokens, line.indent)) {
      blocks.push_back(*header);
      if (header->skip_body) {
        if (tokens.size() > 1 && tokens[1].kind == Token::Kind::name && blocks.size() == 1) {
          symbols_[header->label] = computed(
              fmt::format("the {} {} defined at line {}", header->kind, header->label, tokens[0].line), tokens[1]);
          imports_.erase(header->label);
        }
        note(tokens[0],
             fmt::format("{} `{}` is not evaluated", header->kind == "class" ? "class" : "function", header->label));
        return;
      }
      const std::size_t colon = header_colon(tokens);
      if (colon + 1 < tokens.size()) statements(tokens.subspan(colon + 1), &blocks.back());
      return;
    }
    statements(tokens, blocks.empty() ? nullptr : &blocks.back());
  }

  // After the last line: settings a later assignment replaced are dropped, and the notes past
  // the listed ones are summed up in one.
  void finish() {
    compact_settings();
    if (unlisted_notes_ > 0) {
      out_.skipped.push_back(make_note(
          path_, 0, fmt::format("{} more constructs not evaluated after these", with_thousands(unlisted_notes_))));
    }
  }

 private:
  struct Block {
    int indent = 0;
    std::string kind;   // "if", "else", "try", "for", "def", "class" ...
    std::string label;  // function or class name
    int line = 0;
    bool skip_body = false;
  };

  static std::size_t header_colon(Tokens tokens) {
    int depth = 0;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      if (is_open(tokens[i])) ++depth;
      if (is_close(tokens[i])) --depth;
      if (depth == 0 && is_colon(tokens[i])) return i;
    }
    return tokens.size();
  }

  std::optional<Block> block_header(Tokens tokens, int indent) const {
    static constexpr std::string_view kCompound[] = {"if",  "elif",  "else", "try", "except", "finally",
                                                     "for", "while", "with", "def", "class",  "async"};
    if (tokens[0].kind != Token::Kind::name) return std::nullopt;
    if (std::find(std::begin(kCompound), std::end(kCompound), tokens[0].text) == std::end(kCompound)) {
      return std::nullopt;
    }
    std::size_t first = 0;
    if (tokens[0].text == "async") {
      if (tokens.size() < 2) return std::nullopt;
      first = 1;
    }
    Block block;
    block.indent = indent;
    block.kind = tokens[first].text;
    block.line = tokens[0].line;
    block.skip_body = block.kind == "def" || block.kind == "class";
    if (block.skip_body && first + 1 < tokens.size()) block.label = tokens[first + 1].text;
    return block;
  }

  void statements(Tokens tokens, const Block* block) {
    for (Tokens statement : split_top_level(tokens, ";")) {
      if (!statement.empty()) this->statement(statement, block);
    }
  }

  void statement(Tokens tokens, const Block* block) {
    const Token& first = tokens[0];
    if (is_keyword(first, "import")) return import_names(tokens.subspan(1));
    if (is_keyword(first, "from")) return from_import(tokens);
    if (is_keyword(first, "pass") || is_keyword(first, "global") || is_keyword(first, "nonlocal") ||
        is_keyword(first, "break") || is_keyword(first, "continue")) {
      return;
    }
    if (is_keyword(first, "del")) return delete_names(tokens.subspan(1));
    if (is_keyword(first, "assert") || is_keyword(first, "raise") || is_keyword(first, "return")) {
      return note(first, fmt::format("`{}` statement is not evaluated", first.text));
    }

    const std::vector<Tokens> parts = split_top_level(tokens, "=");
    if (parts.size() > 1) {
      const Tokens value_tokens = parts.back();
      const PyValue value =
          value_tokens.empty() ? computed("an empty expression", tokens.back()) : evaluate(value_tokens);
      for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
        Tokens target = parts[i];
        if (i == 0) target = split_top_level(target, ":").front();  // NAME: annotation = value
        assign(target, value, block);
      }
      return;
    }
    if (const std::optional<std::size_t> op = augmented_operator(tokens)) {
      const Tokens target = tokens.first(*op);
      if (target.size() == 1 && target[0].kind == Token::Kind::name) {
        const std::string mechanism =
            fmt::format("augmented assignment ({}) at line {}", tokens[*op].text, tokens[*op].line);
        note(target[0], fmt::format("{} is changed by an augmented assignment ({}); its value is not evaluated",
                                    target[0].text, tokens[*op].text));
        store(target[0], computed(mechanism, tokens[*op]), block != nullptr);
      } else {
        note(first, fmt::format("augmented assignment to {} is not evaluated", describe_target(target)));
      }
      return;
    }
    if (first.kind == Token::Kind::name && tokens.size() > 1 && is_colon(tokens[1])) return;  // bare annotation
    const bool docstring =
        std::all_of(tokens.begin(), tokens.end(), [](const Token& t) { return t.kind == Token::Kind::string; });
    if (docstring) return;
    note(first, fmt::format("expression statement ({}) is not evaluated", describe_tokens(tokens)));
  }

  static std::optional<std::size_t> augmented_operator(Tokens tokens) {
    static constexpr std::string_view kAugmented[] = {
        "+=", "-=", "*=", "/=", "//=", "%=", "**=", ">>=", "<<=", "&=", "^=", "|=", "@="};
    int depth = 0;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      if (is_open(tokens[i])) ++depth;
      if (is_close(tokens[i])) --depth;
      if (depth == 0 && tokens[i].kind == Token::Kind::op &&
          std::find(std::begin(kAugmented), std::end(kAugmented), tokens[i].text) != std::end(kAugmented)) {
        return i;
      }
    }
    return std::nullopt;
  }

  static std::string describe_target(Tokens target) {
    std::string text;
    for (const Token& token : target) {
      if (token.kind == Token::Kind::string) {
        text += "'…'";
      } else {
        text += token.text;
      }
      if (text.size() > 60) return text.substr(0, 60) + "…";
    }
    return text;
  }

  // --- imports -------------------------------------------------------------------------------

  // `import a.b.c as x, d` binds x -> a.b.c and d -> d; without `as`, `a.b.c` binds a.
  void import_names(Tokens tokens) {
    for (Tokens part : split_top_level(tokens, ",")) {
      std::string dotted;
      std::size_t i = 0;
      for (; i < part.size() && !is_keyword(part[i], "as"); ++i) dotted += part[i].text;
      if (dotted.empty()) continue;
      if (i + 1 < part.size()) {
        imports_[part[i + 1].text] = dotted;
      } else {
        const std::string top = dotted.substr(0, dotted.find('.'));
        imports_[top] = top;
      }
    }
  }

  void from_import(Tokens tokens) {
    std::size_t i = 1;
    std::string module;
    for (; i < tokens.size() && !is_keyword(tokens[i], "import"); ++i) module += tokens[i].text;
    if (i >= tokens.size()) return note(tokens[0], "incomplete `from ... import` statement");
    Tokens names = tokens.subspan(i + 1);
    if (!names.empty() && is_op(names.front(), "(")) names = names.subspan(1, names.size() >= 2 ? names.size() - 2 : 0);
    for (Tokens part : split_top_level(names, ",")) {
      if (part.empty()) continue;
      if (is_op(part[0], "*")) {
        note(part[0], fmt::format("`from {} import *` brings in names this reader cannot see", module));
        continue;
      }
      const std::string& name = part[0].text;
      const std::string local = part.size() >= 3 && is_keyword(part[1], "as") ? part[2].text : name;
      imports_[local] = module + "." + name;
      symbols_.erase(local);
    }
  }

  void delete_names(Tokens tokens) {
    for (Tokens part : split_top_level(tokens, ",")) {
      if (part.size() == 1 && part[0].kind == Token::Kind::name) {
        note(part[0], fmt::format("{} is deleted", part[0].text));
        symbols_.erase(part[0].text);
        supersede(part[0].text);
      } else if (!part.empty()) {
        note(part[0], "`del` of an item or attribute is not evaluated");
      }
    }
  }

  // --- assignments ---------------------------------------------------------------------------

  void assign(Tokens target, const PyValue& value, const Block* block) {
    if (target.empty()) return;
    if (target.size() == 1 && target[0].kind == Token::Kind::name) {
      if (block != nullptr) {
        note(target[0],
             fmt::format("{} is assigned inside the `{}` block at line {}; recorded as known only at runtime",
                         target[0].text, block->kind, block->line));
        store(target[0],
              computed(fmt::format("assigned inside the `{}` block at line {}", block->kind, block->line), target[0]),
              true);
      } else {
        store(target[0], value, false);
      }
      return;
    }
    // Tuple or list target: A, B = 1, 2
    Tokens inner = target;
    if ((is_op(inner.front(), "(") || is_op(inner.front(), "[")) && matching_close(inner, 0) == inner.size() - 1) {
      inner = inner.subspan(1, inner.size() - 2);
    }
    if (has_top_level(inner, is_comma)) {
      std::vector<Tokens> names = split_top_level(inner, ",");
      const bool simple = std::all_of(names.begin(), names.end(),
                                      [](Tokens n) { return n.size() == 1 && n[0].kind == Token::Kind::name; });
      if (!simple) return note(target[0], fmt::format("assignment to {} is not evaluated", describe_target(target)));
      const bool unpackable = value.kind == PyValue::Kind::list && value.items.size() == names.size();
      if (!unpackable) {
        note(target[0], fmt::format("tuple assignment to {} is not unpacked; recorded as known only at runtime",
                                    describe_target(target)));
      }
      for (std::size_t i = 0; i < names.size(); ++i) {
        const PyValue part = unpackable ? value.items[i] : computed("tuple unpacking", names[i][0]);
        assign(names[i], part, block);
      }
      return;
    }
    // Item or attribute assignment: X["k"] = v changes X in ways this reader does not follow.
    if (target[0].kind == Token::Kind::name && target.size() > 1 && (is_op(target[1], "[") || is_op(target[1], "."))) {
      const std::string& base = target[0].text;
      if (symbols_.count(base) != 0) {
        note(target[0],
             fmt::format("{} is changed by an item or attribute assignment; recorded as known only at runtime", base));
        store(target[0], computed(fmt::format("changed at line {}", target[0].line), target[0]), block != nullptr);
        return;
      }
    }
    note(target[0], fmt::format("assignment to {} is not evaluated", describe_target(target)));
  }

  void store(const Token& target, const PyValue& value, bool conditional) {
    WebserverSetting setting;
    setting.name = target.text;
    setting.value = value;
    setting.conditional = conditional;
    setting.fact = make_fact(target.text, value, path_, target.line, target.column);
    symbols_[target.text] = value;
    imports_.erase(target.text);
    supersede(target.text);
    setting_positions_[target.text] = out_.settings.size();
    out_.settings.push_back(std::move(setting));
  }

  // The setting of this name no longer counts: a later assignment (the last one wins) or `del`
  // replaced it. It is dropped, so a file assigning one name 500,000 times keeps one setting.
  void supersede(const std::string& name) {
    const auto found = setting_positions_.find(name);
    if (found == setting_positions_.end()) return;
    out_.settings[found->second].name.clear();  // marks it dropped
    setting_positions_.erase(found);
    if (++dropped_settings_ > out_.settings.size() / 2 + 64) compact_settings();
  }

  void compact_settings() {
    if (dropped_settings_ == 0) return;
    std::erase_if(out_.settings, [](const WebserverSetting& s) { return s.name.empty(); });
    setting_positions_.clear();
    for (std::size_t i = 0; i < out_.settings.size(); ++i) setting_positions_[out_.settings[i].name] = i;
    dropped_settings_ = 0;
  }

  // --- expressions ---------------------------------------------------------------------------

  PyValue evaluate(Tokens tokens) {
    // No settings file nests brackets this deep; bounding it bounds the recursion and the
    // rescanning of inner tokens at every level.
    constexpr int kMaxNesting = 64;
    if (nesting_ >= kMaxNesting) {
      return computed(fmt::format("an expression nested more than {} levels deep", kMaxNesting), tokens.front());
    }
    ++nesting_;
    struct Leave {
      int& level;
      ~Leave() { --level; }
    } leave{nesting_};
    if (has_top_level(tokens, is_comma)) return sequence(tokens, tokens.front());  // 1, 2 is a tuple
    const auto [value, next] = primary(tokens, 0);
    if (next >= tokens.size()) return value;
    const Token& op = tokens[next];
    if (is_keyword(op, "if")) return computed("a conditional expression", tokens.front());
    if (is_keyword(op, "or") || is_keyword(op, "and")) {
      return computed(fmt::format("a boolean expression (`{}`)", op.text), tokens.front());
    }
    return computed(fmt::format("an expression (`{}`)", op.text), tokens.front());
  }

  PyValue sequence(Tokens tokens, const Token& at) {
    PyValue list;
    list.kind = PyValue::Kind::list;
    list.line = at.line;
    list.column = at.column;
    if (tokens.empty()) return list;
    if (has_top_level(tokens, is_for)) return computed("a comprehension", at);
    for (Tokens element : split_top_level(tokens, ",")) {
      if (element.empty()) continue;
      if (is_op(element[0], "*")) {
        list.items.push_back(computed("an unpacked sequence", element[0]));
      } else {
        list.items.push_back(evaluate(element));
      }
    }
    return list;
  }

  PyValue dict_or_set(Tokens tokens, const Token& at) {
    if (tokens.empty()) {
      PyValue dict;
      dict.kind = PyValue::Kind::dict;
      dict.line = at.line;
      dict.column = at.column;
      return dict;
    }
    if (has_top_level(tokens, is_for)) return computed("a comprehension", at);
    const std::vector<Tokens> elements = split_top_level(tokens, ",");
    if (!has_top_level(elements.front(), is_colon) && !is_op(elements.front().front(), "**")) {
      return sequence(tokens, at);  // a set display
    }
    PyValue dict;
    dict.kind = PyValue::Kind::dict;
    dict.line = at.line;
    dict.column = at.column;
    for (Tokens element : elements) {
      if (element.empty()) continue;
      if (is_op(element[0], "**")) return computed("a dict built with ** unpacking", element[0]);
      const std::vector<Tokens> key_value = split_top_level(element, ":");
      if (key_value.size() != 2 || key_value[0].empty() || key_value[1].empty()) {
        return computed("a dict entry this reader does not understand", element[0]);
      }
      dict.keys.push_back(evaluate(key_value[0]));
      dict.items.push_back(evaluate(key_value[1]));
    }
    return dict;
  }

  // One operand with its trailers (calls, subscripts, attributes). Returns the index after it.
  std::pair<PyValue, std::size_t> primary(Tokens tokens, std::size_t i) {
    const Token& token = tokens[i];
    switch (token.kind) {
      case Token::Kind::string:
        return with_trailers(tokens, strings(tokens, i));
      case Token::Kind::number:
        return with_trailers(tokens, {number(token, false), i + 1});
      case Token::Kind::error:
        return {computed("a character Python does not accept", token), tokens.size()};
      case Token::Kind::name:
        return name_primary(tokens, i);
      case Token::Kind::op:
        break;
    }
    if ((is_op(token, "-") || is_op(token, "+")) && i + 1 < tokens.size() &&
        tokens[i + 1].kind == Token::Kind::number) {
      PyValue value = number(tokens[i + 1], is_op(token, "-"));
      value.line = token.line;
      value.column = token.column;
      return with_trailers(tokens, {value, i + 2});
    }
    if (is_open(token)) {
      const std::size_t close = matching_close(tokens, i);
      if (close >= tokens.size()) return {computed("an unclosed bracket", token), tokens.size()};
      const Tokens inner = tokens.subspan(i + 1, close - i - 1);
      PyValue value;
      if (is_op(token, "[")) {
        value = sequence(inner, token);
      } else if (is_op(token, "{")) {
        value = dict_or_set(inner, token);
      } else if (inner.empty() || has_top_level(inner, is_comma)) {
        value = sequence(inner, token);  // a tuple
      } else if (has_top_level(inner, is_for)) {
        value = computed("a generator expression", token);
      } else {
        value = evaluate(inner);  // parentheses around one expression
      }
      return with_trailers(tokens, {value, close + 1});
    }
    return {computed(fmt::format("an expression starting with `{}`", token.text), token), i + 1};
  }

  // A call, subscript or attribute on a value this reader built (a literal, a container) makes it computed.
  static std::pair<PyValue, std::size_t> with_trailers(Tokens tokens, std::pair<PyValue, std::size_t> result) {
    auto& [value, next] = result;
    if (next < tokens.size() && (is_op(tokens[next], "(") || is_op(tokens[next], "[") || is_op(tokens[next], "."))) {
      PyValue changed;
      changed.kind = PyValue::Kind::computed;
      changed.mechanism = is_op(tokens[next], "[") ? "a subscript of a literal" : "a method call on a literal";
      changed.line = value.line;
      changed.column = value.column;
      return {changed, skip_trailers(tokens, next)};
    }
    return result;
  }

  static std::size_t skip_trailers(Tokens tokens, std::size_t i) {
    while (i < tokens.size()) {
      if (is_op(tokens[i], "(") || is_op(tokens[i], "[")) {
        i = matching_close(tokens, i) + 1;
      } else if (is_op(tokens[i], ".") && i + 1 < tokens.size()) {
        i += 2;
      } else {
        break;
      }
    }
    return i;
  }

  std::pair<PyValue, std::size_t> strings(Tokens tokens, std::size_t i) {
    PyValue value;
    value.kind = PyValue::Kind::string;
    value.line = tokens[i].line;
    value.column = tokens[i].column;
    bool runtime = false;
    for (; i < tokens.size() && tokens[i].kind == Token::Kind::string; ++i) {
      runtime = runtime || tokens[i].fstring_placeholder;
      value.text += tokens[i].text;
    }
    if (runtime) {
      PyValue fstring = computed("an f-string", tokens[0]);
      fstring.line = value.line;
      fstring.column = value.column;
      return {fstring, i};
    }
    return {value, i};
  }

  static PyValue number(const Token& token, bool negative) {
    PyValue value;
    value.line = token.line;
    value.column = token.column;
    if (const std::optional<std::string> integer = integer_text(token.text)) {
      value.kind = PyValue::Kind::integer;
      value.text = (negative && *integer != "0" ? "-" : "") + *integer;
      return value;
    }
    std::string text = token.text;
    text.erase(std::remove(text.begin(), text.end(), '_'), text.end());
    if (!text.empty() && (text.back() | 0x20) == 'j') return computed("a complex number", token);
    char* end = nullptr;
    (void)std::strtod(text.c_str(), &end);
    if (end == text.c_str() || *end != '\0') return computed("a number this reader does not understand", token);
    value.kind = PyValue::Kind::floating;
    value.text = (negative ? "-" : "") + text;
    return value;
  }

  // The dotted name as the module means it: `environ` imported from os is os.environ.
  std::string canonical(const std::string& dotted) const {
    const std::size_t dot = dotted.find('.');
    const std::string first = dotted.substr(0, dot);
    const auto import = imports_.find(first);
    if (import == imports_.end()) return dotted;
    return dot == std::string::npos ? import->second : import->second + dotted.substr(dot);
  }

  std::pair<PyValue, std::size_t> name_primary(Tokens tokens, std::size_t i) {
    const Token& start = tokens[i];
    if (start.text == "True" || start.text == "False") {
      PyValue value;
      value.kind = PyValue::Kind::boolean;
      value.text = start.text == "True" ? "true" : "false";
      value.line = start.line;
      value.column = start.column;
      return with_trailers(tokens, {value, i + 1});
    }
    if (start.text == "None") {
      PyValue value;
      value.kind = PyValue::Kind::none;
      value.line = start.line;
      value.column = start.column;
      return {value, i + 1};
    }
    if (start.text == "lambda") return {computed("a lambda", start), tokens.size()};
    if (start.text == "not" || start.text == "await" || start.text == "yield") {
      return {computed(fmt::format("a `{}` expression", start.text), start), tokens.size()};
    }

    std::string dotted = start.text;
    std::size_t next = i + 1;
    while (next + 1 < tokens.size() && is_op(tokens[next], ".") && tokens[next + 1].kind == Token::Kind::name) {
      dotted += "." + tokens[next + 1].text;
      next += 2;
    }
    const std::string resolved = canonical(dotted);

    if (next < tokens.size() && is_op(tokens[next], "(")) {
      const std::size_t close = matching_close(tokens, next);
      if (close >= tokens.size()) return {computed("an unclosed call", start), tokens.size()};
      const Tokens args = tokens.subspan(next + 1, close - next - 1);
      PyValue value = call(dotted, resolved, args, start);
      const std::size_t after = close + 1;
      if (after < tokens.size() &&
          (is_op(tokens[after], "(") || is_op(tokens[after], "[") || is_op(tokens[after], "."))) {
        return {computed(fmt::format("a call to {}", dotted), start), skip_trailers(tokens, after)};
      }
      return {value, after};
    }
    if (next < tokens.size() && is_op(tokens[next], "[")) {
      const std::size_t close = matching_close(tokens, next);
      const Tokens index = tokens.subspan(next + 1, close >= tokens.size() ? 0 : close - next - 1);
      PyValue value;
      if (resolved == "os.environ" && index.size() == 1 && index[0].kind == Token::Kind::string &&
          !index[0].fstring_placeholder) {
        value = environment(index[0].text, fmt::format("os.environ['{}']", index[0].text), start);
      } else {
        value = computed(fmt::format("a subscript of {}", dotted), start);
      }
      return with_trailers(tokens, {value, std::min(close + 1, tokens.size())});
    }
    return {resolve_name(dotted, resolved, start), next};
  }

  static PyValue environment(const std::string& variable, std::string mechanism, const Token& at) {
    PyValue value;
    value.kind = PyValue::Kind::environment;
    value.text = variable;
    value.mechanism = std::move(mechanism);
    value.line = at.line;
    value.column = at.column;
    return value;
  }

  PyValue call(const std::string& dotted, const std::string& resolved, Tokens args, const Token& at) {
    std::vector<Tokens> arguments;
    if (!args.empty()) arguments = split_top_level(args, ",");
    if (resolved == "os.getenv" || resolved == "os.environ.get") {
      if (!arguments.empty() && arguments[0].size() == 1 && arguments[0][0].kind == Token::Kind::string &&
          !arguments[0][0].fstring_placeholder) {
        const std::string& variable = arguments[0][0].text;
        return environment(variable, fmt::format("{}('{}')", resolved, variable), at);
      }
      return computed(fmt::format("a call to {} with a computed name", dotted), at);
    }
    static constexpr std::string_view kCasts[] = {"int", "str", "float", "bool"};
    if (std::find(std::begin(kCasts), std::end(kCasts), dotted) != std::end(kCasts) && arguments.size() == 1 &&
        imports_.count(dotted) == 0 && symbols_.count(dotted) == 0) {
      PyValue inner = evaluate(arguments[0]);
      if (inner.kind == PyValue::Kind::environment) {
        inner.mechanism = fmt::format("{}({})", dotted, inner.mechanism);
        return inner;
      }
    }
    if (resolved == "datetime.timedelta") {
      if (std::optional<PyValue> seconds = timedelta(arguments, at)) return *seconds;
    }
    return computed(fmt::format("a call to {}", dotted), at);
  }

  // datetime.timedelta(minutes=30) -> 1800 seconds: Flask reads PERMANENT_SESSION_LIFETIME as
  // a timedelta or a number of seconds, so both are the same fact.
  std::optional<PyValue> timedelta(const std::vector<Tokens>& arguments, const Token& at) {
    static const std::map<std::string, double, std::less<>> kUnits = {
        {"weeks", 604800.0}, {"days", 86400.0},       {"hours", 3600.0},         {"minutes", 60.0},
        {"seconds", 1.0},    {"milliseconds", 0.001}, {"microseconds", 0.000001}};
    static constexpr std::string_view kPositional[] = {"days",    "seconds", "microseconds", "milliseconds",
                                                       "minutes", "hours",   "weeks"};
    double total = 0;
    std::size_t position = 0;
    for (Tokens argument : arguments) {
      if (argument.empty()) continue;
      std::string unit;
      Tokens value_tokens = argument;
      if (argument.size() >= 3 && argument[0].kind == Token::Kind::name && is_op(argument[1], "=")) {
        unit = argument[0].text;
        value_tokens = argument.subspan(2);
      } else if (position < std::size(kPositional)) {
        unit = std::string(kPositional[position++]);
      }
      const auto factor = kUnits.find(unit);
      if (factor == kUnits.end()) return std::nullopt;
      const PyValue amount = evaluate(value_tokens);
      if (amount.kind != PyValue::Kind::integer && amount.kind != PyValue::Kind::floating) return std::nullopt;
      total += std::strtod(amount.text.c_str(), nullptr) * factor->second;
    }
    PyValue value;
    value.kind = PyValue::Kind::integer;
    value.text = fmt::format("{}", static_cast<long long>(total));
    value.mechanism = "datetime.timedelta, in seconds";
    value.line = at.line;
    value.column = at.column;
    return value;
  }

  PyValue resolve_name(const std::string& dotted, const std::string& resolved, const Token& at) {
    const std::string last = dotted.substr(dotted.rfind('.') == std::string::npos ? 0 : dotted.rfind('.') + 1);
    const std::string resolved_last =
        resolved.substr(resolved.rfind('.') == std::string::npos ? 0 : resolved.rfind('.') + 1);
    if (dotted.find('.') == std::string::npos) {
      if (const auto symbol = symbols_.find(dotted); symbol != symbols_.end()) {
        PyValue copy = symbol->second;
        copy.line = at.line;
        copy.column = at.column;
        return copy;
      }
    }
    if (is_fab_constant(resolved_last) || is_fab_constant(last)) {
      const std::string& constant = is_fab_constant(resolved_last) ? resolved_last : last;
      const std::string first = dotted.substr(0, dotted.find('.'));
      if (imports_.count(first) == 0) {
        out_.skipped.push_back(make_warning(
            path_, at.line, fmt::format("{} is used but never imported; Python would stop with a NameError", first),
            "import it: from flask_appbuilder.const import " + constant));
      }
      PyValue value;
      value.kind = PyValue::Kind::name;
      value.text = constant;
      value.line = at.line;
      value.column = at.column;
      return value;
    }
    if (dotted.find('.') == std::string::npos && imports_.count(dotted) != 0) {
      return computed(fmt::format("the name {} imported from {}", dotted, imports_.at(dotted)), at);
    }
    if (dotted.find('.') != std::string::npos) return computed(fmt::format("the attribute {}", dotted), at);
    return computed(fmt::format("the name {}, not defined in this file", dotted), at);
  }

  void note(const Token& at, std::string message) {
    if (listed_notes_ >= kMaxListedNotes) {
      ++unlisted_notes_;
      return;
    }
    ++listed_notes_;
    Diagnostic diagnostic = make_note(path_, at.line, std::move(message));
    diagnostic.column = at.column;
    out_.skipped.push_back(std::move(diagnostic));
  }

 public:
  static Fact make_fact(const std::string& key, const PyValue& value, const std::string& path, int line, int column) {
    Fact fact;
    fact.key = key;
    fact.origin.kind = SourceKind::webserver_config;
    fact.origin.file = path;
    fact.origin.line = line;
    fact.origin.column = column;
    const std::size_t cut = key.find_last_of(".[");
    std::string last = cut == std::string::npos ? key : key.substr(cut + 1);
    std::erase_if(last, [](char c) { return c == '"' || c == ']'; });
    fact.sensitive = is_secret_name(last);
    switch (value.kind) {
      case PyValue::Kind::string:
        fact.type = "string";
        fact.value = value.text;
        break;
      case PyValue::Kind::boolean:
        fact.type = "bool";
        fact.value = value.text;
        break;
      case PyValue::Kind::integer:
        fact.type = "int";
        fact.value = value.text;
        break;
      case PyValue::Kind::floating:
        fact.type = "float";
        fact.value = value.text;
        break;
      case PyValue::Kind::none:
        fact.type = "null";
        break;
      case PyValue::Kind::name:
        fact.type = "name";
        fact.value = value.text;
        break;
      case PyValue::Kind::list:
        fact.type = "list";
        fact.value = render_py_value(value);
        break;
      case PyValue::Kind::dict:
        fact.type = "map";
        fact.value = render_py_value(value);
        break;
      case PyValue::Kind::environment:
        fact.type = "string";
        fact.runtime_only = true;
        fact.runtime_mechanism = value.mechanism;
        break;
      case PyValue::Kind::computed:
        fact.type = "unknown";
        fact.runtime_only = true;
        fact.runtime_mechanism = value.mechanism;
        break;
    }
    return fact;
  }

 private:
  const std::string& path_;
  WebserverConfig& out_;
  // Notes listed one by one; past this only counted, so a generated file of 500,000 statements
  // this reader does not evaluate costs no memory per statement.
  static constexpr std::size_t kMaxListedNotes = 200;
  std::size_t listed_notes_ = 0;
  std::size_t unlisted_notes_ = 0;
  std::vector<Block> blocks_;                                       // the if/try/def blocks the current line is in
  std::unordered_map<std::string, std::size_t> setting_positions_;  // name -> its setting in out_.settings
  std::size_t dropped_settings_ = 0;
  int nesting_ = 0;                             // evaluate() calls in progress
  std::map<std::string, PyValue> symbols_;      // module-level names assigned so far
  std::map<std::string, std::string> imports_;  // local name -> dotted origin ("environ" -> "os.environ")
};

std::string key_segment(const PyValue& key) {
  if (key.kind == PyValue::Kind::string) {
    return is_identifier(key.text) ? "." + key.text : "[" + json_quote(key.text) + "]";
  }
  return "[" + render_py_value(key) + "]";
}

void flatten(const std::string& path, const PyValue& value, const std::string& file, bool conditional,
             std::vector<WebserverSetting>& out) {
  auto add = [&](std::string child_path, const PyValue& child) {
    WebserverSetting setting;
    setting.name = child_path;
    setting.value = child;
    setting.conditional = conditional;
    setting.fact = ModuleReader::make_fact(child_path, child, file, child.line, child.column);
    out.push_back(std::move(setting));
    flatten(child_path, child, file, conditional, out);
  };
  if (value.kind == PyValue::Kind::list) {
    for (std::size_t i = 0; i < value.items.size(); ++i) add(fmt::format("{}[{}]", path, i), value.items[i]);
  } else if (value.kind == PyValue::Kind::dict) {
    for (std::size_t i = 0; i < value.items.size(); ++i) add(path + key_segment(value.keys[i]), value.items[i]);
  }
}

// A path pattern: NAME followed by selectors.
struct Selector {
  enum class Kind { key, index, any } kind = Kind::any;
  std::string key;
  std::size_t index = 0;
};

std::optional<std::pair<std::string, std::vector<Selector>>> parse_path(std::string_view path) {
  std::size_t i = 0;
  while (i < path.size() && path[i] != '.' && path[i] != '[') ++i;
  std::pair<std::string, std::vector<Selector>> parsed{std::string(path.substr(0, i)), {}};
  while (i < path.size()) {
    Selector selector;
    if (path[i] == '.') {
      std::size_t end = i + 1;
      while (end < path.size() && path[end] != '.' && path[end] != '[') ++end;
      const std::string_view part = path.substr(i + 1, end - i - 1);
      if (part.empty()) return std::nullopt;
      if (part != "*") {
        selector.kind = Selector::Kind::key;
        selector.key = std::string(part);
      }
      i = end;
    } else {
      if (i + 1 < path.size() && path[i + 1] == '"') {  // ["key with \" escapes"]
        std::size_t end = i + 2;
        std::string key;
        while (end < path.size() && path[end] != '"') {
          if (path[end] == '\\' && end + 1 < path.size()) ++end;
          key += path[end++];
        }
        if (end + 1 >= path.size() || path[end + 1] != ']') return std::nullopt;
        selector.kind = Selector::Kind::key;
        selector.key = key;
        i = end + 2;
      } else {
        const std::size_t end = path.find(']', i);
        if (end == std::string_view::npos) return std::nullopt;
        const std::string inner(path.substr(i + 1, end - i - 1));
        if (inner != "*") {
          if (inner.empty() || !std::all_of(inner.begin(), inner.end(), [](char c) { return c >= '0' && c <= '9'; })) {
            return std::nullopt;
          }
          selector.kind = Selector::Kind::index;
          if (inner.size() > 9) return std::nullopt;
          selector.index = static_cast<std::size_t>(std::stoull(inner));
        }
        i = end + 1;
      }
    }
    parsed.second.push_back(std::move(selector));
  }
  return parsed;
}

void walk(const PyValue& value, const std::string& path, std::span<const Selector> selectors, const std::string& file,
          std::vector<Fact>& out) {
  if (selectors.empty()) {
    out.push_back(ModuleReader::make_fact(path, value, file, value.line, value.column));
    return;
  }
  const Selector& selector = selectors.front();
  const auto rest = selectors.subspan(1);
  if (value.kind == PyValue::Kind::list) {
    for (std::size_t i = 0; i < value.items.size(); ++i) {
      if (selector.kind == Selector::Kind::any || (selector.kind == Selector::Kind::index && selector.index == i)) {
        walk(value.items[i], fmt::format("{}[{}]", path, i), rest, file, out);
      }
    }
  } else if (value.kind == PyValue::Kind::dict) {
    for (std::size_t i = 0; i < value.items.size(); ++i) {
      const PyValue& key = value.keys[i];
      const bool match =
          selector.kind == Selector::Kind::any ||
          (selector.kind == Selector::Kind::key && key.kind == PyValue::Kind::string && key.text == selector.key);
      if (match) walk(value.items[i], path + key_segment(key), rest, file, out);
    }
  }
}

}  // namespace

bool is_secret_name(std::string_view name) {
  const std::string lower = to_lower(name);
  static constexpr std::string_view kParts[] = {"secret",  "password", "passwd",    "private_key",
                                                "api_key", "apikey",   "credential"};
  for (std::string_view part : kParts) {
    if (lower.find(part) != std::string::npos) return true;
  }
  return lower == "token" || (lower.size() > 6 && lower.compare(lower.size() - 6, 6, "_token") == 0);
}

std::string render_py_value(const PyValue& value) {
  switch (value.kind) {
    case PyValue::Kind::string:
      return json_quote(redact_secrets(value.text));
    case PyValue::Kind::boolean:
    case PyValue::Kind::integer:
    case PyValue::Kind::floating:
    case PyValue::Kind::name:
      return value.text;
    case PyValue::Kind::none:
      return "null";
    case PyValue::Kind::environment:
      return value.mechanism;
    case PyValue::Kind::computed:
      return "<" + value.mechanism + ">";
    case PyValue::Kind::list: {
      std::vector<std::string> parts;
      for (const PyValue& item : value.items) parts.push_back(render_py_value(item));
      return "[" + join(parts, ", ") + "]";
    }
    case PyValue::Kind::dict: {
      std::vector<std::string> parts;
      for (std::size_t i = 0; i < value.items.size(); ++i) {
        const PyValue& key = value.keys[i];
        const PyValue& item = value.items[i];
        const bool secret =
            key.kind == PyValue::Kind::string && is_secret_name(key.text) && item.kind == PyValue::Kind::string;
        parts.push_back(render_py_value(key) + ": " +
                        (secret ? json_quote(mask_secret(item.text)) : render_py_value(item)));
      }
      return "{" + join(parts, ", ") + "}";
    }
  }
  return {};
}

const WebserverSetting* WebserverConfig::get(std::string_view name) const {
  for (auto it = settings.rbegin(); it != settings.rend(); ++it) {
    if (it->name == name) return &*it;
  }
  for (auto it = nested.rbegin(); it != nested.rend(); ++it) {
    if (it->name == name) return &*it;
  }
  return nullptr;
}

std::vector<Fact> WebserverConfig::facts(std::string_view path_pattern) const {
  const auto parsed = parse_path(path_pattern);
  if (!parsed) return {};
  const auto& [name, selectors] = *parsed;
  const WebserverSetting* setting = nullptr;
  for (auto it = settings.rbegin(); it != settings.rend() && setting == nullptr; ++it) {
    if (it->name == name) setting = &*it;
  }
  if (setting == nullptr) return {};
  if (selectors.empty()) return {setting->fact};
  std::vector<Fact> found;
  walk(setting->value, name, selectors, path, found);
  if (!embedded_key.empty()) {
    for (Fact& fact : found) fact.origin.name = embedded_key;
  }
  return found;
}

Fact webserver_fact(const std::string& key, const PyValue& value, const std::string& path, int line, int column) {
  return ModuleReader::make_fact(key, value, path, line, column);
}

std::vector<WebserverSetting> nested_settings(const std::vector<WebserverSetting>& settings, const std::string& path) {
  std::vector<WebserverSetting> nested;
  for (const WebserverSetting& setting : settings)
    flatten(setting.name, setting.value, path, setting.conditional, nested);
  return nested;
}

WebserverConfig parse_webserver_config(std::string_view text, const std::string& path) {
  WebserverConfig config;
  config.path = path;
  ModuleReader reader(path, config);
  Diagnostics problems =
      python::tokenize_lines(text, path, [&reader](python::LogicalLine&& line) { reader.read_line(line); });
  reader.finish();
  // The tokenizer's problems come first, as when the whole file was tokenized before reading.
  config.skipped.insert(config.skipped.begin(), std::make_move_iterator(problems.begin()),
                        std::make_move_iterator(problems.end()));
  config.nested = nested_settings(config.settings, path);
  return config;
}

Result<WebserverConfig> read_webserver_config(const std::string& path) {
  Result<std::string> text = read_text_file(path);
  if (!text) return text.error();
  if (!is_valid_utf8(*text)) {
    return make_error(path, 0, "webserver_config.py is not valid UTF-8", "Python reads source files as UTF-8");
  }
  return parse_webserver_config(*text, path);
}

}  // namespace airguard
