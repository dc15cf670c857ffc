#pragma once
#include <iosfwd>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.hpp"
#include "core/redact.hpp"
#include "core/result.hpp"
#include "report/report.hpp"

namespace airguard {

struct RenderOptions {
  bool color = false;  // ANSI colour for the text plan on a terminal
};

using RenderFunction = std::string (*)(const ScanReport&, const RenderOptions&);

// One output format. The table in formats.cpp is the only list: help text and docs come from it.
struct OutputFormat {
  std::string_view name;         // what --format takes: "sarif"
  std::string_view description;  // one line for --help
  std::string_view extension;    // conventional file extension: ".sarif"
  RenderFunction render;
  bool uses_check_texts = false;  // reads the texts of every check in report.checks, not only the findings'
};

std::span<const OutputFormat> output_formats();
const OutputFormat* find_output_format(std::string_view name);  // case-insensitive; nullptr if unknown

// "  text        the remediation plan ...\n  json ...": one line per format, for --help.
std::string output_formats_help();

// Where one format goes. An empty destination means stdout.
struct FormatSpec {
  const OutputFormat* format = nullptr;
  std::string destination;
};

// Parses the --format values ("sarif=airguard.sarif", "json", "text=-") and --output:
// - no --format at all means text;
// - a spec without "=PATH" goes to --output when given, else to stdout; "=-" is stdout;
// - at most one spec may go to stdout (or --output), no two to the same file;
// - --output with every format already given a destination is a usage error.
// Errors are usage errors (exit 2) with a hint naming the known formats.
Result<std::vector<FormatSpec>> parse_format_specs(const std::vector<std::string>& specs,
                                                   const std::optional<std::string>& output);

// Renders the report once per spec, scrubs every output with `scrubber` (the last line of defence
// against a leaked secret) and writes files atomically (a reader never sees half a report);
// stdout output goes to `out`. Every spec is attempted; the returned diagnostics say which
// destinations could not be written (empty = all written).
Diagnostics write_reports(const std::vector<FormatSpec>& specs, const ScanReport& report, std::ostream& out,
                          const RenderOptions& options = {}, const SecretScrubber* scrubber = nullptr);

}  // namespace airguard
