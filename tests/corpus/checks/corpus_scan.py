#!/usr/bin/env python3
"""Scan every airflow.cfg and compose/env file of the shared corpus with the real airguard binary.

Asserts, per file: the scan finishes (exit 0 or 1; 2 only for files listed in refused.tsv, which
Airflow itself would refuse to read), the JSON report parses, and no secret written in the input
appears anywhere in stdout or stderr. Exits 77 (skipped) when the corpus is absent.

  corpus_scan.py --airguard PATH [--shared-dir DIR] [--table FILE]

--table writes a Markdown table of how often each check fired (used for docs/checks.md).
"""
import argparse
import collections
import csv
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# Values kept in the corpus because they are published defaults or placeholders; they are common
# words that may legitimately appear in a report (check titles, option names).
PUBLIC_VALUES = {
    "airflow", "postgres", "admin", "root", "password", "pass", "pwd", "insecure", "temporary_key",
    "this is unsafe!", "secret", "changeme", "change_me", "example", "test", "user", "guest", "redis",
    "mysql", "true", "false", "none", "null", "default",
}

SENSITIVE_KEY = re.compile(
    r"(?i)^(fernet_key|secret_key|jwt_secret|internal_api_secret_key|smtp_password|sentry_dsn|flower_basic_auth|"
    r"backend_kwargs|secrets_backend_kwargs|password|AIRFLOW__[A-Z_]*(FERNET_KEY|SECRET_KEY|JWT_SECRET|PASSWORD|"
    r"SENTRY_DSN|FLOWER_BASIC_AUTH)|[A-Z_]*(PASSWORD|PASSWD|SECRET|TOKEN|API_KEY))$")
URI_PASSWORD = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*://[^:/?#@\s]*:([^@/\s]+)@")
JSON_SECRET = re.compile(r"(?i)\"(?:password|token|secret|secret_id|client_secret|api_key)\"\s*:\s*\"([^\"]+)\"")
ASSIGNMENT = re.compile(r"^\s*-?\s*\"?([A-Za-z_][A-Za-z0-9_.]*)\"?\s*[:=]\s*(.*?)\s*$")


def target_version(guess):
    """The Airflow version to assume for a corpus file, from the manifest's generation guess."""
    exact = re.search(r"\b([23])\.(\d+)\.(\d+)\b", guess)
    if exact:
        return exact.group(0)
    m = re.match(r"\s*(\d+)\.(\d+|x)", guess)
    if not m:
        return "2.10.5"
    major = int(m.group(1))
    minor = -1 if m.group(2) == "x" else int(m.group(2))
    if major < 2 or (major == 2 and 0 <= minor < 7):
        return "2.7.3"  # the oldest option table airguard ships
    if major == 2:
        return "2.10.5"
    return {0: "3.0.0", 1: "3.1.0", 2: "3.2.0"}.get(minor, "3.1.0")


def secrets_in(text):
    """Secret values written in an input file: URI passwords, JSON secrets, sensitive assignments."""
    found = set()
    for line in text.splitlines():
        if line.lstrip().startswith(("#", ";")):
            continue
        for m in URI_PASSWORD.finditer(line):
            found.add(m.group(1))
        for m in JSON_SECRET.finditer(line):
            found.add(m.group(1))
        m = ASSIGNMENT.match(line)
        if m and SENSITIVE_KEY.match(m.group(1)):
            value = m.group(2).strip().strip("'\"")
            if value and "://" not in value and not value.startswith(("$", "{", "<")):
                found.add(value)
    return {s for s in found if len(s) >= 8 and s.lower() not in PUBLIC_VALUES and not s.startswith("$")}


def load_list(name):
    path = os.path.join(HERE, name)
    entries = {}
    if os.path.exists(path):
        with open(path, encoding="utf-8") as handle:
            for row in csv.reader(handle, delimiter="\t"):
                if row and not row[0].startswith("#"):
                    entries[row[0]] = row[1] if len(row) > 1 else ""
    return entries


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--airguard", required=True)
    parser.add_argument("--shared-dir", default=os.environ.get("AIRGUARD_SHARED_DIR"))
    parser.add_argument("--table")
    args = parser.parse_args()

    shared = args.shared_dir or os.path.join(HERE, "..", "..", "..", "..", "shared")
    corpus = os.path.join(shared, "corpus")
    if not os.path.isdir(os.path.join(corpus, "cfg")):
        print(f"SKIP: no corpus at {corpus} (set AIRGUARD_SHARED_DIR)")
        return 77

    guesses = {}
    manifest = os.path.join(corpus, "MANIFEST.tsv")
    if os.path.exists(manifest):
        with open(manifest, encoding="utf-8") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                guesses[row["file"]] = row.get("airflow_generation_guess", "")

    refused = load_list("refused.tsv")
    failures = []
    fired = collections.Counter()
    files_fired = collections.defaultdict(set)
    scanned = 0
    for kind in ("cfg", "compose-env"):
        folder = os.path.join(corpus, kind)
        for name in sorted(os.listdir(folder)):
            path = os.path.join(folder, name)
            rel = f"{kind}/{name}"
            version = target_version(guesses.get(rel, ""))
            if kind == "cfg":
                source = ["--airflow-cfg", path]
            elif name.endswith((".yml", ".yaml")):
                source = ["--compose", path]
            else:
                source = ["--env-file", path]
            command = [args.airguard, "scan", *source, "--airflow-version", version, "--format", "json",
                       "--no-advisories", "--profile", "production"]
            run = subprocess.run(command, capture_output=True, text=True, errors="replace", timeout=120)
            scanned += 1
            expected = {0, 1} | ({2} if rel in refused else set())
            if run.returncode not in expected:
                failures.append(f"{rel}: exit {run.returncode} (expected {sorted(expected)}): {run.stderr.strip()[:300]}")
                continue
            if rel in refused and run.returncode != 2:
                failures.append(f"{rel}: listed in refused.tsv but exit {run.returncode}")
            with open(path, encoding="utf-8", errors="replace") as handle:
                secrets = secrets_in(handle.read())
            for secret in secrets:
                if secret in run.stdout or secret in run.stderr:
                    failures.append(f"{rel}: a secret from the input appears in the output ({secret[:2]}...)")
            if run.returncode == 2:
                continue
            try:
                report = json.loads(run.stdout)
            except json.JSONDecodeError as error:
                failures.append(f"{rel}: report is not JSON ({error})")
                continue
            for finding in report.get("findings", []):
                check = finding.get("check") or finding.get("check_id")
                fired[check] += 1
                files_fired[check].add(rel)

    if args.table:
        with open(args.table, "w", encoding="utf-8") as out:
            out.write("| check | findings | files |\n|---|---|---|\n")
            for check, count in sorted(fired.items(), key=lambda kv: (-len(files_fired[kv[0]]), kv[0])):
                out.write(f"| {check} | {count} | {len(files_fired[check])} |\n")

    print(f"scanned {scanned} corpus files, {sum(fired.values())} findings from {len(fired)} checks")
    for failure in failures:
        print("FAIL:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
