#include "core/diagnostic.hpp"

#include <fmt/format.h>

namespace airguard {

std::string_view to_string(Diagnostic::Level level) {
  switch (level) {
    case Diagnostic::Level::error:
      return "error";
    case Diagnostic::Level::warning:
      return "warning";
    case Diagnostic::Level::note:
      return "note";
  }
  return "error";
}

std::string Diagnostic::format() const {
  std::string out;
  if (!file.empty()) {
    out += file;
    if (line > 0) out += fmt::format(":{}", line);
    if (line > 0 && column > 0) out += fmt::format(":{}", column);
    out += ": ";
  }
  out += fmt::format("{}: {}", to_string(level), message);
  if (!hint.empty()) out += fmt::format(" ({})", hint);
  return out;
}

namespace {
Diagnostic make(Diagnostic::Level level, std::string file, int line, std::string message, std::string hint) {
  Diagnostic d;
  d.level = level;
  d.file = std::move(file);
  d.line = line;
  d.message = std::move(message);
  d.hint = std::move(hint);
  return d;
}
}  // namespace

Diagnostic make_error(std::string file, int line, std::string message, std::string hint) {
  return make(Diagnostic::Level::error, std::move(file), line, std::move(message), std::move(hint));
}
Diagnostic make_warning(std::string file, int line, std::string message, std::string hint) {
  return make(Diagnostic::Level::warning, std::move(file), line, std::move(message), std::move(hint));
}
Diagnostic make_note(std::string file, int line, std::string message, std::string hint) {
  return make(Diagnostic::Level::note, std::move(file), line, std::move(message), std::move(hint));
}

}  // namespace airguard
