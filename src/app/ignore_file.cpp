#include "app/ignore_file.hpp"

#include <filesystem>

#include "core/file_io.hpp"

namespace airguard {

namespace fs = std::filesystem;

std::optional<std::string> find_ignore_file(const ScanOptions& options) {
  if (options.ignore_file) return options.ignore_file;
  std::vector<fs::path> folders;
  if (options.directory) folders.emplace_back(*options.directory);
  const auto beside = [&](const std::string& file) { folders.push_back(fs::path(file).parent_path()); };
  if (options.airflow_cfg) beside(*options.airflow_cfg);
  for (const std::string& file : options.env_files) beside(file);
  if (options.webserver_config) beside(*options.webserver_config);
  for (const std::string& file : options.helm_values) beside(file);
  for (const fs::path& folder : folders) {
    const fs::path candidate = folder / kIgnoreFileName;
    std::error_code error;
    if (fs::is_regular_file(candidate, error)) return candidate.string();
  }
  return std::nullopt;
}

Result<IgnoreFile> load_ignore_file(const std::string& path) {
  ReadLimits limits;
  limits.max_bytes = 1024u * 1024u;  // thousands of entries; anything larger is not an ignore file
  auto text = read_text_file(path, limits);
  if (!text.ok()) return text.error();
  return parse_ignore_file(*text, path);
}

Result<bool> apply_ignore_file(const std::string& path, ScanReport& report, std::string_view today) {
  auto file = load_ignore_file(path);
  if (!file.ok()) return file.error();
  IgnoreResult result = apply_ignores(*file, report.findings, today);
  report.diagnostics.insert(report.diagnostics.end(), result.diagnostics.begin(), result.diagnostics.end());
  report.ignores = std::move(result.audit);
  return true;
}

}  // namespace airguard
