#include "sources/helm/helm_version.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <optional>
#include <tuple>
#include <vector>

#include "core/printable.hpp"
#include "sources/helm/helm_schema.hpp"
#include "sources/helm/helm_values.hpp"

namespace airguard {

std::string VersionNumber::text() const { return fmt::format("{}.{}.{}", major, minor, patch); }

std::optional<VersionNumber> parse_leading_version(std::string_view text) {
  if (!text.empty() && (text.front() == 'v' || text.front() == 'V')) text.remove_prefix(1);
  const auto number = [&text](int& out) {
    std::size_t digits = 0;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
    if (digits == 0 || digits > 6) return false;
    std::from_chars(text.data(), text.data() + digits, out);
    text.remove_prefix(digits);
    return true;
  };
  VersionNumber version;
  if (!number(version.major) || text.empty() || text.front() != '.') return std::nullopt;
  text.remove_prefix(1);
  if (!number(version.minor)) return std::nullopt;
  if (text.size() >= 2 && text.front() == '.' && text[1] >= '0' && text[1] <= '9') {
    text.remove_prefix(1);
    if (!number(version.patch)) return std::nullopt;
  }
  if (version.major < 1 || version.major > 9) return std::nullopt;
  if (!text.empty() && text.front() == '-') version.prerelease = std::string(text.substr(1));
  return version;
}

namespace {

int compare(const VersionNumber& a, const VersionNumber& b) {
  if (a.base() != b.base()) return a.base() < b.base() ? -1 : 1;
  if (a.prerelease == b.prerelease) return 0;
  if (a.prerelease.empty()) return 1;
  if (b.prerelease.empty()) return -1;
  return a.prerelease < b.prerelease ? -1 : 1;
}

bool is_release(const std::string& chart_version) { return chart_version.find('-') == std::string::npos; }

// A set of known charts, one bit per entry of known_chart_versions() (oldest first).
using ChartMask = std::uint64_t;

struct AirflowClue {
  VersionNumber version;
  std::string where;  // "values.yaml:3 (airflowVersion)" or "--airflow-version"
  std::string file;   // for an error's location
  int line = 0;
};

const HelmNode* find_path(const HelmNode& root, std::string_view path) {
  const HelmNode* node = &root;
  for (const auto& part : split_values_path(path)) node = node != nullptr ? node->find(part) : nullptr;
  return node;
}

// The tag of a custom image ("my-airflow:1.0.0") is that image's version, not Airflow's.
bool tag_is_airflow_version(const HelmNode& root) {
  const HelmNode* repository = find_path(root, "images.airflow.repository");
  if (repository == nullptr || repository->is_null() || !repository->is_scalar()) return true;
  const std::string_view name = repository->text;
  constexpr std::string_view official = "apache/airflow";
  return name == official || (name.size() > official.size() &&
                              name.substr(name.size() - official.size() - 1) == "/" + std::string(official));
}

std::optional<AirflowClue> airflow_from_values(const HelmValues& values, const HelmNode& root) {
  for (const char* path : {"images.airflow.tag", "airflowVersion", "defaultAirflowTag"}) {
    if (std::string_view(path) == "images.airflow.tag" && !tag_is_airflow_version(root)) continue;
    const HelmNode* node = find_path(root, path);
    if (node == nullptr || node->is_default() || !node->is_scalar() || node->is_null()) continue;
    if (auto version = parse_leading_version(node->text)) {
      const Origin origin = values.origin_of(*node, path);
      return AirflowClue{*version, origin.describe(), origin.file, origin.line};
    }
  }
  return std::nullopt;
}

// A key whose presence says which charts the values were written for.
struct KeyClue {
  std::string path;
  std::string where;  // "values.yaml:40"
  ChartMask charts = 0;
};

// Whether the first segment of `path` the schema does not declare is a top-level key.
bool undeclared_at_top(const ChartSchema& schema, const std::vector<std::string>& path) {
  std::vector<std::string> prefix;
  for (const auto& segment : path) {
    prefix.push_back(segment);
    if (schema.status(prefix) != SchemaKeyStatus::declared) return prefix.size() == 1;
  }
  return false;
}

// Values nodes looked at for key clues; the key check walks all of them, this only needs a sample.
constexpr std::size_t kMaxNodesForKeyClues = 20000;

std::vector<KeyClue> key_clues(const HelmValues& values, const HelmNode& root,
                               const std::vector<const ChartSchema*>& schemas, ChartMask all) {
  std::vector<KeyClue> clues;
  struct Pending {
    const HelmNode* node;
    std::vector<std::string> path;
  };
  std::vector<Pending> stack = {{&root, {}}};
  std::size_t visited = 0;
  while (!stack.empty() && visited < kMaxNodesForKeyClues) {
    Pending current = std::move(stack.back());
    stack.pop_back();
    for (std::size_t i = 0; i < current.node->children.size() && visited < kMaxNodesForKeyClues; ++i) {
      const HelmNode& child = current.node->children[i];
      ++visited;
      std::vector<std::string> path = current.path;
      path.push_back(current.node->is_list() ? fmt::format("[{}]", i) : child.key);
      ChartMask declared = 0;
      // A chart lacks the key for sure only where its schema refuses it, or at the top level (no
      // template reads an undeclared top-level key). Below that, a map that accepts other keys
      // may still be read by the templates (1.18 declares securityContexts.container, reads
      // securityContexts.containers), so such a key says nothing about the version.
      bool absent_for_sure = true;
      bool anywhere = false;
      for (std::size_t s = 0; s < schemas.size(); ++s) {
        if (schemas[s] == nullptr) continue;
        const SchemaKeyStatus status = schemas[s]->status(path);
        if (status == SchemaKeyStatus::declared) {
          declared |= ChartMask{1} << s;
          anywhere = true;
        } else if (status == SchemaKeyStatus::free_form ||
                   (status == SchemaKeyStatus::undeclared_accepted && !undeclared_at_top(*schemas[s], path))) {
          absent_for_sure = false;
        }
      }
      if (!anywhere) continue;  // not a key of any chart: nothing below it is either
      if (declared != all && absent_for_sure && !child.is_null()) {
        std::string dotted;
        for (const auto& segment : path) {
          dotted += (dotted.empty() || segment.front() == '[') ? segment : "." + segment;
        }
        const Origin origin = values.origin_of(child, dotted);
        const std::string where = origin.line > 0 ? fmt::format("{}:{}", origin.file, origin.line) : origin.file;
        clues.push_back(KeyClue{printable(dotted), where, declared});
      }
      if (!child.is_scalar()) stack.push_back({&child, std::move(path)});
    }
  }
  return clues;
}

// "exists only from 1.19.0", "exists only up to 1.18.0", "exists only in 1.16.0 to 1.18.0".
std::string describe_mask(ChartMask mask, const std::vector<std::string>& known) {
  std::vector<std::string> in;
  std::size_t first = known.size(), last = 0;
  for (std::size_t i = 0; i < known.size(); ++i) {
    if ((mask >> i & 1U) == 0) continue;
    in.push_back(known[i]);
    first = std::min(first, i);
    last = i;
  }
  if (in.empty()) return "exists in no known chart";
  const bool contiguous = in.size() == last - first + 1;
  if (contiguous && last == known.size() - 1) return fmt::format("exists only from {}", known[first]);
  if (contiguous && first == 0) return fmt::format("exists only up to {}", known[last]);
  if (in.size() == 1) return fmt::format("exists only in {}", in.front());
  if (contiguous) return fmt::format("exists only in {} to {}", known[first], known[last]);
  std::string list;
  for (const auto& version : in) list += (list.empty() ? "" : ", ") + version;
  return fmt::format("exists only in {}", list);
}

bool supports(const ChartSchema* schema, const VersionNumber& airflow) {
  if (schema == nullptr || !schema->supported_airflow()) return true;  // nothing stated
  const SupportedAirflow& stated = *schema->supported_airflow();
  if (std::find(stated.majors.begin(), stated.majors.end(), airflow.major) == stated.majors.end()) return false;
  const auto minimum = parse_leading_version(stated.minimum);
  return !minimum || airflow.base() >= minimum->base();
}

std::string short_commit(const std::string& commit) { return commit.substr(0, 7); }

// Why `chart` cannot run `airflow`, citing the chart's README; empty when it can.
std::string unsupported_reason(const ChartSchema* schema, const VersionNumber& airflow) {
  if (supports(schema, airflow)) return {};
  const SupportedAirflow& stated = *schema->supported_airflow();
  const std::string cited = fmt::format("its README at apache/airflow {} states \"Supported Airflow version: {}\"",
                                        short_commit(stated.source_commit), stated.text);
  const bool major_known = std::find(stated.majors.begin(), stated.majors.end(), airflow.major) != stated.majors.end();
  if (!major_known) {
    std::string first;
    for (const ChartSchema* other : chart_schemas()) {
      if (!other->supported_airflow()) continue;
      const auto& majors = other->supported_airflow()->majors;
      if (std::find(majors.begin(), majors.end(), airflow.major) != majors.end()) {
        first = other->chart_version();
        break;
      }
    }
    return fmt::format("{}{}", cited,
                       first.empty()
                           ? std::string()
                           : fmt::format("; chart {} is the first that runs Airflow {}", first, airflow.major));
  }
  return fmt::format("it is older than the chart's minimum, {} ({})", stated.minimum, cited);
}

// The chart an unknown --chart-version falls back to, and the words that say why.
std::pair<std::string, std::string> nearest_known(std::string_view requested, const std::vector<std::string>& known) {
  const auto wanted = parse_leading_version(requested);
  if (!wanted || known.empty()) {
    const std::string pick = default_chart_version();
    return {pick, fmt::format("--chart-version {} is not a chart version airguard can read; using {}'s defaults, the "
                              "newest release it knows",
                              printable(requested), pick)};
  }
  const auto newest = parse_leading_version(known.back());
  const auto oldest = parse_leading_version(known.front());
  if (newest && compare(*wanted, *newest) > 0) {
    return {known.back(),
            fmt::format("--chart-version {} is newer than every chart airguard knows; using {}'s defaults",
                        printable(requested), known.back())};
  }
  if (oldest && compare(*wanted, *oldest) < 0) {
    return {known.front(), fmt::format("--chart-version {} is older than every chart airguard knows; using {}'s "
                                       "defaults",
                                       printable(requested), known.front())};
  }
  std::string pick = known.front();
  for (const auto& version : known) {
    const auto have = parse_leading_version(version);
    if (have && compare(*have, *wanted) <= 0) pick = version;
  }
  return {pick, fmt::format("--chart-version {} is not a chart airguard knows; using {}'s defaults, the newest known "
                            "chart not newer than it",
                            printable(requested), pick)};
}

}  // namespace

int compare_chart_versions(std::string_view a, std::string_view b) {
  const auto left = parse_leading_version(a);
  const auto right = parse_leading_version(b);
  if (!left || !right) return left ? 1 : (right ? -1 : 0);
  return compare(*left, *right);
}

Result<ChartVersionChoice> choose_chart_version(const HelmValues& values, const HelmNode& user_root,
                                                std::string_view requested, std::string_view airflow_hint) {
  ChartVersionChoice choice;
  const std::vector<std::string> known = known_chart_versions();

  std::optional<AirflowClue> airflow = airflow_from_values(values, user_root);
  const bool airflow_from_file = airflow.has_value();
  if (!airflow && !airflow_hint.empty()) {
    if (auto version = parse_leading_version(airflow_hint)) airflow = AirflowClue{*version, "--airflow-version", {}, 0};
  }
  const auto refuse_if_unsupported = [&](const std::string& chart) -> std::optional<Diagnostic> {
    if (!airflow || !airflow_from_file) return std::nullopt;
    const std::string reason = unsupported_reason(chart_schema(chart), airflow->version);
    if (reason.empty()) return std::nullopt;
    return make_error(airflow->file, airflow->line,
                      fmt::format("Airflow {} ({}) cannot run on chart {}: {}", airflow->version.text(), airflow->where,
                                  chart, reason),
                      "give the chart version you deploy with --chart-version, or correct the Airflow version");
  };

  if (!requested.empty()) {
    const std::string wanted(requested);
    if (std::find(known.begin(), known.end(), wanted) != known.end()) {
      choice.chart_version = wanted;
      choice.source = "--chart-version";
      if (auto error = refuse_if_unsupported(wanted)) return *error;
      return choice;
    }
    auto [pick, why] = nearest_known(requested, known);
    choice.chart_version = pick;
    choice.source = why;
    choice.notes.push_back(make_warning(
        {}, 0, why,
        fmt::format("give --chart-defaults with the output of `helm show values apache-airflow/airflow --version {}` "
                    "to be exact",
                    printable(requested))));
    return choice;
  }

  // Inference reads every chart's table (a named chart needs only its own).
  std::vector<const ChartSchema*> schemas;
  for (const auto& version : known) schemas.push_back(chart_schema(version));
  ChartMask all = 0;
  for (std::size_t i = 0; i < known.size() && i < 64; ++i) {
    if (schemas[i] != nullptr) all |= ChartMask{1} << i;
  }
  ChartMask candidates = all;
  std::vector<const KeyClue*> narrowing;
  const std::vector<KeyClue> clues = key_clues(values, user_root, schemas, all);
  for (const KeyClue& clue : clues) {
    const ChartMask narrowed = candidates & clue.charts;
    if (narrowed == 0 || narrowed == candidates) continue;  // conflicting keys are AFH-HELM-031's to report
    candidates = narrowed;
    narrowing.push_back(&clue);
  }
  // A clue implied by a narrower one (`apiServer` by `apiServer.defaultUser`) is not worth saying.
  std::erase_if(narrowing, [&](const KeyClue* clue) {
    return std::any_of(narrowing.begin(), narrowing.end(), [&](const KeyClue* other) {
      return other != clue && (other->charts & ~clue->charts) == 0 && other->charts != clue->charts;
    });
  });
  std::string key_words;
  for (std::size_t i = 0; i < narrowing.size() && i < 2; ++i) {
    key_words += fmt::format("{}{} ({}), which {}", i == 0 ? "" : ", and ", narrowing[i]->path, narrowing[i]->where,
                             describe_mask(narrowing[i]->charts, known));
  }

  const auto newest_in = [&](ChartMask mask) {
    std::string release, any;
    for (std::size_t i = 0; i < known.size(); ++i) {
      if ((mask >> i & 1U) == 0) continue;
      any = known[i];
      if (is_release(known[i])) release = known[i];
    }
    return release.empty() ? any : release;
  };

  if (airflow) {
    ChartMask runs = 0;
    for (std::size_t i = 0; i < known.size(); ++i) {
      if ((all >> i & 1U) != 0 && supports(schemas[i], airflow->version)) runs |= ChartMask{1} << i;
    }
    if (runs == 0) {
      // No chart runs it: refuse a version the values name; ignore an --airflow-version hint.
      if (auto error = refuse_if_unsupported(newest_in(all))) return *error;
      runs = all;
    }
    ChartMask pool = candidates & runs;
    std::string dropped;
    if (pool == 0) {
      pool = runs;
      dropped = fmt::format(" (the keys {} point elsewhere; the Airflow version wins)", key_words);
      key_words.clear();
    }
    // The newest release whose default Airflow is not newer (major.minor) than the one named.
    std::string pick;
    std::string oldest;
    for (std::size_t i = 0; i < known.size(); ++i) {
      if ((pool >> i & 1U) == 0) continue;
      if (oldest.empty()) oldest = known[i];
      const auto chart_airflow = parse_leading_version(chart_default_airflow_version(known[i]));
      if (!is_release(known[i]) || !chart_airflow) continue;
      if (std::make_pair(chart_airflow->major, chart_airflow->minor) <=
          std::make_pair(airflow->version.major, airflow->version.minor)) {
        pick = known[i];
      }
    }
    if (pick.empty()) pick = oldest.empty() ? newest_in(pool) : oldest;
    choice.chart_version = pick;
    if (key_words.empty()) {
      choice.source = fmt::format("chart {}, inferred from Airflow {} ({}): the newest known chart for it{}", pick,
                                  airflow->version.text(), airflow->where, dropped);
    } else {
      choice.source = fmt::format("chart {}, inferred from Airflow {} ({}) and from {}", pick, airflow->version.text(),
                                  airflow->where, key_words);
    }
  } else if (!narrowing.empty()) {
    choice.chart_version = newest_in(candidates);
    choice.source = fmt::format("chart {}, inferred from {}", choice.chart_version, key_words);
  } else {
    choice.chart_version = default_chart_version();
    choice.assumed = true;
    choice.source = fmt::format("chart {}: newest known; nothing in the values names a version", choice.chart_version);
  }
  choice.source += "; pass --chart-version to choose";
  choice.notes.push_back(make_note({}, 0, fmt::format("chart version: {}", choice.source)));
  return choice;
}

}  // namespace airguard
