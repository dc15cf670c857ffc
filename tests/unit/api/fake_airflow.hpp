#pragma once
// A fake Airflow web/API server on 127.0.0.1 for tests: answers /api/v1 (Airflow 2) or /api/v2 plus
// /auth (Airflow 3) over HTTP or HTTPS. Each behaviour models Airflow's own code: fake_airflow.cpp
// names the source file and commit beside it, so a test that passes here passes against Airflow.
#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace httplib {
class Server;
}

namespace airguard::testing {

struct FakeAirflowScenario {
  int major = 2;  // 2: /api/v1 (api_connexion, FAB); 3: /api/v2 with a JWT from POST /auth/token
  std::string version = "2.11.1";
  // How Airflow is configured to authenticate, as an operator would set it.
  std::string auth_manager = "fab";                  // Airflow 3 [core] auth_manager: "simple" or "fab" (provider 2.x)
  std::string auth_backends = "basic_auth,session";  // Airflow 2 [api] auth_backends: "session", "default", ...
  std::string auth_role_public;  // FAB's AUTH_ROLE_PUBLIC: "" (unset: FAB's "Public"), "none", "Viewer", "Admin"
  bool fab_users_api_reads_jwt = false;  // FAB provider 3.2.0 and later on Airflow 3 (users and roles on FastAPI)
  bool all_admins = false;               // Airflow 3 [core] simple_auth_manager_all_admins
  bool experimental_api = false;         // Airflow 2 [api] enable_experimental_api
  bool x_frame_enabled = true;           // Airflow 2 [webserver] x_frame_enabled
  std::string cors_allow_origins;        // [api] access_control_allow_origins ("*" or a list)
  std::string base_path;                 // served under this prefix ([api] base_url), e.g. "/airflow"
  bool sso_proxy = false;                // a single-sign-on proxy in front: every path redirects to its login page
  bool anonymous_open = false;           // shorthand: Simple all-admins on Airflow 3, AUTH_ROLE_PUBLIC = Admin on 2
  bool expose_config = false;            // /config answers (else 403 "expose_config")
  bool config_secrets_unmasked = false;
  int admins = 1;
  bool public_role_permissions = false;
  bool insecure_connections = false;  // http host, sslmode=disable, verify=false, visible secret in extra
  int extra_connections = 0;          // plain connections added, for pagination
  bool example_dags = false;
  bool sensitive_variables = false;  // card_number (unmasked), db_password (masked), a JSON-valued secret
  int extra_variables = 0;           // plain variables added, for pagination and the benchmark
  int extra_users = 0;               // Viewer users added, for pagination and the benchmark
  std::string username = "auditor";
  std::string password = "correct-horse-battery";
  std::string token = "static-api-token-123";
  bool default_admin_password = false;  // admin/admin works
  bool security_headers = true;         // HSTS, X-Frame-Options, secure session cookie
  bool server_version_header = false;   // Server: gunicorn/20.1.0
  int latency_ms = 0;                   // added to every answer
  bool hang = false;                    // API endpoints never answer (until the server stops)
  int error_status = 0;                 // API endpoints answer this status (e.g. 500)
  bool malformed_json = false;          // API endpoints answer broken JSON
  std::size_t oversized_bytes = 0;      // API endpoints answer a body this large
  std::string redirect_to;              // API endpoints redirect to this origin (e.g. http://127.0.0.2:PORT)
  // Hostile servers: every path, the anonymous ones too.
  bool redirect_everything = false;  // ... redirects to redirect_to
  bool redirect_loop = false;        // ... redirects to itself
  int status_everywhere = 0;         // ... answers this status (e.g. 401)
  bool slow_drip = false;            // ... sends its answer one byte per second
  std::size_t items_per_page = 0;    // list endpoints ignore `limit` and answer this many entries
};

struct TlsFiles {
  std::string dir;
  std::string ca_cert;
  std::string server_cert;
  std::string server_key;
};

// A throwaway CA and a server certificate for 127.0.0.1/localhost, valid `days` days from now.
TlsFiles make_test_certificates(const std::string& dir, int days = 30);

class FakeAirflow {
 public:
  explicit FakeAirflow(FakeAirflowScenario scenario, const TlsFiles* tls = nullptr);
  ~FakeAirflow();
  FakeAirflow(const FakeAirflow&) = delete;
  FakeAirflow& operator=(const FakeAirflow&) = delete;

  int port() const { return port_; }
  std::string url() const;  // http(s)://127.0.0.1:PORT
  // Authorization headers received, for "credentials never follow a redirect" tests.
  std::vector<std::string> authorization_headers() const;
  // Request paths received in order (without the query), for "this was (not) probed" tests.
  std::vector<std::string> paths() const;
  int requests() const { return requests_.load(); }

 private:
  void install_routes();

  FakeAirflowScenario scenario_;
  bool https_ = false;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> requests_{0};
  mutable std::mutex mutex_;
  std::vector<std::string> authorization_;
  std::vector<std::string> paths_;
};

// A temporary directory removed on destruction.
struct TempDir {
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string path;
};

}  // namespace airguard::testing
