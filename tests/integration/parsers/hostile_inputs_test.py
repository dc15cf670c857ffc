#!/usr/bin/env python3
"""Runs the real airguard binary on one hostile input built at run time, under bounds.

Each case writes its input into a fresh temporary folder, runs airguard once and checks that it
used little CPU time, stayed under the memory bound (both from the child's own rusage, wait4),
exited with a status in 0-3 and, where the case says so, printed the expected words on stderr.
CPU time rather than wall time is bounded so that a busy machine does not fail the test; a child
that hangs (a FIFO read) uses no CPU and is caught by the wall-clock deadline instead. Bounds are
generous on purpose: these are tests that a reader is linear and bounded, not benchmarks.

Usage: hostile_inputs_test.py AIRGUARD_BINARY CASE [--measure]
  --measure prints "CASE seconds peak_MiB exit" and skips the bounds, to record figures.
Environment: AIRGUARD_HOSTILE_SECONDS and AIRGUARD_HOSTILE_MIB override the bounds (for slow
sanitizer builds).
"""
import os
import select
import socket
import signal
import stat
import subprocess
import sys
import tempfile
import time

SECONDS_LIMIT = float(os.environ.get("AIRGUARD_HOSTILE_SECONDS", "20"))
MIB_LIMIT = float(os.environ.get("AIRGUARD_HOSTILE_MIB", "400"))
WALL_LIMIT = max(100.0, 5 * SECONDS_LIMIT)  # only a hang or a starved machine comes near it
SCAN = ["scan", "--deterministic", "--today", "2026-11-22", "--no-advisories", "--airflow-version", "2.10.5"]


def write(path, text):
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
    return path


def env_40k(folder):
    path = write(os.path.join(folder, "big.env"), "".join(f"VARIABLE_{i}=value{i}\n" for i in range(40000)))
    return SCAN + ["--env-file", path], None


def helm_40k_keys(folder):
    body = "config:\n  extra:\n" + "".join(f"    key_{i}: value{i}\n" for i in range(40000))
    return SCAN + ["-f", write(os.path.join(folder, "values.yaml"), body)], None


def helm_120k_duplicate_keys(folder):
    body = "config:\n" + "  a: 1\n" * 120000
    return SCAN + ["-f", write(os.path.join(folder, "values.yaml"), body)], "more duplicate keys"


def cfg_60k_keys(folder):
    body = "[core]\n" + "".join(f"option_{i} = value{i}\n" for i in range(60000))
    return SCAN + ["--airflow-cfg", write(os.path.join(folder, "airflow.cfg"), body)], None


def requirements_150k_pins(folder):
    body = "".join(f"package-{i}==1.{i}\n" for i in range(150000))
    return SCAN + ["--packages", write(os.path.join(folder, "requirements.txt"), body)], None


def requirements_16mb(folder):
    # Just under the 16 MiB input bound: four million unpinned one-letter lines, each worth a
    # note, then one pin repeated to the end.
    limit = 16 * 1024 * 1024 - 1024
    body = "x\n" * (limit // 4)
    line = "apache-airflow==2.10.5\n"
    body += line * ((limit - len(body)) // len(line))
    return SCAN + ["--packages", write(os.path.join(folder, "requirements.txt"), body)], "more requirement lines"


def webserver_config_16mb(folder):
    line = "AUTH_ROLE_PUBLIC = 'Admin'\n"
    body = line * ((16 * 1024 * 1024 - 1024) // len(line))
    return SCAN + ["--webserver-config", write(os.path.join(folder, "webserver_config.py"), body)], None


def helm_webserver_config_16mb(folder):
    # The same file as above, embedded in Helm values as a literal block: read by the same reader,
    # every line mapped back into the values file.
    head = "airflowVersion: 2.10.5\nwebserver:\n  webserverConfig: |\n"
    line = "    AUTH_ROLE_PUBLIC = 'Admin'\n"
    body = head + line * ((16 * 1024 * 1024 - 1024 - len(head)) // len(line))
    return SCAN + ["-f", write(os.path.join(folder, "values.yaml"), body)], "(webserver.webserverConfig), read by"


def helm_webserver_config_template_16mb(folder):
    # Template actions everywhere: 200,000 nested {{ if }} on one line, then blocks, actions inside
    # strings and lines of actions alone, up to the 16 MiB bound.
    head = "airflowVersion: 2.10.5\nwebserver:\n  webserverConfig: |\n"
    deep = "    " + "{{ if .Values.x }}" * 200000 + "{{ end }}" * 200000 + "\n"
    block = ("    {{- if .Values.ldap }}\n    AUTH_LDAP_SERVER = '{{ .Values.host }}'\n    {{- end }}\n"
             "    {{ include \"more\" . }}\n    AUTH_ROLE_PUBLIC = {{ .Values.role | quote }}\n")
    body = head + deep
    body += block * ((16 * 1024 * 1024 - 1024 - len(body)) // len(block))
    return SCAN + ["-f", write(os.path.join(folder, "values.yaml"), body)], "(webserver.webserverConfig), read by"


def osv_nested_deep(folder):
    depth = 1000000
    body = '{"id": "GHSA-x", "affected": ' + "[" * depth + "]" * depth + "}\n"
    path = write(os.path.join(folder, "osv.json"), body)
    args = [a for a in SCAN if a != "--no-advisories"]
    cfg = write(os.path.join(folder, "airflow.cfg"), "[core]\nload_examples = False\n")
    return args + ["--airflow-cfg", cfg, "--advisories", path], "deeper than 256 levels"


def make_fifo(path):
    os.mkfifo(path)
    return path


LISTENERS = []


def ca_cert_fifo(folder):
    # A server on 127.0.0.1 that accepts the connection, so the TLS set-up would load the CA file.
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    LISTENERS.append(listener)
    url = f"https://127.0.0.1:{listener.getsockname()[1]}"
    fifo = make_fifo(os.path.join(folder, "ca.pem"))
    cfg = write(os.path.join(folder, "airflow.cfg"), "[core]\nload_examples = False\n")
    return SCAN + ["--airflow-cfg", cfg, "--api-url", url, "--ca-cert", fifo], "ca.pem: error: is not a regular file"


def advisories_update_ca_cert_fifo(folder):
    fifo = make_fifo(os.path.join(folder, "ca.pem"))
    return ["advisories", "update", "--url", "https://127.0.0.1:9/feed.json", "--ca-cert", fifo], \
        "ca.pem: error: is not a regular file"


def folder_fifo_airflow_cfg(folder):
    make_fifo(os.path.join(folder, "airflow.cfg"))
    write(os.path.join(folder, ".env"), "AIRFLOW__CORE__LOAD_EXAMPLES=False\n")
    return SCAN + [folder], "airflow.cfg: error: is not a regular file"


def osv_invalid_json_line(folder):
    cfg = write(os.path.join(folder, "airflow.cfg"), "[core]\nload_examples = False\n")
    path = write(os.path.join(folder, "osv.json"), '{\n  "id": "GHSA-x",\n  "affected": [1,, 2]\n}\n')
    args = [a for a in SCAN if a != "--no-advisories"]
    return args + ["--airflow-cfg", cfg, "--advisories", path], "osv.json:3:18: error: advisory feed is not valid JSON"


def baseline_invalid_json_line(folder):
    cfg = write(os.path.join(folder, "airflow.cfg"), "[core]\nload_examples = False\n")
    path = write(os.path.join(folder, "last.json"), '{\n  "schema_version": 1,\n  "findings": [}\n}\n')
    return SCAN + ["--airflow-cfg", cfg, "--baseline", path], "last.json:3:16: error: the report is not valid JSON"


CASES = {f.__name__: f for f in [env_40k, helm_40k_keys, helm_120k_duplicate_keys, cfg_60k_keys,
                                   requirements_150k_pins, requirements_16mb, webserver_config_16mb,
                                   helm_webserver_config_16mb, helm_webserver_config_template_16mb,
                                   osv_nested_deep, ca_cert_fifo, advisories_update_ca_cert_fifo,
                                   folder_fifo_airflow_cfg,
                                   osv_invalid_json_line, baseline_invalid_json_line]}


def run_bounded(argv, seconds):
    """Runs argv for at most `seconds` of wall time; returns (exit status or None when killed,
    elapsed wall seconds, CPU seconds, peak RSS in MiB, stderr)."""
    started = time.monotonic()
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C.UTF-8", "HOME": "/nonexistent",
           "XDG_CACHE_HOME": "/nonexistent"}
    for name in ("ASAN_OPTIONS", "UBSAN_OPTIONS"):
        if name in os.environ:
            env[name] = os.environ[name]
    child = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                             env=env)
    stderr = bytearray()
    killed = False
    fd = child.stderr.fileno()
    while True:
        remaining = started + seconds - time.monotonic()
        if remaining <= 0:
            child.send_signal(signal.SIGKILL)
            killed = True
            break
        ready, _, _ = select.select([fd], [], [], min(remaining, 0.5))
        if ready:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            if len(stderr) < 1 << 20:
                stderr += chunk
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.monotonic() - started
    child.stderr.close()
    code = None if killed or os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
    cpu = usage.ru_utime + usage.ru_stime
    return code, elapsed, cpu, usage.ru_maxrss / 1024.0, stderr.decode("utf-8", "replace")


def main():
    binary, case = sys.argv[1], sys.argv[2]
    measure = "--measure" in sys.argv[3:]
    with tempfile.TemporaryDirectory(prefix="airguard-hostile-") as folder:
        args, expected = CASES[case](folder)
        code, elapsed, cpu, peak, stderr = run_bounded([binary] + args, 120 if measure else WALL_LIMIT)
    if measure:
        print(f"{case} wall {elapsed:.2f}s cpu {cpu:.2f}s {peak:.0f}MiB exit={code}")
        print(stderr[-600:])
        return 0
    problems = []
    if code is None:
        problems.append(f"did not finish within {WALL_LIMIT:.0f} s of wall time")
    if cpu > SECONDS_LIMIT:
        problems.append(f"used {cpu:.1f} s of CPU time, bound {SECONDS_LIMIT:.0f} s")
    elif code not in (0, 1, 2, 3):
        problems.append(f"exit status {code}, expected 0-3")
    if peak > MIB_LIMIT:
        problems.append(f"peak RSS {peak:.0f} MiB, bound {MIB_LIMIT:.0f} MiB")
    if expected is not None and expected not in stderr:
        problems.append(f"stderr does not say {expected!r}")
    if stderr.count("\n") > 200:
        problems.append(f"{stderr.count(chr(10))} lines on stderr: repeated diagnostics are not aggregated")
    print(f"{case}: {elapsed:.2f} s wall, {cpu:.2f} s CPU, peak RSS {peak:.0f} MiB, exit {code}")
    if problems:
        print("FAILED: " + "; ".join(problems))
        print("stderr (end):\n" + stderr[-2000:])
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
