#!/usr/bin/env python3
"""Planted secrets never leave airguard.

    canary_test.py AIRGUARD_BINARY

Builds a deployment with a unique secret ("canary") in every place a secret can live: every kind of
sensitive option in airflow.cfg, connection URIs and extras (URI, percent-encoded, JSON), env and
compose files, webserver_config.py, Helm values and --set, a webserver_config.py embedded in Helm values
(webserver.webserverConfig, apiServer.apiServerConfig), DAG code, the REST API's answers (a small
server on 127.0.0.1 that returns the canaries in config, connections, variables, import errors and a
broken JSON body), the API credentials, and broken input lines. It then runs airguard over it in every
output format, `config` with and without --all, and through the error paths, and fails when any
canary, or any six-character piece of one, appears in standard output, standard error or a written
file.
"""
import hashlib
import http.server
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import threading
import urllib.parse

ALPHABET = "BCDFGHJKLMNPQRSTVWXZbcdfghjkmnpqrstvwxz2345679"
CANARIES = {}


def canary(place: str) -> str:
    """A unique secret for one place: letters no report writes on its own."""
    digest = hashlib.sha256(place.encode()).digest()
    value = "Qz" + "".join(ALPHABET[b % len(ALPHABET)] for b in digest[:14])
    CANARIES[value] = place
    return value


def pct(text: str) -> str:
    return urllib.parse.quote(text, safe="")


def write_deployment(root: pathlib.Path) -> None:
    c = canary
    (root / "airflow.cfg").write_text(f"""[core]
fernet_key = {c('cfg fernet_key')}
executor = CeleryExecutor
internal_api_secret_key = {c('cfg internal_api_secret_key')}
[database]
sql_alchemy_conn = postgresql+psycopg2://airflow:{c('cfg sql_alchemy_conn password')}@db:5432/airflow
[celery]
broker_url = redis://:{c('cfg broker_url password')}@redis:6379/0
result_backend = db+postgresql://airflow:{c('cfg result_backend password')}@db/airflow
flower_basic_auth = admin:{c('cfg flower_basic_auth')}
[api]
secret_key = {c('cfg api secret_key')}
[webserver]
secret_key = {c('cfg webserver secret_key')}
[api_auth]
jwt_secret = {c('cfg jwt_secret')}
[smtp]
smtp_password = {c('cfg smtp_password')}
[ldap]
bind_password = {c('cfg ldap bind_password')}
[secrets]
backend = airflow.providers.hashicorp.secrets.vault.VaultBackend
backend_kwargs = {{"url": "https://vault:8200", "token": "{c('cfg backend_kwargs token')}"}}
[sentry]
sentry_dsn = https://{c('cfg sentry key')}@sentry.example.com/1
[myplugin]
api_token = {c('cfg plugin api_token')}
""")
    (root / ".env").write_text(f"""AIRFLOW__CORE__FERNET_KEY={c('env fernet_key')}
AIRFLOW__DATABASE__SQL_ALCHEMY_CONN=postgresql://u:{c('env sql_alchemy_conn')}@db/airflow
AIRFLOW__SMTP__SMTP_PASSWORD={c('env smtp_password')}
AIRFLOW_CONN_CRM=postgresql://crm:{c('conn uri password')}@crm-db/leads
AIRFLOW_CONN_OAUTH=http://api.example.com/?client_id=app&client_secret={c('conn client_secret')}
AIRFLOW_CONN_BLOB=wasb://acct@?sas_token={c('conn sas_token')}
AIRFLOW_CONN_TOKEN=https://h/?access_token={c('conn access_token')}
AIRFLOW_CONN_AZURE=wasb://a@h/?connection_string=AccountName%3Dx%3BAccountKey%3D{c('conn AccountKey encoded')}
AIRFLOW_CONN_AZPLAIN=DefaultEndpointsProtocol=https;AccountName=x;AccountKey={c('conn AccountKey plain')};EndpointSuffix=core
AIRFLOW_CONN_SFTP=sftp://partner.example.com/?__extra__={pct(json.dumps({"private_key_passphrase": c('conn __extra__ passphrase')}))}
AIRFLOW_CONN_SSH={json.dumps({"conn_type": "ssh", "host": "h", "extra": {"passphrase": c('conn json passphrase')}})}
AIRFLOW_CONN_LEADS={json.dumps({"conn_type": "http", "host": "leads", "extra": {"headers": {"Authorization": "Bearer " + c('conn json bearer')}}})}
AIRFLOW_CONN_PAY={json.dumps({"conn_type": "http", "host": "pay", "login": "u", "password": c('conn json password')})}
AWS_SECRET_ACCESS_KEY={c('env AWS_SECRET_ACCESS_KEY')}
""")
    (root / "docker-compose.yaml").write_text(f"""services:
  airflow-scheduler:
    image: apache/airflow:3.1.0
    environment:
      AIRFLOW__API_AUTH__JWT_SECRET: {c('compose jwt_secret')}
      AIRFLOW__CELERY__BROKER_URL: redis://:{c('compose broker password')}@redis:6379/0
      AIRFLOW_CONN_INVOICES: "mysql://billing:{c('compose conn password')}@billing/invoices"
""")
    (root / "webserver_config.py").write_text(f"""from flask_appbuilder.security.manager import AUTH_OAUTH, AUTH_LDAP
AUTH_TYPE = AUTH_OAUTH
SECRET_KEY = "{c('wsc SECRET_KEY')}"
AUTH_LDAP_BIND_PASSWORD = "{c('wsc ldap bind password')}"
OAUTH_PROVIDERS = [{{
    "name": "okta",
    "remote_app": {{
        "client_id": "airflow",
        "client_secret": "{c('wsc oauth client_secret')}",
        "api_base_url": "https://okta.example.com/oauth2/v1/",
    }},
}}]
""")
    (root / "values.yaml").write_text(f"""airflowVersion: "3.1.0"
fernetKey: {c('helm fernetKey')}
webserverSecretKey: {c('helm webserverSecretKey')}
data:
  metadataConnection:
    user: airflow
    pass: {c('helm metadataConnection pass')}
    host: db
webserver:
  defaultUser:
    enabled: true
    username: admin
    password: {c('helm defaultUser password')}
env:
  - name: AIRFLOW__SMTP__SMTP_PASSWORD
    value: {c('helm env smtp_password')}
  - name: AIRFLOW_CONN_CRM
    value: "postgresql://crm:{c('helm env conn password')}@crm/leads"
config:
  database:
    sql_alchemy_conn: "postgresql://u:{c('helm config conn password')}@db/airflow"
  smtp:
    smtp_password: {c('helm config smtp_password')}
apiServer:
  apiServerConfig: |
    from flask_appbuilder.security.manager import AUTH_OAUTH
    AUTH_TYPE = AUTH_OAUTH
    SECRET_KEY = "{c('helm apiServerConfig SECRET_KEY')}"
    AUTH_ROLE_PUBLIC = "Admin"
    OAUTH_PROVIDERS = [{{"name": "okta", "remote_app": {{"client_id": "airflow",
        "client_secret": "{c('helm apiServerConfig client_secret')}"}}}}]
    SQLALCHEMY_DATABASE_URI = "postgresql://u:{c('helm apiServerConfig uri password')}@db/airflow"
""")
    # Airflow 2: the webserver mounts webserver.webserverConfig; a quoted scalar and a templated line too.
    (root / "values-airflow2.yaml").write_text(f"""airflowVersion: "2.10.5"
webserver:
  webserverConfig: |-
    from flask_appbuilder.security.manager import AUTH_LDAP
    AUTH_TYPE = AUTH_LDAP
    SECRET_KEY = '{c('helm webserverConfig SECRET_KEY')}'
    AUTH_LDAP_BIND_PASSWORD = "{c('helm webserverConfig ldap bind password')}"
    AUTH_LDAP_SERVER = "ldap://ldap:389"
    WTF_CSRF_ENABLED = False
    {{{{- if .Values.webserverSecretKey }}}}
    AUTH_ROLE_PUBLIC = 'Admin'
    {{{{- end }}}}
    PASSWORD_FROM_TEMPLATE = '{{{{ .Values.webserverSecretKey }}}}'
webserverSecretKey: {c('helm webserverSecretKey for tpl')}
""")
    (root / "values-quoted.yaml").write_text(f"""airflowVersion: "2.10.5"
webserver:
  webserverConfig: "SECRET_KEY = '{c('helm quoted webserverConfig SECRET_KEY')}'\\nAUTH_ROLE_PUBLIC = 'Op'\\n"
""")
    dags = root / "dags"
    dags.mkdir()
    (dags / "leads.py").write_text(f"""from airflow.models import Connection
import requests

HUBSPOT_TOKEN = "pat-eu1-{c('dag hubspot token')}"
conn = Connection(conn_id="crm", conn_type="postgres", host="crm", login="u", password="{c('dag Connection password')}")
requests.get("https://api.example.com", headers={{"Authorization": "Bearer {c('dag bearer')}"}})
DB = "postgresql://u:{c('dag uri password')}@db/leads"
""")
    (root / "broken.cfg").write_text(f"""smtp_password = {c('broken line before section')}
[core]
{c('broken line without delimiter')} and more
""")


class CanaryApi(http.server.BaseHTTPRequestHandler):
    """Answers like an Airflow 3.1 API server whose answers hold the canaries. The shapes follow
    Airflow 3.1.8's published REST API spec (airflow-core/src/airflow/api_fastapi/core_api/openapi/
    v2-rest-api-generated.yaml at the 3.1.8 release, kept in shared/airflow-facts/openapi/
    airflow-3.1.8-api-v2.yaml): VersionInfo, Config (sections of options), ConnectionCollectionResponse,
    VariableCollectionResponse, ImportErrorCollectionResponse. What each answer holds is the test's:
    a secret in every field that can carry one, and a body that is not JSON."""

    def log_message(self, *args):
        pass

    def send(self, status, body, content_type="application/json"):
        data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        path = urllib.parse.urlparse(self.path).path
        c = canary
        if path == "/api/v2/version":
            return self.send(200, {"version": "3.1.0", "git_version": None})
        if path == "/api/v2/monitor/health":
            return self.send(200, {"metadatabase": {"status": "healthy"}, "scheduler": {"status": "healthy"}})
        if path == "/":
            return self.send(200, "<html><body>Airflow</body></html>", "text/html")
        if path == "/api/v2/config":
            return self.send(200, {"sections": [
                {"name": "core", "options": [{"key": "fernet_key", "value": c("api config fernet_key")}]},
                {"name": "database", "options": [
                    {"key": "sql_alchemy_conn", "value": f"postgresql://u:{c('api config conn password')}@db/a"}]},
                {"name": "smtp", "options": [{"key": "smtp_password", "value": c("api config smtp_password")}]},
                {"name": "api", "options": [{"key": "expose_config", "value": "True"}]},
            ]})
        if path == "/api/v2/connections":
            return self.send(200, {"connections": [
                {"connection_id": "crm", "conn_type": "postgres", "host": "crm-db", "login": "u",
                 "password": c("api connection password"), "schema": "leads", "port": 5432,
                 "extra": json.dumps({"client_secret": c("api connection extra client_secret"),
                                      "auth_type": "oauth"})},
                {"connection_id": "blob", "conn_type": "wasb", "host": "acct", "login": None, "password": None,
                 "extra": json.dumps({"connection_string": "AccountName=x;AccountKey=" + c("api extra AccountKey")})},
            ], "total_entries": 2})
        if path == "/api/v2/variables":
            return self.send(200, {"variables": [
                {"key": "stripe_api_key", "value": c("api variable stripe_api_key"), "description": None},
                {"key": "crm_settings", "value": json.dumps({"token": c("api variable json token")}),
                 "description": None},
            ], "total_entries": 2})
        if path == "/api/v2/importErrors":
            return self.send(200, {"import_errors": [
                {"import_error_id": 1, "filename": "/opt/airflow/dags/leads.py", "timestamp": "2026-11-01T00:00:00Z",
                 "stack_trace": "psycopg2.OperationalError: password=" + c("api import error password")}],
                "total_entries": 1})
        if path == "/api/v2/dags":
            # A broken answer: its body holds a secret and must not be quoted.
            return self.send(200, "<html>token=" + c("api broken body") + "</html>")
        if path == "/api/v2/providers":
            return self.send(200, {"providers": [], "total_entries": 0})
        return self.send(404, {"detail": "Not Found"})

    def do_POST(self):
        self.send(404, {"detail": "Not Found"})


def pieces(value: str):
    return {value[i:i + 6] for i in range(len(value) - 5)}


def main() -> int:
    binary = os.path.abspath(sys.argv[1])
    failures = []
    runs = 0
    with tempfile.TemporaryDirectory() as tmp:
        root = pathlib.Path(tmp) / "deploy"
        root.mkdir()
        write_deployment(root)
        out = pathlib.Path(tmp) / "out"
        out.mkdir()
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), CanaryApi)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}"
        # Register the canaries the server and the environment hand out, before the search below.
        for place in ("api config fernet_key", "api config conn password", "api config smtp_password",
                      "api connection password", "api connection extra client_secret", "api extra AccountKey",
                      "api variable stripe_api_key", "api variable json token", "api import error password",
                      "api broken body"):
            canary(place)
        token = canary("AIRGUARD_API_TOKEN")
        userinfo = canary("api-url userinfo password")
        fragment = canary("api-url fragment access_token")
        query = canary("api-url query token")
        creds = pathlib.Path(tmp) / "creds"
        creds.write_text(f"{canary('credentials file line without a key')}==\n")
        creds.chmod(0o600)

        formats = ["text", "json", "sarif", "junit", "markdown", "prometheus"]
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "AIRGUARD"))}
        env["AIRGUARD_API_TOKEN"] = token
        env["AWS_SECRET_ACCESS_KEY"] = canary("process env AWS_SECRET_ACCESS_KEY")
        env["AIRFLOW__CORE__FERNET_KEY"] = canary("process env fernet_key")
        files = ["--airflow-cfg", str(root / "airflow.cfg"), "--env-file", str(root / ".env"),
                 "--compose", str(root / "docker-compose.yaml"), "--webserver-config",
                 str(root / "webserver_config.py"), "--dags", str(root / "dags")]
        commands = []
        for fmt in formats:
            commands.append((f"scan files {fmt}", ["scan", *files, "--env", "--airflow-version", "3.1.0",
                                                   "--format", f"{fmt}={out / ('files.' + fmt)}", "--format", fmt]))
            commands.append((f"scan helm {fmt}", ["scan", "-f", str(root / "values.yaml"), "--set",
                                                  f"webserver.defaultUser.password={canary('helm --set password')}",
                                                  "--format", f"{fmt}={out / ('helm.' + fmt)}", "--format", fmt]))
            commands.append((f"scan embedded webserver config {fmt}",
                             ["scan", "-f", str(root / "values-airflow2.yaml"), "-f", str(root / "values-quoted.yaml"),
                              "--format", f"{fmt}={out / ('embedded.' + fmt)}", "--format", fmt]))
            commands.append((f"scan embedded webserver config quoted {fmt}",
                             ["scan", "-f", str(root / "values-quoted.yaml"), "--format", fmt]))
            commands.append((f"scan api {fmt}", ["scan", "--api-url", url, "--no-advisories", "--format",
                                                 f"{fmt}={out / ('api.' + fmt)}", "--format", fmt]))
        commands.append(("scan folder", ["scan", str(root), "--format", "json"]))
        commands.append(("scan helm with webserver_config.py", ["scan", "-f", str(root / "values-airflow2.yaml"),
                                                                "--webserver-config", str(root / "webserver_config.py")]))
        for fmt in ("text", "json"):
            for extra in ([], ["--all"]):
                commands.append((f"config {fmt} {extra}", ["config", "--airflow-cfg", str(root / "airflow.cfg"),
                                                           "--env-file", str(root / ".env"), "--env",
                                                           "--airflow-version", "3.1.0", "--format", fmt, *extra]))
                commands.append((f"config 2.10.5 {fmt} {extra}", ["config", "--airflow-cfg",
                                                                  str(root / "airflow.cfg"), "--airflow-version",
                                                                  "2.10.5", "--format", fmt, *extra]))
        # Error paths.
        commands.append(("broken cfg scan", ["scan", "--airflow-cfg", str(root / "broken.cfg"), "--format", "json"]))
        commands.append(("broken cfg config", ["config", "--airflow-cfg", str(root / "broken.cfg")]))
        commands.append(("bad --set", ["scan", "-f", str(root / "values.yaml"), "--set",
                                       f"a.b={canary('bad --set value')},{canary('bad --set after comma')}"]))
        commands.append(("bad --set without =", ["scan", "-f", str(root / "values.yaml"), "--set",
                                                 canary("bad --set without equals")]))
        commands.append(("credentials file", ["scan", "--api-url", url, "--api-credentials-file", str(creds)]))
        host = url.split("//", 1)[1]
        commands.append(("api-url userinfo", ["scan", "--api-url", f"http://admin:{userinfo}@{host}",
                                              "--no-advisories", "--format", "json"]))
        commands.append(("api-url fragment", ["scan", "--api-url", f"{url}/#access_token={fragment}",
                                              "--no-advisories", "--format", "json"]))
        commands.append(("api-url query", ["scan", "--api-url", f"{url}/?token={query}", "--no-advisories"]))

        for name, args in commands:
            runs += 1
            result = subprocess.run([binary, *args], cwd=tmp, env=env, capture_output=True, timeout=300)
            texts = {"stdout": result.stdout.decode(errors="replace"), "stderr": result.stderr.decode(errors="replace")}
            if result.returncode not in (0, 1, 2, 3):
                failures.append(f"{name}: exit {result.returncode}")
            for stream, text in texts.items():
                for value, place in CANARIES.items():
                    hit = next((p for p in pieces(value) if p in text), None)
                    if hit:
                        line = next(l for l in text.splitlines() if hit in l)
                        failures.append(f"{name}: {stream} shows the canary of '{place}': {line.strip()[:200]}")
        for written in sorted(out.iterdir()):
            text = written.read_text(errors="replace")
            for value, place in CANARIES.items():
                hit = next((p for p in pieces(value) if p in text), None)
                if hit:
                    line = next(l for l in text.splitlines() if hit in l)
                    failures.append(f"{written.name}: shows the canary of '{place}': {line.strip()[:200]}")
        # The control: --show-secrets prints the values on purpose, so the search must find them there;
        # a search that finds nothing there could not find a leak either.
        control = subprocess.run([binary, "config", "--airflow-cfg", str(root / "airflow.cfg"), "--airflow-version",
                                  "3.1.0", "--show-secrets"], cwd=tmp, env=env, capture_output=True, timeout=300)
        shown = control.stdout.decode(errors="replace")
        if not any(piece in shown for piece in pieces(canary("cfg smtp_password"))):
            failures.append("control: config --show-secrets did not show the planted smtp_password; the search is broken")
        server.shutdown()
    for failure in failures:
        print(failure)
    print(f"{runs} runs, {len(CANARIES)} canaries, {len(failures)} leaks")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
