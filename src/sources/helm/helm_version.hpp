#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <tuple>

#include "core/diagnostic.hpp"
#include "core/result.hpp"
#include "sources/helm/helm_node.hpp"

namespace airguard {

class HelmValues;

// A version as tags and charts write it: "v2.10.5-python3.11" -> 2.10.5 (prerelease "python3.11"),
// "1.20.0-dev" -> 1.20.0 (prerelease "dev"). A pre-release sorts before its release.
struct VersionNumber {
  int major = 0;
  int minor = 0;
  int patch = 0;
  std::string prerelease;

  auto base() const { return std::make_tuple(major, minor, patch); }
  std::string text() const;
};

// The version at the start of `text`; nullopt when it does not start with one. Numbers longer
// than six digits or a major outside 1..9 are dates, digests or noise, not versions.
std::optional<VersionNumber> parse_leading_version(std::string_view text);

// The official chart version whose defaults and schema apply, and how sure airguard is of it.
struct ChartVersionChoice {
  std::string chart_version;  // "1.19.0"
  std::string source;         // HelmValues::chart_version_source: why this version
  Diagnostics notes;          // a warning for an unknown --chart-version, a note on what was inferred
  bool assumed = false;       // nothing named a version: the newest released chart stands in
};

// Picks the chart for the user's merged values `user_root` (no chart defaults merged yet; `values`
// gives file names and the umbrella key for locations):
//  - `requested` (--chart-version) when airguard knows it; an unknown one maps to the nearest
//    known chart, with a warning that says which and why;
//  - else from keys that exist only in some chart versions (the shipped schema tables) and the
//    Airflow version the values name (images.airflow.tag, airflowVersion, defaultAirflowTag) or
//    `airflow_hint` (--airflow-version);
//  - else the newest released chart.
// An Airflow version the chosen chart cannot run (Airflow 3 before chart 1.17.0, or older than
// the minimum its README states) is an error at the file:line of the value that names it.
Result<ChartVersionChoice> choose_chart_version(const HelmValues& values, const HelmNode& user_root,
                                                std::string_view requested, std::string_view airflow_hint);

// "1.19.0" < "1.20.0-dev" < "1.20.0": -1, 0 or 1; text that is not a version sorts first.
int compare_chart_versions(std::string_view a, std::string_view b);

}  // namespace airguard
