#pragma once
#include <string>
#include <vector>

namespace airguard {

// Something the user should know about their input that is not a security finding:
// a file we could not read, a line Airflow would refuse, an unknown construct we skipped.
struct Diagnostic {
  enum class Level { error, warning, note };
  Level level = Level::error;
  std::string file;  // empty when not about a file
  int line = 0;      // 1-based, 0 = none
  int column = 0;
  std::string message;  // one line, never contains a secret
  std::string hint;     // optional: what to do about it

  std::string format() const;  // "file:line:col: error: message (hint)"
};

std::string_view to_string(Diagnostic::Level level);

using Diagnostics = std::vector<Diagnostic>;

Diagnostic make_error(std::string file, int line, std::string message, std::string hint = {});
Diagnostic make_warning(std::string file, int line, std::string message, std::string hint = {});
Diagnostic make_note(std::string file, int line, std::string message, std::string hint = {});

// Keeps the first `keep` diagnostics of each kind (same level, file and message once names in
// backquotes and numbers are set aside) and puts one "N more like the ones above" in place of
// the rest, so a file with 50,000 copies of one mistake gives a short, readable list.
Diagnostics collapse_repeated(Diagnostics diagnostics, std::size_t keep = 20);

}  // namespace airguard
