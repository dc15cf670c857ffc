#!/usr/bin/env python3
"""Runs one self-contained golden case against the real airguard binary.

A case file holds the command, the expected exit status and the expected output:

    # args: scan examples/airflow2-insecure --airflow-version 2.10.5 --deterministic --today 2026-11-22 -q
    # exit: 1
    # stream: stdout            (optional: stdout (default) or stderr)
    ---
    <expected output, byte for byte>

Arguments are split like a POSIX shell would (shlex) and run from the repository root.
Optional header lines:
    # server: SCENARIO          start tests/integration/api's fake Airflow server first; {URL} in the
                                args is its address, and the address is written {URL} in the output
    # env: NAME=VALUE           set in airguard's environment (repeatable)
With AIRGUARD_UPDATE_GOLDEN=1 the expected part is rewritten instead of compared.
Usage: run_golden.py AIRGUARD_BINARY SOURCE_DIR CASE_FILE [FAKE_SERVER_BINARY]
"""
import difflib
import os
import re
import shlex
import subprocess
import sys


def main() -> int:
    binary, source_dir, case_path = sys.argv[1:4]
    with open(case_path, encoding="utf-8") as handle:
        text = handle.read()
    header, sep, expected = text.partition("---\n")
    if not sep:
        print(f"{case_path}: no '---' line between header and expected output", file=sys.stderr)
        return 2
    fields = {}
    extra_env = {}
    for line in header.splitlines():
        if line.startswith("# ") and ":" in line:
            key, _, value = line[2:].partition(":")
            if key.strip() == "env":
                name, _, val = value.strip().partition("=")
                extra_env[name] = val
            else:
                fields[key.strip()] = value.strip()
    server = None
    url = None
    if "server" in fields:
        if len(sys.argv) < 5:
            print(f"{case_path}: needs the fake server binary", file=sys.stderr)
            return 2
        server = subprocess.Popen([sys.argv[4], fields["server"]], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        url = server.stdout.readline().decode().split()[0]
    args = shlex.split(fields.get("args", "").replace("{URL}", url or "{URL}"))
    want_exit = int(fields.get("exit", "0"))
    stream = fields.get("stream", "stdout")
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.path.join(source_dir, "tests", "golden", "no-home"),
           "LC_ALL": "C.UTF-8", "XDG_CACHE_HOME": os.path.join(source_dir, "tests", "golden", "no-cache")}
    env.update(extra_env)
    try:
        result = subprocess.run([binary] + args, cwd=source_dir, env=env, capture_output=True, timeout=120)
    finally:
        if server:
            server.stdin.close()
            server.wait(timeout=30)
    actual = (result.stdout if stream == "stdout" else result.stderr).decode("utf-8", "replace")
    if url:
        # The server's port changes every run, and so do fingerprints that include its URL.
        actual = actual.replace(url, "{URL}").replace(url.split("://")[1], "{HOST}")
        actual = re.sub(r'("fingerprint"|"airguard/v1"|"primaryLocationLineHash"): "[0-9a-f]{16}"', r'\1: "{FINGERPRINT}"', actual)
    if os.environ.get("AIRGUARD_UPDATE_GOLDEN") == "1":
        with open(case_path, "w", encoding="utf-8") as handle:
            handle.write(header + sep + actual)
        if result.returncode != want_exit:
            print(f"note: exit status is {result.returncode}, the case says {want_exit}", file=sys.stderr)
        return 0
    ok = True
    if result.returncode != want_exit:
        print(f"exit status {result.returncode}, expected {want_exit}", file=sys.stderr)
        print(result.stderr.decode("utf-8", "replace"), file=sys.stderr)
        ok = False
    if actual != expected:
        diff = difflib.unified_diff(expected.splitlines(True), actual.splitlines(True), "expected", "actual")
        sys.stderr.writelines(diff)
        print(f"\n{case_path}: output differs (scripts/update-golden regenerates it)", file=sys.stderr)
        ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
