#include "report/formats.hpp"

#include <stdio_ext.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>

#include <fmt/format.h>

#include <array>
#include <ostream>
#include <set>

#include "core/file_io.hpp"
#include "core/text.hpp"
#include "report/json_report.hpp"
#include "report/junit_report.hpp"
#include "report/markdown_report.hpp"
#include "report/plan_text.hpp"
#include "report/prometheus_report.hpp"
#include "report/sarif_report.hpp"

namespace airguard {

namespace {

std::string text_format(const ScanReport& report, const RenderOptions& options) {
  return render_text_plan(report, options.color);
}
std::string json_format(const ScanReport& report, const RenderOptions&) { return render_json(report); }
std::string sarif_format(const ScanReport& report, const RenderOptions&) { return render_sarif(report); }
std::string junit_format(const ScanReport& report, const RenderOptions&) { return render_junit(report); }
std::string markdown_format(const ScanReport& report, const RenderOptions&) { return render_markdown(report); }
std::string prometheus_format(const ScanReport& report, const RenderOptions&) { return render_prometheus(report); }

constexpr std::array kFormats = {
    OutputFormat{"text", "the remediation plan for people: most urgent first, with copy-paste fixes", ".txt",
                 &text_format},
    OutputFormat{"json", "the versioned machine-readable report (schema: data/schemas/report-v1.json)", ".json",
                 &json_format, true},
    OutputFormat{"sarif", "SARIF 2.1.0 for code-scanning dashboards (GitHub, GitLab, Azure DevOps)", ".sarif",
                 &sarif_format, true},
    OutputFormat{"junit", "JUnit XML for CI test tabs: a test case per check and target", ".xml", &junit_format, true},
    OutputFormat{"markdown", "a summary table and the plan, for pull-request comments", ".md", &markdown_format},
    OutputFormat{"prometheus", "metrics for node_exporter's textfile collector", ".prom", &prometheus_format},
};

std::string known_formats() {
  std::vector<std::string> names;
  for (const OutputFormat& format : kFormats) names.emplace_back(format.name);
  return join(names, ", ");
}

Diagnostic usage_error(std::string message, std::string hint) {
  return make_error("", 0, std::move(message), std::move(hint));
}

}  // namespace

std::span<const OutputFormat> output_formats() { return kFormats; }

const OutputFormat* find_output_format(std::string_view name) {
  for (const OutputFormat& format : kFormats) {
    if (equals_icase(format.name, trim(name))) return &format;
  }
  return nullptr;
}

std::string output_formats_help() {
  std::string help;
  for (const OutputFormat& format : kFormats) help += fmt::format("  {:<11} {}\n", format.name, format.description);
  return help;
}

Result<std::vector<FormatSpec>> parse_format_specs(const std::vector<std::string>& specs,
                                                   const std::optional<std::string>& output) {
  const std::vector<std::string> given = specs.empty() ? std::vector<std::string>{"text"} : specs;
  std::vector<FormatSpec> parsed;
  std::size_t undirected = 0;
  for (const std::string& spec : given) {
    const auto equals = spec.find('=');
    const std::string name(trim(std::string_view(spec).substr(0, equals)));
    const OutputFormat* format = find_output_format(name);
    if (format == nullptr) {
      std::string hint = "known formats: " + known_formats();
      for (const OutputFormat& candidate : kFormats) {
        if (edit_distance(to_lower(name), candidate.name) <= 2) {
          hint = fmt::format("did you mean {}? known formats: {}", candidate.name, known_formats());
          break;
        }
      }
      return usage_error(fmt::format("unknown output format '{}' in --format {}", name, spec), hint);
    }
    FormatSpec result{format, ""};
    if (equals == std::string::npos) {
      ++undirected;
      result.destination = output.value_or("");
    } else {
      result.destination = std::string(trim(std::string_view(spec).substr(equals + 1)));
      if (result.destination.empty()) {
        return usage_error(fmt::format("--format {} names no file", spec),
                           fmt::format("write --format {}=PATH, or --format {} for stdout", name, name));
      }
      if (result.destination == "-") {
        ++undirected;
        result.destination.clear();
      }
    }
    parsed.push_back(std::move(result));
  }
  if (undirected > 1) {
    return usage_error(output ? "more than one --format would be written to --output"
                              : "more than one --format would be written to standard output",
                       "give the others a file: --format sarif=airguard.sarif --format json=report.json");
  }
  if (output && undirected == 0) {
    return usage_error("--output " + *output + " is not used: every --format names its own file",
                       "drop --output, or give one --format without =PATH");
  }
  std::set<std::string> destinations;
  for (const FormatSpec& spec : parsed) {
    if (!spec.destination.empty() && !destinations.insert(spec.destination).second) {
      return usage_error("two formats would be written to " + spec.destination, "give each format its own file");
    }
  }
  return parsed;
}

Diagnostics write_reports(const std::vector<FormatSpec>& specs, const ScanReport& report, std::ostream& out,
                          const RenderOptions& options, const SecretScrubber* scrubber) {
  Diagnostics problems;
  for (const FormatSpec& spec : specs) {
    std::string rendered = spec.format->render(report, options);
    if (scrubber != nullptr) rendered = scrubber->scrub(rendered);
    if (spec.destination.empty()) {
      out << rendered;
      out.flush();
      if (!out) {
        // A report that did not reach its reader (a full disk, a closed pipe) is a failure.
        problems.push_back(make_error(
            "standard output", 0,
            fmt::format("cannot write the {} report: {}", spec.format->name, std::strerror(errno != 0 ? errno : EIO)),
            "check the disk or pipe that standard output goes to"));
        out.clear();
        if (&out == &std::cout) {
          // Said once: what is left in the buffer would only fail again at exit.
          ::__fpurge(stdout);
          std::clearerr(stdout);
        }
      }
      continue;
    }
    const auto written = write_file_atomic(spec.destination, rendered);
    if (!written.ok()) {
      Diagnostic problem = written.error();
      if (problem.hint.empty()) problem.hint = fmt::format("the {} report was not written", spec.format->name);
      problems.push_back(std::move(problem));
    }
  }
  return problems;
}

}  // namespace airguard
