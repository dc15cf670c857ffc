#include "sources/cfg/cfg_file.hpp"

#include <fmt/format.h>

#include <map>
#include <optional>
#include <set>
#include <utility>

#include "core/file_io.hpp"
#include "core/redact.hpp"
#include "sources/cfg/python_text.hpp"

// The reader follows CPython 3.11 configparser.RawConfigParser._read line by line, with the settings
// Airflow uses: strict, identity optionxform, delimiters '=' and ':', full-line '#'/';' comments,
// no inline comments, empty lines kept inside values, default section "DEFAULT".
namespace airguard {

const CfgSection* CfgFile::section(std::string_view name) const {
  for (const auto& s : sections) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

const CfgOption* CfgFile::find(std::string_view section_name, std::string_view key) const {
  const CfgSection* s = section(section_name);
  if (s == nullptr) return nullptr;
  for (const auto& option : s->options) {
    if (option.key == key) return &option;
  }
  return nullptr;
}

namespace {

// Python's TextIOWrapper decodes 8 KiB chunks: lines wholly before the chunk holding a bad byte are
// parsed (and may raise) before the UnicodeDecodeError.
constexpr std::size_t kPythonChunkSize = 8192;

struct Line {
  std::string_view text;  // without the line break
  std::size_t end = 0;    // byte offset after the line break
};

// Universal newlines: "\r\n", "\r" and "\n" end a line (and nothing else does).
std::vector<Line> split_universal_lines(std::string_view text) {
  std::vector<Line> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t i = start;
    while (i < text.size() && text[i] != '\n' && text[i] != '\r') ++i;
    Line line{text.substr(start, i - start), i};
    if (i < text.size()) {
      line.end = (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ? i + 2 : i + 1;
    }
    lines.push_back(line);
    start = line.end;
  }
  return lines;
}

class CfgReader {
 public:
  CfgReader(std::string path, std::vector<CfgSection>& sections, Diagnostics& errors)
      : path_(std::move(path)), sections_(sections), errors_(errors) {}

  // Returns false after an error that stops configparser at once (its exception propagates).
  bool read_line(std::string_view raw, int lineno) {
    const std::string_view value = python_strip(raw);
    if (!value.empty() && (value.front() == '#' || value.front() == ';')) return true;  // full-line comment
    if (value.empty()) {
      // empty_lines_in_values: a blank line becomes part of the value being read (trailing ones are dropped later)
      if (current_section_ >= 0 && current_option_ >= 0 && !current_key_empty_) {
        option_at().raw_value += '\n';
      }
      return true;
    }
    const std::size_t indent = python_leading_space_count(raw);
    if (current_section_ >= 0 && current_option_ >= 0 && !current_key_empty_ && indent > indent_level_) {
      option_at().raw_value += '\n';
      option_at().raw_value += value;
      return true;
    }
    indent_level_ = indent;
    if (auto header = section_header(value)) return open_section(*header, lineno);
    if (current_section_ < 0) {
      std::string hint = "the file must start with a [section] header";
      if (raw.substr(0, 3) == "\xEF\xBB\xBF")
        hint = "the file starts with a UTF-8 byte order mark; save it without a BOM";
      fatal(lineno, 1, fmt::format("option or text before the first [section]: {}", quote_line_masked(raw)),
            hint + " (configparser MissingSectionHeaderError)");
      return false;
    }
    return read_option(raw, value, lineno);
  }

 private:
  // SECTCRE: r"\[(?P<header>.+)\]" matched at the start, greedy up to the last ']'.
  static std::optional<std::string_view> section_header(std::string_view value) {
    if (value.front() != '[') return std::nullopt;
    const std::size_t close = value.rfind(']');
    if (close == std::string_view::npos || close < 2) return std::nullopt;
    return value.substr(1, close - 1);
  }

  bool open_section(std::string_view name, int lineno) {
    const auto existing = section_index_.find(std::string(name));
    if (existing != section_index_.end() && name != "DEFAULT") {
      fatal(lineno, 1,
            fmt::format("section [{}] appears twice (first at line {})", name, sections_[existing->second].line),
            "merge the two sections (configparser DuplicateSectionError)");
      return false;
    }
    if (existing != section_index_.end()) {
      current_section_ = static_cast<int>(existing->second);  // a second [DEFAULT] adds to the first
    } else {
      CfgSection section;
      section.name = std::string(name);
      section.line = lineno;
      sections_.push_back(std::move(section));
      section_index_.emplace(std::string(name), sections_.size() - 1);
      current_section_ = static_cast<int>(sections_.size() - 1);
    }
    current_option_ = -1;  // a section cannot start with a continuation line
    return true;
  }

  // OPTCRE: r"(?P<option>.*?)\s*(?P<vi>=|:)\s*(?P<value>.*)$" on the stripped line.
  bool read_option(std::string_view raw, std::string_view value, int lineno) {
    const std::size_t delimiter = value.find_first_of("=:");
    if (delimiter == std::string_view::npos) {
      // configparser records the line and goes on, keeping the option it was reading
      errors_.push_back(
          make_error(path_, lineno,
                     fmt::format("line is neither a [section], an option nor a comment: {}", quote_line_masked(value)),
                     "write `key = value`, or start the line with # to make it a comment "
                     "(configparser ParsingError)"));
      errors_.back().column = 1;
      return true;
    }
    const std::string key(python_rstrip(value.substr(0, delimiter)));
    const std::string option_value(python_strip(value.substr(delimiter + 1)));
    const int column = static_cast<int>(python_leading_space_count(raw)) + 1;
    if (key.empty()) {
      errors_.push_back(make_error(path_, lineno, "option with an empty name",
                                   "put the option name before the '=' (configparser ParsingError)"));
      errors_.back().column = column;
    }
    CfgSection& section = sections_[static_cast<std::size_t>(current_section_)];
    auto [first_line, inserted] = options_added_.emplace(std::make_pair(section.name, key), lineno);
    if (!inserted) {
      fatal(lineno, column,
            fmt::format("option '{}' in section [{}] is set twice (first at line {})", key, section.name,
                        first_line->second),
            "keep one of the two lines (configparser DuplicateOptionError)");
      return false;
    }
    CfgOption option;
    option.key = key;
    option.raw_value = option_value;
    option.origin.kind = SourceKind::cfg;
    option.origin.file = path_;
    option.origin.line = lineno;
    option.origin.column = column;
    section.options.push_back(std::move(option));
    current_option_ = static_cast<int>(section.options.size() - 1);
    current_key_empty_ = key.empty();
    return true;
  }

  CfgOption& option_at() {
    return sections_[static_cast<std::size_t>(current_section_)].options[static_cast<std::size_t>(current_option_)];
  }

  void fatal(int lineno, int column, std::string message, std::string hint) {
    Diagnostic error = make_error(path_, lineno, std::move(message), std::move(hint));
    error.column = column;
    // the exception configparser raises is what Airflow shows: put it first
    errors_.insert(errors_.begin(), std::move(error));
  }

  std::string path_;
  std::vector<CfgSection>& sections_;
  Diagnostics& errors_;
  std::map<std::string, std::size_t> section_index_;
  std::map<std::pair<std::string, std::string>, int> options_added_;
  int current_section_ = -1;
  int current_option_ = -1;
  bool current_key_empty_ = false;
  std::size_t indent_level_ = 0;
};

}  // namespace

CfgFile parse_cfg(std::string_view text, std::string path) {
  CfgFile file;
  file.path = path;
  const std::size_t bad_byte = first_invalid_utf8(text);
  const std::size_t readable_end =
      bad_byte == std::string_view::npos ? text.size() : (bad_byte / kPythonChunkSize) * kPythonChunkSize;
  CfgReader reader(path, file.sections, file.errors);
  bool stopped = false;
  int lineno = 0;
  for (const Line& line : split_universal_lines(text)) {
    ++lineno;
    if (line.end > readable_end) break;
    if (!reader.read_line(line.text, lineno)) {
      stopped = true;
      break;
    }
  }
  if (bad_byte != std::string_view::npos && !stopped) {
    int bad_line = 1;
    for (const Line& line : split_universal_lines(text)) {
      if (line.end > bad_byte) break;
      ++bad_line;
    }
    Diagnostic error = make_error(path, bad_line,
                                  fmt::format("byte 0x{:02x} at offset {} is not valid UTF-8",
                                              static_cast<unsigned char>(text[bad_byte]), bad_byte),
                                  "Airflow reads airflow.cfg as UTF-8; convert the file (UnicodeDecodeError)");
    file.errors.insert(file.errors.begin(), std::move(error));
  }
  for (auto& section : file.sections) {
    for (auto& option : section.options) option.raw_value = std::string(python_rstrip(option.raw_value));
  }
  return file;
}

Result<CfgFile> read_cfg_file(const std::string& path) {
  ReadLimits limits;
  limits.allow_nul = true;  // Python reads NUL bytes as text; the parser decides
  auto text = read_text_file(path, limits);
  if (!text) return text.error();
  return parse_cfg(*text, path);
}

}  // namespace airguard
