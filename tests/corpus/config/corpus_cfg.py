#!/usr/bin/env python3
"""Corpus test: every airflow.cfg in $AIRGUARD_SHARED_DIR/corpus/cfg goes through `airguard config`.

Usage: corpus_cfg.py DRIVER SOURCE_DIR
No file may crash the reader; files CPython's configparser refuses must be refused with the same
line; for the others every option must resolve as the oracle resolves it. Exits 77 (skip) when
the corpus is absent.
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "differential", "config"))
import airflow_oracle as oracle  # noqa: E402


def main():
    driver, source_dir = sys.argv[1], sys.argv[2]
    shared = os.environ.get("AIRGUARD_SHARED_DIR", os.path.join(source_dir, "..", "shared"))
    corpus = os.path.join(shared, "corpus", "cfg")
    if not os.path.isdir(corpus):
        print(f"SKIP: no corpus at {corpus} (set AIRGUARD_SHARED_DIR)")
        return 77
    version = "2.10.5"
    catalog = oracle.Catalog(source_dir, version)
    env = {"HOME": "/home/airflow", "AIRFLOW_HOME": "/opt/airflow"}
    failures, refused, files = [], 0, 0
    for name in sorted(os.listdir(corpus)):
        path = os.path.join(corpus, name)
        if not os.path.isfile(path):
            continue
        files += 1
        run = subprocess.run([driver, "config", "--airflow-cfg", path, "--env", "--airflow-version", version, "--all",
                              "--show-secrets", "--format", "json"], env=env, capture_output=True)
        if run.returncode < 0 or run.returncode not in (0, 2):
            failures.append(f"{name}: driver exit {run.returncode}")
            continue
        try:
            parser = oracle.read_cfg(path)
        except oracle.ReadError as e:
            refused += 1
            first = run.stderr.decode("utf-8", "replace").splitlines()[:1]
            if run.returncode != 2 or not first or not first[0].startswith(f"{path}:{e.line}:"):
                failures.append(f"{name}: Python refuses it ({e.what}, line {e.line}); airguard: {first}")
            continue
        if run.returncode != 0:
            failures.append(f"{name}: Python reads it; airguard exits {run.returncode}")
            continue
        got = {(o["section"], o["key"]): o for o in json.loads(run.stdout)["options"]}
        for key, (source, value, error) in oracle.resolve(catalog, parser, env).items():
            mine = got.get(key)
            if mine is None or mine["source"] != source or (not error and mine["value"] != value):
                failures.append(f"{name}: [{key[0]}] {key[1]}: python {source}; airguard "
                                f"{mine and mine['source']}")
                break
    print(f"{files} corpus files, {refused} refused by configparser, {len(failures)} disagreements")
    for failure in failures[:30]:
        print("MISMATCH", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
