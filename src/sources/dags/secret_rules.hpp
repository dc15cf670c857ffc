#pragma once
#include <string>
#include <string_view>

// Judgements about names and values, shared by the detector and its tests.
namespace airguard::dag_rules {

// What a name (variable, keyword argument, dict key, environment variable) says about its value.
enum class NameClass {
  none,            // not about a secret, or a reference to one (secret_name, token_url, key_path ...)
  strong,          // password, secret, token, api_key, access_key ...: any real literal is a leak
  broad,           // key, auth, credentials ...: only a value that looks like a credential is a leak
  aws_key_id,      // aws_access_key_id, s3_access_key_id
  aws_secret_key,  // aws_secret_access_key
  azure_key,       // azure storage / account keys, SAS tokens
};
NameClass classify_name(std::string_view name);

// A short description of the credential a name holds: "password", "API key", "token" ...
std::string credential_kind(std::string_view name);

enum class ValueClass {
  secret,       // looks like a real credential
  weak,         // a well-known default or trivially weak value: airflow, admin, changeme, root ...
  placeholder,  // <your-key>, YOUR_API_KEY, xxxx, ****, {{ var.value.x }}, ${X}, example, dummy ...
  reference,    // not a secret: a URL without credentials, a file path, an environment variable
                // name, an identifier such as a Variable or Secret name, prose, empty
};
ValueClass classify_value(std::string_view value);

bool is_weak_value(std::string_view value);
bool is_placeholder(std::string_view value);
// Long, mixed, high-entropy: the shape of a generated key or token.
bool looks_like_token(std::string_view value);
double shannon_entropy(std::string_view value);  // bits per character

}  // namespace airguard::dag_rules
