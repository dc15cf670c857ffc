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
  if (scenario_.anonymous_open) {
    // What opens a real server to everyone: the all-admins mode of Airflow 3's Simple auth manager,
    // or AUTH_ROLE_PUBLIC = "Admin" with FAB on Airflow 2.
    if (scenario_.major == 3) {
      scenario_.auth_manager = "simple";
      scenario_.all_admins = true;
    } else {
      scenario_.auth_role_public = "Admin";
    }
  }
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

std::vector<std::string> FakeAirflow::paths() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return paths_;
}

// Sources, Apache Airflow's repository (github.com/apache/airflow):
//   A2 = 4ef847b7d2 (main of 2024-07-31, the code Airflow 2.10 shipped): airflow/api_connexion,
//        airflow/www, airflow/api/auth/backend, airflow/providers/fab.
//   A3 = 5fdd5b66d1 (main of 2025-09-19, the code Airflow 3.1 shipped): airflow-core/src/airflow/
//        api_fastapi (abbreviated api_fastapi/ below) and providers/fab.
void FakeAirflow::install_routes() {
  const FakeAirflowScenario& s = scenario_;
  const std::string root = s.base_path;  // A3 api_fastapi/app.py: the app's root_path is [api] base_url's path
  const std::string api = root + (s.major == 2 ? "/api/v1" : "/api/v2");
  const std::string users_api = root + (s.major == 2 ? "/api/v1" : "/auth/fab/v1");
  const bool simple = s.major == 3 && s.auth_manager == "simple";
  const auto has_backend = [&s](std::string_view name) { return s.auth_backends.find(name) != std::string::npos; };

  auto send_json = [](httplib::Response& res, int status, const json& body) {
    res.status = status;
    res.set_content(body.dump(), "application/json");
  };
  // A2 airflow/api_connexion/exceptions.py: errors are problem+json documents.
  auto problem = [send_json](httplib::Response& res, int status, const char* title) {
    send_json(res, status,
              {{"detail", nullptr},
               {"status", status},
               {"title", title},
               {"type", std::string("https://airflow.apache.org/docs/apache-airflow/2.10.0/stable-rest-api-ref.html#") +
                            "section/Errors/" + (status == 401 ? "Unauthenticated" : "PermissionDenied")}});
  };
  auto html = [](httplib::Response& res, int status, const std::string& body) {
    res.status = status;
    res.set_content(body, "text/html; charset=utf-8");
  };

  // Who is calling, and may they read? Airflow 2: the [api] auth_backends in turn
  // (A2 airflow/api_connexion/security.py check_authentication), then the role's permissions.
  // Airflow 3: the JWT (A3 api_fastapi/core_api/security.py resolve_user_from_token).
  struct Caller {
    enum class Kind { nobody, bad_token, expired_token, user, anonymous_role } kind = Kind::nobody;
    std::string name;
    std::string role;  // for anonymous_role: the AUTH_ROLE_PUBLIC role
  };
  auto caller = [this, &s, has_backend, simple](const httplib::Request& req) -> Caller {
    const std::string header = req.get_header_value("Authorization");
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!header.empty()) authorization_.push_back(header);
    }
    if (s.major == 3) {
      // A3 api_fastapi/core_api/app.py init_middlewares + auth/managers/simple/middleware.py: in the
      // all-admins mode every request is given an admin's token before it is handled.
      if (simple && s.all_admins && header.empty()) return {Caller::Kind::user, "admin", "Admin"};
      if (header.rfind("Bearer ", 0) != 0) return {};  // 401 "Not authenticated"
      const std::string token = header.substr(7);
      if (token == "jwt-for-" + s.username || token == s.token) return {Caller::Kind::user, s.username, "Admin"};
      if (s.default_admin_password && token == "jwt-for-admin") return {Caller::Kind::user, "admin", "Admin"};
      if (simple && s.all_admins && token.rfind("jwt-for-", 0) == 0) return {Caller::Kind::user, "admin", "Admin"};
      if (token == "expired-jwt") return {Caller::Kind::expired_token, "", ""};  // 401 "Token Expired"
      return {Caller::Kind::bad_token, "", ""};                                  // 403 "Invalid JWT token"
    }
    // Airflow 2. A bearer token is what an identity-token backend (such as the Google provider's
    // google_openid) accepts; the tests use it for a "token" credential.
    if (header.rfind("Bearer ", 0) == 0 && header.substr(7) == s.token)
      return {Caller::Kind::user, s.username, "Admin"};
    if (has_backend("basic_auth") && header.rfind("Basic ", 0) == 0) {
      // A2 airflow/providers/fab/auth_manager/api/auth/backend/basic_auth.py: auth_user_db, else 401.
      const std::string pair = base64_decode(header.substr(6));
      if (pair == s.username + ":" + s.password) return {Caller::Kind::user, s.username, "Admin"};
      if (s.default_admin_password && pair == "admin:admin") return {Caller::Kind::user, "admin", "Admin"};
    }
    if (has_backend("session")) {
      // A2 airflow/providers/fab/auth_manager/api/auth/backend/session.py: the UI's login session.
      const std::string cookie = req.get_header_value("Cookie");
      const auto at = cookie.find("session=sess-");
      if (at != std::string::npos) {
        const std::string user = cookie.substr(at + 13, cookie.find(';', at) - at - 13);
        if (user == s.username || (s.default_admin_password && user == "admin"))
          return {Caller::Kind::user, user, "Admin"};
      }
    }
    // A2 airflow/providers/fab/auth_manager/security_manager/override.py:817-826 _init_config:
    // AUTH_ROLE_PUBLIC defaults to "Public" when webserver_config.py does not set it; A2
    // airflow/api_connexion/security.py:46-60 check_authentication (since 21f08ddd93, 2.9.1): with
    // any AUTH_ROLE_PUBLIC the caller passes as anonymous and is judged by that role (403 when it
    // may not), whatever the backends; the `default` backend (airflow/api/auth/backend/default.py)
    // lets everyone through the same way. Only AUTH_ROLE_PUBLIC = None gives 401.
    const std::string public_role = s.auth_role_public.empty()     ? std::string("Public")
                                    : s.auth_role_public == "none" ? std::string()
                                                                   : s.auth_role_public;
    if (!public_role.empty() || has_backend("default")) return {Caller::Kind::anonymous_role, "", public_role};
    return {};
  };
  // What an anonymous caller with FAB's role may read (A2 airflow/providers/fab/auth_manager/
  // security_manager/override.py: Viewer reads DAGs and import errors, not connections,
  // variables, configuration or users; Admin reads everything).
  auto role_may_read = [&s](const std::string& role, const std::string& path) {
    if (role == "Admin") return true;
    if (role == "Public") return s.public_role_permissions && path.ends_with("/dags");
    if (role == "Viewer")
      return path.ends_with("/dags") || path.ends_with("/importErrors") || path.ends_with("/providers");
    return false;
  };

  auto huge_pages = std::make_shared<std::map<std::string, std::string>>();
  if (s.items_per_page > 0) {
    for (const char* key : {"users", "roles", "connections", "variables", "dags", "importErrors"}) {
      (*huge_pages)[key] = huge_page(std::string(key) == "importErrors" ? "import_errors" : key, s.items_per_page);
    }
  }

  // Answers every request the same way first: latency, hanging, and the record of paths.
  auto arrive = [this, &s](const httplib::Request& req) {
    ++requests_;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      paths_.push_back(req.path);
    }
    if (s.latency_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(s.latency_ms));
    if (s.hang) {
      for (int i = 0; i < 1000 && !stopping_; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
      return false;
    }
    return true;
  };

  // The data endpoints: faults, then authentication and authorisation as the version does them.
  using Handler = std::function<void(const httplib::Request&, httplib::Response&)>;
  auto guarded = [&s, arrive, caller, role_may_read, send_json, problem, huge_pages](Handler body) {
    return [&s, arrive, caller, role_may_read, send_json, problem, body, huge_pages](const httplib::Request& req,
                                                                                     httplib::Response& res) {
      if (!arrive(req)) return;
      const Caller who = caller(req);
      if (!s.redirect_to.empty()) {
        res.status = 302;
        res.set_header("Location", s.redirect_to + req.path);
        return;
      }
      if (s.major == 3) {
        if (who.kind == Caller::Kind::nobody) return send_json(res, 401, {{"detail", "Not authenticated"}});
        if (who.kind == Caller::Kind::expired_token) return send_json(res, 401, {{"detail", "Token Expired"}});
        if (who.kind == Caller::Kind::bad_token) return send_json(res, 403, {{"detail", "Invalid JWT token"}});
      } else {
        if (who.kind == Caller::Kind::nobody) return problem(res, 401, "Unauthorized");
        // A2 airflow/api_connexion/security.py requires_access: authenticated, not permitted: 403.
        if (who.kind == Caller::Kind::anonymous_role && !role_may_read(who.role, req.path))
          return problem(res, 403, "Forbidden");
      }
      if (s.error_status != 0) return send_json(res, s.error_status, {{"detail", "Internal Server Error"}});
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
  auto anonymous = [arrive](Handler body) {
    return [arrive, body](const httplib::Request& req, httplib::Response& res) {
      if (!arrive(req)) return;
      body(req, res);
    };
  };

  // Hostile servers and what stands in front of Airflow misbehave on every path.
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
    if (s.sso_proxy) {
      // A single-sign-on proxy (an OAuth2 proxy, a managed platform's front end): nothing reaches
      // Airflow without its own login; API clients get 401 and its login page.
      ++requests_;
      res.status = 401;
      res.set_header("WWW-Authenticate", "Bearer realm=\"sso\"");
      res.set_content("<!DOCTYPE html><html><head><title>Sign in</title></head><body>Sign in to continue</body></html>",
                      "text/html; charset=utf-8");
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

  // Headers added to every answer.
  server_->set_post_routing_handler([&s](const httplib::Request& req, httplib::Response& res) {
    // A2 airflow/www/extensions/init_security.py init_xframe_protection: X-Frame-Options: DENY on
    // every answer, only when [webserver] x_frame_enabled = False. Airflow 3 sends none (A3
    // api_fastapi/core_api/app.py adds no such header).
    if (s.major == 2 && !s.x_frame_enabled) res.set_header("X-Frame-Options", "DENY");
    if (s.server_version_header) res.set_header("Server", "gunicorn/20.1.0");
    const std::string origin = req.get_header_value("Origin");
    if (s.cors_allow_origins.empty() || origin.empty()) return;
    if (s.major == 3) {
      // A3 api_fastapi/core_api/app.py init_config: Starlette's CORSMiddleware with
      // allow_credentials=True; with "*" and a cookie in the request it echoes the Origin.
      const bool any = s.cors_allow_origins == "*";
      const bool listed = s.cors_allow_origins.find(origin) != std::string::npos;
      if (any && req.has_header("Cookie")) {
        res.set_header("Access-Control-Allow-Origin", origin);
      } else if (any) {
        res.set_header("Access-Control-Allow-Origin", "*");
      } else if (listed) {
        res.set_header("Access-Control-Allow-Origin", origin);
      } else {
        return;
      }
      res.set_header("Access-Control-Allow-Credentials", "true");
    } else {
      // A2 airflow/www/extensions/init_views.py set_cors_headers_on_response: "*" as such, or the
      // Origin when it is listed; never credentials.
      if (s.cors_allow_origins == "*") {
        res.set_header("Access-Control-Allow-Origin", "*");
      } else if (s.cors_allow_origins.find(origin) != std::string::npos) {
        res.set_header("Access-Control-Allow-Origin", origin);
      }
    }
  });

  // ---- anonymous endpoints -------------------------------------------------------------------
  // A2 airflow/api_connexion/openapi/v1.yaml and A3 api_fastapi/core_api/routes/public/version.py,
  // monitor.py: version and health need no credentials.
  server_->Get(api + "/version", anonymous([&s, send_json](const httplib::Request&, httplib::Response& res) {
                 send_json(res, 200, {{"version", s.version}, {"git_version", nullptr}});
               }));
  server_->Get(root + (s.major == 2 ? "/api/v1/health" : "/api/v2/monitor/health"),
               anonymous([send_json](const httplib::Request&, httplib::Response& res) {
                 send_json(res, 200,
                           {{"metadatabase", {{"status", "healthy"}}},
                            {"scheduler",
                             {{"status", "healthy"}, {"latest_scheduler_heartbeat", "2026-03-01T10:00:00+00:00"}}}});
               }));
  auto ui_page = [&s, html](const httplib::Request&, httplib::Response& res) {
    html(res, 200,
         "<!DOCTYPE html><html><head><title>Airflow</title></head><body><div id=\"root\"></div></body></html>");
    if (s.security_headers) {  // what a TLS-terminating proxy in front adds
      res.set_header("Strict-Transport-Security", "max-age=31536000");
      res.set_header("X-Frame-Options", "DENY");
    }
    if (s.major == 2) {
      // A2 airflow/www/app.py: Flask's session cookie; Secure from [webserver] cookie_secure,
      // SameSite from [webserver] cookie_samesite (Lax), HttpOnly always.
      res.set_header("Set-Cookie", s.security_headers ? "session=anon-1; Secure; HttpOnly; Path=/; SameSite=Lax"
                                                      : "session=anon-1; HttpOnly; Path=/; SameSite=Lax");
    }
  };
  if (s.major == 2) {
    // A2 airflow/www/views.py Airflow.index: the home page needs a login (FAB redirects to
    // /login/); shown here as the page itself with the session cookie, as before.
    server_->Get(root + "/", anonymous(ui_page));
    server_->Get(root + "/home", anonymous(ui_page));
    // A2 FAB's AuthDBView (flask_appbuilder/security/views.py) through airflow/www: GET /login/
    // shows a form with a CSRF token; POST /login/ redirects home with a new session on success,
    // back to /login/ on failure (the same for an unknown user and a wrong password).
    server_->Get(root + "/login/", anonymous([html](const httplib::Request&, httplib::Response& res) {
                   html(res, 200,
                        "<!DOCTYPE html><html><body><form method=\"post\" action=\"\">"
                        "<input id=\"csrf_token\" name=\"csrf_token\" type=\"hidden\" value=\"csrf-0123456789\">"
                        "<input id=\"username\" name=\"username\"><input id=\"password\" name=\"password\" "
                        "type=\"password\"></form></body></html>");
                   res.set_header("Set-Cookie", "session=anon-login; HttpOnly; Path=/; SameSite=Lax");
                 }));
    server_->Post(root + "/login/", anonymous([&s, root](const httplib::Request& req, httplib::Response& res) {
                    const bool has_session =
                        req.get_header_value("Cookie").find("session=anon-login") != std::string::npos;
                    const bool csrf_ok = req.get_param_value("csrf_token") == "csrf-0123456789" && has_session;
                    const std::string user = req.get_param_value("username");
                    const std::string password = req.get_param_value("password");
                    const bool valid = (user == s.username && password == s.password) ||
                                       (s.default_admin_password && user == "admin" && password == "admin");
                    res.status = 302;
                    if (csrf_ok && valid) {
                      res.set_header("Location", root + "/home");
                      res.set_header("Set-Cookie", "session=sess-" + user + "; HttpOnly; Path=/; SameSite=Lax");
                    } else {
                      res.set_header("Location", root + "/login/");
                    }
                  }));
    // A2 airflow/www/extensions/init_views.py init_api_connexion: Swagger UI at /api/v1/ui/ while
    // [webserver] enable_swagger_ui = True (the default), without credentials.
    server_->Get(root + "/api/v1/ui/", anonymous([html](const httplib::Request&, httplib::Response& res) {
                   html(res, 200,
                        "<!DOCTYPE html><html><head><title>Swagger UI</title><link rel=\"stylesheet\" "
                        "href=\"swagger-ui.css\"></head><body><div id=\"swagger-ui\"></div>"
                        "<script>SwaggerUIBundle({url: \"/api/v1/openapi.yaml\"})</script></body></html>");
                 }));
    // A2 airflow/www/extensions/init_views.py:317-332 init_api_experimental: only with [api]
    // enable_experimental_api (else the HTML 404 page); A2 airflow/www/api/experimental/
    // endpoints.py:49-57 requires_authentication asks the FIRST backend alone, with no
    // AUTH_ROLE_PUBLIC shortcut and no permissions at all; /test answers {"status": "OK"}.
    if (s.experimental_api) {
      server_->Get(root + "/api/experimental/test",
                   anonymous([&s, send_json](const httplib::Request& req, httplib::Response& res) {
                     const std::string first = s.auth_backends.substr(0, s.auth_backends.find(','));
                     const std::string header = req.get_header_value("Authorization");
                     const bool passes = first == "default" ||
                                         (first == "basic_auth" && header.rfind("Basic ", 0) == 0 &&
                                          base64_decode(header.substr(6)) == s.username + ":" + s.password) ||
                                         (first == "session" &&
                                          req.get_header_value("Cookie").find("session=sess-") != std::string::npos);
                     res.set_header("Deprecation", "true");
                     if (!passes) {
                       res.status = 401;
                       res.set_content("Unauthorized", "text/plain");
                       if (first == "basic_auth") res.set_header("WWW-Authenticate", "Basic");
                       return;
                     }
                     send_json(res, 200, {{"status", "OK"}});
                   }));
    }
  } else {
    // A3 api_fastapi/app.py create_app: FastAPI's own /docs (Swagger UI) and /openapi.json, no
    // setting turns them off; A3 api_fastapi/core_api/app.py init_views: /api/v1/* and unknown
    // /api/* are JSON 404s, every other path the UI's index.html with 200.
    server_->Get(root + "/docs", anonymous([html](const httplib::Request&, httplib::Response& res) {
                   html(res, 200,
                        "<!DOCTYPE html><html><head><title>Airflow API - Swagger UI</title></head><body>"
                        "<div id=\"swagger-ui\"></div><script>const ui = SwaggerUIBundle({url: '/openapi.json'})"
                        "</script></body></html>");
                 }));
    server_->Get(root + "/openapi.json", anonymous([send_json](const httplib::Request&, httplib::Response& res) {
                   send_json(res, 200, {{"openapi", "3.1.0"}, {"info", {{"title", "Airflow API"}, {"version", "2"}}}});
                 }));
    server_->Get(root + R"(/api/v1/.*)", anonymous([send_json](const httplib::Request&, httplib::Response& res) {
                   send_json(res, 404,
                             {{"error",
                               "/api/v1 has been removed in Airflow 3, please use its upgraded version "
                               "/api/v2 instead."}});
                 }));
    if (simple) {
      // A3 api_fastapi/auth/managers/simple/routes/login.py + services/login.py.
      server_->Post(root + "/auth/token",
                    anonymous([&s, send_json](const httplib::Request& req, httplib::Response& res) {
                      if (s.all_admins) return send_json(res, 201, {{"access_token", "jwt-for-anyone"}});
                      const json body = json::parse(req.body, nullptr, false);
                      const std::string user = body.is_object() ? body.value("username", "") : "";
                      const std::string password = body.is_object() ? body.value("password", "") : "";
                      if (user.empty() || password.empty())
                        return send_json(res, 400, {{"detail", "Username and password must be provided"}});
                      if ((user == s.username && password == s.password) ||
                          (s.default_admin_password && user == "admin" && password == "admin"))
                        return send_json(res, 201, {{"access_token", "jwt-for-" + user}});
                      send_json(res, 401, {{"detail", "Invalid credentials"}});
                    }));
      server_->Get(root + "/auth/token", anonymous([&s, send_json](const httplib::Request&, httplib::Response& res) {
                     if (s.all_admins) return send_json(res, 201, {{"access_token", "jwt-for-anyone"}});
                     send_json(res, 403,
                               {{"detail",
                                 "This method is only allowed if ``[core] simple_auth_manager_all_admins`` "
                                 "is True"}});
                   }));
      // A3 api_fastapi/auth/managers/simple/simple_auth_manager.py get_fastapi_app: every other
      // /auth/ path is the login page's index.html, with 200.
      server_->Get(root + R"(/auth/.*)", anonymous([html](const httplib::Request&, httplib::Response& res) {
                     html(res, 200,
                          "<!DOCTYPE html><html><head><title>Airflow - Simple auth manager</title></head>"
                          "<body><div id=\"root\"></div></body></html>");
                   }));
    } else {
      // FAB provider 2.x on Airflow 3 (A3 providers/fab/src/airflow/providers/fab/auth_manager/
      // api_fastapi/routes/login.py:30-38, api_fastapi/services/login.py:42-60): POST /auth/token; the
      // same 401 "Invalid credentials" for an unknown user and a wrong password, 400 when either is empty.
      server_->Post(root + "/auth/token",
                    anonymous([&s, send_json](const httplib::Request& req, httplib::Response& res) {
                      const json body = json::parse(req.body, nullptr, false);
                      const std::string user = body.is_object() ? body.value("username", "") : "";
                      const std::string password = body.is_object() ? body.value("password", "") : "";
                      if (user.empty() || password.empty())
                        return send_json(res, 400, {{"detail", "Username and password must be provided"}});
                      if ((user == s.username && password == s.password) ||
                          (s.default_admin_password && user == "admin" && password == "admin"))
                        return send_json(res, 201, {{"access_token", "jwt-for-" + user}});
                      send_json(res, 401, {{"detail", "Invalid credentials"}});
                    }));
    }
    server_->Get(root + "/", anonymous(ui_page));
  }

  // ---- data endpoints ------------------------------------------------------------------------
  server_->Get(
      api + "/config", guarded([&s, send_json](const httplib::Request&, httplib::Response& res) {
        // A2 airflow/api_connexion/endpoints/config_endpoint.py and A3 api_fastapi/core_api/routes/
        // public/config.py: 403 with this detail while expose_config is off.
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
  // The collections are built once: a large deployment's pages are cut from them.
  const auto user_list = std::make_shared<const json>([&s] {
    json all = json::array();
    all.push_back({{"username", s.username},
                   {"roles", json::array({{{"name", "Viewer"}}})},
                   {"active", true},
                   {"last_login", "2026-02-20T10:00:00+00:00"}});
    all.push_back({{"username", "admin"},
                   {"roles", json::array({{{"name", "Admin"}}})},
                   {"active", true},
                   {"last_login", "2025-06-01T10:00:00+00:00"}});
    for (int i = 1; i < s.admins; ++i) {
      all.push_back({{"username", "admin" + std::to_string(i)},
                     {"roles", json::array({{{"name", "Admin"}}})},
                     {"active", true},
                     {"last_login", nullptr}});
    }
    for (int i = 0; i < s.extra_users; ++i) {
      all.push_back({{"username", "viewer" + std::to_string(i)},
                     {"roles", json::array({{{"name", "Viewer"}}})},
                     {"active", true},
                     {"last_login", "2026-02-20T10:00:00+00:00"}});
    }
    return all;
  }());
  auto users = [user_list, send_json](const httplib::Request& req, httplib::Response& res) {
    send_json(res, 200, paginate(req, "users", *user_list));
  };
  auto roles = [&s, send_json](const httplib::Request& req, httplib::Response& res) {
    json public_actions = json::array();
    if (s.public_role_permissions)
      public_actions.push_back({{"action", {{"name", "can_read"}}}, {"resource", {{"name", "DAGs"}}}});
    json all = json::array(
        {{{"name", "Admin"},
          {"actions", json::array({{{"action", {{"name", "can_read"}}}, {"resource", {{"name", "Connections"}}}}})}},
         {{"name", "Public"}, {"actions", public_actions}}});
    send_json(res, 200, paginate(req, "roles", all));
  };
  if (s.major == 2 || !simple) {
    if (s.major == 3 && !s.fab_users_api_reads_jwt) {
      // FAB provider 2.x on Airflow 3 (A3 providers/fab/.../auth_manager/fab_auth_manager.py
      // get_fastapi_app + api/auth/backend): the users and roles API still authenticates through
      // [fab] auth_backends (the UI session by default, basic auth when configured); the JWT
      // from /auth/token is not read there, so a token-only client gets 401.
      auto fab_api = [&s, arrive, problem](Handler body) {
        return [&s, arrive, problem, body](const httplib::Request& req, httplib::Response& res) {
          if (!arrive(req)) return;
          const std::string header = req.get_header_value("Authorization");
          const bool basic_ok =
              header.rfind("Basic ", 0) == 0 && base64_decode(header.substr(6)) == s.username + ":" + s.password;
          if (!basic_ok) return problem(res, 401, "Unauthorized");
          body(req, res);
        };
      };
      server_->Get(users_api + "/users", fab_api(users));
      server_->Get(users_api + "/roles", fab_api(roles));
    } else {
      // FAB provider 3.2.0+ (dda8d27867 providers/fab/.../api_fastapi/routes/router.py, security.py):
      // users and roles moved to FastAPI and read the JWT like the rest of /api/v2.
      server_->Get(users_api + "/users", guarded(users));
      server_->Get(users_api + "/roles", guarded(roles));
    }
  }
  auto connections = [&s]() {
    json all = json::array();
    // A3 api_fastapi/core_api/datamodels/connections.py ConnectionResponse: the password goes
    // through redact() under its own name (always "***"), the extra's JSON through redact(), which
    // masks sensitive keys, nested ones too (A3 airflow/_shared/secrets_masker). Airflow 2 (A2
    // airflow/api_connexion/schemas/connection_schema.py) never returns the password, and returns
    // the extra through the same redact() (A2 connection_schema.py ConnectionSchema.serialize_extra).
    const bool v3 = s.major == 3;
    all.push_back(
        {{"connection_id", "postgres_default"},
         {"conn_type", "postgres"},
         {"host", "db"},
         {"port", 5432},
         {"schema", "airflow"},
         {"login", "airflow"},
         {"password", v3 ? json("***") : json(nullptr)},
         {"extra", s.insecure_connections ? "{\"sslmode\": \"disable\"}" : "{\"sslmode\": \"verify-full\"}"}});
    // HttpHook (providers/http hooks/http.py get_conn): the scheme is the connection's schema
    // when the host carries none; auth_type names a class, not a secret.
    all.push_back({{"connection_id", "crm_api"},
                   {"conn_type", "http"},
                   {"host", "crm.example.com"},
                   {"schema", "https"},
                   {"port", nullptr},
                   {"login", "svc"},
                   {"password", v3 ? json("***") : json(nullptr)},
                   {"extra", "{\"auth_type\": \"requests.auth.HTTPBasicAuth\", \"timeout\": 30}"}});
    // A service-account key stored as a dict: every value comes back masked (its key names one).
    all.push_back({{"connection_id", "google_cloud_default"},
                   {"conn_type", "google_cloud_platform"},
                   {"host", nullptr},
                   {"schema", nullptr},
                   {"port", nullptr},
                   {"extra", "{\"project\": \"leads-prod\", \"keyfile_dict\": \"***\"}"}});
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
  const auto connection_list = std::make_shared<const json>(connections());
  const auto connection_items = std::make_shared<const json>([&s, connection_list] {
    json all = *connection_list;
    if (s.major == 2) {  // A2 connection_schema.py ConnectionCollectionItemSchema: no extra, no password
      for (json& item : all) {
        item.erase("extra");
        item.erase("password");
      }
    }
    return all;
  }());
  server_->Get(api + "/connections",
               guarded([send_json, connection_items](const httplib::Request& req, httplib::Response& res) {
                 send_json(res, 200, paginate(req, "connections", *connection_items));
               }));
  server_->Get(api + R"(/connections/([^/]+))",
               guarded([&s, send_json, connection_list](const httplib::Request& req, httplib::Response& res) {
                 for (json item : *connection_list) {
                   if (item["connection_id"] == req.matches[1].str()) {
                     if (s.major == 2) item.erase("password");
                     send_json(res, 200, item);
                     return;
                   }
                 }
                 send_json(res, 404, {{"detail", "not found"}});
               }));
  const auto variable_list = std::make_shared<const json>([&s] {
    // A2 airflow/api_connexion/schemas/variable_schema.py: the collection carries key and
    // value, unmasked. A3 api_fastapi/core_api/datamodels/variables.py redact_val: a
    // plain value is masked by the variable's name; a JSON value only by the keys inside
    // it (max_depth=1), so a JSON-valued secret comes back in clear.
    json all = json::array({{{"key", "environment"}, {"value", "prod"}}});
    if (s.sensitive_variables) {
      all.push_back({{"key", "customer_card_number"}, {"value", "4111111111111111"}});
      all.push_back({{"key", "db_password"}, {"value", s.major == 3 ? "***" : "hunter2-db"}});
      all.push_back({{"key", "crm_api_token"}, {"value", "{\"value\": \"tok-9f8e7d6c5b4a\"}"}});
    }
    for (int i = 0; i < s.extra_variables; ++i)
      all.push_back({{"key", "setting_" + std::to_string(i)}, {"value", "v" + std::to_string(i)}});
    for (json& item : all) item["description"] = nullptr;
    return all;
  }());
  server_->Get(api + "/variables",
               guarded([send_json, variable_list](const httplib::Request& req, httplib::Response& res) {
                 send_json(res, 200, paginate(req, "variables", *variable_list));
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
  if (s.major == 3) {
    // A3 api_fastapi/core_api/app.py init_views: the catch-alls, registered last.
    server_->Get(root + R"(/api/.*)", anonymous([send_json](const httplib::Request&, httplib::Response& res) {
                   send_json(res, 404, {{"error", "API route not found"}});
                 }));
    server_->Get(root + R"(/.*)", anonymous(ui_page));
  }
}

}  // namespace airguard::testing
