#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.hpp"
#include "core/fact.hpp"
#include "sources/cfg/cfg_file.hpp"
#include "sources/env/environment.hpp"

namespace airguard {

// The official chart's values as Helm merges them (chart defaults, then -f files in order, then
// --set), every leaf with its origin. Owned by the Helm area; see issue "Helm".
class HelmValues {
 public:
  // The value at a dotted path ("webserver.defaultUser.enabled"); empty when absent.
  std::vector<Fact> facts(std::string_view path) const;
  std::string chart_version;         // "1.18.0"
  std::string chart_version_source;  // "--chart-version", "inferred from ...", ...
  std::string airflow_version;       // from airflowVersion / defaultAirflowTag / images.airflow.tag
  CfgFile config_as_cfg;             // the chart's `config:` map, as Airflow will read it
  std::vector<EnvVar> env;           // env:, extraEnv:, secret: (as environment)
  std::vector<std::string> files;    // the values files, in merge order
};

}  // namespace airguard
