#pragma once
// A ScanReport with one finding per kind of source, shared by the reporter tests and the golden
// files, so every format is exercised on the same data.
#include <string>

#include "report/report.hpp"

namespace airguard::testing {

inline Finding make_finding(std::string check_id, Severity severity, SourceKind source, std::string key,
                            Origin location) {
  Finding finding;
  finding.check_id = std::move(check_id);
  finding.severity = severity;
  finding.source = source;
  finding.key = std::move(key);
  finding.location = std::move(location);
  finding.airflow_version = "2.10.5";
  finding.airflow_version_source = "--airflow-version";
  return finding;
}

inline ScanReport sample_report() {
  ScanReport report;
  report.tool_version = "0.1.0";
  report.airflow_version = "2.10.5";
  report.airflow_version_source = "--airflow-version";
  report.profile = "production";
  report.fail_on = "high";
  report.scan_root = "deploy";
  report.inputs = {{"cfg", "deploy/airflow.cfg"}, {"env", "deploy/.env"}, {"helm", "deploy/values.yaml"}};
  report.advisory_feed_source = "embedded";
  report.advisory_feed_date = "2025-11-01";
  report.advisory_feed_age_days = 21;

  report.checks = {
      {"AFH-CORE-001",
       "The Fernet key is empty, so connection passwords are stored in clear",
       Severity::critical,
       "Without a Fernet key Airflow stores connection and variable secrets unencrypted in the metadata database.",
       "Generate a Fernet key and set it from a secret.",
       {"https://airflow.apache.org/docs/apache-airflow/stable/security/secrets/fernet.html"},
       {"pci-dss:3.5.1", "gdpr:art32"}},
      {"AFH-HELM-003",
       "The chart creates a default admin user with a known password",
       Severity::high,
       "The chart's default user admin/admin is created on install; anyone who can reach the UI can log in.",
       "Disable webserver.defaultUser and create users another way.",
       {},
       {"pci-dss:2.2.2"}},
      {"AFH-SEC-002",
       "A connection URI carries its password in an environment variable",
       Severity::medium,
       "Environment variables are visible to every process of the user and in crash reports.",
       "Move the connection to a secrets backend.",
       {},
       {}},
      {"AFH-WEB-001",
       "The web UI shows the whole configuration to logged-in users",
       Severity::high,
       "expose_config shows every option, including secrets resolved from commands, to any logged-in user.",
       "Turn expose_config off.",
       {"https://airflow.apache.org/docs/apache-airflow/stable/configurations-ref.html#expose-config"},
       {"pci-dss:2.2.6", "gdpr:art32"}},
      {"AFH-WEB-007",
       "The web server accepts plain HTTP",
       Severity::low,
       "Session cookies and passwords cross the network in clear.",
       "Serve the UI over HTTPS.",
       {},
       {}},
  };

  Finding expose = make_finding("AFH-WEB-001", Severity::high, SourceKind::cfg, "webserver.expose_config",
                                Origin{SourceKind::cfg, "deploy/airflow.cfg", 41, 1, ""});
  expose.title = "The web UI shows the whole configuration to logged-in users";
  expose.evidence = "expose_config = True";
  expose.rationale = report.checks[3].rationale;
  expose.remediation = {"Turn expose_config off.", "deploy/airflow.cfg:41", "[webserver]\nexpose_config = False",
                        "cfg:webserver.expose_config"};
  expose.references = report.checks[3].references;
  expose.tags = report.checks[3].tags;

  Finding fernet = make_finding("AFH-CORE-001", Severity::critical, SourceKind::env, "core.fernet_key",
                                Origin{SourceKind::env, "deploy/.env", 3, 1, "AIRFLOW__CORE__FERNET_KEY"});
  fernet.title = "The Fernet key is empty, so connection passwords are stored in clear";
  fernet.evidence = "AIRFLOW__CORE__FERNET_KEY = (empty)";
  fernet.rationale = report.checks[0].rationale;
  fernet.remediation = {"Generate a Fernet key and set it from a secret.", "deploy/.env (AIRFLOW__CORE__FERNET_KEY)",
                        "AIRFLOW__CORE__FERNET_KEY=<output of: python -c \"from cryptography.fernet import Fernet; "
                        "print(Fernet.generate_key().decode())\">",
                        "env:core.fernet_key"};
  fernet.references = report.checks[0].references;
  fernet.tags = report.checks[0].tags;

  Finding admin = make_finding("AFH-HELM-003", Severity::high, SourceKind::helm, "webserver.defaultUser.enabled",
                               Origin{SourceKind::helm, "", 0, 0, "webserver.defaultUser.enabled"});
  admin.title = "The chart creates a default admin user with a known password";
  admin.provenance = Provenance::chart_default;
  admin.evidence = "webserver.defaultUser.enabled = true (chart default)";
  admin.rationale = report.checks[1].rationale;
  admin.remediation = {"Disable webserver.defaultUser and create users another way.", "values.yaml",
                       "webserver:\n  defaultUser:\n    enabled: false", "helm:webserver.defaultUser"};
  admin.tags = report.checks[1].tags;

  Finding conn = make_finding("AFH-SEC-002", Severity::medium, SourceKind::env, "AIRFLOW_CONN_WAREHOUSE",
                              Origin{SourceKind::env, "deploy/.env", 7, 1, "AIRFLOW_CONN_WAREHOUSE"});
  conn.title = "A connection URI carries its password in an environment variable";
  conn.evidence = "AIRFLOW_CONN_WAREHOUSE = postgresql://etl:****@warehouse/dwh?sslmode=require & <check>";
  conn.rationale = report.checks[2].rationale;
  conn.remediation = {"Move the connection to a secrets backend.", "deploy/.env (AIRFLOW_CONN_WAREHOUSE)", "",
                      "env:AIRFLOW_CONN_WAREHOUSE"};

  Finding http = make_finding("AFH-WEB-007", Severity::low, SourceKind::cfg, "webserver.base_url",
                              Origin{SourceKind::cfg, "deploy/airflow.cfg", 12, 1, ""});
  http.title = "The web server accepts plain HTTP";
  http.evidence = "base_url = http://airflow.example.com:8080";
  http.rationale = report.checks[4].rationale;
  http.remediation = {"Serve the UI over HTTPS.", "deploy/airflow.cfg:12",
                      "[webserver]\nbase_url = https://airflow.example.com", "cfg:webserver.base_url"};
  http.suppressed = true;
  http.suppression_reason = "TLS ends at the ingress; the pod network is private";

  // Deliberately out of order: reporters must sort.
  report.findings = {http, conn, expose, admin, fernet};
  for (Finding& finding : report.findings) finding.fingerprint = fingerprint(finding);

  report.diagnostics.push_back(
      make_warning("deploy/airflow.cfg", 88, "unknown option [core] dags_foldr", "did you mean dags_folder?"));
  return report;
}

}  // namespace airguard::testing
