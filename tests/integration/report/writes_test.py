#!/usr/bin/env python3
"""Reports reach their reader whole, or the run fails.

    writes_test.py AIRGUARD_BINARY EXAMPLE_DIR

- a report to a full standard output (/dev/full) exits 2 and says so, for `scan` and `config`;
- a report that does not fit (a file size limit stands in for a full disk) fails with exit 2 and
  leaves the previous report whole, with no temporary file behind;
- an existing report keeps its file mode; a report behind a symbolic link is written where the
  link points and the link stays; /dev/stdout as a destination works.
"""
import os
import pathlib
import resource
import signal
import stat
import subprocess
import sys
import tempfile


def main() -> int:
    binary, example = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    failures = []

    def check(cond, what):
        if not cond:
            failures.append(what)

    scan = [binary, "scan", example, "-q", "--deterministic"]
    with open("/dev/full", "w") as full:
        for name, args in (("scan sarif", scan + ["--format", "sarif"]),
                           ("scan text", scan),
                           ("config", [binary, "config", "--airflow-cfg", os.path.join(example, "airflow.cfg")])):
            r = subprocess.run(args, stdout=full, stderr=subprocess.PIPE, timeout=120)
            err = r.stderr.decode()
            check(r.returncode == 2, f"{name} > /dev/full: exit {r.returncode}, expected 2")
            check("No space left on device" in err, f"{name} > /dev/full: stderr does not say why: {err[-300:]}")

    with tempfile.TemporaryDirectory() as tmp:
        report = pathlib.Path(tmp) / "report.json"
        r = subprocess.run(scan + ["--format", f"json={report}"], capture_output=True, timeout=120)
        check(r.returncode == 1 and report.stat().st_size > 20000, f"first report: exit {r.returncode}")
        before = report.read_bytes()
        os.chmod(report, 0o640)

        def small_files():
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

        r = subprocess.run(scan + ["--format", f"json={report}", "--today", "2030-01-01"], capture_output=True,
                           timeout=120, preexec_fn=small_files)
        check(r.returncode == 2, f"report past the size limit: exit {r.returncode}, expected 2")
        check(b"File too large" in r.stderr, f"report past the size limit: stderr: {r.stderr.decode()[-300:]}")
        check(report.read_bytes() == before, "report past the size limit: the previous report was changed")
        check(sorted(p.name for p in pathlib.Path(tmp).iterdir()) == ["report.json"],
              f"temporary files left: {sorted(p.name for p in pathlib.Path(tmp).iterdir())}")

        r = subprocess.run(scan + ["--format", f"json={report}"], capture_output=True, timeout=120)
        check(r.returncode == 1, f"rewrite: exit {r.returncode}")
        check(stat.S_IMODE(report.stat().st_mode) == 0o640, f"rewrite: mode {oct(report.stat().st_mode)}")

        link = pathlib.Path(tmp) / "latest.json"
        link.symlink_to(report.name)
        r = subprocess.run(scan + ["--format", f"json={link}"], capture_output=True, timeout=120)
        check(r.returncode == 1 and link.is_symlink(), "a report behind a link replaced the link")

        r = subprocess.run(scan + ["--format", "json=/dev/stdout"], capture_output=True, timeout=120)
        check(r.returncode == 1 and r.stdout.startswith(b"{"), f"/dev/stdout: exit {r.returncode}")

    for failure in failures:
        print(failure)
    print(f"{len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
