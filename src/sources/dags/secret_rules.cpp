#include "sources/dags/secret_rules.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

#include "core/redact.hpp"
#include "core/text.hpp"

namespace airguard::dag_rules {

namespace {

bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return is_upper(c) || is_lower(c); }

// "MLFLOW_TRACKING_PASSWORD" -> mlflow tracking password; "apiKey" -> api key; "s3-secret" -> s3 secret.
std::vector<std::string> name_parts(std::string_view name) {
  std::vector<std::string> parts;
  std::string current;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (!is_alpha(c) && !is_digit(c)) {
      if (!current.empty()) parts.push_back(std::move(current));
      current.clear();
      continue;
    }
    if (is_upper(c) && !current.empty() && i > 0 && is_lower(name[i - 1])) {
      parts.push_back(std::move(current));
      current.clear();
    }
    current += static_cast<char>(is_upper(c) ? c - 'A' + 'a' : c);
  }
  if (!current.empty()) parts.push_back(std::move(current));
  return parts;
}

template <std::size_t N>
bool contains(const std::string_view (&list)[N], std::string_view value) {
  return std::find(std::begin(list), std::end(list), value) != std::end(list);
}

// A last name part that makes the name a reference to a secret, or data about it, not the secret.
constexpr std::string_view kReferenceSuffixes[] = {
    "name",      "names",      "ids",     "url",       "urls",     "uri",      "endpoint", "path",     "paths",
    "file",      "filename",   "dir",     "directory", "location", "type",     "env",      "var",      "variable",
    "field",     "header",     "prefix",  "suffix",    "len",      "length",   "size",     "ttl",      "expiry",
    "expires",   "expiration", "timeout", "mask",      "regex",    "pattern",  "template", "method",   "mode",
    "format",    "scope",      "scopes",  "count",     "version",  "kind",     "param",    "params",   "arn",
    "policy",    "rotation",   "store",   "backend",   "provider", "hash",     "hashed",   "class",    "label",
    "column",    "table",      "attr",    "attribute", "required", "list",     "index",    "bucket",   "ref",
    "reference", "resource",   "manager", "source",    "target",   "role",     "user",     "username", "login",
    "email",     "algorithm",  "host",    "port",      "region",   "secretref"};

constexpr std::string_view kNonValuePrefixes[] = {"is",  "has",    "use",     "get",     "set",  "min",    "max",
                                                  "num", "enable", "enabled", "require", "show", "verify", "no"};

constexpr std::string_view kStrongMarkers[] = {"password", "passwd",     "passwort",      "secret",
                                               "token",    "apikey",     "accesskey",     "privatekey",
                                               "authkey",  "signingkey", "encryptionkey", "masterkey"};

constexpr std::string_view kStrongParts[] = {"pass", "pwd", "pw", "passphrase", "bearer"};

constexpr std::string_view kBroadParts[] = {"key",         "keys", "auth",      "cred",   "creds", "credential",
                                            "credentials", "sig",  "signature", "cookie", "dsn"};

constexpr std::string_view kWeakValues[] = {"airflow",
                                            "admin",
                                            "administrator",
                                            "changeme",
                                            "change_me",
                                            "change-me",
                                            "changeit",
                                            "password",
                                            "passw0rd",
                                            "p@ssw0rd",
                                            "p@ssword",
                                            "password1",
                                            "password123",
                                            "pass",
                                            "pwd",
                                            "secret",
                                            "root",
                                            "toor",
                                            "postgres",
                                            "postgresql",
                                            "mysql",
                                            "mariadb",
                                            "redis",
                                            "rabbitmq",
                                            "guest",
                                            "minio",
                                            "minioadmin",
                                            "minio123",
                                            "mongo",
                                            "mongodb",
                                            "oracle",
                                            "sa",
                                            "superuser",
                                            "user",
                                            "default",
                                            "123456",
                                            "1234",
                                            "12345",
                                            "12345678",
                                            "123456789",
                                            "qwerty",
                                            "letmein",
                                            "welcome",
                                            "master",
                                            "insecure",
                                            "temporary_key",
                                            "this is unsafe!",
                                            "abc123"};

constexpr std::string_view kPlaceholderWords[] = {
    "none",    "null",   "nil",      "undefined", "todo",   "tbd",     "fixme",   "placeholder", "dummy",
    "example", "sample", "fake",     "mock",      "test",   "testing", "test123", "foo",         "bar",
    "foobar",  "baz",    "redacted", "hidden",    "masked", "xxx",     "notset",  "not_set",     "unset"};

constexpr std::string_view kPlaceholderFragments[] = {
    "your_", "your-", "yourapi", "your api", "your password", "your token", "your key",
    "_here", "-here", "<",       "example",  "placeholder",   "dummy",      "insert_"};

}  // namespace

NameClass classify_name(std::string_view name) {
  const std::vector<std::string> parts = name_parts(name);
  if (parts.empty()) return NameClass::none;
  if (contains(kNonValuePrefixes, parts.front()) && parts.size() > 1) return NameClass::none;
  std::string joined;
  for (const std::string& part : parts) joined += part;
  const std::string& last = parts.back();
  const bool aws = joined.find("aws") != std::string::npos || parts.front() == "s3";
  if (joined.find("accesskeyid") != std::string::npos && last == "id") return NameClass::aws_key_id;
  if (contains(kReferenceSuffixes, last) || last == "id") return NameClass::none;
  if (joined.find("secretaccesskey") != std::string::npos || (aws && joined.find("secretkey") != std::string::npos)) {
    return NameClass::aws_secret_key;
  }
  if (joined.find("azure") != std::string::npos || joined.find("accountkey") != std::string::npos ||
      joined.find("sastoken") != std::string::npos || joined.find("storagekey") != std::string::npos) {
    if (last == "key" || last == "token" || last == "secret" || last == "string") return NameClass::azure_key;
  }
  for (std::string_view marker : kStrongMarkers) {
    if (joined.find(marker) != std::string::npos) return NameClass::strong;
  }
  for (const std::string& part : parts) {
    if (contains(kStrongParts, part)) return NameClass::strong;
  }
  if (contains(kBroadParts, last)) return NameClass::broad;
  return NameClass::none;
}

std::string credential_kind(std::string_view name) {
  const std::vector<std::string> parts = name_parts(name);
  std::string joined;
  for (const std::string& part : parts) joined += part;
  switch (classify_name(name)) {
    case NameClass::aws_key_id:
      return "AWS access key ID";
    case NameClass::aws_secret_key:
      return "AWS secret access key";
    case NameClass::azure_key:
      return "Azure storage key";
    default:
      break;
  }
  if (joined.find("pass") != std::string::npos || joined.find("pwd") != std::string::npos ||
      std::find(parts.begin(), parts.end(), "pw") != parts.end()) {
    return "password";
  }
  if (joined.find("apikey") != std::string::npos) return "API key";
  if (joined.find("accesskey") != std::string::npos) return "access key";
  if (joined.find("privatekey") != std::string::npos) return "private key";
  if (joined.find("token") != std::string::npos || joined.find("bearer") != std::string::npos) return "token";
  if (joined.find("secret") != std::string::npos) return "secret";
  if (joined.find("cred") != std::string::npos) return "credential";
  return "key";
}

double shannon_entropy(std::string_view value) {
  if (value.empty()) return 0.0;
  std::array<unsigned, 256> counts{};
  for (char c : value) ++counts[static_cast<unsigned char>(c)];
  double entropy = 0.0;
  const double size = static_cast<double>(value.size());
  for (unsigned count : counts) {
    if (count == 0) continue;
    const double p = static_cast<double>(count) / size;
    entropy -= p * std::log2(p);
  }
  return entropy;
}

bool looks_like_token(std::string_view value) {
  if (value.size() < 16 || value.size() > 1024) return false;
  bool letters = false;
  bool digits = false;
  bool all_hex = true;
  for (char c : value) {
    if (is_alpha(c)) {
      letters = true;
    } else if (is_digit(c)) {
      digits = true;
    } else if (std::string_view("+/=_-~!%:").find(c) == std::string_view::npos) {
      return false;  // dots, blanks, slashes-with-words: hostnames, paths, prose
    }
    if (!is_digit(c) && !((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) all_hex = false;
  }
  if (all_hex && value.size() >= 32) return true;
  return letters && digits && shannon_entropy(value) >= 3.3;
}

bool is_weak_value(std::string_view value) {
  const std::string lower = to_lower(trim(value));
  return contains(kWeakValues, std::string_view(lower));
}

bool is_placeholder(std::string_view value) {
  const std::string lower = to_lower(trim(value));
  if (lower.empty()) return true;
  if (contains(kPlaceholderWords, std::string_view(lower))) return true;
  if (lower.find("{{") != std::string::npos || lower.find("{%") != std::string::npos ||
      lower.find("${") != std::string::npos || lower.find("%(") != std::string::npos || lower == "%s") {
    return true;
  }
  if (lower.front() == '$') return true;
  if (lower.find("***") != std::string::npos || lower.find("xxxx") != std::string::npos ||
      lower.find("...") != std::string::npos) {
    return true;
  }
  if (std::all_of(lower.begin(), lower.end(), [&](char c) { return c == lower.front(); }) && lower.size() > 2) {
    return true;
  }
  for (std::string_view fragment : kPlaceholderFragments) {
    if (lower.find(fragment) != std::string::npos) return true;
  }
  return lower.rfind("enter", 0) == 0 || lower.rfind("replace", 0) == 0 || lower.rfind("my_", 0) == 0 ||
         lower.rfind("my-", 0) == 0;
}

ValueClass classify_value(std::string_view value) {
  const std::string_view trimmed = trim(value);
  if (trimmed.empty()) return ValueClass::reference;
  if (is_weak_value(trimmed)) return ValueClass::weak;
  if (is_placeholder(trimmed)) return ValueClass::placeholder;
  // A URL without user info (token endpoints, webhooks are matched by their own patterns).
  if (trimmed.find("://") != std::string_view::npos) {
    return uri_has_password(trimmed) ? ValueClass::secret : ValueClass::reference;
  }
  // Paths to mounted key files.
  if (trimmed.front() == '/' || trimmed.rfind("./", 0) == 0 || trimmed.rfind("../", 0) == 0 ||
      trimmed.rfind("~/", 0) == 0 || (trimmed.size() > 2 && trimmed[1] == ':' && trimmed[2] == '\\')) {
    return ValueClass::reference;
  }
  for (std::string_view extension : {".json", ".pem", ".key", ".p12", ".crt", ".yaml", ".yml", ".txt", ".cfg"}) {
    if (trimmed.size() > extension.size() && trimmed.substr(trimmed.size() - extension.size()) == extension &&
        trimmed.find_first_of(" \t") == std::string_view::npos) {
      return ValueClass::reference;
    }
  }
  // Prose: a description, a log message.
  if (std::count(trimmed.begin(), trimmed.end(), ' ') >= 2) return ValueClass::reference;
  // An environment variable name: MICROSOFT_CLIENT_SECRET, AIRFLOW_CONN_X.
  const bool upper_ident =
      std::all_of(trimmed.begin(), trimmed.end(), [](char c) { return is_upper(c) || is_digit(c) || c == '_'; });
  if (upper_ident && is_upper(trimmed.front()) && trimmed.find('_') != std::string_view::npos) {
    return ValueClass::reference;
  }
  // An identifier made of words: a Variable, connection or Kubernetes Secret name.
  const bool word_ident = std::all_of(trimmed.begin(), trimmed.end(),
                                      [](char c) { return is_lower(c) || c == '_' || c == '-' || c == '.'; });
  if (word_ident && trimmed.find_first_of("_-.") != std::string_view::npos && is_lower(trimmed.front()) &&
      is_lower(trimmed.back())) {
    return ValueClass::reference;
  }
  return ValueClass::secret;
}

}  // namespace airguard::dag_rules
