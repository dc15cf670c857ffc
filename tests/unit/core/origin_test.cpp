#include <catch2/catch.hpp>

#include "core/origin.hpp"

using namespace airguard;

TEST_CASE("provenance: a value with a file is the user's, a Helm value without one is the chart's") {
  Origin user_values{SourceKind::helm, "values.yaml", 12, 3, "fernetKey"};
  CHECK(provenance_of(user_values) == Provenance::user);

  Origin chart_default{SourceKind::helm, "", 0, 0, "networkPolicies.enabled"};
  CHECK(provenance_of(chart_default) == Provenance::chart_default);

  Origin set_flag{SourceKind::helm, "--set", 0, 0, "flower.enabled"};
  CHECK(provenance_of(set_flag) == Provenance::user);

  Origin airflow_default{SourceKind::default_value, "", 0, 0, "Airflow 3.1.0"};
  CHECK(provenance_of(airflow_default) == Provenance::airflow_default);

  // A variable the chart sets from values nobody wrote is the chart's; from written values, the user's.
  Origin chart_variable{SourceKind::env, "", 0, 0, "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"};
  CHECK(provenance_of(chart_variable) == Provenance::user);  // the process environment
  chart_variable.chart_wrote = true;
  CHECK(provenance_of(chart_variable) == Provenance::chart_default);
  chart_variable.file = "values.yaml";
  chart_variable.line = 40;
  CHECK(provenance_of(chart_variable) == Provenance::user);

  CHECK(to_string(Provenance::chart_default) == "chart-default");
  CHECK(to_string(Provenance::airflow_default) == "airflow-default");
  CHECK(to_string(Provenance::user) == "user");
}
