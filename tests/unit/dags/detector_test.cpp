#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <utility>

#include "sources/dags/dag_scan.hpp"
#include "test_support.hpp"

using namespace airguard;
using airguard::dags_test::read_fixture;

namespace {

using Hit = std::pair<std::string, int>;  // check id, line

std::set<Hit> hits_of(const std::vector<DagSecret>& secrets) {
  std::set<Hit> hits;
  for (const DagSecret& secret : secrets) hits.emplace(secret.check_id, secret.line);
  return hits;
}

std::vector<DagSecret> scan_fixture(const std::string& relative) {
  return detect_secrets(read_fixture(relative), relative);
}

}  // namespace

TEST_CASE("each credential kind is found with its check id and line") {
  struct Expected {
    std::string file;
    std::set<Hit> hits;
  };
  const std::vector<Expected> cases = {
      {"kinds/aws.py", {{"AFH-DAG-001", 2}, {"AFH-DAG-001", 3}, {"AFH-DAG-001", 4}}},
      {"kinds/gcp.py", {{"AFH-DAG-002", 3}, {"AFH-DAG-002", 5}}},
      {"kinds/azure.py", {{"AFH-DAG-003", 1}}},
      {"kinds/private_key.py", {{"AFH-DAG-004", 1}}},
      {"kinds/jwt.py", {{"AFH-DAG-007", 1}}},
      {"kinds/chat.py",
       {{"AFH-DAG-005", 1}, {"AFH-DAG-005", 2}, {"AFH-DAG-005", 3}, {"AFH-DAG-005", 4}, {"AFH-DAG-005", 5}}},
      {"kinds/saas.py",
       {{"AFH-DAG-006", 1},
        {"AFH-DAG-006", 2},
        {"AFH-DAG-006", 3},
        {"AFH-DAG-006", 4},
        {"AFH-DAG-006", 5},
        {"AFH-DAG-006", 6},
        {"AFH-DAG-006", 7}}},
      {"kinds/uri.py", {{"AFH-DAG-008", 2}, {"AFH-DAG-008", 3}, {"AFH-DAG-008", 4}}},
      {"kinds/connection.py", {{"AFH-DAG-009", 6}, {"AFH-DAG-009", 7}}},
      {"kinds/variable_set.py", {{"AFH-DAG-010", 2}}},
      {"kinds/keywords.py",
       {{"AFH-DAG-011", 2}, {"AFH-DAG-011", 3}, {"AFH-DAG-011", 4}, {"AFH-DAG-011", 5}, {"AFH-DAG-011", 6}}},
      {"kinds/environ.py", {{"AFH-DAG-012", 2}, {"AFH-DAG-012", 3}}},
      {"kinds/positional.py", {{"AFH-DAG-013", 3}, {"AFH-DAG-013", 4}}},
      {"kinds/weak.py", {{"AFH-DAG-014", 2}, {"AFH-DAG-014", 3}, {"AFH-DAG-014", 4}}},
  };
  for (const Expected& expected : cases) {
    INFO(expected.file);
    CHECK(hits_of(scan_fixture(expected.file)) == expected.hits);
  }
}

TEST_CASE("the kind of credential is named") {
  const auto secrets = scan_fixture("kinds/saas.py");
  std::vector<std::string> kinds;
  for (const DagSecret& secret : secrets) kinds.push_back(secret.kind);
  CHECK(kinds == std::vector<std::string>{"GitHub token", "Stripe API key", "SendGrid API key", "Mailchimp API key",
                                          "HubSpot private app token", "Salesforce access token", "Twilio API key"});
  const auto keywords = scan_fixture("kinds/keywords.py");
  REQUIRE(keywords.size() == 6);
  CHECK(keywords[0].kind == "API key");
  CHECK(keywords[0].name == "api_key");
  CHECK(keywords[3].kind == "password");
}

TEST_CASE("each not-a-leak form is not reported") {
  for (const char* file : {"not_leaks/readers.py", "not_leaks/jinja.py", "not_leaks/k8s_secret.py",
                           "not_leaks/placeholders.py", "not_leaks/references.py"}) {
    INFO(file);
    CHECK(scan_fixture(file).empty());
  }
}

TEST_CASE("evidence masks the secret and never contains it") {
  const std::string text = read_fixture("kinds/keywords.py") + read_fixture("kinds/uri.py") +
                           read_fixture("kinds/gcp.py") + read_fixture("kinds/private_key.py");
  const auto secrets = detect_secrets(text, "all.py");
  REQUIRE(!secrets.empty());
  for (const char* secret : {"Lw2Vb7Nm4Pq1Rs6T", "Tu0Yz5Aa3CcXyWvZ", "Nm4Pq1Rs6Tu0", "Zq8Kd9Lw2Vb", "Vb7Nm4Pq1Rs",
                             "MIIEvQIBADANBgkq", "b3BlbnNzaC1rZXktdjEA"}) {
    for (const DagSecret& found : secrets) {
      INFO(found.evidence);
      CHECK(found.evidence.find(secret) == std::string::npos);
    }
  }
  const auto keywords = scan_fixture("kinds/keywords.py");
  CHECK(keywords[0].evidence == "task = HttpOperator(task_id=\"push\", api_key=\"****\")");
  CHECK(keywords[0].column == 46);
}

TEST_CASE("a value repeated on the line is masked everywhere on it, as a whole word") {
  const auto secrets = detect_secrets("op_args=['10.0.0.3', '5432', 'kq81zz', 'kq81zz', 'kq81zz']\n", "x.py");
  REQUIRE(secrets.size() == 1);
  CHECK(secrets[0].check_id == "AFH-DAG-013");
  CHECK(secrets[0].evidence == "op_args=['10.0.0.3', '5432', '****', '****', '****']");
  const auto weak = detect_secrets("uri = \"postgresql://postgres:postgres@db/postgres\"\n", "x.py");
  REQUIRE(weak.size() == 1);
  CHECK(weak[0].evidence == "uri = \"postgresql://****:****@db/****\"");
}

TEST_CASE("an inline ignore comment suppresses its own check on its line, with the reason") {
  const auto secrets = scan_fixture("kinds/suppressed.py");
  REQUIRE(secrets.size() == 2);
  CHECK(secrets[0].suppressed);
  CHECK(secrets[0].suppression_reason == "revoked sandbox key kept for a replay test");
  CHECK_FALSE(secrets[1].suppressed);  // the comment names another check
}

TEST_CASE("fixes name the code that reads the value from the secrets backend") {
  const auto keywords = scan_fixture("kinds/keywords.py");
  CHECK(keywords[0].fix.find("Variable.get(\"api_key\")") != std::string::npos);
  CHECK(keywords[3].fix.find("BaseHook.get_connection(\"db\").password") != std::string::npos);
  const auto uri = scan_fixture("kinds/uri.py");
  CHECK(uri[0].fix.find("BaseHook.get_connection(\"postgresql\").get_uri()") != std::string::npos);
}

TEST_CASE("a URI built from a hard-coded password variable is a use site; from Variable.get it is not") {
  const std::string leaky =
      "mysql_password = 'kq81zzv'\n"
      "uri = f'mysql+pymysql://{user}:{mysql_password}@{host}/db'\n";
  CHECK(hits_of(detect_secrets(leaky, "x.py")) == std::set<Hit>{{"AFH-DAG-011", 1}, {"AFH-DAG-008", 2}});
  const std::string clean =
      "password = Variable.get('mongodb-password')\n"
      "uri = f'mongodb+srv://{username}:{password}@cluster0.example.net/'\n";
  CHECK(detect_secrets(clean, "x.py").empty());
}

TEST_CASE("a hard-coded fallback for a secret environment variable is reported; a plain read is not") {
  CHECK(hits_of(detect_secrets("pw = os.getenv('DB_PASSWORD', 'Kd9Lw2Vb7N')\n", "x.py")) ==
        std::set<Hit>{{"AFH-DAG-011", 1}});
  CHECK(
      detect_secrets("pw = os.getenv('DB_PASSWORD', '')\nregion = os.getenv('REGION', 'eu-west-1')\n", "x.py").empty());
}

TEST_CASE("multi-line calls and one-line calls give the same answer") {
  const auto one = detect_secrets("c = pymysql.connect(host='db', user='etl', password='Kd9Lw2Vb7N')\n", "x.py");
  const auto many =
      detect_secrets("c = pymysql.connect(\n  host='db',\n  user='etl',\n  password='Kd9Lw2Vb7N'\n)\n", "x.py");
  REQUIRE(one.size() == 1);
  REQUIRE(many.size() == 1);
  CHECK(one[0].check_id == many[0].check_id);
  CHECK(many[0].line == 4);
}

TEST_CASE("the detector survives hostile input") {
  CHECK(detect_secrets("", "x.py").empty());
  CHECK(detect_secrets("password = '", "x.py").empty());
  CHECK(detect_secrets("'''", "x.py").empty());
  CHECK(detect_secrets(std::string(100000, '('), "x.py").empty());
  std::string binaryish(4096, '\xff');
  binaryish += "token = 'Kd9Lw2Vb7Nm4Pq1R'";
  CHECK(detect_secrets(binaryish, "x.py").size() == 1);
}
