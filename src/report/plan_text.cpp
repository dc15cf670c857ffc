#include "report/plan_text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "core/printable.hpp"
#include "core/text.hpp"

namespace airguard {

namespace {

struct Style {
  bool color;
  std::string bold(std::string_view s) const { return color ? fmt::format("\x1b[1m{}\x1b[0m", s) : std::string(s); }
  std::string dim(std::string_view s) const { return color ? fmt::format("\x1b[2m{}\x1b[0m", s) : std::string(s); }
  std::string severity(Severity sev) const {
    const std::string label = to_upper(to_string(sev));
    if (!color) return label;
    const char* code = sev == Severity::critical ? "1;31"
                       : sev == Severity::high   ? "31"
                       : sev == Severity::medium ? "33"
                       : sev == Severity::low    ? "36"
                                                 : "2";
    return fmt::format("\x1b[{}m{}\x1b[0m", code, label);
  }
};

// Wraps a paragraph to `width` columns with every line after the first indented by `indent`.
std::string wrap(std::string_view text, std::size_t width, std::size_t indent) {
  std::string out;
  out.reserve(text.size() + text.size() / width * (indent + 1));
  std::size_t column = indent;
  bool first = true;
  while (!text.empty()) {
    const std::size_t end = std::min(text.find(' '), text.size());
    const std::string_view word = text.substr(0, end);
    text.remove_prefix(std::min(end + 1, text.size()));
    if (word.empty()) continue;
    if (!first && column + 1 + word.size() > width) {
      out += '\n';
      out.append(indent, ' ');
      column = indent;
    } else if (!first) {
      out += ' ';
      ++column;
    }
    out += word;
    column += word.size();
    first = false;
  }
  return out;
}

std::string collapse_whitespace(std::string_view text) {
  const auto is_space = [](char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; };
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && is_space(text[i])) ++i;
    const std::size_t word = i;
    while (i < text.size() && !is_space(text[i])) ++i;
    if (i == word) break;
    if (!out.empty()) out += ' ';
    out.append(text.substr(word, i - word));  // words are copied whole, not character by character
  }
  return out;
}

std::string indent_block(std::string_view block, std::size_t indent) {
  std::string out;
  for (const std::string& line : split(block, '\n')) out += std::string(indent, ' ') + printable(line) + "\n";
  return out;
}

// File names and lines of code come from the scanned tree: printed through printable().
std::string where_of(const Finding& f) {
  std::string where = f.location.describe();
  if (where.empty()) where = f.key;
  return printable(where);
}

// One plan item: the findings one action fixes.
struct PlanItem {
  Severity severity = Severity::info;
  std::vector<const Finding*> findings;
};

std::vector<PlanItem> group_by_action(const std::vector<Finding>& findings, bool include_suppressed) {
  std::vector<PlanItem> items;
  std::map<std::string, std::size_t> by_action;
  for (const Finding& f : findings) {
    if (f.suppressed && !include_suppressed) continue;
    const std::string action = f.remediation.action_key.empty() ? f.check_id + "|" + f.key : f.remediation.action_key;
    const std::string group = fmt::format("{}|{}", action, f.suppressed ? "s" : "");
    auto [it, inserted] = by_action.emplace(group, items.size());
    if (inserted) items.push_back({f.severity, {}});
    PlanItem& item = items[it->second];
    item.severity = std::max(item.severity, f.severity);
    item.findings.push_back(&f);
  }
  std::stable_sort(items.begin(), items.end(),
                   [](const PlanItem& a, const PlanItem& b) { return a.severity > b.severity; });
  return items;
}

// Ready-to-apply fragments assembled from the fixes: one airflow.cfg fragment (by section), one
// env file, one Helm config: block.
struct Fragments {
  std::map<std::string, std::set<std::string>> cfg;   // section -> "key = value"
  std::set<std::string> env;                          // "AIRFLOW__X=value"
  std::map<std::string, std::set<std::string>> helm;  // section -> "key: 'value'"

  // Only fixes that set an option to a value ("set:section.key=value") become fragment lines; the
  // snippet's shape says where the option lives (airflow.cfg, environment or Helm config:).
  void add(const Finding& finding) {
    const std::string& action = finding.remediation.action_key;
    if (action.rfind("set:", 0) != 0) return;
    const std::size_t eq = action.find('=');
    const std::size_t dot = action.rfind('.', eq);
    if (eq == std::string::npos || dot == std::string::npos || dot < 4) return;
    const std::string section = action.substr(4, dot - 4);
    const std::string key = action.substr(dot + 1, eq - dot - 1);
    const std::string value = action.substr(eq + 1);
    const std::string& snippet = finding.remediation.snippet;
    if (snippet.rfind("config:", 0) == 0) {
      helm[section].insert(fmt::format("{}: '{}'", key, value));
    } else if (snippet.rfind("AIRFLOW__", 0) == 0) {
      env.insert(snippet.substr(0, snippet.find('\n')));
    } else if (snippet.rfind("[", 0) == 0) {
      cfg[section].insert(fmt::format("{} = {}", key, value));
    }
  }
  bool empty() const { return cfg.empty() && env.empty() && helm.empty(); }
};

}  // namespace

std::string render_text_plan(const ScanReport& report, bool color) {
  const Style style{color};
  std::string out;
  out += style.bold(fmt::format("airguard {} remediation plan", report.tool_version)) + "\n";
  out += fmt::format("Airflow {} ({}); profile {}; fails on {}\n",
                     report.airflow_version.empty() ? "version unknown" : report.airflow_version,
                     report.airflow_version_source, report.profile, report.fail_on);
  if (!report.helm_chart.empty()) out += "Chart: " + wrap(printable(report.helm_chart), 100, 7) + "\n";
  if (!report.inputs.empty()) {
    std::vector<std::string> inputs;
    for (const InputInfo& input : report.inputs) {
      inputs.push_back(input.path.empty() ? input.kind : fmt::format("{} {}", input.kind, printable(input.path)));
    }
    out += "Read: " + wrap(join(inputs, ", "), 100, 6) + "\n";
  }
  if (!report.advisory_feed_source.empty()) {
    out += fmt::format(
        "Advisories: {}{}{}\n", report.advisory_feed_source,
        report.advisory_feed_date.empty() ? "" : fmt::format(", records up to {}", report.advisory_feed_date),
        report.advisory_feed_age_days >= 0 ? fmt::format(" ({} days old)", report.advisory_feed_age_days) : "");
  }

  std::map<Severity, std::size_t> counts;
  std::size_t active = 0;
  std::size_t suppressed = 0;
  for (const Finding& f : report.findings) {
    if (f.suppressed) {
      ++suppressed;
      continue;
    }
    ++counts[f.severity];
    ++active;
  }
  out += "\n";
  if (active == 0) {
    out += style.bold("No findings.") + fmt::format(" {} checks ran.\n", report.checks.size());
  } else {
    std::vector<std::string> parts;
    for (Severity s : {Severity::critical, Severity::high, Severity::medium, Severity::low, Severity::info}) {
      if (counts[s] > 0) parts.push_back(fmt::format("{} {}", counts[s], to_string(s)));
    }
    out += style.bold(fmt::format("{} finding{}: {}", active, active == 1 ? "" : "s", join(parts, ", "))) +
           fmt::format(" ({} checks ran)\n", report.checks.size());
  }
  if (suppressed > 0) {
    const auto inline_count = static_cast<std::size_t>(std::count_if(
        report.findings.begin(), report.findings.end(), [](const Finding& f) { return f.suppressed_in_source; }));
    std::vector<std::string> how;
    if (suppressed > inline_count) how.push_back(fmt::format("{} by the ignore file", suppressed - inline_count));
    if (inline_count > 0) how.push_back(fmt::format("{} by `# airguard: ignore` comments", inline_count));
    out += fmt::format("{} suppressed: {}{}\n", suppressed, join(how, ", "),
                       report.text_lists_suppressed ? "" : " (--show-suppressed lists them)");
  }
  if (report.baseline) {
    out += fmt::format("Since {}: {} new, {} fixed, {} unchanged\n", report.baseline->baseline_path,
                       report.baseline->new_fingerprints.size(), report.baseline->fixed.size(),
                       report.baseline->unchanged);
  }

  Fragments fragments;
  const std::vector<PlanItem> all_items = group_by_action(report.findings, report.text_lists_suppressed);
  // Helm scans: the user's own values first, then the chart's defaults left in force (with one
  // overlay for them), then Airflow's defaults; most urgent first within each part.
  const auto item_provenance = [](const PlanItem& item) {
    Provenance best = Provenance::airflow_default;
    for (const Finding* f : item.findings) {
      if (f->provenance == Provenance::user) return Provenance::user;
      if (f->provenance == Provenance::chart_default) best = Provenance::chart_default;
    }
    return best;
  };
  std::vector<std::pair<Provenance, const PlanItem*>> ordered;
  for (const Provenance part : {Provenance::user, Provenance::chart_default, Provenance::airflow_default}) {
    for (const PlanItem& item : all_items) {
      if (!report.split_by_provenance || item_provenance(item) == part) ordered.emplace_back(part, &item);
    }
    if (!report.split_by_provenance) break;
  }
  const auto part_size = [&](Provenance part) {
    return std::count_if(ordered.begin(), ordered.end(), [&](const auto& entry) { return entry.first == part; });
  };
  std::size_t number = 0;
  std::optional<Provenance> current_part;
  for (std::size_t index = 0; index < ordered.size(); ++index) {
    const auto& [part, item_pointer] = ordered[index];
    const PlanItem& item = *item_pointer;
    if (report.split_by_provenance && current_part != part) {
      current_part = part;
      const long count = part_size(part);
      const char* heading = part == Provenance::user            ? "Your values"
                            : part == Provenance::chart_default ? "The chart's defaults you have not overridden"
                                                                : "Airflow's defaults nobody set";
      out += fmt::format("\n{} ({} item{})\n", style.bold(heading), count, count == 1 ? "" : "s");
      if (part == Provenance::chart_default && !report.helm_defaults_overlay.empty()) {
        out += report.helm_defaults_overlay == report.helm_overlay
                   ? "    One values overlay fixes them: \"Helm values overlay\" at the end.\n"
                   : "    One values overlay fixes them: \"Chart defaults overlay\" at the end.\n";
      }
    }
    const Finding& first = *item.findings.front();
    ++number;
    const bool is_new =
        report.baseline && std::find(report.baseline->new_fingerprints.begin(), report.baseline->new_fingerprints.end(),
                                     first.fingerprint) != report.baseline->new_fingerprints.end();
    out += fmt::format("\n{:>2}. {} {}{}  {}\n", number, style.severity(item.severity), style.bold(first.title),
                       is_new ? " [new]" : "", style.dim(first.check_id));
    if (first.suppressed) out += fmt::format("    Ignored  {}\n", printable(first.suppression_reason));
    for (const Finding* f : item.findings) {
      // Evidence may span lines (an advisory list): the first follows the place, the rest indent.
      const std::vector<std::string> evidence = split(f->evidence, '\n');
      out += fmt::format("    Where  {}{}\n", where_of(*f),
                         evidence.front().empty() ? "" : "  " + printable(evidence.front()));
      for (std::size_t i = 1; i < evidence.size(); ++i) {
        if (!evidence[i].empty()) out += fmt::format("           {}\n", printable(evidence[i]));
      }
      if (f->check_id != first.check_id) out += fmt::format("           ({}: {})\n", f->check_id, f->title);
    }
    if (!first.rationale.empty())
      out += fmt::format("    Why    {}\n", wrap(collapse_whitespace(first.rationale), 100, 11));
    if (!first.remediation.summary.empty()) {
      out += fmt::format("    Fix    {}\n", wrap(collapse_whitespace(first.remediation.summary), 100, 11));
    }
    // One fix snippet, printed once for all the places it applies to.
    std::vector<std::pair<std::string, std::vector<std::string>>> fixes;  // snippet -> targets
    for (const Finding* f : item.findings) {
      const Remediation& fix = f->remediation;
      if (!f->suppressed) fragments.add(*f);
      if (fix.snippet.empty()) continue;
      auto it = std::find_if(fixes.begin(), fixes.end(), [&](const auto& entry) { return entry.first == fix.snippet; });
      if (it == fixes.end()) it = fixes.insert(fixes.end(), {fix.snippet, {}});
      if (!fix.target.empty()) it->second.push_back(printable(fix.target));
    }
    for (const auto& [snippet, targets] : fixes) {
      if (!targets.empty()) {
        std::vector<std::string> shown(targets.begin(),
                                       targets.begin() + static_cast<long>(std::min<std::size_t>(targets.size(), 4)));
        std::string list = join(shown, ", ");
        if (targets.size() > shown.size()) list += fmt::format(" and {} more", targets.size() - shown.size());
        out += fmt::format("           In {}:\n", wrap(list, 100, 14));
      }
      out += indent_block(snippet, 13);
    }
  }

  if (!fragments.empty() || !report.helm_overlay.empty()) {
    out += "\n" + style.bold("Ready-to-apply fragments") + "\n";
    if (!fragments.cfg.empty()) {
      out += "\n  airflow.cfg\n";
      for (const auto& [section, lines] : fragments.cfg) {
        out += fmt::format("    [{}]\n", section);
        for (const std::string& line : lines) out += fmt::format("    {}\n", line);
      }
    }
    if (!fragments.env.empty()) {
      out += "\n  environment (.env, docker compose, or the pod spec)\n";
      for (const std::string& line : fragments.env) out += fmt::format("    {}\n", line);
    }
    if (!fragments.helm.empty()) {
      out += "\n  Helm values (config:)\n    config:\n";
      for (const auto& [section, lines] : fragments.helm) {
        out += fmt::format("      {}\n", section);
        for (const std::string& line : lines) out += fmt::format("        {}\n", line);
      }
    }
    if (!report.helm_overlay.empty()) {
      out += "\n  Helm values overlay (helm upgrade -f airguard-overlay.yaml)\n";
      out += indent_block(std::string(trim(report.helm_overlay)), 4);
    }
    if (!report.helm_defaults_overlay.empty() && report.helm_defaults_overlay != report.helm_overlay) {
      out += "\n  Chart defaults overlay: the chart's defaults alone (helm upgrade -f airguard-defaults.yaml)\n";
      out += indent_block(std::string(trim(report.helm_defaults_overlay)), 4);
    }
  }

  if (report.ignores && (!report.ignores->expired.empty() || !report.ignores->unused.empty())) {
    out += "\n" + style.bold("Ignore file") + "\n";
    for (const IgnoreEntry& e : report.ignores->expired) {
      out += fmt::format("  {}:{}: entry for {} expired on {}: it no longer applies\n", e.defined_in, e.line, e.check,
                         e.expires);
    }
    for (const IgnoreEntry& e : report.ignores->unused) {
      out += fmt::format("  {}:{}: entry for {} matched nothing\n", e.defined_in, e.line, e.check);
    }
  }
  if (report.baseline && !report.baseline->fixed.empty()) {
    out += "\n" + style.bold("Fixed since the baseline") + "\n";
    for (const Finding& f : report.baseline->fixed) {
      out += fmt::format("  {}  {}  {}\n", f.check_id, f.title, printable(f.key));
    }
  }
  if (!report.unavailable_sources.empty()) {
    out += "\n" + style.bold("Incomplete: could not read") + "\n";
    for (const std::string& source : report.unavailable_sources) out += fmt::format("  {}\n", printable(source));
  }
  return out;
}

}  // namespace airguard
