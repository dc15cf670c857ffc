#include <catch2/catch.hpp>

#include "sources/cfg/cfg_file.hpp"

using namespace airguard;

namespace {
std::string value_of(const CfgFile& file, std::string_view section, std::string_view key) {
  const CfgOption* option = file.find(section, key);
  REQUIRE(option != nullptr);
  return option->raw_value;
}
}  // namespace

TEST_CASE("cfg: inline comment characters are part of the value", "[cfg]") {
  const CfgFile file = parse_cfg("[smtp]\nsmtp_password = s3cret ;tail\nsmtp_user = a#b;c\n", "airflow.cfg");
  CHECK(file.errors.empty());
  CHECK(value_of(file, "smtp", "smtp_password") == "s3cret ;tail");
  CHECK(value_of(file, "smtp", "smtp_user") == "a#b;c");
}

TEST_CASE("cfg: full-line comments, indented comments and both delimiters", "[cfg]") {
  const CfgFile file = parse_cfg("# top\n[core]\n  ; indented comment\nexecutor : LocalExecutor\na:b = c\n", "f");
  CHECK(file.errors.empty());
  CHECK(value_of(file, "core", "executor") == "LocalExecutor");
  CHECK(value_of(file, "core", "a") == "b = c");
}

TEST_CASE("cfg: continuation lines keep inner blank lines and drop comments and trailing blanks", "[cfg]") {
  const CfgFile file =
      parse_cfg("[secrets]\nbackend_kwargs = {\"a\": 1,\n\n  # comment\n    \"b\": 2}\n\n\n[core]\n", "f");
  CHECK(file.errors.empty());
  CHECK(value_of(file, "secrets", "backend_kwargs") == "{\"a\": 1,\n\n\"b\": 2}");
}

TEST_CASE("cfg: same indentation starts a new option, deeper indentation continues", "[cfg]") {
  const CfgFile file = parse_cfg("[core]\n  a = 1\n  b = 2\n    c = 3\n", "f");
  CHECK(file.errors.empty());
  CHECK(value_of(file, "core", "a") == "1");
  CHECK(value_of(file, "core", "b") == "2\nc = 3");
}

TEST_CASE("cfg: keys keep their case and carry line and column", "[cfg]") {
  const CfgFile file = parse_cfg("[CORE]\n\n   FERNET_KEY = upper\n", "airflow.cfg");
  CHECK(file.errors.empty());
  const CfgOption* option = file.find("CORE", "FERNET_KEY");
  REQUIRE(option != nullptr);
  CHECK(option->origin.line == 3);
  CHECK(option->origin.column == 4);
  CHECK(file.find("core", "fernet_key") == nullptr);
}

TEST_CASE("cfg: CRLF and CR-only line endings", "[cfg]") {
  const CfgFile crlf = parse_cfg("[core]\r\na = 1\r\nb = 2\r\n", "f");
  CHECK(value_of(crlf, "core", "b") == "2");
  CHECK(crlf.find("core", "b")->origin.line == 3);
  const CfgFile cr = parse_cfg("[core]\ra = 1\rb = 2\r", "f");
  CHECK(value_of(cr, "core", "a") == "1");
  CHECK(cr.find("core", "b")->origin.line == 3);
}

TEST_CASE("cfg: long lines are one value", "[cfg]") {
  const std::string long_value(5000, 'p');
  const CfgFile file = parse_cfg("[database]\nsql_alchemy_conn = " + long_value + " injected_key = evil\n", "f");
  CHECK(value_of(file, "database", "sql_alchemy_conn") == long_value + " injected_key = evil");
  CHECK(file.section("database")->options.size() == 1);
}

TEST_CASE("cfg: errors Airflow refuses the file for, with the line Python reports", "[cfg]") {
  SECTION("duplicate option") {
    const CfgFile file = parse_cfg("[webserver]\nexpose_config = False\nexpose_config = True\n", "f");
    REQUIRE(file.refused_by_airflow());
    CHECK(file.errors.front().line == 3);
  }
  SECTION("duplicate section, even an empty one") {
    const CfgFile file = parse_cfg("[core]\na = 1\n[api]\n[core]\n", "f");
    REQUIRE(file.refused_by_airflow());
    CHECK(file.errors.front().line == 4);
  }
  SECTION("option before the first section") {
    const CfgFile file = parse_cfg("\n# c\na = 1\n[core]\n", "f");
    REQUIRE(file.refused_by_airflow());
    CHECK(file.errors.front().line == 3);
  }
  SECTION("UTF-8 byte order mark") {
    const CfgFile file = parse_cfg("\xEF\xBB\xBF[core]\na = 1\n", "f");
    REQUIRE(file.refused_by_airflow());
    CHECK(file.errors.front().line == 1);
  }
  SECTION("invalid UTF-8") {
    const CfgFile file = parse_cfg("[core]\na = 1\nb = caf\xE9\n", "f");
    REQUIRE(file.refused_by_airflow());
    CHECK(file.errors.front().line == 3);
  }
  SECTION("lines that are not options, all reported") {
    const CfgFile file = parse_cfg("[core]\njust_a_word\n= value\nanother\n", "f");
    REQUIRE(file.errors.size() == 3);
    CHECK(file.errors[0].line == 2);
    CHECK(file.errors[1].line == 3);
    CHECK(file.errors[2].line == 4);
  }
  SECTION("repeated [DEFAULT] merges, but a repeated default option is an error") {
    CHECK_FALSE(parse_cfg("[DEFAULT]\na = 1\n[DEFAULT]\nb = 2\n", "f").refused_by_airflow());
    const CfgFile file = parse_cfg("[DEFAULT]\na = 1\n[DEFAULT]\na = 2\n", "f");
    REQUIRE(file.refused_by_airflow());
    CHECK(file.errors.front().line == 4);
  }
}

TEST_CASE("cfg: section headers take everything up to the last bracket", "[cfg]") {
  const CfgFile file = parse_cfg("[core] ; main\na = 1\n[a]b]\nc = 2\n", "f");
  CHECK(file.errors.empty());
  CHECK(file.section("core") != nullptr);
  CHECK(file.section("a]b") != nullptr);
}

TEST_CASE("cfg: empty values and quotes are kept as written", "[cfg]") {
  const CfgFile file = parse_cfg("[core]\nfernet_key =\nsecret =   \nq =   \"quoted\"   \n", "f");
  CHECK(value_of(file, "core", "fernet_key").empty());
  CHECK(value_of(file, "core", "secret").empty());
  CHECK(value_of(file, "core", "q") == "\"quoted\"");
}
