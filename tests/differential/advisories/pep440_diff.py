#!/usr/bin/env python3
"""Differential test: airguard's PEP 440 code against Python's `packaging`.

Asks the same questions (parse + normalize, compare, specifier containment) of the C++ probe and
of packaging, over every version string in the shipped advisory snapshot plus generated ones, and
fails on the first disagreements. Usage: pep440_diff.py PROBE SNAPSHOT_JSON
"""
import itertools
import json
import random
import subprocess
import sys

try:
    from packaging.specifiers import InvalidSpecifier, SpecifierSet
    from packaging.version import InvalidVersion, Version
except ImportError:
    print("SKIP: Python's packaging library is not installed")
    sys.exit(77)


def feed_versions(path):
    out = set()
    for record in json.load(open(path, encoding="utf-8")):
        for affected in record.get("affected", []):
            out.update(affected.get("versions", []))
            for r in affected.get("ranges", []):
                for event in r.get("events", []):
                    out.update(str(v) for v in event.values())
    return sorted(out)


def generated_versions():
    out = set()
    releases = ["0", "1", "1.0", "1.0.0", "2.7", "2.10.5", "3.0.0", "01.002", "1.0.0.0.0", "2024.10.1"]
    pres = ["", "a1", "A1", "alpha2", "b", "beta.3", "c4", "rc1", "-rc.1", "_pre5", ".preview", "RC"]
    posts = ["", ".post1", "-1", "post", ".rev2", "-r3", "_post_4", "r"]
    devs = ["", ".dev0", "dev", "-dev_7", ".DEV"]
    locals_ = ["", "+ubuntu.1", "+abc-007_x", "+1", "+a"]
    for rel, pre, post, dev, loc in itertools.product(releases[:6], pres, posts, devs, locals_):
        out.add(rel + pre + post + dev + loc)
    for epoch in ["", "0!", "1!", "02!"]:
        for rel in releases:
            out.add(epoch + rel)
            out.add("v" + epoch + rel)
    out.update([
        " 1.0 ", "\t2.7\n", "V1.0", "1.0RC1", "1.0cr", "1.0apost1", "1.0-alpha-2", "1.0..1", "1.0.", ".1",
        "1.0+", "1.0+a..b", "1.0-", "1.0rc1.post1.dev2+x", "2.9.0-NA", "latest", "", "1!", "!1", "1.0 rc1",
        "1.0-post", "1.0_dev", "1.0.a", "1.0.postdev", "1.0.post-1", "1.0-1-1", "1.0preview-1", "1.0prev",
        "3.0.0rc1.post1", "1.0.2b0", "1.0.1.dev0", "99999999999999999999999", "1.0+001.010", "1.0-beta",
        "v", "1.0.0-rc.1", "1.0RC1-1", "1.0pre", "1.0+UBUNTU", "1.0+_a", "1.0a1b2", "1.0.post1.post2",
    ])
    return sorted(out)


SPEC_VERSIONS = ["2.7", "3", "2.10.5", "2.8.0rc1", "1.0", "1.0.0", "1.0.post1", "1.0.dev1", "1!1.0", "2.9.0b1",
                 "1.10.3b1", "2.0.1rc1", "v2.7", "2.10.*", "1.*", "1.0.*", "1!1.*", "1.0+local", "2.9.pre1",
                 "2.9.c1", "1.0a1.post1", "2.9.0.r1"]
OPERATORS = ["==", "!=", "<=", ">=", "<", ">", "~=", "==="]


def questions(versions):
    qs = [("V", v) for v in versions]
    valid = []
    for v in versions:
        try:
            Version(v)
            valid.append(v)
        except InvalidVersion:
            pass
    rng = random.Random(440)
    for a, b in zip(valid, valid[1:]):
        qs.append(("C", a, b))
    for _ in range(20000):
        qs.append(("C", rng.choice(valid), rng.choice(valid)))
    specs = [op + v for op in OPERATORS for v in SPEC_VERSIONS]
    specs += [op + " " + v for op in ("==", ">=", "~=") for v in ("2.7", "2.10.*", "1.0+x")]
    specs += [">=2.7,<3", ">=2.7, <3, !=2.8.0", "", " , ", ">=3.0.0b1", "~=2.9,!=2.9.1", "==2.10.*,>2.10.1",
              "<2.9.0rc1", ">1.0.post1", "bad", ">=", "~=2", "<1.0+local", "==1.0.*+x", "===", "=== 1.0"]
    candidates = [v for v in valid if len(v) < 30]
    for spec in specs:
        for v in rng.sample(candidates, min(150, len(candidates))):
            qs.append(("S", spec, v, rng.choice(["0", "1"])))
    return qs


def answer(q):
    if q[0] == "V":
        try:
            return "ok\t" + str(Version(q[1]))
        except InvalidVersion:
            return "invalid"
    if q[0] == "C":
        a, b = Version(q[1]), Version(q[2])
        return "-1" if a < b else ("1" if a > b else "0")
    try:
        spec_set = SpecifierSet(q[1])
        spec_set.prereleases  # packaging raises here for "===" with a non-PEP 440 string
    except (InvalidSpecifier, InvalidVersion):
        return "invalid"
    return "1" if spec_set.contains(Version(q[2]), prereleases=True if q[3] == "1" else None) else "0"


def main():
    probe, snapshot = sys.argv[1], sys.argv[2]
    versions = sorted(set(feed_versions(snapshot)) | set(generated_versions()))
    qs = [q for q in questions(versions) if all("\n" not in part and "\t" not in part for part in q[1:])]
    text = "".join("\t".join(q) + "\n" for q in qs)
    got = subprocess.run([probe], input=text, capture_output=True, text=True, check=True).stdout.splitlines()
    if len(got) != len(qs):
        print(f"probe answered {len(got)} of {len(qs)} questions")
        return 1
    failures = [(q, g, answer(q)) for q, g in zip(qs, got) if g != answer(q)]
    for q, g, want in failures[:40]:
        print(f"MISMATCH {q!r}: airguard {g!r}, packaging {want!r}")
    print(f"{len(qs)} questions ({len(versions)} version strings), {len(failures)} disagreements")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
