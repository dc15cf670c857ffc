#!/usr/bin/env python3
"""Every official-chart values file of the shared corpus, judged as the chart renders it: no
finding on a name the chart writes, no finding on the chart's own statsd template, no duplicate
database-URL finding, every finding with its provenance. Prints the per-file table of findings at
medium and above by provenance (the figures docs/helm.md quotes). Exit 77 (skip) without the corpus.
Usage: rendered_test.py AIRGUARD SHARED_DIR"""
import collections
import glob
import json
import os
import subprocess
import sys

airguard = sys.argv[1]
shared = os.environ.get("AIRGUARD_SHARED_DIR") or sys.argv[2]
corpus = os.path.join(shared, "corpus", "helm-official")
files = sorted(glob.glob(os.path.join(corpus, "*.yaml")))
if not files:
    print(f"skipped: no Helm corpus under {corpus}")
    sys.exit(77)

HYGIENE = {"AFH-CFG-002", "AFH-CFG-005", "AFH-CFG-006", "AFH-CFG-007", "AFH-CFG-008", "AFH-CFG-010", "AFH-CFG-012"}
failures = []
totals = collections.Counter()
print("| file | medium+ | user | chart default | Airflow default |")
for path in files:
    done = subprocess.run([airguard, "scan", "-f", path, "--no-advisories", "--format", "json", "--deterministic",
                           "--today", "2026-12-07", "-q"], capture_output=True, text=True, timeout=300)
    name = os.path.basename(path)
    if done.returncode == 2:
        print(f"| {name} | refused: {done.stderr.strip()[:80]} | | | |")
        continue
    if done.returncode not in (0, 1, 3):
        failures.append(f"{name}: exit {done.returncode}")
        continue
    findings = json.loads(done.stdout)["findings"]
    for f in findings:
        if f.get("provenance") not in ("user", "chart-default", "airflow-default"):
            failures.append(f"{name}: {f['check']} has no provenance")
        if f["check"] in HYGIENE and f["provenance"] != "user":
            failures.append(f"{name}: {f['check']} on a name the chart writes: {f['key']}")
        if f["check"] == "AFH-CFG-002" and "statsd" in f["key"]:
            failures.append(f"{name}: the chart's statsd_host template read as an interpolation")
        if f["check"] in ("AFH-SEC-009",) and f["key"] == "AIRFLOW_CONN_AIRFLOW_DB":
            failures.append(f"{name}: the chart's AIRFLOW_CONN_AIRFLOW_DB judged apart from data.metadataConnection")
        if f["check"] == "AFH-HELM-014":
            failures.append(f"{name}: AFH-HELM-014 although no corpus file runs as uid 0")
    high = [f for f in findings if f["severity"] in ("medium", "high", "critical")]
    count = collections.Counter(f["provenance"] for f in high)
    totals.update(count)
    totals["all"] += len(high)
    print(f"| {name} | {len(high)} | {count['user']} | {count['chart-default']} | {count['airflow-default']} |")
print(f"| total | {totals['all']} | {totals['user']} | {totals['chart-default']} | {totals['airflow-default']} |")
if failures:
    print("\n".join(failures))
    sys.exit(1)
