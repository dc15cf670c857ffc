#include <catch2/catch.hpp>

#include <string>

#include "sources/webserver/webserver_config.hpp"

using airguard::Fact;
using airguard::parse_webserver_config;
using airguard::PyValue;
using airguard::WebserverConfig;

namespace {

WebserverConfig parse(const std::string& text) { return parse_webserver_config(text, "webserver_config.py"); }

const Fact& fact(const WebserverConfig& config, const std::string& name) {
  const auto* setting = config.get(name);
  INFO("setting " << name);
  REQUIRE(setting != nullptr);
  return setting->fact;
}

bool skipped_mentions(const WebserverConfig& config, const std::string& text, int line) {
  for (const auto& diagnostic : config.skipped) {
    if (diagnostic.line == line && diagnostic.message.find(text) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("literals become typed facts with their position", "[webserver]") {
  const auto config = parse(
      "A = 'single'\n"
      "B = \"double\"\n"
      "  \n"
      "C = True\n"
      "D = False\n"
      "E = None\n"
      "F = 1_800\n"
      "G = 0x1F\n"
      "H = -2.5e3\n"
      "I = b'bytes'\n");
  CHECK(fact(config, "A").value == "single");
  CHECK(fact(config, "A").type == "string");
  CHECK(fact(config, "A").origin.line == 1);
  CHECK(fact(config, "A").origin.column == 1);
  CHECK(fact(config, "A").origin.kind == airguard::SourceKind::webserver_config);
  CHECK(fact(config, "A").origin.file == "webserver_config.py");
  CHECK(fact(config, "B").value == "double");
  CHECK(fact(config, "C").value == "true");
  CHECK(fact(config, "C").type == "bool");
  CHECK(fact(config, "D").value == "false");
  CHECK(fact(config, "E").type == "null");
  CHECK_FALSE(fact(config, "E").value.has_value());
  CHECK_FALSE(fact(config, "E").runtime_only);
  CHECK(fact(config, "F").value == "1800");
  CHECK(fact(config, "F").type == "int");
  CHECK(fact(config, "G").value == "31");
  CHECK(fact(config, "H").value == "-2.5e3");
  CHECK(fact(config, "H").type == "float");
  CHECK(fact(config, "I").value == "bytes");
  CHECK(fact(config, "C").origin.line == 4);
  CHECK(config.skipped.empty());
}

TEST_CASE("strings: escapes, raw, triple-quoted, adjacent, f-strings", "[webserver]") {
  const auto config = parse(
      "A = 'a\\tb\\x41\\u00e9\\'q'\n"
      "B = r'C:\\new\\path'\n"
      "C = \"\"\"line one\n"
      "line 'two' \"x\"\n"
      "\"\"\"\n"
      "D = 'join' \"ed\"\n"
      "E = f'https://{HOST}/x'\n"
      "F = f'no placeholder {{literal}}'\n"
      "G = ('paren'\n"
      "     'thesized')\n"
      "H = '#not a comment'  # a comment\n"
      "I = rb'\\d'\n");
  CHECK(fact(config, "A").value == "a\tbA\xc3\xa9'q");
  CHECK(fact(config, "B").value == "C:\\new\\path");
  CHECK(fact(config, "C").value == "line one\nline 'two' \"x\"\n");
  CHECK(fact(config, "D").value == "joined");
  CHECK(fact(config, "D").origin.line == 6);
  CHECK(fact(config, "E").runtime_only);
  CHECK_FALSE(fact(config, "E").value.has_value());
  CHECK(fact(config, "E").runtime_mechanism == "an f-string");
  CHECK(fact(config, "F").value == "no placeholder {literal}");
  CHECK(fact(config, "G").value == "parenthesized");
  CHECK(fact(config, "H").value == "#not a comment");
  CHECK(fact(config, "I").value == "\\d");
}

TEST_CASE("FAB constants are names; imports are remembered", "[webserver]") {
  const auto config = parse(
      "from flask_appbuilder.security.manager import AUTH_DB, AUTH_LDAP, AUTH_OAUTH\n"
      "from flask_appbuilder.const import (\n"
      "    AUTH_REMOTE_USER as REMOTE,\n"
      ")\n"
      "import flask_appbuilder.const as const\n"
      "AUTH_TYPE = AUTH_LDAP\n"
      "OTHER = REMOTE\n"
      "DOTTED = const.AUTH_OAUTH\n");
  CHECK(fact(config, "AUTH_TYPE").type == "name");
  CHECK(fact(config, "AUTH_TYPE").value == "AUTH_LDAP");
  CHECK(fact(config, "OTHER").value == "AUTH_REMOTE_USER");
  CHECK(fact(config, "DOTTED").value == "AUTH_OAUTH");
  CHECK(config.skipped.empty());
}

TEST_CASE("a FAB constant used without an import is flagged", "[webserver]") {
  const auto config = parse("AUTH_TYPE = AUTH_OID\n");
  CHECK(fact(config, "AUTH_TYPE").value == "AUTH_OID");
  REQUIRE(config.skipped.size() == 1);
  CHECK(config.skipped[0].level == airguard::Diagnostic::Level::warning);
  CHECK(config.skipped[0].message.find("never imported") != std::string::npos);
}

TEST_CASE("environment reads are runtime values with their mechanism", "[webserver]") {
  const auto config = parse(
      "import os\n"
      "from os import environ, getenv\n"
      "A = os.environ['SECRET']\n"
      "B = os.environ.get(\"B_VAR\", \"fallback\")\n"
      "C = os.getenv('C_VAR')\n"
      "D = environ.get('D_VAR')\n"
      "E = getenv('E_VAR')\n"
      "F = int(os.getenv('F_VAR', '30'))\n"
      "G = os.environ[name]\n");
  CHECK(fact(config, "A").runtime_only);
  CHECK_FALSE(fact(config, "A").value.has_value());
  CHECK(fact(config, "A").runtime_mechanism == "os.environ['SECRET']");
  CHECK(fact(config, "B").runtime_mechanism == "os.environ.get('B_VAR')");
  CHECK(fact(config, "C").runtime_mechanism == "os.getenv('C_VAR')");
  CHECK(fact(config, "D").runtime_mechanism == "os.environ.get('D_VAR')");
  CHECK(fact(config, "E").runtime_mechanism == "os.getenv('E_VAR')");
  CHECK(fact(config, "F").runtime_mechanism == "int(os.getenv('F_VAR'))");
  CHECK(fact(config, "A").type == "string");
  CHECK(fact(config, "G").type == "unknown");
  CHECK(fact(config, "G").runtime_mechanism == "a subscript of os.environ");
}

TEST_CASE("calls and expressions are recorded as unknown, never guessed", "[webserver]") {
  const auto config = parse(
      "from airflow.configuration import conf\n"
      "A = conf.get('core', 'SQL_ALCHEMY_CONN')\n"
      "B = str(os.getenv('X')).lower() == 'true'\n"
      "C = 'a' + 'b'\n"
      "D = os.getenv('X') or 'default'\n"
      "E = 1 if X else 2\n"
      "F = [x for x in range(3)]\n"
      "G = 'https://{}'.format(host)\n"
      "print('hello')\n");
  CHECK(fact(config, "A").type == "unknown");
  CHECK(fact(config, "A").runtime_only);
  CHECK(fact(config, "A").runtime_mechanism == "a call to conf.get");
  CHECK(fact(config, "B").runtime_mechanism == "an expression (`==`)");
  CHECK(fact(config, "C").runtime_mechanism == "an expression (`+`)");
  CHECK(fact(config, "D").runtime_mechanism == "a boolean expression (`or`)");
  CHECK(fact(config, "E").runtime_mechanism == "a conditional expression");
  CHECK(fact(config, "F").runtime_mechanism == "a comprehension");
  CHECK(fact(config, "G").runtime_mechanism == "a method call on a literal");
  CHECK(skipped_mentions(config, "a call to print", 9));
}

TEST_CASE("containers render as stable JSON-like text and nest", "[webserver]") {
  const auto config = parse(
      "import os\n"
      "AUTH_ROLES_MAPPING = {\n"
      "    \"cn=admins,dc=example\": [\"Admin\"],\n"
      "    'viewers': ('Viewer', 'User'),  # trailing comment\n"
      "}\n"
      "OAUTH_PROVIDERS = [{\n"
      "    'name': 'google',\n"
      "    'remote_app': {\n"
      "        'client_id': 'abc',\n"
      "        'client_secret': 'hunter22hunter22',\n"
      "        'request_token_url': None,\n"
      "    },\n"
      "}, {\n"
      "    'name': 'github',\n"
      "    'remote_app': {'client_secret': os.environ['GH_SECRET']},\n"
      "}]\n"
      "SCOPES = {'openid', 'email'}\n"
      "EMPTY = {}\n");
  CHECK(fact(config, "AUTH_ROLES_MAPPING").type == "map");
  CHECK(fact(config, "AUTH_ROLES_MAPPING").value ==
        "{\"cn=admins,dc=example\": [\"Admin\"], \"viewers\": [\"Viewer\", \"User\"]}");
  CHECK(fact(config, "OAUTH_PROVIDERS").type == "list");
  // Secrets under secret-looking keys never appear in rendered text.
  CHECK(fact(config, "OAUTH_PROVIDERS").value->find("hunter22") == std::string::npos);
  CHECK(fact(config, "OAUTH_PROVIDERS").value->find("os.environ['GH_SECRET']") != std::string::npos);
  CHECK(fact(config, "SCOPES").value == "[\"openid\", \"email\"]");
  CHECK(fact(config, "EMPTY").value == "{}");
  CHECK(fact(config, "EMPTY").type == "map");

  // Exact nested paths through get().
  const Fact& secret = fact(config, "OAUTH_PROVIDERS[0].remote_app.client_secret");
  CHECK(secret.value == "hunter22hunter22");
  CHECK(secret.sensitive);
  CHECK(secret.origin.line == 10);
  CHECK(fact(config, "AUTH_ROLES_MAPPING[\"cn=admins,dc=example\"][0]").value == "Admin");
  CHECK(fact(config, "AUTH_ROLES_MAPPING.viewers[1]").value == "User");

  // Wildcards through facts().
  const auto secrets = config.facts("OAUTH_PROVIDERS[*].remote_app.client_secret");
  REQUIRE(secrets.size() == 2);
  CHECK(secrets[0].key == "OAUTH_PROVIDERS[0].remote_app.client_secret");
  CHECK(secrets[0].value == "hunter22hunter22");
  CHECK_FALSE(secrets[0].runtime_only);
  CHECK(secrets[1].key == "OAUTH_PROVIDERS[1].remote_app.client_secret");
  CHECK(secrets[1].runtime_only);
  CHECK(secrets[1].runtime_mechanism == "os.environ['GH_SECRET']");
  const auto roles = config.facts("AUTH_ROLES_MAPPING.*");
  REQUIRE(roles.size() == 2);
  CHECK(roles[0].key == "AUTH_ROLES_MAPPING[\"cn=admins,dc=example\"]");
  CHECK(roles[0].value == "[\"Admin\"]");
  CHECK(config.facts("AUTH_ROLES_MAPPING").size() == 1);
  CHECK(config.facts("NOT_THERE[*]").empty());
  CHECK(config.facts("OAUTH_PROVIDERS[").empty());
}

TEST_CASE("names assigned earlier resolve to their value", "[webserver]") {
  const auto config = parse(
      "import os\n"
      "AUTH_ROLE_ADMIN = 'Admin'\n"
      "AUTH_USER_REGISTRATION_ROLE = AUTH_ROLE_ADMIN\n"
      "CLIENT_SECRET = os.getenv('CLIENT_SECRET')\n"
      "LITERAL_SECRET = 'abcdefabcdef'\n"
      "OAUTH_PROVIDERS = [{'remote_app': {'client_secret': CLIENT_SECRET}},\n"
      "                   {'remote_app': {'client_secret': LITERAL_SECRET}}]\n"
      "from somewhere import IMPORTED\n"
      "X = IMPORTED\n"
      "Y = UNDEFINED\n");
  CHECK(fact(config, "AUTH_USER_REGISTRATION_ROLE").value == "Admin");
  CHECK(fact(config, "AUTH_USER_REGISTRATION_ROLE").origin.line == 3);
  const auto secrets = config.facts("OAUTH_PROVIDERS[*].remote_app.client_secret");
  REQUIRE(secrets.size() == 2);
  CHECK(secrets[0].runtime_mechanism == "os.getenv('CLIENT_SECRET')");
  CHECK(secrets[1].value == "abcdefabcdef");
  CHECK(secrets[1].origin.line == 7);
  CHECK(fact(config, "X").runtime_mechanism == "the name IMPORTED imported from somewhere.IMPORTED");
  CHECK(fact(config, "Y").runtime_mechanism == "the name UNDEFINED, not defined in this file");
}

TEST_CASE("the last module-level assignment wins", "[webserver]") {
  const auto config = parse("AUTH_ROLE_PUBLIC = 'Viewer'\nAUTH_ROLE_PUBLIC = None\n");
  CHECK(fact(config, "AUTH_ROLE_PUBLIC").type == "null");
  CHECK(fact(config, "AUTH_ROLE_PUBLIC").origin.line == 2);
  CHECK(config.settings.size() == 1);  // the replaced assignment is dropped, not kept
}

TEST_CASE("annotated, chained, tuple and augmented assignments", "[webserver]") {
  const auto config = parse(
      "A: bool = True\n"
      "B = C = 'both'\n"
      "D, E = 1, 'two'\n"
      "(F, G) = make()\n"
      "H = [1]\n"
      "H += [2]\n"
      "I: int\n"
      "J = 1; K = 2\n");
  CHECK(fact(config, "A").value == "true");
  CHECK(fact(config, "B").value == "both");
  CHECK(fact(config, "C").value == "both");
  CHECK(fact(config, "D").value == "1");
  CHECK(fact(config, "E").value == "two");
  CHECK(fact(config, "F").runtime_only);
  CHECK(skipped_mentions(config, "tuple assignment", 4));
  CHECK(fact(config, "H").runtime_only);
  CHECK(skipped_mentions(config, "augmented assignment", 6));
  CHECK(config.get("I") == nullptr);
  CHECK(fact(config, "J").value == "1");
  CHECK(fact(config, "K").value == "2");
}

TEST_CASE("line continuation inside brackets and with a backslash", "[webserver]") {
  const auto config = parse(
      "A = [\n"
      "  'x',\n"
      "\n"
      "  # comment inside\n"
      "  'y']\n"
      "B = \\\n"
      "    'continued'\n"
      "C = 3\n");
  CHECK(fact(config, "A").value == "[\"x\", \"y\"]");
  CHECK(fact(config, "B").value == "continued");
  CHECK(fact(config, "B").origin.line == 6);
  CHECK(fact(config, "C").origin.line == 8);
}

TEST_CASE("assignments inside blocks are conditional; functions and classes are skipped", "[webserver]") {
  const auto config = parse(
      "import os\n"
      "AUTH_TYPE = 'first'\n"
      "if os.environ.get('OAUTH'):\n"
      "    AUTH_TYPE = AUTH_OAUTH\n"
      "else:\n"
      "    AUTH_TYPE = AUTH_DB\n"
      "try:\n"
      "    SECRET_KEY = open('/k').read()\n"
      "except OSError:\n"
      "    pass\n"
      "def helper():\n"
      "    INSIDE = 1\n"
      "    return INSIDE\n"
      "class Manager(Base):\n"
      "    NAME = 'x'\n"
      "@decorator\n"
      "def other(): pass\n"
      "if DEBUG: WTF_CSRF_ENABLED = False\n"
      "SECURITY_MANAGER_CLASS = Manager\n"
      "AFTER = 1\n");
  const Fact& auth = fact(config, "AUTH_TYPE");
  CHECK(auth.runtime_only);
  CHECK(auth.type == "unknown");
  CHECK(auth.runtime_mechanism == "assigned inside the `else` block at line 5");
  CHECK(config.get("AUTH_TYPE")->conditional);
  CHECK(fact(config, "SECRET_KEY").runtime_mechanism == "assigned inside the `try` block at line 7");
  CHECK(fact(config, "WTF_CSRF_ENABLED").runtime_only);
  CHECK(config.get("INSIDE") == nullptr);
  CHECK(config.get("NAME") == nullptr);
  CHECK(fact(config, "SECURITY_MANAGER_CLASS").runtime_mechanism == "the class Manager defined at line 14");
  CHECK(fact(config, "AFTER").value == "1");
  CHECK(skipped_mentions(config, "AUTH_TYPE is assigned inside the `if` block at line 3", 4));
  CHECK(skipped_mentions(config, "function `helper` is not evaluated", 11));
  CHECK(skipped_mentions(config, "class `Manager` is not evaluated", 14));
}

TEST_CASE("timedelta literals become seconds", "[webserver]") {
  const auto config = parse(
      "from datetime import timedelta\n"
      "import datetime\n"
      "PERMANENT_SESSION_LIFETIME = timedelta(minutes=30)\n"
      "OTHER = datetime.timedelta(hours=1, seconds=5)\n"
      "POSITIONAL = timedelta(1)\n"
      "DYNAMIC = timedelta(minutes=int(x))\n");
  CHECK(fact(config, "PERMANENT_SESSION_LIFETIME").value == "1800");
  CHECK(fact(config, "PERMANENT_SESSION_LIFETIME").type == "int");
  CHECK(fact(config, "OTHER").value == "3605");
  CHECK(fact(config, "POSITIONAL").value == "86400");
  CHECK(fact(config, "DYNAMIC").runtime_only);
}

TEST_CASE("secret-looking names are sensitive", "[webserver]") {
  CHECK(airguard::is_secret_name("SECRET_KEY"));
  CHECK(airguard::is_secret_name("client_secret"));
  CHECK(airguard::is_secret_name("AUTH_LDAP_BIND_PASSWORD"));
  CHECK(airguard::is_secret_name("RECAPTCHA_PRIVATE_KEY"));
  CHECK(airguard::is_secret_name("refresh_token"));
  CHECK_FALSE(airguard::is_secret_name("token_key"));
  CHECK_FALSE(airguard::is_secret_name("client_id"));
  CHECK_FALSE(airguard::is_secret_name("AUTH_TYPE"));
  const auto config = parse("SECRET_KEY = 'abc'\nAUTH_TYPE = 1\n");
  CHECK(fact(config, "SECRET_KEY").sensitive);
  CHECK_FALSE(fact(config, "AUTH_TYPE").sensitive);
}

TEST_CASE("syntax problems are errors; the rest of the file is still read", "[webserver]") {
  SECTION("unterminated string") {
    const auto config = parse("A = 1\nB = 'open\nC = 2\n");
    CHECK(fact(config, "A").value == "1");
    CHECK(fact(config, "C").value == "2");
    REQUIRE_FALSE(config.skipped.empty());
    CHECK(config.skipped[0].level == airguard::Diagnostic::Level::error);
    CHECK(config.skipped[0].line == 2);
  }
  SECTION("unclosed bracket") {
    const auto config = parse("A = [1,\nB = 2\n");
    REQUIRE_FALSE(config.skipped.empty());
    CHECK(config.skipped[0].level == airguard::Diagnostic::Level::error);
    CHECK(config.skipped[0].line == 1);
  }
  SECTION("stray character") {
    const auto config = parse("A = $\n");
    REQUIRE_FALSE(config.skipped.empty());
    CHECK(config.skipped[0].level == airguard::Diagnostic::Level::error);
  }
}

TEST_CASE("windows line endings, a byte order mark and an empty file", "[webserver]") {
  const auto config = parse(
      "\xEF\xBB\xBF"
      "A = 'x'\r\nB = [\r\n 1]\r\n");
  CHECK(fact(config, "A").value == "x");
  CHECK(fact(config, "B").value == "[1]");
  CHECK(fact(config, "B").origin.line == 2);
  CHECK(parse("").settings.empty());
  CHECK(parse("# only a comment").settings.empty());
}

TEST_CASE("read_webserver_config reports unreadable files as errors", "[webserver]") {
  const auto missing = airguard::read_webserver_config("/nonexistent/dir/webserver_config.py");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().level == airguard::Diagnostic::Level::error);
  const std::string fixture =
      std::string(AIRGUARD_SOURCE_DIR) + "/tests/fixtures/webserver/hardened_webserver_config.py";
  const auto hardened = airguard::read_webserver_config(fixture);
  REQUIRE(hardened.ok());
  CHECK(hardened->get("AUTH_TYPE")->fact.value == "AUTH_OAUTH");
}
