// Helm values (sources/helm): the YAML layer with Helm's rules (YAML 1.1 scalars, merge keys,
// alias-bomb limit), then the whole merge over the chart defaults and the chart's config:/env:.
#include "fuzz_target.hpp"
#include "sources/helm/helm_values.hpp"
#include "sources/helm/helm_yaml.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = airguard::fuzz::as_text(data, size);
  const auto parsed = airguard::parse_values_yaml(text, "values.yaml", 0);
  if (!parsed.ok()) return 0;
  airguard::HelmInputs inputs;
  inputs.values_files.push_back({"values.yaml", std::string(text)});
  const auto values = airguard::HelmValues::build(inputs);
  if (!values.ok()) return 0;
  values->facts("*");
  values->facts("env[*].value");
  values->facts("config.*.*");
  return 0;
}
