#include "core/diagnostic.hpp"

#include <fmt/format.h>

#include <map>
#include <tuple>

#include "core/text.hpp"

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

namespace {

// What stays of a message when the names and numbers that vary between repeats are set aside.
std::string message_shape(std::string_view message) {
  std::string shape;
  bool in_backquotes = false;
  for (std::size_t i = 0; i < message.size(); ++i) {
    const char c = message[i];
    if (c == '`') {
      in_backquotes = !in_backquotes;
      shape += c;
    } else if (in_backquotes) {
      continue;
    } else if (c >= '0' && c <= '9') {
      if (shape.empty() || shape.back() != '#') shape += '#';
    } else if (!(c == ',' && !shape.empty() && shape.back() == '#')) {
      shape += c;
    }
  }
  return shape;
}

}  // namespace

Diagnostics collapse_repeated(Diagnostics diagnostics, std::size_t keep) {
  using Kind = std::tuple<Diagnostic::Level, std::string, std::string>;
  struct Seen {
    std::size_t count = 0;
    std::size_t last_kept = 0;  // index in `kept`
  };
  std::map<Kind, Seen> seen;
  Diagnostics kept;
  bool dropped_any = false;
  for (Diagnostic& d : diagnostics) {
    Seen& kind = seen[Kind{d.level, d.file, message_shape(d.message)}];
    if (++kind.count > keep) {
      dropped_any = true;
      continue;
    }
    kind.last_kept = kept.size();
    kept.push_back(std::move(d));
  }
  if (!dropped_any) return kept;
  // Each summary goes right after the last diagnostic of its kind that is kept.
  std::vector<std::vector<Diagnostic>> after(kept.size());
  for (const auto& [kind, counted] : seen) {
    if (counted.count <= keep) continue;
    const Diagnostic& last = kept[counted.last_kept];
    Diagnostic summary = last;
    summary.line = 0;
    summary.column = 0;
    summary.message =
        fmt::format("{} more {}s like the ones above", with_thousands(counted.count - keep), to_string(last.level));
    after[counted.last_kept].push_back(std::move(summary));
  }
  Diagnostics out;
  out.reserve(kept.size() + seen.size());
  for (std::size_t i = 0; i < kept.size(); ++i) {
    out.push_back(std::move(kept[i]));
    for (Diagnostic& summary : after[i]) out.push_back(std::move(summary));
  }
  return out;
}

}  // namespace airguard
