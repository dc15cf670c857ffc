#include "sources/webserver/python_tokens.hpp"

#include <fmt/format.h>

#include <cstdint>

namespace airguard::python {
namespace {

bool is_name_start(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || byte >= 0x80;
}
bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

void append_utf8(std::string& out, std::uint32_t code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x110000) {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

// Operators longest first, so "**=" wins over "**" and "*".
constexpr std::string_view kOperators[] = {
    "**=", "//=", ">>=", "<<=", "...", "!=", "%=", "&=", "**", "*=", "+=", "-=", "->", "//", "/=", ":=",
    "<<",  "<=",  "==",  ">=",  ">>",  "@=", "^=", "|=", "~",  "%",  "&",  "(",  ")",  "*",  "+",  ",",
    "-",   ".",   "/",   ":",   ";",   "<",  "=",  ">",  "@",  "[",  "]",  "^",  "{",  "|",  "}"};

class Tokenizer {
 public:
  Tokenizer(std::string_view source, const std::string& path, const std::function<void(LogicalLine&&)>* on_line)
      : src_(source), path_(path), on_line_(on_line) {}

  TokenizeResult run() {
    while (pos_ < src_.size()) {
      const char c = src_[pos_];
      if (c == '\n') {
        newline();
      } else if (c == '\r') {
        ++pos_;  // CRLF: the '\n' ends the line
        if (pos_ < src_.size() && src_[pos_] != '\n') newline_without_advance();
      } else if (c == ' ' || c == '\t' || c == '\f') {
        ++pos_;
      } else if (c == '#') {
        while (pos_ < src_.size() && src_[pos_] != '\n' && src_[pos_] != '\r') ++pos_;
      } else if (c == '\\' && pos_ + 1 < src_.size() && (src_[pos_ + 1] == '\n' || src_[pos_ + 1] == '\r')) {
        pos_ += 1;  // explicit line joining: the newline that follows does not end the logical line
        if (src_[pos_] == '\r' && pos_ + 1 < src_.size() && src_[pos_ + 1] == '\n') ++pos_;
        ++pos_;
        ++line_;
        line_start_ = pos_;
      } else if (string_starts_here()) {
        read_string();
      } else if (is_name_start(c)) {
        const std::size_t start = pos_;
        while (pos_ < src_.size() && is_name_char(src_[pos_])) ++pos_;
        push(Token::Kind::name, std::string(src_.substr(start, pos_ - start)), start);
      } else if (is_digit(c) || (c == '.' && pos_ + 1 < src_.size() && is_digit(src_[pos_ + 1]))) {
        read_number();
      } else {
        read_operator();
      }
    }
    end_logical_line();
    if (depth_ > 0) {
      result_.problems.push_back(make_error(path_, open_line_, "unbalanced bracket: opened here and never closed",
                                            "Python cannot load this file; Airflow's web server would fail to start"));
    }
    return std::move(result_);
  }

 private:
  int column(std::size_t at) const { return static_cast<int>(at - line_start_) + 1; }

  void push(Token::Kind kind, std::string text, std::size_t start) {
    Token token;
    token.kind = kind;
    token.text = std::move(text);
    token.line = line_;
    token.column = column(start);
    push_token(std::move(token));
  }

  void push_token(Token token) {
    if (current_.tokens.empty()) current_.indent = token.column - 1;
    current_.tokens.push_back(std::move(token));
  }

  void newline() {
    ++pos_;
    newline_without_advance();
  }

  void newline_without_advance() {
    ++line_;
    line_start_ = pos_;
    if (depth_ == 0) end_logical_line();
  }

  void end_logical_line() {
    if (!current_.tokens.empty()) {
      if (on_line_ != nullptr) {
        (*on_line_)(std::move(current_));
      } else {
        result_.lines.push_back(std::move(current_));
      }
    }
    current_ = LogicalLine{};
  }

  bool string_starts_here() const {
    std::size_t p = pos_;
    while (p < src_.size() && p - pos_ < 2) {
      const char lower = static_cast<char>(src_[p] | 0x20);
      if (lower != 'r' && lower != 'b' && lower != 'u' && lower != 'f') break;
      ++p;
    }
    return p < src_.size() && (src_[p] == '\'' || src_[p] == '"');
  }

  void read_string() {
    const std::size_t start = pos_;
    const int start_line = line_;
    const int start_column = column(start);
    std::string prefix;
    while (src_[pos_] != '\'' && src_[pos_] != '"') prefix += static_cast<char>(src_[pos_++] | 0x20);
    const bool raw = prefix.find('r') != std::string::npos;
    const bool fstring = prefix.find('f') != std::string::npos;
    const char quote = src_[pos_];
    const bool triple = pos_ + 2 < src_.size() && src_[pos_ + 1] == quote && src_[pos_ + 2] == quote;
    pos_ += triple ? 3 : 1;

    Token token;
    token.kind = Token::Kind::string;
    token.prefix = prefix;
    token.line = start_line;
    token.column = start_column;
    bool closed = false;
    while (pos_ < src_.size()) {
      const char c = src_[pos_];
      if (c == quote && (!triple || (pos_ + 2 < src_.size() && src_[pos_ + 1] == quote && src_[pos_ + 2] == quote))) {
        pos_ += triple ? 3 : 1;
        closed = true;
        break;
      }
      if (c == '\n' || c == '\r') {
        if (!triple) break;
        token.text += '\n';
        if (c == '\r' && pos_ + 1 < src_.size() && src_[pos_ + 1] == '\n') ++pos_;
        ++pos_;
        ++line_;
        line_start_ = pos_;
        continue;
      }
      if (fstring && c == '{') {
        if (pos_ + 1 < src_.size() && src_[pos_ + 1] == '{') {
          token.text += '{';
          pos_ += 2;
          continue;
        }
        token.fstring_placeholder = true;
      }
      if (fstring && c == '}' && pos_ + 1 < src_.size() && src_[pos_ + 1] == '}') {
        token.text += '}';
        pos_ += 2;
        continue;
      }
      if (c == '\\' && pos_ + 1 < src_.size()) {
        read_escape(token.text, raw);
        continue;
      }
      token.text += c;
      ++pos_;
    }
    if (!closed) {
      result_.problems.push_back(make_error(path_, start_line,
                                            fmt::format("unterminated string starting at column {}", start_column),
                                            "Python cannot load this file; Airflow's web server would fail to start"));
    }
    push_token(std::move(token));
  }

  void read_escape(std::string& out, bool raw) {
    const char next = src_[pos_ + 1];
    if (next == '\n' || next == '\r') {  // backslash-newline inside a string: continuation
      if (raw) out += '\\';
      if (raw) out += '\n';
      pos_ += 2;
      if (next == '\r' && pos_ < src_.size() && src_[pos_] == '\n') ++pos_;
      ++line_;
      line_start_ = pos_;
      return;
    }
    if (raw) {  // the backslash stays, and it protects the quote after it
      out += '\\';
      out += next;
      pos_ += 2;
      return;
    }
    pos_ += 2;
    switch (next) {
      case 'n':
        out += '\n';
        return;
      case 't':
        out += '\t';
        return;
      case 'r':
        out += '\r';
        return;
      case '\\':
        out += '\\';
        return;
      case '\'':
        out += '\'';
        return;
      case '"':
        out += '"';
        return;
      case 'a':
        out += '\a';
        return;
      case 'b':
        out += '\b';
        return;
      case 'f':
        out += '\f';
        return;
      case 'v':
        out += '\v';
        return;
      case 'x':
        read_hex_escape(out, 2);
        return;
      case 'u':
        read_hex_escape(out, 4);
        return;
      case 'U':
        read_hex_escape(out, 8);
        return;
      default:
        break;
    }
    if (next >= '0' && next <= '7') {
      std::uint32_t code = static_cast<std::uint32_t>(next - '0');
      for (int i = 0; i < 2 && pos_ < src_.size() && src_[pos_] >= '0' && src_[pos_] <= '7'; ++i) {
        code = code * 8 + static_cast<std::uint32_t>(src_[pos_++] - '0');
      }
      append_utf8(out, code);
      return;
    }
    out += '\\';  // unknown escapes (and \N{...}) are kept as written, as Python does for the unknown ones
    out += next;
  }

  void read_hex_escape(std::string& out, int digits) {
    std::uint32_t code = 0;
    int read = 0;
    while (read < digits && pos_ < src_.size() && is_hex(src_[pos_])) {
      const char h = src_[pos_++];
      const auto value = is_digit(h) ? h - '0' : (h | 0x20) - 'a' + 10;
      code = code * 16 + static_cast<std::uint32_t>(value);
      ++read;
    }
    append_utf8(out, code);
  }

  void read_number() {
    const std::size_t start = pos_;
    while (pos_ < src_.size()) {
      const char c = src_[pos_];
      const bool exponent_sign = (c == '+' || c == '-') && pos_ > start && (src_[pos_ - 1] | 0x20) == 'e' &&
                                 !(src_.substr(start, 2) == "0x" || src_.substr(start, 2) == "0X");
      if (is_name_char(c) || c == '.' || exponent_sign) {
        ++pos_;
      } else {
        break;
      }
    }
    push(Token::Kind::number, std::string(src_.substr(start, pos_ - start)), start);
  }

  void read_operator() {
    for (std::string_view op : kOperators) {
      if (op.front() != src_[pos_]) continue;  // cheap first test: most operators start elsewhere
      if (src_.substr(pos_, op.size()) == op) {
        if (op == "(" || op == "[" || op == "{") {
          if (depth_ == 0) open_line_ = line_;
          ++depth_;
        } else if ((op == ")" || op == "]" || op == "}") && depth_ > 0) {
          --depth_;
        }
        push(Token::Kind::op, std::string(op), pos_);
        pos_ += op.size();
        return;
      }
    }
    push(Token::Kind::error, std::string(1, src_[pos_]), pos_);
    result_.problems.push_back(make_error(path_, line_, fmt::format("unexpected character at column {}", column(pos_)),
                                          "Python cannot load this file; Airflow's web server would fail to start"));
    ++pos_;
  }

  std::string_view src_;
  const std::string& path_;
  const std::function<void(LogicalLine&&)>* on_line_;  // null: keep the lines in result_
  std::size_t pos_ = 0;
  std::size_t line_start_ = 0;
  int line_ = 1;
  int depth_ = 0;
  int open_line_ = 0;
  LogicalLine current_;
  TokenizeResult result_;
};

}  // namespace

TokenizeResult tokenize(std::string_view source, const std::string& path) {
  if (source.substr(0, 3) == "\xEF\xBB\xBF") source.remove_prefix(3);  // UTF-8 byte order mark
  return Tokenizer(source, path, nullptr).run();
}

Diagnostics tokenize_lines(std::string_view source, const std::string& path,
                           const std::function<void(LogicalLine&&)>& on_line) {
  if (source.substr(0, 3) == "\xEF\xBB\xBF") source.remove_prefix(3);  // UTF-8 byte order mark
  return Tokenizer(source, path, &on_line).run().problems;
}

}  // namespace airguard::python
