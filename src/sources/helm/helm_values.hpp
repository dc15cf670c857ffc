#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.hpp"
#include "core/fact.hpp"
#include "core/result.hpp"
#include "sources/cfg/cfg_file.hpp"
#include "sources/env/environment.hpp"
#include "sources/helm/helm_node.hpp"
#include "sources/helm/helm_yaml.hpp"

namespace airguard {

// Which chart the values are written for.
enum class HelmChart { official, community };  // apache-airflow/airflow, airflow-helm/charts (and stable/airflow)

// A values document already read from disk (or an example's text).
struct HelmSourceText {
  std::string path;
  std::string text;
};

// Everything `helm install` would be given, in Helm's merge order.
struct HelmInputs {
  std::vector<HelmSourceText> values_files;      // -f, in order
  std::vector<std::string> set;                  // --set, applied after the files
  std::vector<std::string> set_string;           // --set-string, applied last
  std::string chart_version;                     // --chart-version; "" = infer
  std::optional<HelmSourceText> chart_defaults;  // --chart-defaults (output of `helm show values`)
  std::string airflow_version_hint;              // used to infer the chart when the values name no version
  YamlLimits limits;
};

// The official chart's values as Helm merges them (chart defaults, then -f files in order, then
// --set), every leaf with its origin.
class HelmValues {
 public:
  // Pure: merges and interprets the inputs; bad YAML, a list document, an alias bomb, a bad
  // --set are errors with file:line.
  static Result<HelmValues> build(const HelmInputs& inputs);

  // One fact per node at a dotted path ("webserver.defaultUser.enabled", "env[0].name"); a `*`
  // segment matches every key or item. Empty when absent. Paths are relative to the chart's
  // values even when the file nests them under a parent key (see nested_under).
  std::vector<Fact> facts(std::string_view path) const;
  const HelmNode* node(std::string_view path) const;  // exact path, no wildcard
  const HelmNode& root() const { return root_; }
  // Where a node came from: helm kind, values file:line, name = the path as written in the file.
  Origin origin_of(const HelmNode& node, std::string_view path) const;
  // The values file a fix belongs in: the last -f file, or a note when only chart defaults apply.
  std::string fix_target(const HelmNode* node) const;

  std::string chart_version;           // "1.18.0"
  std::string chart_version_source;    // "--chart-version", "inferred from ...", ...
  bool chart_version_assumed = false;  // nothing named a chart or Airflow version: the newest chart stands in
  std::string airflow_version;         // from airflowVersion / defaultAirflowTag / images.airflow.tag
  std::string airflow_version_source;  // "values.yaml:3 (airflowVersion)", "chart 1.19.0 default"
  Origin airflow_version_origin;       // where the values name it (kind helm; no file for a chart default)
  CfgFile config_as_cfg;               // the chart's `config:` map, as Airflow will read it
  std::vector<EnvVar> env;             // env:, extraEnv:, secret: (as environment), chart built-ins
  std::vector<std::string> files;      // the values files, in merge order
  HelmChart chart = HelmChart::official;
  std::string nested_under;  // "airflow" when the values sit under an umbrella chart's key
  std::vector<DuplicateKey> duplicates;
  Diagnostics notes;  // warnings and notes about how the values were read

 private:
  void interpret(const HelmInputs& inputs);
  void build_config();
  void add_execution_api_url();
  void build_env();
  void build_community_env();
  std::string release_secret(std::string_view suffix) const;
  HelmNode root_;
};

// Reads the files (bounded), then HelmValues::build. Read errors name the file.
Result<HelmValues> read_helm_values(const std::vector<std::string>& values_files, const std::vector<std::string>& set,
                                    const std::vector<std::string>& set_string, const std::string& chart_version,
                                    const std::optional<std::string>& chart_defaults_file);

// Values text over the default chart's defaults, as a check example is evaluated; the chart is
// inferred from the values or from `airflow_version` ("2.10.5" picks the newest chart for 2.10).
Result<HelmValues> helm_values_from_text(std::string_view values_text, std::string_view airflow_version = {});

// The chart versions whose defaults ship with airguard, oldest first ("1.15.0" ... "1.20.0-dev").
std::vector<std::string> known_chart_versions();
std::string default_chart_version();  // the newest released one
// The default Airflow version of a known chart ("" when unknown).
std::string chart_default_airflow_version(std::string_view chart_version);

// The largest values file airguard reads (larger ones are refused, never truncated).
inline constexpr std::size_t kMaxValuesFileBytes = 16u * 1024u * 1024u;

}  // namespace airguard
