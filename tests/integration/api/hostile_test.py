#!/usr/bin/env python3
"""The live API phase against hostile servers on 127.0.0.1: the real binary, a real server.

Usage: hostile_test.py AIRGUARD_BINARY FAKE_SERVER_BINARY CASE
Cases: big-pages, slow-drip, hanging, redirect-elsewhere, redirect-loop, refuse-all, progress-tty,
url-secrets, url-user-info. Each starts the fake Airflow server (tests/integration/api) with one
scenario, scans it, and checks the exit status, the JSON report, time and peak memory.
"""
import json
import os
import pty
import select
import subprocess
import sys
import tempfile
import time

# Generous bounds: tests, not benchmarks (the ASan build is several times slower).
MAX_PEAK_RSS_MIB = 400
DEADLINE_SECONDS = 3
MAX_SECONDS_WITH_DEADLINE = 15
CREDENTIALS = {"AIRGUARD_API_USERNAME": "auditor", "AIRGUARD_API_PASSWORD": "correct-horse-battery"}
COMMON_ARGS = ["--no-advisories", "--today", "2026-11-22", "--deterministic"]


class Server:
    def __init__(self, binary, scenario):
        self.process = subprocess.Popen([binary, scenario], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.url = self.process.stdout.readline().decode().split()[0]

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.process.stdin.close()
        self.process.wait(timeout=60)


def base_env(extra=None):
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C.UTF-8",
           "HOME": tempfile.gettempdir(), "XDG_CACHE_HOME": tempfile.gettempdir()}
    for name in ("ASAN_OPTIONS", "UBSAN_OPTIONS"):
        if name in os.environ:
            env[name] = os.environ[name]
    env.update(extra or {})
    return env


def scan(binary, args, env=None):
    """Runs airguard; returns (exit status, stdout, stderr, seconds)."""
    started = time.monotonic()
    process = subprocess.Popen([binary] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=base_env(env))
    stdout, stderr = process.communicate(timeout=300)
    seconds = time.monotonic() - started
    return process.returncode, stdout.decode("utf-8", "replace"), stderr.decode("utf-8", "replace"), seconds


def scan_measured(binary, args, env=None):
    """Like scan(), with the child's own peak RSS from wait4 (ru_maxrss, KiB on Linux)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.monotonic()
        process = subprocess.Popen([binary] + args, stdout=out, stderr=err, env=base_env(env))
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.monotonic() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return (process.returncode, out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"),
                seconds, usage.ru_maxrss / 1024.0)


def fail(message, stderr=""):
    print("FAIL: " + message, file=sys.stderr)
    if stderr:
        print("--- airguard stderr ---\n" + stderr[-4000:], file=sys.stderr)
    sys.exit(1)


def expect(condition, message, stderr=""):
    if not condition:
        fail(message, stderr)


def incomplete_with_reason(binary, server_binary, scenario, reason, extra_args=(), env=None, max_seconds=60):
    with Server(server_binary, scenario) as server:
        code, out, err, seconds = scan(binary, ["scan", "--api-url", server.url, "--format", "json", "-q"] +
                                       COMMON_ARGS + list(extra_args), env)
    expect(code == 3, f"{scenario}: exit status {code}, expected 3 (incomplete)", err)
    report = json.loads(out)
    expect(report["complete"] is False, f"{scenario}: the report says complete")
    sources = report["unavailable_sources"]
    expect(any(reason in source for source in sources), f"{scenario}: no '{reason}' in {sources}")
    expect(seconds < max_seconds, f"{scenario}: took {seconds:.1f} s, more than {max_seconds} s")
    print(f"{scenario}: exit 3 in {seconds:.1f} s: {sources}")


def case_big_pages(binary, server_binary):
    env = dict(CREDENTIALS)
    if "ASAN_OPTIONS" in os.environ:
        # ASan keeps freed memory in a quarantine (256 MiB by default) that counts in the RSS but is
        # not the program's: a small one measures what airguard itself holds.
        env["ASAN_OPTIONS"] = os.environ["ASAN_OPTIONS"] + ":quarantine_size_mb=16"
    with Server(server_binary, "big-pages-2") as server:
        code, out, err, seconds, peak = scan_measured(
            binary, ["scan", "--api-url", server.url, "--format", "json", "-q", "--api-timeout", "60",
                     "--api-deadline", "240"] + COMMON_ARGS, env)
    expect(code in (0, 1), f"exit status {code}, expected 0 or 1", err)
    report = json.loads(out)
    messages = [d["message"] for d in report["diagnostics"]]
    expect(any("answered 110000 entries to a request for at most 100" in m for m in messages),
           f"no note about the oversized pages in {messages}")
    expect(any("50000 kept" in m for m in messages), f"no collection cap in {messages}")
    expect(peak < MAX_PEAK_RSS_MIB, f"peak RSS {peak:.0f} MiB, more than {MAX_PEAK_RSS_MIB} MiB")
    print(f"big-pages: exit {code} in {seconds:.1f} s, peak RSS {peak:.0f} MiB")


def case_slow_drip(binary, server_binary):
    incomplete_with_reason(binary, server_binary, "slow-drip-2", f"deadline of {DEADLINE_SECONDS} s passed",
                           ["--api-deadline", str(DEADLINE_SECONDS)], CREDENTIALS, MAX_SECONDS_WITH_DEADLINE)


def case_hanging(binary, server_binary):
    incomplete_with_reason(binary, server_binary, "hanging-2", f"deadline of {DEADLINE_SECONDS} s passed",
                           ["--api-deadline", str(DEADLINE_SECONDS)], CREDENTIALS, MAX_SECONDS_WITH_DEADLINE)


def case_redirect_elsewhere(binary, server_binary):
    incomplete_with_reason(binary, server_binary, "redirect-elsewhere-2",
                           "every endpoint redirected to another origin (http://127.0.0.2:9/)", env=CREDENTIALS)


def case_redirect_loop(binary, server_binary):
    incomplete_with_reason(binary, server_binary, "redirect-loop-2", "redirects that did not end", env=CREDENTIALS)


def case_refuse_all(binary, server_binary):
    incomplete_with_reason(binary, server_binary, "refuse-all-2", "every endpoint refused access (401)",
                           env=CREDENTIALS)


def case_progress_tty(binary, server_binary):
    """stderr is a terminal: a progress line within two seconds, naming the URL without its secrets."""
    with Server(server_binary, "slow-drip-2") as server:
        master, slave = pty.openpty()
        report = tempfile.TemporaryFile()  # not a pipe: the report is larger than a pipe holds
        started = time.monotonic()
        process = subprocess.Popen(
            [binary, "scan", "--api-url", server.url + "/?token=tok-in-query-1#access_token=tok-in-fragment-2",
             "--api-deadline", "4", "--format", "json"] + COMMON_ARGS,
            stdout=report, stderr=slave, env=base_env(CREDENTIALS))
        os.close(slave)
        seen = b""
        first_progress = None
        while True:
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(master, 4096)
                except OSError:  # the terminal closed with the process
                    chunk = b""
                if not chunk and process.poll() is not None:
                    break
                seen += chunk
                if first_progress is None and b"reading the API at" in seen:
                    first_progress = time.monotonic() - started
            elif process.poll() is not None:
                break
            if time.monotonic() - started > 120:
                process.kill()
                fail("the scan did not end within 120 s")
        process.wait(timeout=60)
        os.close(master)
        report.seek(0)
        stdout = report.read().decode("utf-8", "replace")
        report.close()
    text = seen.decode("utf-8", "replace")
    expect(first_progress is not None, f"no progress line on the terminal: {text!r}")
    expect(first_progress < 2.0, f"the first progress line came after {first_progress:.1f} s")
    expect("probes" in text, f"the progress line does not count probes: {text!r}")
    for secret in ("tok-in-query-1", "tok-in-fragment-2"):
        expect(secret not in text and secret not in stdout, f"{secret} was shown")
    expect(process.returncode == 3, f"exit status {process.returncode}, expected 3")
    print(f"progress-tty: first progress line after {first_progress:.2f} s")


def case_url_secrets(binary, server_binary):
    """Query and fragment secrets in --api-url appear in no output: stdout, stderr, report files."""
    secrets = ("tok-in-query-1", "pw-in-query-2", "tok-in-fragment-3")
    with Server(server_binary, "locked-down-2") as server, tempfile.TemporaryDirectory() as out_dir:
        url = server.url + f"/?token={secrets[0]}&password={secrets[1]}#access_token={secrets[2]}"
        report_files = {fmt: os.path.join(out_dir, "report." + fmt) for fmt in ("json", "sarif", "junit", "markdown")}
        args = ["scan", "--api-url", url] + [f"--format={fmt}={path}" for fmt, path in report_files.items()]
        code, out, err, _ = scan(binary, args + ["--format", "text"] + COMMON_ARGS, CREDENTIALS)
        outputs = {"stdout": out, "stderr": err}
        for fmt, path in report_files.items():
            with open(path, encoding="utf-8") as handle:
                outputs[fmt] = handle.read()
    expect(code in (0, 1), f"exit status {code}, expected 0 or 1", err)
    for name, text in outputs.items():
        for secret in secrets:
            expect(secret not in text, f"{secret} appears in {name}")
    expect(server.url in out, "the report does not name the API it read")
    print("url-secrets: no secret in stdout, stderr or the report files")


def case_url_user_info(binary, server_binary):
    """A user name and password in --api-url: refused (exit 2) without repeating them."""
    with Server(server_binary, "locked-down-2") as server:
        url = server.url.replace("://", "://scan-user-1:pw-in-userinfo-2@")
        code, out, err, _ = scan(binary, ["scan", "--api-url", url, "--format", "json"] + COMMON_ARGS)
    expect(code == 2, f"exit status {code}, expected 2", err)
    expect("user name or password" in err, f"the refusal does not say why: {err!r}")
    for secret in ("scan-user-1", "pw-in-userinfo-2"):
        expect(secret not in out and secret not in err, f"{secret} was repeated")
    print("url-user-info: refused with exit 2, nothing repeated")


CASES = {
    "big-pages": case_big_pages,
    "slow-drip": case_slow_drip,
    "hanging": case_hanging,
    "redirect-elsewhere": case_redirect_elsewhere,
    "redirect-loop": case_redirect_loop,
    "refuse-all": case_refuse_all,
    "progress-tty": case_progress_tty,
    "url-secrets": case_url_secrets,
    "url-user-info": case_url_user_info,
}


def main():
    if len(sys.argv) != 4 or sys.argv[3] not in CASES:
        print(__doc__, file=sys.stderr)
        return 2
    CASES[sys.argv[3]](sys.argv[1], sys.argv[2])
    return 0


if __name__ == "__main__":
    sys.exit(main())
