#pragma once
#include <optional>
#include <string>

#include "engine/snapshot.hpp"

namespace airguard {

// The resolve step between collecting and checking: picks the Airflow version every check
// assumes (--airflow-version, then the REST API, the package inventory, the Helm chart, then what
// the configuration's layout shows, else the newest known), then resolves the effective
// configuration for that version.
void finalize_snapshot(Snapshot& snapshot, const std::optional<std::string>& cli_airflow_version);

// Airflow 2 or 3 from the shape of airflow.cfg and AIRFLOW__ variables (0 = no signal).
int infer_major_from_config(const Snapshot& snapshot);

}  // namespace airguard
