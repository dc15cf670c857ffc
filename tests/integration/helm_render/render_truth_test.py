#!/usr/bin/env python3
"""What the official chart renders, judged as rendered: each false-alarm class of a key-by-key
reading of values gets a values file here, on charts 1.15.0 and 1.19.0 and for Airflow 2 and 3,
and the real binary must not report it. Each behaviour is cited from the chart's templates
(apache/airflow chart/, commits in data/helm/charts.json). Usage: render_truth_test.py AIRGUARD"""
import json
import os
import subprocess
import sys
import tempfile

AIRGUARD = sys.argv[1]
HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "..", "data", "helm")
failures = []


def scan(values_text, chart, airflow=None, extra=()):
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "values.yaml")
        with open(path, "w") as handle:
            handle.write(values_text)
        args = [AIRGUARD, "scan", "-f", path, "--chart-version", chart, "--no-advisories", "--format", "json",
                "--deterministic", "--today", "2026-12-07", "-q", *extra]
        if airflow:
            args += ["--set-string", f"airflowVersion={airflow}"]
        done = subprocess.run(args, capture_output=True, text=True, timeout=120)
        if done.returncode not in (0, 1):
            failures.append(f"{chart}/{airflow}: exit {done.returncode}: {done.stderr.strip()[:300]}")
            return []
        return json.loads(done.stdout)["findings"]


def expect_none(name, findings, predicate):
    bad = [f for f in findings if predicate(f)]
    for f in bad:
        failures.append(f"{name}: unexpected {f['check']} {f['key']}: {f['evidence']}")


def expect_some(name, findings, predicate):
    if not any(predicate(f) for f in findings):
        failures.append(f"{name}: expected a finding, got {[f['check'] for f in findings]}")


HYGIENE = {"AFH-CFG-002", "AFH-CFG-005", "AFH-CFG-006", "AFH-CFG-007", "AFH-CFG-008", "AFH-CFG-010", "AFH-CFG-011",
           "AFH-CFG-012"}
COMBOS = [("1.15.0", "2.9.3"), ("1.19.0", "2.10.5"), ("1.19.0", "3.1.7"), ("1.20.0-dev", "3.1.8")]

for chart, airflow in COMBOS:
    tag = f"chart {chart}, Airflow {airflow}"
    # Chart defaults only. statsd_host is `{{ printf "%s-statsd" (include "airflow.fullname" .) }}`,
    # rendered by tpl (templates/configmaps/configmap.yaml) to a host name, never a % interpolation.
    # The chart writes old and new names side by side ([scheduler]/[metrics] statsd_*, [core]/[logging],
    # [kubernetes]/[kubernetes_executor], [webserver]/[fab] enable_proxy_fix, rbac, run_duration) and
    # sets AIRFLOW__CORE__ and AIRFLOW__DATABASE__SQL_ALCHEMY_CONN from one Secret (_helpers.yaml).
    empty = scan("{}\n", chart, airflow)
    expect_none(f"{tag}: chart-written names", empty, lambda f: f["check"] in HYGIENE)
    # AIRFLOW__API_AUTH__JWT_SECRET and AIRFLOW__API__SECRET_KEY are set only for Airflow >= 3.0.0
    # (standard_airflow_environment, 1.18.0 48ae6af196, 1.19.0 f17d6ffb05).
    expect_none(f"{tag}: env the chart does not set", empty,
                lambda f: "JWT_SECRET" in f["key"] or "JWT_SECRET" in f["evidence"])
    # Pods run as uid 50000 through airflowPodSecurityContext; the container helper keeps
    # allowPrivilegeEscalation false.
    expect_none(f"{tag}: security-context helpers", empty, lambda f: f["check"] in ("AFH-HELM-014", "AFH-HELM-017"))
    # CeleryExecutor (the default): workers keep task logs on their own volume (workers.persistence).
    expect_none(f"{tag}: worker log volume", empty, lambda f: f["check"] == "AFH-HELM-026")
    # The database URL the chart builds from data.metadataConnection: one cause, reported by the
    # Helm checks on the values (AFH-HELM-009/010), not again on the variables it sets.
    expect_none(f"{tag}: database URL duplicates", empty,
                lambda f: f["check"] in ("AFH-TLS-002", "AFH-SEC-009", "AFH-HELM-006"))
    # With the bundled PostgreSQL (no TLS there) the cause is the bundled database (AFH-HELM-009).
    expect_none(f"{tag}: sslmode on the bundled database", empty, lambda f: f["check"] == "AFH-HELM-007")
    external = scan("postgresql:\n  enabled: false\ndata:\n  metadataConnection:\n    host: db.internal\n",
                    chart, airflow)
    expect_some(f"{tag}: sslmode disable to an external database", external, lambda f: f["check"] == "AFH-HELM-007")
    expect_none(f"{tag}: external database URL duplicates", external,
                lambda f: f["check"] in ("AFH-TLS-002", "AFH-SEC-009"))
    # Flower is off by default: no Flower finding of any kind.
    expect_none(f"{tag}: Flower off", empty, lambda f: f["check"] in ("AFH-EXEC-001", "AFH-HELM-012"))
    # Every finding says whose value it is.
    expect_none(f"{tag}: provenance", empty,
                lambda f: f.get("provenance") not in ("user", "chart-default", "airflow-default"))
    # (airflowVersion is given with --set-string here, so the version finding is the user's.)
    expect_none(f"{tag}: nothing of the user's in an empty file", empty,
                lambda f: f["provenance"] == "user" and f["check"] != "AFH-VER-002")

    # A copy of the chart's own values.yaml for that version is not the user's hygiene problem either.
    with open(os.path.join(DATA, f"values-{chart}.json")) as handle:
        defaults = json.load(handle)
    defaults = defaults.get("values", defaults)
    copied = scan(json.dumps(defaults, indent=1) + "\n", chart, airflow)
    expect_none(f"{tag}: copied values.yaml", copied, lambda f: f["check"] in HYGIENE)

    # Pass-through sections: conf.getsection("elasticsearch_configs") goes to the client library.
    passed = scan("config:\n  elasticsearch_configs:\n    http_compress: 'True'\n    ca_certs: /etc/es/ca.pem\n",
                  chart, airflow)
    expect_none(f"{tag}: elasticsearch_configs", passed, lambda f: f["check"] == "AFH-CFG-007")

    # A credentials *file path* is not a secret written in the values.
    path_env = scan("extraEnv: |\n  - name: GOOGLE_APPLICATION_CREDENTIALS\n    value: /var/secrets/google/key.json\n",
                    chart, airflow)
    expect_none(f"{tag}: credentials path", path_env, lambda f: f["check"] == "AFH-HELM-022")

    # With a Kubernetes executor the webserver / API server read task-pod logs with their token.
    k8s = scan("executor: KubernetesExecutor\n", chart, airflow)
    expect_none(f"{tag}: log reader token", k8s,
                lambda f: f["check"] == "AFH-HELM-020" and f["key"].split(".")[0] in ("webserver", "apiServer"))

    # A user who writes an old name with the value the new name already has changes nothing.
    same = scan("config:\n  webserver:\n    enable_proxy_fix: 'True'\n", chart, airflow)
    expect_none(f"{tag}: old name equal to new", same, lambda f: f["check"] in HYGIENE)

# An old name that differs from the new one is reported: Airflow 3 never reads [webserver].
differs = scan("config:\n  webserver:\n    enable_proxy_fix: 'False'\n", "1.19.0", "3.1.7")
expect_some("old name that differs", differs,
            lambda f: f["check"] == "AFH-CFG-005" and "[webserver] enable_proxy_fix" in f["evidence"])

# The create-user job (templates/jobs/create-user-job.yaml): up to 1.18 switched by
# webserver.defaultUser.enabled; from 1.19 also by createUserJob.enabled, and
# createUserJob.defaultUser has no `enabled` key.
def admin(findings):
    return [f for f in findings if f["check"] == "AFH-HELM-001"]


still = scan("createUserJob:\n  defaultUser:\n    enabled: false\n", "1.19.0")
if not admin(still):
    failures.append("1.19.0: createUserJob.defaultUser.enabled: false must not pass as 'no default admin'")
elif "createUserJob:\n  enabled: false" not in admin(still)[0]["remediation"]["snippet"]:
    failures.append(f"1.19.0: the fix must turn createUserJob.enabled off: {admin(still)[0]['remediation']}")
if admin(scan("createUserJob:\n  enabled: false\n", "1.19.0")):
    failures.append("1.19.0: createUserJob.enabled: false turns the job off")
# The 1.20 line: a set webserver.defaultUser decides alone (createUserJob.isEnabled, 0a307cce79).
if admin(scan("webserver:\n  defaultUser:\n    enabled: false\n", "1.20.0-dev")):
    failures.append("1.20.0-dev: webserver.defaultUser.enabled: false turns the job off")
if not admin(scan("webserver:\n  defaultUser:\n    enabled: false\n    username: admin\n    password: admin\n",
                  "1.19.0")):
    failures.append("1.19.0: createUserJob.enabled (default true) still runs the job with webserver.defaultUser's admin")
if admin(scan("webserver:\n  defaultUser:\n    enabled: false\n", "1.15.0")):
    failures.append("1.15.0: webserver.defaultUser.enabled: false turns the job off")
if not admin(scan("createUserJob:\n  enabled: false\n", "1.15.0")):
    failures.append("1.15.0: createUserJob.enabled does not exist there; the default admin stays")

# An empty values file per chart version, with the chart's default Airflow: every finding is the
# chart's or Airflow's default, and each is justified here against the chart's own templates.
EMPTY_COMMON = {
    # create-user job on by default with admin/admin and role Admin (jobs/create-user-job.yaml).
    "AFH-HELM-001",
    # fernetKey and fernetKeySecretName null: a random key in a pre-install hook Secret (secrets/fernetkey-secret.yaml).
    "AFH-HELM-005",
    # postgresql.enabled: true, the bundled Bitnami subchart (Chart.yaml dependency, condition postgresql.enabled),
    # reached with data.metadataConnection.sslmode: disable (its TLS is the external database's fix).
    "AFH-HELM-009",
    # postgresql.auth.postgresPassword: postgres (values.yaml).
    "AFH-HELM-010",
    # networkPolicies.enabled: false (values.yaml; templates/*/…-networkpolicy.yaml render only when true).
    "AFH-HELM-013",
    # No readOnlyRootFilesystem and no seccompProfile in the security-context helpers (_helpers.yaml).
    "AFH-HELM-015", "AFH-HELM-016",
    # serviceAccount.automountServiceAccountToken: true for redis, statsd, the jobs... (values.yaml).
    "AFH-HELM-020",
    # images.airflow.digest empty: pulled by tag only (airflow_image helper).
    "AFH-HELM-021",
    # allowPodLaunching: true with the default CeleryExecutor (rbac/pod-launcher-role.yaml).
    "AFH-HELM-025",
    # Airflow's own defaults the chart does not override: 30-day UI sessions, cookie_secure False.
    "AFH-AUTH-013", "AFH-WEB-005",
}
EMPTY_EXPECTED = {
    # Airflow 2.9.3 and 2.10.5: past end of life (2026-04-22); the webserver secret key is rendered
    # randomly on every upgrade (secrets/webserver-secret-key-secret.yaml, not a hook).
    "1.15.0": EMPTY_COMMON | {"AFH-VER-002", "AFH-HELM-004"},
    "1.16.0": EMPTY_COMMON | {"AFH-VER-002", "AFH-HELM-004"},
    # Airflow 3.0.2: API secret key (1.18+) and JWT secret random on every render; day-long JWTs.
    "1.17.0": EMPTY_COMMON | {"AFH-HELM-004", "AFH-AUTH-015"},
    # From 1.18 the config map computes execution_api_server_url = http://<release>-api-server:8080/execution/.
    "1.18.0": EMPTY_COMMON | {"AFH-HELM-004", "AFH-AUTH-015", "AFH-TLS-007"},
    "1.19.0": EMPTY_COMMON | {"AFH-HELM-004", "AFH-AUTH-015", "AFH-TLS-007"},
    "1.20.0-dev": EMPTY_COMMON | {"AFH-HELM-004", "AFH-AUTH-015", "AFH-TLS-007"},
}
for chart, expected in EMPTY_EXPECTED.items():
    got = {f["check"] for f in scan("{}\n", chart)}
    if got != expected:
        failures.append(f"empty values on {chart}: unexpected {sorted(got - expected)}, missing {sorted(expected - got)}")

# Masking is of whole values: a short password `pass` leaves words and file names that contain it
# alone (Airflow's own masker skips values under its minimum length the same way).
with tempfile.TemporaryDirectory() as tmp:
    values_path = os.path.join(tmp, "pass-bug.yaml")
    with open(values_path, "w") as handle:
        handle.write("postgresql:\n  enabled: false\ndata:\n  metadataConnection:\n    user: airflow\n    pass: pass\n"
                     "    host: db.internal\n")
    text = subprocess.run([AIRGUARD, "scan", "-f", values_path, "--no-advisories", "--color", "never",
                           "--chart-version", "1.19.0"], capture_output=True, text=True, timeout=120).stdout
    if "****word" in text or "****-bug" in text or "pass-bug.yaml" not in text or "password" not in text:
        failures.append("a short secret garbles words or file names that contain it")

# The hardened file scans clean at medium and above under the production profile.
with open(os.path.join(HERE, "hardened-1.19.0.yaml")) as handle:
    hardened = scan(handle.read(), "1.19.0", None, ("--profile", "production"))
expect_none("hardened 1.19.0 (production)", hardened, lambda f: f["severity"] in ("medium", "high", "critical"))

if failures:
    print("\n".join(failures))
    sys.exit(1)
print(f"ok: {len(COMBOS)} chart/Airflow pairs, every false-alarm class absent, the hardened file clean")
