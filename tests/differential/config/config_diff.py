#!/usr/bin/env python3
"""Differential test: `airguard config` against CPython's configparser with Airflow's lookup order.

Usage: config_diff.py DRIVER SOURCE_DIR [CASES]
Generates CASES (default 400) airflow.cfg files and environments covering every construct the
reader and the resolver handle, resolves each with the driver (`config --all --format json`) and
with the oracle (airflow_oracle.py), and fails on the first disagreement it reports.
"""
import json
import os
import random
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import airflow_oracle as oracle  # noqa: E402

VERSIONS = ["2.7.3", "2.8.4", "2.9.3", "2.10.5", "2.11.0", "2.11.1", "3.0.0", "3.0.2", "3.0.4", "3.1.0", "3.1.8",
            "3.2.0"]
NAMES = ["HOME", "AIRFLOW_HOME", "DB_HOST", "PASSWORD", "EMPTY", "X"]


def pick_value(rng, section_keys):
    choices = [
        lambda: rng.choice(["True", "False", "1", "0", "yes", "t", "LocalExecutor", ""]),
        lambda: "postgresql://user:pa;ss@db/af ; prod db",
        lambda: "s3cret ;tail",
        lambda: "abc #x",
        lambda: "100%%",
        lambda: "[%%(asctime)s] %%(message)s",
        lambda: "100%",  # lone percent: an error at lookup
        lambda: "%(" + (rng.choice(section_keys) if section_keys else "missing") + ")s/suffix",
        lambda: "%(nosuchkey)s",
        lambda: "%(bad",
        lambda: "$DB_HOST:5432/${DB_HOST}/$NOT_SET/${}",
        lambda: "~/dags",
        lambda: "~nosuchuser12345/dags",
        lambda: "$HOME/x/~",
        lambda: "\"quoted\"",
        lambda: "caf\u00e9 \u2028 unicode",
        lambda: "p" * rng.randint(150, 400) + " injected_key = evil",
        lambda: "a:b = c",
        lambda: "{\"a\": 1,\n    \"b\": 2}",
        lambda: "first\n\n    # comment inside\n    ; another\n\n    second\n\n",
        lambda: "x" * 3 + "\t\ttabbed",
    ]
    return rng.choice(choices)()


def make_case(rng, catalog_by_version):
    version = rng.choice(VERSIONS)
    catalog = catalog_by_version[version]
    known = sorted(catalog.options)
    sensitive = [k for k in known if catalog.options[k]["sensitive"]]
    olds = [(r[2], r[3]) for r in catalog.renames]
    sections = {}
    section_order = []

    def add(section, key, value):
        if section not in sections:
            sections[section] = []
            section_order.append(section)
        sections[section].append((key, value))

    for _ in range(rng.randint(0, 14)):
        kind = rng.random()
        if kind < 0.35:
            s, k = rng.choice(known)
        elif kind < 0.5 and sensitive:
            s, k = rng.choice(sensitive)
            k = k + rng.choice(["", "_cmd", "_secret"])
        elif kind < 0.62 and olds:
            s, k = rng.choice(olds)
        elif kind < 0.7:
            s, k = rng.choice(known)
            k = k + rng.choice(["_cmd", "_secret"])
        elif kind < 0.78:
            s, k = "DEFAULT", rng.choice(["host", "secret_key", "dags_folder", "expose_config", "fernet_key"])
        elif kind < 0.86:
            s, k = rng.choice(known)
            s, k = rng.choice([(s.upper(), k), (s, k.upper()), (s, k.capitalize())])
        else:
            s, k = rng.choice([("core", "no_such_option"), ("nosuchsection", "x"), ("kubernetes", "namespace"),
                               ("webserver", "authenticate"), ("core", "executr")])
        keys = [key for key, _ in sections.get(s, [])] + [key for key, _ in sections.get("DEFAULT", [])]
        add(s, k, pick_value(rng, keys))
    # render
    lines = []
    if rng.random() < 0.3:
        lines.append("# generated case")
    for section in section_order:
        lines.append(rng.choice(["[%s]", "[%s] ; comment", "  [%s]"]) % section)
        seen = set()
        for key, value in sections[section]:
            if key in seen and rng.random() < 0.9:
                continue  # duplicates only sometimes
            seen.add(key)
            delim = rng.choice([" = ", "=", " : ", ":", "\t=\t"])
            indent = rng.choice(["", "", "", "  "])
            first, *rest = value.split("\n")
            lines.append(f"{indent}{key}{delim}{first}")
            for more in rest:
                lines.append(more if not more.strip() or more.strip()[0] in "#;" else (indent + "    " + more.strip()))
            if rng.random() < 0.1:
                lines.append("")
    r = rng.random()
    if r < 0.04:
        lines.insert(rng.randint(0, len(lines)), "just_a_word")
    elif r < 0.06:
        lines.insert(rng.randint(0, len(lines)), "= empty key")
    elif r < 0.08 and section_order:
        lines.append("[" + section_order[0] + "]")
    elif r < 0.1:
        lines.insert(0, "orphan = before any section")
    text = "\n".join(lines) + rng.choice(["\n", "", "\n\n"])
    newline = rng.choice(["\n"] * 6 + ["\r\n", "\r"])
    data = text.replace("\n", newline).encode("utf-8")
    r = rng.random()
    if r < 0.03:
        data = b"\xef\xbb\xbf" + data
    elif r < 0.06 and len(data) > 2:
        at = rng.randint(0, len(data) - 1)
        data = data[:at] + b"\xe9" + data[at:]

    env = {}
    for _ in range(rng.randint(0, 8)):
        r = rng.random()
        if r < 0.4:
            s, k = rng.choice(known)
            env[oracle.env_name(s, k)] = pick_value(rng, []).replace("\n", " ").replace("\x00", "")
        elif r < 0.6 and sensitive:
            s, k = rng.choice(sensitive)
            env[oracle.env_name(s, k) + rng.choice(["_CMD", "_SECRET"])] = "cat /run/secret"
        elif r < 0.7:
            s, k = rng.choice(known)
            env[oracle.env_name(s, k) + rng.choice(["_CMD", "_SECRET"])] = "echo x"
        elif r < 0.8 and olds:
            s, k = rng.choice(olds)
            env[oracle.env_name(s, k)] = rng.choice(["old", "", "$DB_HOST"])
        else:
            env[rng.choice(NAMES)] = rng.choice(["/home/af", "/opt/airflow", "db.internal", "", "$DB_HOST/x", "~"])
    if rng.random() < 0.3:
        env["AIRFLOW__SECRETS__BACKEND"] = rng.choice(["", "my.Backend"])
    for name in list(env):
        if "\x00" in env[name]:
            del env[name]
    return version, data, env


def main():
    driver, source_dir = sys.argv[1], sys.argv[2]
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 400
    rng = random.Random(20240611)
    catalogs = {v: oracle.Catalog(source_dir, v) for v in VERSIONS}
    failures = []
    refused = compared = 0
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "airflow.cfg")
        for case in range(count):
            version, data, env = make_case(rng, catalogs)
            with open(path, "wb") as f:
                f.write(data)
            run = subprocess.run([driver, "config", "--airflow-cfg", path, "--env", "--airflow-version", version,
                                  "--all", "--show-secrets", "--format", "json"],
                                 env=env, capture_output=True, cwd=tmp)
            where = f"case {case} (version {version})"
            if run.returncode < 0:
                failures.append(f"{where}: driver crashed with signal {-run.returncode}")
                continue
            try:
                parser = oracle.read_cfg(path)
            except oracle.ReadError as e:
                refused += 1
                first = run.stderr.decode("utf-8", "replace").splitlines()[:1]
                expected = f"{path}:{e.line}:"
                if run.returncode != 2 or not first or not first[0].startswith(expected):
                    failures.append(f"{where}: Python refuses the file ({e.what}, line {e.line}); airguard said "
                                    f"rc={run.returncode} {first}")
                continue
            if run.returncode != 0:
                failures.append(f"{where}: Python reads the file, airguard exits {run.returncode}: "
                                f"{run.stderr.decode('utf-8', 'replace')[:300]}")
                continue
            got = {(o["section"], o["key"]): o for o in json.loads(run.stdout)["options"]}
            want = oracle.resolve(catalogs[version], parser, env)
            for name, (source, value, error) in want.items():
                compared += 1
                mine = got.get(name)
                if mine is None:
                    failures.append(f"{where}: [{name[0]}] {name[1]} missing from airguard's output")
                    continue
                if mine["source"] != source or (not error and mine["value"] != value) or bool(mine.get("error")) != error:
                    failures.append(f"{where}: [{name[0]}] {name[1]}: python {source} {value!r} error={error}; "
                                    f"airguard {mine['source']} {mine['value']!r} error={mine.get('error')!r}")
            if len(failures) > 20:
                break
    print(f"{count} cases, {refused} refused by configparser, {compared} option values compared")
    for failure in failures[:20]:
        print("MISMATCH", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
