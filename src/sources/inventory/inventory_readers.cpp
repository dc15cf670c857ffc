#include "sources/inventory/inventory_readers.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <system_error>
#include <unordered_set>

#include "advisories/pep440.hpp"
#include "core/file_io.hpp"
#include "core/redact.hpp"
#include "core/text.hpp"

namespace airguard {
namespace fs = std::filesystem;
namespace {

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
}

// pip treats "#" as a comment at the start of a line or after whitespace.
std::string_view strip_comment(std::string_view line) {
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '#' && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t')) return line.substr(0, i);
  }
  return line;
}

// Joins "\"-continued lines and hands each logical line to `on_line` with the number of its first
// physical line: one line at a time, so memory does not grow with the number of lines.
template <typename OnLine>
void for_each_logical_line(std::string_view text, OnLine on_line) {
  std::string pending;
  int pending_line = 0;
  int number = 0;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (pending.empty()) pending_line = number;
    if (!line.empty() && line.back() == '\\') {
      pending += line.substr(0, line.size() - 1);
      continue;
    }
    pending += line;
    on_line(pending_line, std::string_view(pending));
    pending.clear();
  }
  if (!pending.empty()) on_line(pending_line, std::string_view(pending));
}

std::string option_value(std::string_view line, std::size_t name_length) {
  std::string_view rest = trim(line.substr(name_length));
  if (!rest.empty() && rest.front() == '=') rest.remove_prefix(1);
  return std::string(trim(rest));
}

}  // namespace

// Notes and warnings listed one by one per file; past this only counted, so a file of a million
// unpinned lines costs no memory per line.
constexpr std::size_t kMaxListedRequirementNotes = 200;

RequirementsParse parse_requirements(std::string_view text, const std::string& file) {
  RequirementsParse result;
  // A pin written again with the same version says nothing new: only the first is kept, so a
  // file repeating one line 700,000 times costs one package, not 700,000.
  std::unordered_set<std::string> pinned;
  std::size_t repeated_pins = 0;
  std::size_t unlisted_notes = 0;  // past kMaxListedRequirementNotes: counted, not kept
  for_each_logical_line(text, [&](int line_number, std::string_view logical) {
    std::string_view line = trim(strip_comment(logical));
    if (line.empty()) return;
    auto note = [&, ln = line_number](std::string message, std::string hint = {}) {
      if (result.diagnostics.size() >= kMaxListedRequirementNotes) {
        ++unlisted_notes;
        return;
      }
      result.diagnostics.push_back(make_note(file, ln, std::move(message), std::move(hint)));
    };
    if (line.front() == '-') {
      for (std::string_view option : {"--requirement", "--constraint", "-r", "-c"}) {
        if (line.starts_with(option)) {
          result.includes.push_back(option_value(line, option.size()));
          break;
        }
      }
      if (line.starts_with("-e") || line.starts_with("--editable")) {
        note("editable install has no version to check: " + redact_secrets(line.substr(0, 200)));
      }
      return;  // index options and the like say nothing about installed versions
    }
    std::size_t i = 0;
    while (i < line.size() && is_name_char(line[i])) ++i;
    std::string name(line.substr(0, i));
    if (name.empty()) {
      if (result.diagnostics.size() >= kMaxListedRequirementNotes) {
        ++unlisted_notes;
        return;
      }
      result.diagnostics.push_back(
          make_warning(file, line_number, "cannot read this requirement line", "expected NAME==VERSION"));
      return;
    }
    std::string_view rest = trim(line.substr(i));
    if (!rest.empty() && rest.front() == '[') {  // extras do not change the installed version
      auto close = rest.find(']');
      rest = close == std::string_view::npos ? std::string_view{} : trim(rest.substr(close + 1));
    }
    std::string_view marker;
    if (auto semicolon = rest.find(';'); semicolon != std::string_view::npos) {
      marker = trim(rest.substr(semicolon + 1));
      rest = trim(rest.substr(0, semicolon));
    }
    if (auto hash = rest.find(" --"); hash != std::string_view::npos) rest = trim(rest.substr(0, hash));
    if (rest.starts_with("@")) {
      note(fmt::format("{} is installed from a URL; its version is unknown", name),
           "pin it with NAME==VERSION or use --site-packages");
      return;
    }
    std::string version;
    if (rest.starts_with("==="))
      version = std::string(trim(rest.substr(3)));
    else if (rest.starts_with("==") && rest.find(',') == std::string_view::npos)
      version = std::string(trim(rest.substr(2)));
    if (version.empty() || version.ends_with(".*") || !parse_version(version)) {
      note(fmt::format("{} is not pinned to one version ({}); it is not checked against advisories", name,
                       rest.empty() ? "no version" : std::string(rest)),
           "use pip freeze output or a constraints file with == pins");
      return;
    }
    std::string normalized_name = normalize_package_name(name);
    if (!pinned.insert(normalized_name + '\0' + version).second) {
      ++repeated_pins;
      return;
    }
    InstalledPackage package;
    package.name = std::move(normalized_name);
    package.version = version;
    package.source = "--packages " + file;
    package.origin.kind = SourceKind::inventory;
    package.origin.file = file;
    package.origin.line = line_number;
    package.origin.name = package.name;
    if (!marker.empty()) {
      note(fmt::format("{} has the environment marker '{}'; it is checked as if installed", name, marker));
    }
    result.packages.push_back(std::move(package));
  });
  if (unlisted_notes > 0) {
    result.diagnostics.push_back(
        make_warning(file, 0,
                     fmt::format("{} more requirement lines that are not a single == pin after these",
                                 with_thousands(unlisted_notes)),
                     "use pip freeze output or a constraints file with == pins"));
  }
  if (repeated_pins > 0) {
    result.diagnostics.push_back(
        make_note(file, 0,
                  fmt::format("{} pins repeat an earlier pin of the same version; the first of each is used",
                              with_thousands(repeated_pins))));
  }
  return result;
}

DistributionMetadata parse_distribution_metadata(std::string_view text) {
  DistributionMetadata metadata;
  for (const auto& raw : split(text, '\n')) {
    std::string_view line = raw;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) break;  // headers end at the first blank line; the description follows
    auto colon = line.find(':');
    if (colon == std::string_view::npos || line.front() == ' ' || line.front() == '\t') continue;
    std::string key = to_lower(trim(line.substr(0, colon)));
    std::string value(trim(line.substr(colon + 1)));
    if (key == "name" && metadata.name.empty())
      metadata.name = value;
    else if (key == "version" && metadata.version.empty())
      metadata.version = value;
  }
  return metadata;
}

namespace {

void read_requirements_recursive(const std::string& path, int depth, std::set<std::string>& seen, Inventory& inventory,
                                 Diagnostics& diagnostics) {
  std::error_code ec;
  std::string key = fs::weakly_canonical(path, ec).string();
  if (!seen.insert(ec ? path : key).second) return;
  auto text = read_text_file(path);
  if (!text) {
    diagnostics.push_back(text.error());
    return;
  }
  auto parsed = parse_requirements(*text, path);
  std::move(parsed.packages.begin(), parsed.packages.end(), std::back_inserter(inventory.packages));
  diagnostics.insert(diagnostics.end(), parsed.diagnostics.begin(), parsed.diagnostics.end());
  for (const auto& include : parsed.includes) {
    if (include.find("://") != std::string::npos) {
      diagnostics.push_back(make_note(path, 0, "not following the remote include " + include));
      continue;
    }
    if (depth >= 10) {
      diagnostics.push_back(make_warning(path, 0, "requirements includes nest too deeply; stopped at " + include));
      continue;
    }
    fs::path target = fs::path(include).is_absolute() ? fs::path(include) : fs::path(path).parent_path() / include;
    read_requirements_recursive(target.string(), depth + 1, seen, inventory, diagnostics);
  }
}

}  // namespace

void read_requirements_file(const std::string& path, Inventory& inventory, Diagnostics& diagnostics) {
  std::set<std::string> seen;
  read_requirements_recursive(path, 0, seen, inventory, diagnostics);
}

bool read_site_packages(const std::string& dir, Inventory& inventory, Diagnostics& diagnostics) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    diagnostics.push_back(make_error(dir, 0, "not a directory", "point --site-packages at a site-packages folder"));
    return false;
  }
  std::vector<fs::path> metadata_files;
  for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const fs::path& entry = it->path();
    std::string ext = entry.extension().string();
    if (ext == ".dist-info")
      metadata_files.push_back(entry / "METADATA");
    else if (ext == ".egg-info")
      metadata_files.push_back(it->is_directory(ec) ? entry / "PKG-INFO" : entry);
  }
  if (ec) {
    diagnostics.push_back(make_error(dir, 0, fmt::format("cannot list: {}", ec.message())));
    return false;
  }
  std::sort(metadata_files.begin(), metadata_files.end());
  for (const auto& file : metadata_files) {
    auto text = read_text_file(file.string(), {.max_bytes = 4u * 1024u * 1024u});
    if (!text) {
      diagnostics.push_back(
          make_warning(file.string(), 0, "skipped unreadable package metadata: " + text.error().message));
      continue;
    }
    DistributionMetadata metadata = parse_distribution_metadata(*text);
    if (metadata.name.empty() || metadata.version.empty()) {
      diagnostics.push_back(make_warning(file.string(), 0, "package metadata without Name or Version"));
      continue;
    }
    InstalledPackage package;
    package.name = normalize_package_name(metadata.name);
    package.version = metadata.version;
    package.source = "--site-packages " + dir;
    package.origin.kind = SourceKind::inventory;
    package.origin.file = file.string();
    package.origin.name = package.name;
    inventory.packages.push_back(std::move(package));
  }
  return true;
}

}  // namespace airguard
