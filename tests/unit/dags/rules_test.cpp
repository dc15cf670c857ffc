#include <catch2/catch.hpp>

#include "sources/dags/secret_rules.hpp"

using namespace airguard::dag_rules;

TEST_CASE("names that mean a secret, names that only might, and references") {
  for (const char* name : {"password", "db_password", "MLFLOW_TRACKING_PASSWORD", "sasl_plain_password", "api_key",
                           "API_KEY", "apiKey", "access_token", "bearer_token", "client_secret", "api_secrets", "_pass",
                           "smtp_pwd", "access_key", "signing_key"}) {
    INFO(name);
    CHECK(classify_name(name) == NameClass::strong);
  }
  for (const char* name : {"key", "auth", "credentials", "APP_LOG_KEY"}) {
    INFO(name);
    CHECK(classify_name(name) == NameClass::broad);
  }
  for (const char* name : {"TOKEN_URL", "secret_name", "token_endpoint", "password_env", "key_path", "login", "user",
                           "username", "is_secret", "conn_id", "task_id", "GOOGLE_APPLICATION_CREDENTIALS_PATH"}) {
    INFO(name);
    CHECK(classify_name(name) == NameClass::none);
  }
  CHECK(classify_name("aws_access_key_id") == NameClass::aws_key_id);
  CHECK(classify_name("s3_access_key_id") == NameClass::aws_key_id);
  CHECK(classify_name("AWS_SECRET_ACCESS_KEY") == NameClass::aws_secret_key);
  CHECK(classify_name("azure_storage_key") == NameClass::azure_key);
}

TEST_CASE("values: secrets, weak defaults, placeholders and references") {
  CHECK(classify_value("Kd9Lw2Vb7N") == ValueClass::secret);
  CHECK(classify_value("lfnlzb") == ValueClass::secret);
  for (const char* value : {"airflow", "admin", "changeme", "password", "root", "postgres", "Airflow"}) {
    INFO(value);
    CHECK(classify_value(value) == ValueClass::weak);
  }
  for (const char* value : {"<your-api-key>", "YOUR_API_KEY", "xxxxxxxx", "****", "{{ var.value.key }}", "${TOKEN}",
                            "$TOKEN", "dummy", "example", "test", "2960ecb2*********194d993bbb", "%s"}) {
    INFO(value);
    CHECK(classify_value(value) == ValueClass::placeholder);
  }
  for (const char* value : {"", "https://login.acme.io/oauth2/token", "/secrets/sa-key.json", "MICROSOFT_CLIENT_SECRET",
                            "airflow-gke-secrets", "weather_api_key", "Renew the token if expiring"}) {
    INFO(value);
    CHECK(classify_value(value) == ValueClass::reference);
  }
  CHECK(classify_value("postgresql://u:Kd9Lw2@h/db") == ValueClass::secret);
}

TEST_CASE("token shape: long, mixed and varied") {
  CHECK(looks_like_token("f3a9c1e7b2d84a6f9e0c3b5d7a1f2e4c"));
  CHECK(looks_like_token("Zq8Kd9Lw2Vb7Nm4Pq1Rs"));
  CHECK_FALSE(looks_like_token("return_value"));
  CHECK_FALSE(looks_like_token("rko.aks.geonames2lake.dev"));
  CHECK_FALSE(looks_like_token("short1"));
  CHECK_FALSE(looks_like_token("aaaaaaaaaaaaaaaaaaaa1"));
  CHECK(shannon_entropy("aaaa") == Approx(0.0));
  CHECK(shannon_entropy("abcd") == Approx(2.0));
}
