#include <catch2/catch.hpp>

#include "core/redact.hpp"

using namespace airguard;

TEST_CASE("redact_secrets masks the password of a URI and keeps the rest") {
  CHECK(redact_secrets("postgresql://airflow:s3cret@db:5432/airflow") == "postgresql://airflow:****@db:5432/airflow");
  CHECK(redact_secrets("redis://:pw@redis:6379/0") == "redis://:****@redis:6379/0");
  CHECK(redact_secrets("mysql://user:p@ss:w@rd@host/db") == "mysql://user:****@host/db");
  CHECK(redact_secrets("sqlite:////tmp/airflow.db") == "sqlite:////tmp/airflow.db");
  CHECK(redact_secrets("http://user@host/") == "http://user@host/");
  CHECK(redact_secrets("a=postgresql://u:x@h/d b=redis://:y@r/0") == "a=postgresql://u:****@h/d b=redis://:****@r/0");
}

TEST_CASE("redact_secrets masks secret query parameters") {
  CHECK(redact_secrets("https://h/p?user=a&password=hunter2&x=1") == "https://h/p?user=a&password=****&x=1");
  CHECK(redact_secrets("https://h/p?token=abc") == "https://h/p?token=****");
  CHECK(redact_secrets("https://h/p?notoken=abc") == "https://h/p?notoken=abc");
}

TEST_CASE("uri_has_password tells a URI with an inline password") {
  CHECK(uri_has_password("postgresql+psycopg2://airflow:airflow@postgres/airflow"));
  CHECK_FALSE(uri_has_password("postgresql+psycopg2://airflow@postgres/airflow"));
  CHECK_FALSE(uri_has_password("not a uri"));
}

TEST_CASE("SecretScrubber masks every registered secret") {
  SecretScrubber scrubber;
  scrubber.add("abcd");  // under Airflow's minimum of five: would mask ordinary words
  scrubber.add("hunter2");
  scrubber.add("hunter2hunter2");
  scrubber.add("hunter2");  // once only
  CHECK(scrubber.size() == 2);
  CHECK(scrubber.scrub("x hunter2hunter2 y hunter2 abcd") == "x **** y **** abcd");
  CHECK(scrubber.scrub("hunter2") == "****");
  CHECK(scrubber.scrub("") == "");
  CHECK(scrubber.scrub("nothing here") == "nothing here");
}

TEST_CASE("SecretScrubber masks a short secret only as a word of its own, a long one anywhere") {
  SecretScrubber scrubber;
  scrubber.add("pass1");
  scrubber.add("Lead-Sync-2026!");
  // A short password inside another word is a coincidence: masking it would garble the word and
  // tell where the password stands in it.
  CHECK(scrubber.scrub("pass1word, pass1, /tmp/pass1.yaml, xpass1") == "pass1word, ****, /tmp/****.yaml, xpass1");
  CHECK(scrubber.scrub("url=https://u:Lead-Sync-2026!@h/x and xLead-Sync-2026!y") ==
        "url=https://u:****@h/x and x****y");
}

TEST_CASE("SecretScrubber masks overlapping secrets whole, and each separate occurrence") {
  SecretScrubber scrubber;
  scrubber.add("abcdefgh");
  scrubber.add("efghijkl");
  // Replacing one secret after the other would leave "abcd" once "efghijkl" was masked.
  CHECK(scrubber.scrub("xabcdefghijkly") == "x****y");
  CHECK(scrubber.scrub("abcdefghabcdefgh") == "********");  // two occurrences side by side: two masks
  CHECK(scrubber.scrub("abcdefgh efghijkl") == "**** ****");
  CHECK(scrubber.scrub("abcdefg efghijk") == "abcdefg efghijk");  // pieces of secrets are not secrets
}

TEST_CASE("SecretScrubber finds tens of thousands of secrets in one pass") {
  SecretScrubber scrubber;
  std::string text;
  for (int i = 0; i < 40000; ++i) {
    scrubber.add("secret-value-" + std::to_string(i) + "-x");
    if (i % 1000 == 0) text += "v=secret-value-" + std::to_string(i) + "-x ";
  }
  for (int i = 0; i < 100000; ++i) text += "secret-value-";
  CHECK(scrubber.size() == 40000);
  const std::string scrubbed = scrubber.scrub(text);
  CHECK(scrubbed.rfind("v=**** v=**** ", 0) == 0);
  CHECK(scrubbed.find("-x") == std::string::npos);
}

TEST_CASE("redact_secrets masks secret-named JSON fields, as in AIRFLOW_CONN_ JSON values") {
  CHECK(redact_secrets(R"({"conn_type": "http", "login": "u", "password": "Hubspot-Pa55"})") ==
        R"({"conn_type": "http", "login": "u", "password": "****"})");
  CHECK(redact_secrets(R"({"extra": {"api_token": "abc\"def", "region": "eu"}})") ==
        R"({"extra": {"api_token": "****", "region": "eu"}})");
  CHECK(redact_secrets(R"({"host": "db", "port": 5432})") == R"({"host": "db", "port": 5432})");
  CHECK(secret_values(R"({"password":"p1","client_secret" : "s2","login":"x"})") ==
        std::vector<std::string>{"p1", "s2"});
}

TEST_CASE("name_means_secret reads the words of a name, whatever its notation") {
  for (const char* name : {"password",
                           "smtp_password",
                           "client_secret",
                           "clientSecret",
                           "AccountKey",
                           "sas_token",
                           "access_token",
                           "passphrase",
                           "private_key_passphrase",
                           "Authorization",
                           "Proxy-Authorization",
                           "X-Api-Key",
                           "api_key",
                           "apiKey",
                           "key",
                           "sig",
                           "AIRFLOW__CORE__FERNET_KEY",
                           "AWS_SECRET_ACCESS_KEY",
                           "SENTRY_DSN",
                           "bind_password",
                           "jwt_secret",
                           "SharedAccessSignature",
                           "credentials"}) {
    INFO(name);
    CHECK(name_means_secret(name));
  }
  for (const char* name : {"token_url",
                           "token_uri",
                           "auth_type",
                           "client_id",
                           "AWSAccessKeyId",
                           "key_file",
                           "password_file",
                           "SMTP_PASSWORD_CMD",
                           "secrets.backend",
                           "secrets_backend_kwargs",
                           "secret_mask_adapter",
                           "public_key",
                           "ssl_key",
                           "web_server_ssl_key",
                           "keyfile_dict",
                           "notoken",
                           "host",
                           "login",
                           "AIRFLOW_CONN_PAYMENTS",
                           "sql_alchemy_conn",
                           "dsn"}) {
    INFO(name);
    CHECK_FALSE(name_means_secret(name));
  }
}

TEST_CASE("redact_secrets masks connection secrets by meaning, in every notation Airflow accepts") {
  // Query parameters of a connection URI.
  CHECK(redact_secrets("http://h/?client_secret=CSec1234&client_id=app") ==
        "http://h/?client_secret=****&client_id=app");
  CHECK(redact_secrets("wasb://a@h/?sas_token=sv%3D2020%26sig%3Dabc") == "wasb://a@h/?sas_token=****");
  CHECK(redact_secrets("https://h/cb#access_token=Tok999&state=1") == "https://h/cb#access_token=****&state=1");
  // An Azure connection string, plain and percent-encoded inside a URI.
  CHECK(redact_secrets("DefaultEndpointsProtocol=https;AccountName=x;AccountKey=Key+1/2==;EndpointSuffix=core") ==
        "DefaultEndpointsProtocol=https;AccountName=x;AccountKey=****;EndpointSuffix=core");
  CHECK(redact_secrets("wasb://a@?connection_string=AccountName%3Dx%3BAccountKey%3DAzK3y%2Fab%3D%3D") ==
        "wasb://a@?connection_string=AccountName%3Dx%3BAccountKey%3D****");
  // A URL-encoded __extra__ JSON.
  CHECK(redact_secrets("http://h/?__extra__=%7B%22passphrase%22%3A+%22Pp-777%22%2C+%22x%22%3A+1%7D") ==
        "http://h/?__extra__=%7B%22passphrase%22%3A+%22****%22%2C+%22x%22%3A+1%7D");
  // JSON extras: nested fields, numbers, and an Authorization header keeps its scheme.
  CHECK(redact_secrets(R"({"extra": {"passphrase": "Pp-888", "pin": 1, "password": 123456}})") ==
        R"({"extra": {"passphrase": "****", "pin": 1, "password": ****}})");
  CHECK(redact_secrets(R"({"headers": {"Authorization": "Bearer eyJ0.abc.def"}})") ==
        R"({"headers": {"Authorization": "Bearer ****"}})");
  CHECK(redact_secrets("Authorization: Bearer eyJ0.abc.def") == "Authorization: Bearer ****");
  CHECK(redact_secrets("curl -H 'X-Token: t0ken-value'") == "curl -H 'X-Token: ****'");
  CHECK(redact_secrets("sent with bearer abcdef123456 yesterday") == "sent with bearer **** yesterday");
  // Python and YAML notation.
  CHECK(redact_secrets("{'password': 'py-Secret1'}") == "{'password': '****'}");
  CHECK(redact_secrets("smtp_password = Smtp-Pw1") == "smtp_password = ****");
  // What is no secret stays readable.
  CHECK(redact_secrets("Basic authentication is on") == "Basic authentication is on");
  CHECK(redact_secrets("webserver.secret_key = ****") == "webserver.secret_key = ****");
  CHECK(redact_secrets("core.fernet_key = (empty)") == "core.fernet_key = (empty)");
  CHECK(redact_secrets(R"({"token_url": "https://id/token", "auth_type": "basic", "client_id": "x"})") ==
        R"({"token_url": "https://id/token", "auth_type": "basic", "client_id": "x"})");
  CHECK(redact_secrets("password=${SMTP_PASSWORD}") == "password=${SMTP_PASSWORD}");
}

TEST_CASE("redact_secrets stays linear on text made of secret names") {
  std::string text;
  for (int i = 0; i < 200000; ++i) text += "password=";
  const std::string redacted = redact_secrets(text);
  CHECK(redacted.size() < text.size());
  CHECK(redacted.find("password=password") == std::string::npos);
}

TEST_CASE("redact_secrets masks a token given as a URI's user name, not a plain user name") {
  CHECK(redact_secrets("-e git+https://ghp_abc123XYZ@github.com/org/repo.git") ==
        "-e git+https://****@github.com/org/repo.git");
  CHECK(redact_secrets("https://x9Fk2mQ7vL4pR8sT1wZ3@git.example.com/r") == "https://****@git.example.com/r");
  CHECK(redact_secrets("postgresql://airflow@db/airflow") == "postgresql://airflow@db/airflow");
  CHECK(redact_secrets("postgresql://svc_airflow_reporting@db/a") == "postgresql://svc_airflow_reporting@db/a");
}

TEST_CASE("secret_values gives encoded secrets also decoded, for the scrubber") {
  CHECK(secret_values("http://h/?token=a%2Fb%2Bc") == std::vector<std::string>{"a%2Fb%2Bc", "a/b+c"});
}

TEST_CASE("quote_line_masked keeps a broken line's key and never its value") {
  CHECK(quote_line_masked("  smtp_password: Hunter-22") == "\"smtp_password : ****\"");
  CHECK(quote_line_masked("bind_password =") == "\"bind_password =\"");
  CHECK(quote_line_masked("[core") == "\"[core\"");
  CHECK(quote_line_masked("MIIEvQIBADANBgkqhkiG9w0") == "(a line of 23 characters, not shown: it may hold a secret)");
}
