"""End-to-end test of scripts/airguard-cron: real airguard binary, a history directory, and a
webhook receiver on 127.0.0.1 that records what it is sent.

Usage: cron_test.py AIRGUARD_BINARY AIRGUARD_CRON_SCRIPT
"""

import http.server
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import threading
import unittest

AIRGUARD, CRON = sys.argv[1], sys.argv[2]
TOKEN = "T0KEN-in-the-webhook-path"

BASE_CFG = """[core]
executor = LocalExecutor
load_examples = False

[webserver]
expose_config = False
secret_key = temporary_key
"""


class Receiver(http.server.BaseHTTPRequestHandler):
    """Records every POST; answers with the next status of the server's `statuses` list (default 200)."""

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        self.server.requests.append((self.path, self.headers.get("Content-Type"), body))
        status = self.server.statuses.pop(0) if self.server.statuses else 200
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


class CronTest(unittest.TestCase):
    def setUp(self):
        self.work = tempfile.TemporaryDirectory(prefix="airguard-cron-test-")
        self.root = pathlib.Path(self.work.name)
        self.deploy = self.root / "deploy"
        self.deploy.mkdir()
        self.cfg = self.deploy / "airflow.cfg"
        self.cfg.write_text(BASE_CFG)
        self.history = self.root / "history"
        self.metrics = self.root / "airguard.prom"
        self.server = http.server.HTTPServer(("127.0.0.1", 0), Receiver)
        self.server.requests = []
        self.server.statuses = []
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/{TOKEN}"

    def tearDown(self):
        self.server.shutdown()
        self.server.server_close()
        self.work.cleanup()

    def run_cron(self, *extra, webhook=True):
        env = dict(os.environ, AIRGUARD_WEBHOOK_RETRY_DELAY="0", AIRGUARD_WEBHOOK_TIMEOUT="5")
        env.pop("AIRGUARD_WEBHOOK_URL", None)
        if webhook:
            env["AIRGUARD_WEBHOOK_URL"] = self.url
        command = [sys.executable, CRON, "--history", str(self.history), "--airguard", AIRGUARD, "--keep", "3",
                   "--prometheus", str(self.metrics), *extra, "--", str(self.deploy), "--airflow-version", "2.10.5",
                   "--no-advisories", "--today", "2025-11-22"]
        result = subprocess.run(command, cwd=self.root, env=env, capture_output=True, text=True, timeout=120)
        self.assertNotIn(TOKEN, result.stdout + result.stderr, "the webhook URL must never be printed")
        return result

    def posted(self):
        return [json.loads(body) for _, _, body in self.server.requests]

    def test_history_baseline_webhook_and_retry(self):
        # 1. First run: everything is new; a summary is printed and posted once.
        first = self.run_cron()
        self.assertEqual(first.returncode, 1, first.stderr)
        self.assertIn("new finding", first.stdout)
        self.assertIn("AFH-WEB-001", first.stdout)  # the weak secret key
        self.assertEqual(len(self.server.requests), 1)
        path, content_type, _ = self.server.requests[0]
        self.assertEqual(path, f"/hooks/{TOKEN}")
        self.assertEqual(content_type, "application/json")
        payload = self.posted()[0]
        self.assertIn("text", payload)
        self.assertTrue(payload["airguard"]["new"])
        self.assertEqual(len(list(self.history.glob("report-*.json"))), 1)
        metrics = self.metrics.read_text()
        self.assertIn('airguard_findings{severity="high"}', metrics)
        self.assertIn("airguard_scan_success 1", metrics)

        # 2. Lines move (comments added at the top), nothing else changes: silent, exit 0, no post.
        self.cfg.write_text("# managed by config management\n# do not edit\n\n" + BASE_CFG)
        second = self.run_cron()
        self.assertEqual(second.returncode, 0, second.stderr)
        self.assertEqual(second.stdout, "")
        self.assertEqual(len(self.server.requests), 1)
        reports = sorted(self.history.glob("report-*.json"))
        self.assertEqual(len(reports), 2)

        # 3. One new problem: exactly that one is reported and posted.
        self.cfg.write_text(BASE_CFG.replace("expose_config = False", "expose_config = True"))
        third = self.run_cron()
        self.assertEqual(third.returncode, 1, third.stderr)
        self.assertEqual(len(self.server.requests), 2)
        new = self.posted()[1]["airguard"]["new"]
        self.assertEqual([finding["check"] for finding in new], ["AFH-WEB-003"], new)
        self.assertIn("1 new finding since report-", third.stdout)

        # 4. The webhook fails with 500: one retry, then it gives up (no retry storm).
        self.server.statuses = [500, 500, 500, 500]
        self.cfg.write_text(BASE_CFG.replace("load_examples = False", "load_examples = True")
                            .replace("expose_config = False", "expose_config = True"))
        fourth = self.run_cron()
        self.assertEqual(fourth.returncode, 1, fourth.stderr)
        self.assertEqual(len(self.server.requests), 4)  # 2 before + exactly 2 attempts
        self.assertIn("giving up", fourth.stderr)
        self.assertIn("127.0.0.1", fourth.stderr)

        # 5. A client error is not retried; --keep 3 prunes the history.
        self.server.statuses = [404]
        self.cfg.write_text(BASE_CFG.replace("executor = LocalExecutor", "executor = LocalExecutor\nfernet_key =")
                            .replace("load_examples = False", "load_examples = True")
                            .replace("expose_config = False", "expose_config = True"))
        fifth = self.run_cron()
        self.assertEqual(fifth.returncode, 1, fifth.stderr)
        self.assertEqual(len(self.server.requests), 5)
        self.assertEqual(len(list(self.history.glob("report-*.json"))), 3)

        # 6. Nothing new again, no webhook configured: silent.
        sixth = self.run_cron(webhook=False)
        self.assertEqual(sixth.returncode, 0, sixth.stderr)
        self.assertEqual(sixth.stdout, "")

    def test_unreadable_input_is_an_error_not_silence(self):
        self.cfg.unlink()
        self.deploy.rmdir()  # the folder to scan is gone: airguard exits 2 and writes no report
        result = self.run_cron()
        self.assertEqual(result.returncode, 2)
        self.assertEqual(self.server.requests, [])
        self.assertIn("no report written", result.stderr)
        self.assertEqual(list(self.history.glob("report-*.json")), [])

    def test_scan_arguments_that_the_wrapper_owns_are_refused(self):
        result = subprocess.run([sys.executable, CRON, "--history", str(self.history), "--", str(self.deploy),
                                 "--format", "text"], capture_output=True, text=True, timeout=60)
        self.assertEqual(result.returncode, 2)
        self.assertIn("--format is set by airguard-cron", result.stderr)


class ReportNamingTest(unittest.TestCase):
    """Several runs in one second, with --keep pruning in between, still name reports in order."""

    def test_new_report_sorts_after_every_report_of_the_same_second(self):
        import datetime
        import importlib.machinery
        import types

        loader = importlib.machinery.SourceFileLoader("airguard_cron", CRON)
        cron = types.ModuleType(loader.name)
        loader.exec_module(cron)

        frozen = datetime.datetime(2026, 11, 22, 12, 0, 0, tzinfo=datetime.timezone.utc)

        class FrozenClock(datetime.datetime):
            @classmethod
            def now(cls, tz=None):
                return frozen

        cron.datetime = types.SimpleNamespace(datetime=FrozenClock, timezone=datetime.timezone)
        with tempfile.TemporaryDirectory() as tmp:
            history = pathlib.Path(tmp)
            first = cron.new_report_path(history)
            self.assertEqual(first.name, "report-20261122T120000Z.json")
            first.write_text("{}")
            second = cron.new_report_path(history)
            self.assertEqual(second.name, "report-20261122T120000Z_001.json")
            second.write_text("{}")
            first.unlink()  # pruned: its name is free again, but must not be reused
            third = cron.new_report_path(history)
            self.assertEqual(third.name, "report-20261122T120000Z_002.json")
            self.assertGreater(third.name, second.name)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
