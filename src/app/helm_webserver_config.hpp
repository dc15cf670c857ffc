#pragma once
#include <string>
#include <string_view>

#include "core/diagnostic.hpp"
#include "sources/helm/helm_values.hpp"

// The webserver_config.py the official chart mounts from its values, and which component reads it.
namespace airguard {

struct EmbeddedWebserverChoice {
  std::string key;        // the values key judged: "webserver.webserverConfig", "apiServer.apiServerConfig", "" = none
  std::string component;  // "webserver" (Airflow 2) or "API server" (Airflow 3)
  std::string airflow_version;  // the chart's airflowVersion the choice was made by
  Diagnostics notes;            // keys the chart ignores here, ConfigMaps whose content is not in the values
};

// Pure: decides, as the chart's templates do for its version and airflowVersion, which embedded
// webserver config the UI component mounts at $AIRFLOW_HOME/webserver_config.py. `airflow_version`
// (--airflow-version) stands in for airflowVersion when the values name no version at all.
EmbeddedWebserverChoice choose_embedded_webserver_config(const HelmValues& values,
                                                         std::string_view airflow_version = {});

}  // namespace airguard
