#!/usr/bin/env python3
"""Runs one self-contained golden case against the real airguard binary.

A case file holds the command, the expected exit status and the expected output:

    # args: scan examples/airflow2-insecure --airflow-version 2.10.5 --deterministic --today 2026-11-22 -q
    # exit: 1
    # stream: stdout            (optional: stdout (default) or stderr)
    ---
    <expected output, byte for byte>

Arguments are split like a POSIX shell would (shlex) and run from the repository root.
With AIRGUARD_UPDATE_GOLDEN=1 the expected part is rewritten instead of compared.
Usage: run_golden.py AIRGUARD_BINARY SOURCE_DIR CASE_FILE
"""
import difflib
import os
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
    for line in header.splitlines():
        if line.startswith("# ") and ":" in line:
            key, _, value = line[2:].partition(":")
            fields[key.strip()] = value.strip()
    args = shlex.split(fields.get("args", ""))
    want_exit = int(fields.get("exit", "0"))
    stream = fields.get("stream", "stdout")
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.path.join(source_dir, "tests", "golden", "no-home"),
           "LC_ALL": "C.UTF-8", "XDG_CACHE_HOME": os.path.join(source_dir, "tests", "golden", "no-cache")}
    result = subprocess.run([binary] + args, cwd=source_dir, env=env, capture_output=True, timeout=120)
    actual = (result.stdout if stream == "stdout" else result.stderr).decode("utf-8", "replace")
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
