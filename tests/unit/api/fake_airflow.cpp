#include "fake_airflow.hpp"

#include <httplib.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <nlohmann/json.hpp>

#include <sys/socket.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <stdexcept>

namespace airguard::testing {

namespace {

using nlohmann::json;

EVP_PKEY* make_key() {
  EVP_PKEY* key = EVP_RSA_gen(2048);
  if (key == nullptr) throw std::runtime_error("RSA key generation failed");
  return key;
}

void add_extension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

X509* make_cert(EVP_PKEY* key, const char* common_name, X509* issuer, EVP_PKEY* issuer_key, int days, long serial) {
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), serial);
  X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert), static_cast<long>(days) * 24 * 3600);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(common_name), -1, -1, 0);
  X509_set_issuer_name(cert, issuer != nullptr ? X509_get_subject_name(issuer) : name);
  X509* signer = issuer != nullptr ? issuer : cert;
  if (issuer == nullptr) {
    add_extension(cert, signer, NID_basic_constraints, "critical,CA:TRUE");
    add_extension(cert, signer, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    add_extension(cert, signer, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1");
    add_extension(cert, signer, NID_ext_key_usage, "serverAuth");
  }
  X509_sign(cert, issuer_key != nullptr ? issuer_key : key, EVP_sha256());
  return cert;
}

void write_pem(const std::string& path, X509* cert, EVP_PKEY* key) {
  FILE* file = std::fopen(path.c_str(), "w");
  if (file == nullptr) throw std::runtime_error("cannot write " + path);
  if (cert != nullptr) PEM_write_X509(file, cert);
  if (key != nullptr) PEM_write_PrivateKey(file, key, nullptr, nullptr, 0, nullptr, nullptr);
  std::fclose(file);
}

std::string base64_decode(const std::string& text) {
  std::string out(text.size(), '\0');
  const int length =
      EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()), reinterpret_cast<const unsigned char*>(text.data()),
                      static_cast<int>(text.size()));
  if (length < 0) return {};
  out.resize(static_cast<std::size_t>(length));
  while (!out.empty() && out.back() == '\0') out.pop_back();
  return out;
}

// A list far larger than any page asked for, built as text (a json value of this size is slow).
std::string huge_page(const char* key, std::size_t items) {
  std::string body = std::string("{\"") + key + "\": [";
  body.reserve(items * 64);
  const std::string id_key = std::string(key) == "dags"            ? "dag_id"
                             : std::string(key) == "connections"   ? "connection_id"
                             : std::string(key) == "variables"     ? "key"
                             : std::string(key) == "users"         ? "username"
                             : std::string(key) == "import_errors" ? "filename"
                                                                   : "name";
  for (std::size_t i = 0; i < items; ++i) {
    if (i > 0) body += ',';
    body += "{\"" + id_key + "\": \"item_" + std::to_string(i) + "\", \"conn_type\": \"postgres\"}";
  }
  body += "], \"total_entries\": " + std::to_string(items * 10) + "}";
  return body;
}

json paginate(const httplib::Request& req, const char* key, const json& all) {
  const std::size_t limit = req.has_param("limit") ? std::stoul(req.get_param_value("limit")) : 100;
  const std::size_t offset = req.has_param("offset") ? std::stoul(req.get_param_value("offset")) : 0;
  json page = json::array();
  for (std::size_t i = offset; i < all.size() && i < offset + limit; ++i) page.push_back(all[i]);
  return json{{key, page}, {"total_entries", all.size()}};
}

}  // namespace

TlsFiles make_test_certificates(const std::string& dir, int days) {
  TlsFiles files{dir, dir + "/ca.pem", dir + "/server.pem", dir + "/server.key"};
  EVP_PKEY* ca_key = make_key();
  X509* ca = make_cert(ca_key, "airguard test CA", nullptr, nullptr, 3650, 1);
  EVP_PKEY* server_key = make_key();
  X509* server = make_cert(server_key, "127.0.0.1", ca, ca_key, days, 2);
  write_pem(files.ca_cert, ca, nullptr);
  write_pem(files.server_cert, server, nullptr);
  write_pem(files.server_key, nullptr, server_key);
  X509_free(server);
  X509_free(ca);
  EVP_PKEY_free(server_key);
  EVP_PKEY_free(ca_key);
  return files;
}

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "airguard-api-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path = pattern;
}
TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
}

FakeAirflow::FakeAirflow(FakeAirflowScenario scenario, const TlsFiles* tls) : scenario_(std::move(scenario)) {
  if (tls != nullptr) {
    https_ = true;
    server_ = std::make_unique<httplib::SSLServer>(tls->server_cert.c_str(), tls->server_key.c_str());
  } else {
    server_ = std::make_unique<httplib::Server>();
  }
  // Enough workers for a batch of concurrent probes; keep-alive connections hold a worker each.
  server_->new_task_queue = [] { return new httplib::ThreadPool(64); };
  server_->set_keep_alive_timeout(1);
  install_routes();
  // cpp-httplib 0.11 listens with a backlog of 5 (compiled into the library): a burst of twenty
  // connections then loses SYNs and waits a second for the retransmit. Keep the socket's handle
  // and listen again with a longer queue, which Linux allows on a listening socket.
  auto listening_socket = std::make_shared<int>(-1);
  server_->set_socket_options([listening_socket](socket_t sock) {
    httplib::default_socket_options(sock);
    *listening_socket = sock;
  });
  port_ = server_->bind_to_any_port("127.0.0.1");
  if (*listening_socket >= 0) ::listen(*listening_socket, 256);
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  for (int i = 0; i < 500 && !server_->is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(2));
}

FakeAirflow::~FakeAirflow() {
  stopping_ = true;
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

std::string FakeAirflow::url() const {
  return (https_ ? "https://127.0.0.1:" : "http://127.0.0.1:") + std::to_string(port_);
}

std::vector<std::string> FakeAirflow::authorization_headers() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return authorization_;
}

void FakeAirflow::install_routes() {
  const FakeAirflowScenario& s = scenario_;
  const std::string api = s.major == 2 ? "/api/v1" : "/api/v2";
  const std::string users_api = s.major == 2 ? "/api/v1" : "/auth/fab/v1";

  auto send_json = [](httplib::Response& res, int status, const json& body) {
    res.status = status;
    res.set_content(body.dump(), "application/json");
  };

  // Who is calling? "" = nobody.
  auto caller = [this, &s](const httplib::Request& req) -> std::string {
    const std::string header = req.get_header_value("Authorization");
    if (!header.empty()) {
      std::lock_guard<std::mutex> lock(mutex_);
      authorization_.push_back(header);
    }
    if (header.rfind("Bearer ", 0) == 0) {
      const std::string token = header.substr(7);
      if (token == s.token) return s.username;
      if (s.major == 3 && token == "jwt-for-" + s.username) return s.username;
      if (s.major == 3 && s.default_admin_password && token == "jwt-for-admin") return "admin";
      return "";
    }
    if (s.major == 2 && header.rfind("Basic ", 0) == 0) {
      const std::string pair = base64_decode(header.substr(6));
      if (pair == s.username + ":" + s.password) return s.username;
      if (s.default_admin_password && pair == "admin:admin") return "admin";
    }
    return "";
  };

  // Built once: the list endpoints of a server with huge pages answer them to every request.
  auto huge_pages = std::make_shared<std::map<std::string, std::string>>();
  if (s.items_per_page > 0) {
    for (const char* key : {"users", "roles", "connections", "variables", "dags", "importErrors"}) {
      (*huge_pages)[key] = huge_page(std::string(key) == "importErrors" ? "import_errors" : key, s.items_per_page);
    }
  }

  // Common behaviour of the data endpoints: faults, then authentication.
  auto guarded = [this, &s, caller, send_json,
                  huge_pages](std::function<void(const httplib::Request&, httplib::Response&)> body) {
    return [this, &s, caller, send_json, body, huge_pages](const httplib::Request& req, httplib::Response& res) {
      ++requests_;
      if (s.latency_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(s.latency_ms));
      if (s.hang) {
        for (int i = 0; i < 1000 && !stopping_; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
        return;
      }
      const std::string who = caller(req);
      if (!s.redirect_to.empty()) {
        res.status = 302;
        res.set_header("Location", s.redirect_to + req.path);
        return;
      }
      if (who.empty() && !s.anonymous_open) {
        if (s.major == 2) {
          send_json(res, 401,
                    {{"detail", "None"}, {"status", 401}, {"title", "Unauthorized"}, {"type", "about:blank"}});
        } else {
          send_json(res, 401, {{"detail", "Not authenticated"}});
        }
        return;
      }
      if (s.error_status != 0) {
        send_json(res, s.error_status, {{"detail", "Internal Server Error"}});
        return;
      }
      if (s.malformed_json) {
        res.status = 200;
        res.set_content("{\"connections\": [ {\"connection_id\": ", "application/json");
        return;
      }
      if (s.oversized_bytes > 0) {
        res.status = 200;
        res.set_content(std::string(s.oversized_bytes, ' ') + "{}", "application/json");
        return;
      }
      for (const auto& [key, page] : *huge_pages) {
        if (req.path.ends_with("/" + key)) {
          res.status = 200;
          // With a charset the type is not one cpp-httplib compresses: brotli over megabytes takes minutes.
          res.set_content(page, "application/json; charset=utf-8");
          return;
        }
      }
      body(req, res);
    };
  };

  auto anonymous = [this, &s](std::function<void(const httplib::Request&, httplib::Response&)> body) {
    return [this, &s, body](const httplib::Request& req, httplib::Response& res) {
      ++requests_;
      if (s.latency_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(s.latency_ms));
      if (s.hang) {
        for (int i = 0; i < 1000 && !stopping_; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
        return;
      }
      body(req, res);
    };
  };

  // A hanging server hangs on every path, known or not; the other hostile servers misbehave on
  // every path too.
  server_->set_pre_routing_handler([this, &s](const httplib::Request& req, httplib::Response& res) {
    if (s.hang) {
      ++requests_;
      for (int i = 0; i < 1000 && !stopping_; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
      return httplib::Server::HandlerResponse::Handled;
    }
    if (s.redirect_everything || s.redirect_loop) {
      ++requests_;
      res.status = 302;
      res.set_header("Location", (s.redirect_loop ? url() : s.redirect_to) + req.target);
      return httplib::Server::HandlerResponse::Handled;
    }
    if (s.status_everywhere != 0) {
      ++requests_;
      res.status = s.status_everywhere;
      res.set_content("{\"detail\": \"Not authenticated\"}", "application/json");
      return httplib::Server::HandlerResponse::Handled;
    }
    if (s.slow_drip) {
      ++requests_;
      res.status = 200;
      res.set_chunked_content_provider("application/json", [this](std::size_t offset, httplib::DataSink& sink) {
        static const std::string body = "{\"dags\": [], \"total_entries\": 0}";
        if (offset >= body.size()) {
          sink.done();
          return true;
        }
        for (int i = 0; i < 100 && !stopping_; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
        if (stopping_) return false;
        return sink.write(body.data() + offset, 1);
      });
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });

  server_->Get(api + "/version", anonymous([&s, send_json](const httplib::Request&, httplib::Response& res) {
                 send_json(res, 200, {{"version", s.version}, {"git_version", nullptr}});
               }));
  server_->Get(s.major == 2 ? "/api/v1/health" : "/api/v2/monitor/health",
               anonymous([send_json](const httplib::Request&, httplib::Response& res) {
                 send_json(res, 200,
                           {{"metadatabase", {{"status", "healthy"}}},
                            {"scheduler",
                             {{"status", "healthy"}, {"latest_scheduler_heartbeat", "2026-03-01T10:00:00+00:00"}}}});
               }));
  server_->Get("/", anonymous([&s](const httplib::Request&, httplib::Response& res) {
                 res.status = 200;
                 res.set_content("<html><body>Airflow</body></html>", "text/html");
                 if (s.security_headers) {
                   res.set_header("Strict-Transport-Security", "max-age=31536000");
                   res.set_header("X-Frame-Options", "DENY");
                   if (s.major == 2)
                     res.set_header("Set-Cookie", "session=abc123; Secure; HttpOnly; Path=/; SameSite=Lax");
                 } else if (s.major == 2) {
                   res.set_header("Set-Cookie", "session=abc123; Path=/");
                 }
                 if (s.server_version_header) res.set_header("Server", "gunicorn/20.1.0");
               }));
  server_->Post("/auth/token", anonymous([&s, send_json](const httplib::Request& req, httplib::Response& res) {
                  if (s.major != 3) {
                    send_json(res, 404, {{"detail", "Not Found"}});
                    return;
                  }
                  const json body = json::parse(req.body, nullptr, false);
                  const std::string user = body.is_object() ? body.value("username", "") : "";
                  const std::string password = body.is_object() ? body.value("password", "") : "";
                  if ((user == s.username && password == s.password) ||
                      (s.default_admin_password && user == "admin" && password == "admin")) {
                    send_json(res, 201, {{"access_token", "jwt-for-" + user}});
                  } else {
                    send_json(res, 401, {{"detail", "Invalid credentials"}});
                  }
                }));

  server_->Get(
      api + "/config", guarded([&s, send_json](const httplib::Request&, httplib::Response& res) {
        if (!s.expose_config) {
          send_json(res, 403,
                    {{"detail",
                      "Your Airflow administrator chose not to expose the configuration, most likely for security "
                      "reasons."}});
          return;
        }
        const std::string secret =
            s.config_secrets_unmasked ? "Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWo=" : "< hidden >";
        send_json(res, 200,
                  {{"sections",
                    json::array({{{"name", "core"},
                                  {"options", json::array({{{"key", "fernet_key"}, {"value", secret}},
                                                           {{"key", "load_examples"}, {"value", "True"}}})}},
                                 {{"name", "database"},
                                  {"options", json::array({{{"key", "sql_alchemy_conn"},
                                                            {"value", s.config_secrets_unmasked
                                                                          ? "postgresql://airflow:dbpass99@db/airflow"
                                                                          : "< hidden >"}}})}}})}});
      }));
  server_->Get(
      api + "/providers", guarded([send_json](const httplib::Request&, httplib::Response& res) {
        send_json(
            res, 200,
            {{"providers",
              json::array(
                  {{{"package_name", "apache-airflow-providers-http"}, {"description", "HTTP"}, {"version", "4.1.0"}},
                   {{"package_name", "apache-airflow-providers-fab"}, {"description", "FAB"}, {"version", "1.5.0"}}})},
             {"total_entries", 2}});
      }));
  server_->Get(users_api + "/users", guarded([&s, send_json](const httplib::Request& req, httplib::Response& res) {
                 json users = json::array();
                 users.push_back({{"username", s.username},
                                  {"roles", json::array({{{"name", "Viewer"}}})},
                                  {"active", true},
                                  {"last_login", "2026-02-20T10:00:00+00:00"}});
                 users.push_back({{"username", "admin"},
                                  {"roles", json::array({{{"name", "Admin"}}})},
                                  {"active", true},
                                  {"last_login", "2025-06-01T10:00:00+00:00"}});
                 for (int i = 1; i < s.admins; ++i) {
                   users.push_back({{"username", "admin" + std::to_string(i)},
                                    {"roles", json::array({{{"name", "Admin"}}})},
                                    {"active", true},
                                    {"last_login", nullptr}});
                 }
                 send_json(res, 200, paginate(req, "users", users));
               }));
  server_->Get(users_api + "/roles", guarded([&s, send_json](const httplib::Request& req, httplib::Response& res) {
                 json public_actions = json::array();
                 if (s.public_role_permissions)
                   public_actions.push_back({{"action", {{"name", "can_read"}}}, {"resource", {{"name", "DAGs"}}}});
                 json roles = json::array({{{"name", "Admin"},
                                            {"actions", json::array({{{"action", {{"name", "can_read"}}},
                                                                      {"resource", {{"name", "Connections"}}}}})}},
                                           {{"name", "Public"}, {"actions", public_actions}}});
                 send_json(res, 200, paginate(req, "roles", roles));
               }));
  auto connections = [&s]() {
    json all = json::array();
    all.push_back(
        {{"connection_id", "postgres_default"},
         {"conn_type", "postgres"},
         {"host", "db"},
         {"port", 5432},
         {"schema", "airflow"},
         {"login", "airflow"},
         {"extra", s.insecure_connections ? "{\"sslmode\": \"disable\"}" : "{\"sslmode\": \"verify-full\"}"}});
    if (s.insecure_connections) {
      all.push_back({{"connection_id", "billing_api"},
                     {"conn_type", "http"},
                     {"host", "http://billing.internal"},
                     {"port", nullptr},
                     {"extra", "{\"verify\": false, \"client_secret_value\": \"s3cr3t-in-extra\"}"}});
    }
    for (int i = 0; i < s.extra_connections; ++i) {
      all.push_back({{"connection_id", "conn_" + std::to_string(i)},
                     {"conn_type", "postgres"},
                     {"host", "db" + std::to_string(i)},
                     {"port", 5432},
                     {"extra", "{}"}});
    }
    return all;
  };
  server_->Get(api + "/connections",
               guarded([&s, send_json, connections](const httplib::Request& req, httplib::Response& res) {
                 json all = connections();
                 if (s.major == 2) {  // the 2.x collection items carry no extra and no password
                   for (json& item : all) item.erase("extra");
                 }
                 send_json(res, 200, paginate(req, "connections", all));
               }));
  server_->Get(api + R"(/connections/([^/]+))",
               guarded([send_json, connections](const httplib::Request& req, httplib::Response& res) {
                 for (const json& item : connections()) {
                   if (item["connection_id"] == req.matches[1].str()) {
                     send_json(res, 200, item);
                     return;
                   }
                 }
                 send_json(res, 404, {{"detail", "not found"}});
               }));
  server_->Get(api + "/variables", guarded([&s, send_json](const httplib::Request& req, httplib::Response& res) {
                 json all = json::array({{{"key", "environment"}, {"value", "prod"}}});
                 if (s.sensitive_variables) {
                   all.push_back({{"key", "customer_card_number"}, {"value", "4111111111111111"}});
                   all.push_back({{"key", "db_password"}, {"value", "***"}});
                 }
                 if (s.major == 2) {
                   for (json& item : all) item.erase("value");
                 }
                 send_json(res, 200, paginate(req, "variables", all));
               }));
  server_->Get(api + "/dags", guarded([&s, send_json](const httplib::Request& req, httplib::Response& res) {
                 json all = json::array({{{"dag_id", "billing_etl"}, {"is_paused", false}}});
                 if (s.example_dags) {
                   all.push_back({{"dag_id", "example_bash_operator"}, {"is_paused", true}});
                   all.push_back({{"dag_id", "tutorial"}, {"is_paused", true}});
                 }
                 send_json(res, 200, paginate(req, "dags", all));
               }));
  server_->Get(
      api + "/importErrors", guarded([send_json](const httplib::Request& req, httplib::Response& res) {
        json all = json::array(
            {{{"import_error_id", 1},
              {"filename", "/opt/airflow/dags/broken.py"},
              {"stack_trace", "Traceback (most recent call last):\n  File \"/opt/airflow/dags/broken.py\", line 3"},
              {"timestamp", "2026-03-01T10:00:00+00:00"}}});
        send_json(res, 200, paginate(req, "import_errors", all));
      }));
}

}  // namespace airguard::testing
