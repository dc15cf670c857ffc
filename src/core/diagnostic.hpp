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

}  // namespace airguard
