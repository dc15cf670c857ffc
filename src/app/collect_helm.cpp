#include <fmt/format.h>

#include "app/collectors.hpp"

// Helm values: read and merged as Helm does (sources/helm), then offered to the rest of the scan
// as Airflow configuration (the chart's config:), environment (env:, extraEnv:, secret: and the
// chart's own secret-backed variables) and an inventory entry for the chart's Airflow version.
namespace airguard {

void collect_helm(const ScanOptions& options, Snapshot& snapshot) {
  if (options.helm_values.empty() && options.helm_set.empty() && options.helm_set_string.empty()) return;
  Result<HelmValues> values = read_helm_values(options.helm_values, options.helm_set, options.helm_set_string,
                                               options.chart_version.value_or(""), options.chart_defaults);
  if (!values) {
    // Named as inputs so the scan reports this error rather than "nothing to scan".
    for (const std::string& file : options.helm_values) snapshot.inputs.push_back({"helm-values", file});
    snapshot.diagnostics.push_back(values.error());
    return;
  }
  for (const std::string& file : values->files) snapshot.inputs.push_back({"helm-values", file});
  if (options.chart_defaults) snapshot.inputs.push_back({"helm-chart-defaults", *options.chart_defaults});
  snapshot.diagnostics.insert(snapshot.diagnostics.end(), values->notes.begin(), values->notes.end());

  if (!snapshot.cfg) {
    snapshot.cfg = values->config_as_cfg;
  } else if (!values->config_as_cfg.sections.empty()) {
    snapshot.diagnostics.push_back(make_note(
        snapshot.cfg->path, 0,
        "both an airflow.cfg and Helm values were given: the airflow.cfg is scanned as the configuration file and the "
        "chart's config: map is not (the chart would render its own airflow.cfg)",
        "scan them separately to judge each"));
  }
  for (const EnvVar& var : values->env) {
    if (!var.value_from_reference && !var.value.empty()) snapshot.secrets.add(var.value);
    // Variables already given by an env file or the process are the ones the scan was pointed at.
    if (snapshot.env.get(var.name) == nullptr) snapshot.env.set(var);
  }
  if (!values->airflow_version.empty()) {
    InstalledPackage airflow;
    airflow.name = "apache-airflow";
    airflow.version = values->airflow_version;
    airflow.source = "helm";
    airflow.origin = values->airflow_version_origin;
    airflow.origin.kind = SourceKind::helm;
    if (airflow.origin.file.empty()) airflow.origin.name = values->airflow_version_source;
    snapshot.inventory.packages.push_back(std::move(airflow));
  }
  snapshot.helm = std::move(*values);
}

}  // namespace airguard
