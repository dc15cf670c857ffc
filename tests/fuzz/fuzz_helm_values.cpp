// Helm values (sources/helm): the YAML layer with Helm's rules (YAML 1.1 scalars, merge keys,
// alias-bomb limit), then the whole merge and the chart's config:/env:. The chart defaults are a
// small fixed document: merging over the shipped ones parses megabytes of JSON on every input,
// which would leave the fuzzer a dozen inputs a second.
#include "fuzz_target.hpp"
#include "sources/helm/helm_audit.hpp"
#include "sources/helm/helm_schema.hpp"
#include "sources/helm/helm_values.hpp"
#include "sources/helm/helm_version.hpp"
#include "sources/helm/helm_yaml.hpp"

namespace {

constexpr std::string_view kChartDefaults = R"(airflowVersion: 2.10.5
defaultAirflowTag: 2.10.5
images: {airflow: {repository: null, tag: null}}
executor: CeleryExecutor
webserver: {defaultUser: {enabled: true, password: admin}, webserverConfig: ~}
config:
  core: {load_examples: 'False', executor: '{{ .Values.executor }}'}
  webserver: {expose_config: 'False'}
env: []
extraEnv: ~
secret: []
)";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = airguard::fuzz::as_text(data, size);
  const auto parsed = airguard::parse_values_yaml(text, "values.yaml", 0);
  if (!parsed.ok()) return 0;
  airguard::HelmInputs inputs;
  inputs.values_files.push_back({"values.yaml", std::string(text)});
  inputs.chart_defaults = airguard::HelmSourceText{"chart-values.yaml", std::string(kChartDefaults)};
  inputs.chart_version = "1.19.0";  // the shipped key table of that chart checks the keys
  const auto values = airguard::HelmValues::build(inputs);
  if (!values.ok()) return 0;
  values->facts("*");
  values->facts("env[*].value");
  values->facts("config.*.*");
  const auto unknown = airguard::unknown_key_issues(*values);
  airguard::fuzz::require(unknown.size() <= airguard::kMaxListedUnknownKeys, "unknown keys are listed up to the bound");
  int lines = 1;  // "\n", "\r\n" and a lone "\r" all end a line for the YAML reader
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n'))) ++lines;
  }
  for (const auto& issue : unknown) {
    airguard::fuzz::require(
        issue.origin.file != "values.yaml" || (issue.origin.line >= 1 && issue.origin.line <= lines),
        "an unknown key's line lies inside the text");
  }
  (void)airguard::choose_chart_version(*values, values->root(), {}, {});
  return 0;
}
