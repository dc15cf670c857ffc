#include <catch2/catch.hpp>

#include "core/redact.hpp"

using namespace airguard;

TEST_CASE("redact_uri masks the password of a URI and keeps the rest") {
  CHECK(redact_uri("postgresql://airflow:s3cret@db:5432/airflow") == "postgresql://airflow:****@db:5432/airflow");
  CHECK(redact_uri("redis://:pw@redis:6379/0") == "redis://:****@redis:6379/0");
  CHECK(redact_uri("mysql://user:p@ss:w@rd@host/db") == "mysql://user:****@host/db");
  CHECK(redact_uri("sqlite:////tmp/airflow.db") == "sqlite:////tmp/airflow.db");
  CHECK(redact_uri("http://user@host/") == "http://user@host/");
  CHECK(redact_uri("a=postgresql://u:x@h/d b=redis://:y@r/0") == "a=postgresql://u:****@h/d b=redis://:****@r/0");
}

TEST_CASE("redact_uri masks secret query parameters") {
  CHECK(redact_uri("https://h/p?user=a&password=hunter2&x=1") == "https://h/p?user=a&password=****&x=1");
  CHECK(redact_uri("https://h/p?token=abc") == "https://h/p?token=****");
  CHECK(redact_uri("https://h/p?notoken=abc") == "https://h/p?notoken=abc");
}

TEST_CASE("uri_has_password tells a URI with an inline password") {
  CHECK(uri_has_password("postgresql+psycopg2://airflow:airflow@postgres/airflow"));
  CHECK_FALSE(uri_has_password("postgresql+psycopg2://airflow@postgres/airflow"));
  CHECK_FALSE(uri_has_password("not a uri"));
}

TEST_CASE("SecretScrubber masks every registered secret, longest first") {
  SecretScrubber scrubber;
  scrubber.add("abc");  // too short to register: would mask ordinary words
  scrubber.add("hunter2");
  scrubber.add("hunter2hunter2");
  CHECK(scrubber.size() == 2);
  CHECK(scrubber.scrub("x hunter2hunter2 y hunter2 abc") == "x **** y **** abc");
  CHECK(scrubber.scrub("hunter2") == "****");
  CHECK(scrubber.scrub("") == "");
  CHECK(scrubber.scrub("nothing here") == "nothing here");
}

TEST_CASE("SecretScrubber masks overlapping secrets whole, and each separate occurrence") {
  SecretScrubber scrubber;
  scrubber.add("abcd");
  scrubber.add("bcdef");
  // Replacing one secret after the other would leave "a" of "abcd" once "bcdef" was masked.
  CHECK(scrubber.scrub("xabcdefy") == "x****y");
  CHECK(scrubber.scrub("abcdabcd") == "********");  // two occurrences side by side: two masks
  CHECK(scrubber.scrub("abcd bcdef") == "**** ****");
  CHECK(scrubber.scrub("abc bcde") == "abc bcde");  // pieces of secrets are not secrets
}

TEST_CASE("redact_uri masks secret-named JSON fields, as in AIRFLOW_CONN_ JSON values") {
  CHECK(redact_uri(R"({"conn_type": "http", "login": "u", "password": "Hubspot-Pa55"})") ==
        R"({"conn_type": "http", "login": "u", "password": "****"})");
  CHECK(redact_uri(R"({"extra": {"api_token": "abc\"def", "region": "eu"}})") ==
        R"({"extra": {"api_token": "****", "region": "eu"}})");
  CHECK(redact_uri(R"({"host": "db", "port": 5432})") == R"({"host": "db", "port": 5432})");
  CHECK(secret_field_values(R"({"password":"p1","client_secret" : "s2","login":"x"})") ==
        std::vector<std::string>{"p1", "s2"});
}
