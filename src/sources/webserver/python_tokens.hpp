#pragma once
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.hpp"

namespace airguard::python {

// The part of Python's lexical grammar a configuration module needs: names, numbers, strings of
// every prefix and quoting, operators, comments, and logical lines joined across brackets and
// backslashes. Nothing is evaluated.
struct Token {
  enum class Kind { name, number, string, op, error };
  Kind kind = Kind::op;
  std::string text;                  // name, number or operator as written; for strings the decoded contents
  std::string prefix;                // string prefix in lower case: "", "r", "b", "f", "rb", "fr", "u"
  bool fstring_placeholder = false;  // an f-string with at least one {expression}
  int line = 0;
  int column = 0;
};

// One logical line: its tokens and the column of its first token (0 = module level).
struct LogicalLine {
  std::vector<Token> tokens;
  int indent = 0;
};

struct TokenizeResult {
  std::vector<LogicalLine> lines;
  Diagnostics problems;  // unterminated strings, unbalanced brackets, stray characters (errors)
};

TokenizeResult tokenize(std::string_view source, const std::string& path);

// The same, handing each logical line to `on_line` as soon as it ends instead of keeping them
// all: memory stays that of the longest line, however long the file. Returns the problems.
Diagnostics tokenize_lines(std::string_view source, const std::string& path,
                           const std::function<void(LogicalLine&&)>& on_line);

}  // namespace airguard::python
