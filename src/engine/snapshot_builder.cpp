#include "engine/snapshot_builder.hpp"

#include <fmt/format.h>

#include <array>

#include "config/option_catalog.hpp"
#include "core/text.hpp"

namespace airguard {

namespace {

// Options whose presence tells the Airflow generation apart (config.yml of 2.11 vs 3.x).
constexpr std::array<std::string_view, 8> kAirflow3Signals = {"api_auth.jwt_secret",
                                                              "api.secret_key",
                                                              "api.base_url",
                                                              "execution_api.jwt_expiration_time",
                                                              "core.simple_auth_manager_users",
                                                              "dag_processor.refresh_interval",
                                                              "api.expose_config",
                                                              "core.execution_api_server_url"};
constexpr std::array<std::string_view, 8> kAirflow2Signals = {
    "webserver.web_server_port", "webserver.secret_key",
    "webserver.base_url",        "api.auth_backends",
    "webserver.expose_config",   "core.enable_xcom_pickling",
    "webserver.web_server_host", "core.dag_processor_manager_log_location"};

bool config_mentions(const Snapshot& snapshot, std::string_view dotted) {
  const std::size_t dot = dotted.find('.');
  const std::string section(dotted.substr(0, dot));
  const std::string key(dotted.substr(dot + 1));
  if (snapshot.cfg && snapshot.cfg->find(section, key) != nullptr) return true;
  std::string env = "AIRFLOW__" + to_upper(section) + "__" + to_upper(key);
  return snapshot.env.get(env) != nullptr;
}

std::string newest_release_of_major(int major) {
  // The newest option table of that generation stands in for "some Airflow N".
  const std::string probe = major == 2 ? "2.99" : "99";
  return OptionCatalog::for_version(probe).version_label();
}

void register_value(SecretScrubber& secrets, std::string_view value, bool whole_value_is_secret) {
  if (whole_value_is_secret) secrets.add(value);
  for (const std::string& secret : secret_values(value)) secrets.add(secret);
}

// Every secret the scan has seen goes to the scrubber, so no report can print it by accident.
void register_secrets(Snapshot& snapshot) {
  for (const ResolvedOption* option : snapshot.config.set_options()) {
    if (option->value) register_value(snapshot.secrets, *option->value, option->sensitive);
  }
  for (const EnvVar& var : snapshot.env.vars()) {
    register_value(snapshot.secrets, var.value, name_means_secret(var.name));
  }
  if (snapshot.cfg) {
    for (const CfgSection& section : snapshot.cfg->sections) {
      for (const CfgOption& option : section.options) {
        register_value(snapshot.secrets, option.raw_value, name_means_secret(option.key));
      }
    }
  }
  if (snapshot.webserver) {
    for (const WebserverSetting& setting : snapshot.webserver->settings) {
      if (setting.fact.value && !setting.fact.runtime_only) {
        register_value(snapshot.secrets, *setting.fact.value,
                       setting.fact.sensitive || name_means_secret(setting.name));
      }
    }
  }
}

}  // namespace

int infer_major_from_config(const Snapshot& snapshot) {
  int three = 0;
  int two = 0;
  for (std::string_view signal : kAirflow3Signals) three += config_mentions(snapshot, signal) ? 1 : 0;
  for (std::string_view signal : kAirflow2Signals) two += config_mentions(snapshot, signal) ? 1 : 0;
  if (three > two) return 3;
  if (two > three) return 2;
  return 0;
}

void finalize_snapshot(Snapshot& snapshot, const std::optional<std::string>& cli_airflow_version) {
  AirflowTarget& target = snapshot.target;
  if (cli_airflow_version && !trim(*cli_airflow_version).empty()) {
    target = {std::string(trim(*cli_airflow_version)), "--airflow-version"};
  } else if (snapshot.api && !snapshot.api->airflow_version.empty()) {
    target = {snapshot.api->airflow_version, "REST API"};
  } else if (const InstalledPackage* airflow = snapshot.inventory.find("apache-airflow");
             airflow != nullptr && !airflow->version.empty()) {
    target = {airflow->version, airflow->source};
  } else if (snapshot.helm && !snapshot.helm->airflow_version.empty()) {
    target = {snapshot.helm->airflow_version, "Helm chart"};
  } else if (const int major = infer_major_from_config(snapshot); major != 0) {
    target = {newest_release_of_major(major),
              fmt::format("assumed: the configuration is laid out for Airflow {}", major)};
  } else if (snapshot.api && snapshot.api->reachable && snapshot.api->api_major == 0) {
    target = {newest_release_of_major(3),
              "assumed: the server at the API URL could not be identified as Airflow (use --airflow-version)"};
  } else {
    target = {newest_release_of_major(3), "assumed: no version given or found (use --airflow-version)"};
  }
  ConfigInputs inputs;
  inputs.file = snapshot.cfg ? &*snapshot.cfg : nullptr;
  inputs.env = &snapshot.env;
  inputs.airflow_version = target.version;
  snapshot.config = EffectiveConfig::resolve(inputs);
  register_secrets(snapshot);
}

}  // namespace airguard
