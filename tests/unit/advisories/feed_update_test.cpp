// `advisories update` against a real HTTPS server on 127.0.0.1 with a CA made for the test by the
// openssl command-line tool: verified TLS, conditional requests, and a cache a failure never breaks.
#include <httplib.h>

#include <unistd.h>
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "advisories/feed.hpp"

using namespace airguard;
namespace fs = std::filesystem;

namespace {

const char* kFeed = R"([{"id":"PYSEC-9","modified":"2026-01-02T00:00:00Z","aliases":["CVE-2026-9"],
  "affected":[{"package":{"ecosystem":"PyPI","name":"apache-airflow"},
  "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"2.10.3"}]}]}]}])";

struct TestPki {
  fs::path dir;
  std::string ca, cert, key;
};

// A throwaway CA and a server certificate for 127.0.0.1, made with the openssl CLI.
std::optional<TestPki> make_pki() {
  TestPki pki;
  pki.dir = fs::temp_directory_path() / ("airguard-adv-pki-" + std::to_string(::getpid()));
  fs::create_directories(pki.dir);
  const std::string d = pki.dir.string();
  std::ofstream(d + "/ext.cnf") << "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n";
  const std::string script =
      "cd '" + d +
      "' && openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj '/CN=Test CA' "
      ">/dev/null 2>&1 && openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj '/CN=127.0.0.1' "
      ">/dev/null 2>&1 && openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem "
      "-days 2 -extfile ext.cnf >/dev/null 2>&1";
  if (std::system(script.c_str()) != 0) return std::nullopt;
  pki.ca = d + "/ca.pem";
  pki.cert = d + "/server.pem";
  pki.key = d + "/server.key";
  return pki;
}

struct FeedServer {
  httplib::SSLServer server;
  std::thread thread;
  int port = 0;
  std::atomic<int> requests{0};
  std::atomic<int> conditional{0};
  std::string body = kFeed;
  int status = 200;

  explicit FeedServer(const TestPki& pki) : server(pki.cert.c_str(), pki.key.c_str()) {
    server.Get("/feed.json", [this](const httplib::Request& req, httplib::Response& res) {
      ++requests;
      if (req.get_header_value("If-None-Match") == "\"v1\"" && body == kFeed) {
        ++conditional;
        res.status = 304;
        return;
      }
      res.status = status;
      res.set_header("ETag", "\"v1\"");
      res.set_content(body, "application/json");
    });
    port = server.bind_to_any_port("127.0.0.1");
    thread = std::thread([this] { server.listen_after_bind(); });
    while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ~FeedServer() {
    server.stop();
    thread.join();
  }
  std::string url() const { return "https://127.0.0.1:" + std::to_string(port) + "/feed.json"; }
};

std::string cached_feed_text(const std::string& cache) {
  std::ifstream in(fs::path(cache) / "advisories" / "current" / "osv.json");
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

TEST_CASE("advisories update fetches over verified HTTPS into an atomically swapped cache") {
  auto pki = make_pki();
  if (!pki) {
    WARN("SKIP: the openssl command-line tool is not available");
    return;
  }
  FeedServer server(*pki);
  const std::string cache = (pki->dir / "cache").string();
  FeedUpdateOptions options;
  options.url = server.url();
  options.ca_file = pki->ca;
  options.cache_dir = cache;

  auto first = update_feed_cache(options);
  REQUIRE(first);
  CHECK(first->changed);
  CHECK(first->records == 1);
  Diagnostics diagnostics;
  auto cached = load_cached_feed(cache, diagnostics);
  REQUIRE(cached);
  CHECK(cached->kind == "cache");
  CHECK(cached->date == "2026-01-02");
  CHECK(cached->database->query("apache-airflow", *parse_version("2.10.2")).size() == 1);

  SECTION("a second update is a conditional request answered 304") {
    auto second = update_feed_cache(options);
    REQUIRE(second);
    CHECK_FALSE(second->changed);
    CHECK(server.conditional == 1);
    CHECK(cached_feed_text(cache) == kFeed);
  }
  SECTION("a server error leaves the previous cache intact") {
    server.body = "oops";
    server.status = 500;
    CHECK_FALSE(update_feed_cache(options));
    CHECK(cached_feed_text(cache) == kFeed);
  }
  SECTION("a feed that is not OSV JSON leaves the previous cache intact") {
    server.body = "{not json";
    CHECK_FALSE(update_feed_cache(options));
    CHECK(cached_feed_text(cache) == kFeed);
    CHECK(load_cached_feed(cache, diagnostics));
  }
  SECTION("a server the CA does not vouch for is refused") {
    FeedUpdateOptions untrusted = options;
    untrusted.ca_file.reset();
    auto result = update_feed_cache(untrusted);
    CHECK_FALSE(result);
    CHECK(cached_feed_text(cache) == kFeed);
  }
  SECTION("a newer cache is preferred to the embedded snapshot only when it is newer") {
    auto resolved = resolve_feed(std::nullopt, cache, diagnostics);
    REQUIRE(resolved);
    CHECK(resolved->kind == "embedded");  // the shipped snapshot (2026-07) is newer than this cache
  }
  fs::remove_all(pki->dir);
}
