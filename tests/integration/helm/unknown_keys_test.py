#!/usr/bin/env python3
"""The real binary on values with keys the chart does not read (AFH-HELM-031), and the chart
version it infers from them.

Usage: unknown_keys_test.py AIRGUARD SOURCE_DIR
"""
import json
import subprocess
import sys

airguard, source = sys.argv[1], sys.argv[2]
values = "tests/golden/inputs/helm/typos.yaml"
failures = []


def scan(*extra):
    result = subprocess.run([airguard, "scan", "-f", values, "--no-advisories", "--format", "json", *extra],
                            cwd=source, capture_output=True, timeout=120)
    if result.returncode not in (0, 1):
        sys.exit(f"scan exited {result.returncode}: {result.stderr.decode(errors='replace')}")
    return json.loads(result.stdout), result.stderr.decode(errors="replace")


def expect(condition, message):
    if not condition:
        failures.append(message)


def unknown_keys(report):
    return {f["key"]: f for f in report["findings"] if f["check"] == "AFH-HELM-031"}


# On chart 1.19.0: the typo, the misplaced key, the key of 1.16-1.18, the community key.
report, _ = scan("--chart-version", "1.19.0")
found = unknown_keys(report)
expect(sorted(found) == ["apiServer.defaultUser", "env[0].nmae", "externalDatabase", "networkpolicies",
                         "webserver.defaultUsr"], f"keys on 1.19.0: {sorted(found)}")
want = {
    "networkpolicies": (4, ["did you mean `networkPolicies`?", "Helm accepts it"]),
    "webserver.defaultUsr": (7, ["did you mean `defaultUser`?", "`helm install` fails"]),
    "apiServer.defaultUser": (10, ["exists in chart 1.16.0, 1.17.0, 1.18.0 but not in 1.19.0", "`helm install` fails"]),
    "externalDatabase": (12, ["community chart airflow-helm/charts"]),
    "env[0].nmae": (22, ["did you mean `name`?"]),
}
for key, (line, words) in want.items():
    finding = found.get(key)
    if finding is None:
        continue
    expect(finding["severity"] == "medium", f"{key}: severity {finding['severity']}")
    expect(finding["location"]["file"] == values and finding["location"]["line"] == line,
           f"{key}: location {finding['location']}")
    for word in words:
        expect(word in finding["evidence"], f"{key}: evidence lacks {word!r}: {finding['evidence']}")
    expect("db.example.com" not in finding["evidence"], f"{key}: evidence shows a value")

# Without --chart-version: apiServer.defaultUser exists only up to 1.18.0 and Airflow 3.1 needs
# 1.17.0 or newer, so the chart is 1.18.0 and that key is no longer reported.
report, _ = scan()
found = unknown_keys(report)
expect("apiServer.defaultUser" not in found and "networkpolicies" in found, f"keys inferred: {sorted(found)}")
notes = [d["message"] for d in report["diagnostics"] if d["message"].startswith("chart version:")]
expect(len(notes) == 1 and "chart 1.18.0, inferred from Airflow 3.1.7" in notes[0]
       and f"apiServer.defaultUser ({values}:10), which exists only in 1.16.0 to 1.18.0" in notes[0],
       f"the inference is not explained: {notes}")

if failures:
    print("\n".join(failures))
    sys.exit(1)
print("ok")
