#include "engine/operators.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>

#include "core/redact.hpp"
#include "core/text.hpp"

namespace airguard {

std::optional<bool> lenient_boolean(std::string_view text) {
  const std::string value = to_lower(trim(text));
  if (value == "true" || value == "t" || value == "1" || value == "yes" || value == "on" || value == "y") return true;
  if (value == "false" || value == "f" || value == "0" || value == "no" || value == "off" || value == "n") return false;
  return std::nullopt;
}

namespace {

bool wants(const std::vector<std::string>& args) {
  return args.empty() || lenient_boolean(args.front()).value_or(true);
}

std::optional<double> as_number(std::string_view text) {
  const std::string value(trim(text));
  if (value.empty()) return std::nullopt;
  char* end = nullptr;
  const double number = std::strtod(value.c_str(), &end);
  if (end == value.c_str() || *end != '\0') return std::nullopt;
  return number;
}

bool compare_number(const Fact& fact, const std::vector<std::string>& args, int (*cmp)(double, double)) {
  if (!fact.value || args.empty()) return false;
  const auto value = as_number(*fact.value);
  const auto limit = as_number(args.front());
  return value && limit && cmp(*value, *limit) != 0;
}

const RE2* compiled(const std::string& pattern) {
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<RE2>> cache;
  const std::lock_guard<std::mutex> lock(mutex);
  auto& slot = cache[pattern];
  if (!slot) {
    RE2::Options options;
    options.set_log_errors(false);
    slot = std::make_unique<RE2>(pattern, options);
  }
  return slot->ok() ? slot.get() : nullptr;
}

std::string uri_scheme(std::string_view value) {
  const std::size_t sep = value.find("://");
  if (sep == std::string_view::npos) return {};
  std::string scheme = to_lower(trim(value.substr(0, sep)));
  const std::size_t plus = scheme.find('+');  // "postgresql+psycopg2" -> "postgresql"
  if (plus != std::string::npos) scheme.resize(plus);
  return scheme;
}

bool in_list(const Fact& fact, const std::vector<std::string>& args) {
  if (!fact.value) return false;
  const std::string value(trim(*fact.value));
  return std::any_of(args.begin(), args.end(), [&](const std::string& a) { return equals_icase(a, value); });
}

// Values that are published defaults or placeholders, never real secrets.
bool is_weak_secret(std::string_view raw) {
  static const char* const kWeak[] = {
      "temporary_key", "this is unsafe!", "changeme", "change_me", "change-me", "secret", "secret_key", "secretkey",
      "password", "admin", "airflow", "default", "test", "example", "xxx", "123456", "insecure", "your_secret_key",
      "your-secret-key", "your_fernet_key", "fernet_key", "my_secret_key", "mysecretkey", "supersecret", "s3cr3t",
      // Published Fernet keys: the community chart's sample and puckel/docker-airflow's compose default.
      "7T512UXSSmBOkpWimFHIVb8jK6lfmSAvx4mO6Arehnc=", "46BKJoQYlPPOexq0OhDZnIlNepKFf87WFwLbfzqDDho="};
  const std::string value = to_lower(trim(raw));
  if (value.empty()) return false;
  for (const char* weak : kWeak) {
    if (value == to_lower(weak)) return true;
  }
  return value.find("change_me") != std::string::npos || value.find("changeme") != std::string::npos ||
         value.find("your_") == 0 || value.find("<") == 0 || value.find("replace") == 0;
}

bool is_urlsafe_base64(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           c == '=';
  });
}

// A Fernet key is 32 bytes in URL-safe base64 (44 characters with one '='); Airflow accepts a
// comma-separated list of them for rotation.
bool is_valid_fernet_list(std::string_view value) {
  const std::vector<std::string> keys = split(value, ',');
  for (const std::string& raw : keys) {
    const std::string_view key = trim(raw);
    if (key.size() != 44 || key[43] != '=' || key[42] == '=' || !is_urlsafe_base64(key.substr(0, 43))) return false;
  }
  return !keys.empty();
}

// Airflow masks a variable or connection field when one of the sensitive names (built-in or from
// [core] sensitive_var_conn_names) is contained in its name, ignoring case. A name the organization
// uses is covered when some entry of the comma-separated list is a substring of it.
bool name_covered(const std::vector<std::string>& entries, std::string_view name) {
  const std::string wanted = to_lower(trim(name));
  return std::any_of(entries.begin(), entries.end(), [&](const std::string& raw) {
    const std::string entry = to_lower(trim(raw));
    return !entry.empty() && wanted.find(entry) != std::string::npos;
  });
}

}  // namespace

const std::vector<OperatorInfo>& operator_registry() {
  using Args = const std::vector<std::string>&;
  static const std::vector<OperatorInfo> registry = {
      {"bool", OperandKind::none_or_bool,
       "the value reads as this boolean (true/false/1/0/t/f; yes/no/on/off for Helm and Python)", "bool: true",
       [](const Fact& f, Args a) {
         if (!f.value) return false;
         const auto b = lenient_boolean(*f.value);
         return b.has_value() && *b == wants(a);
       }},
      {"equals", OperandKind::scalar, "the value equals the operand exactly",
       "equals: airflow.api.auth.backend.default",
       [](const Fact& f, Args a) { return f.value && !a.empty() && std::string(trim(*f.value)) == a.front(); }},
      {"iequals", OperandKind::scalar, "the value equals the operand, ignoring case", "iequals: none",
       [](const Fact& f, Args a) { return f.value && !a.empty() && equals_icase(trim(*f.value), a.front()); }},
      {"in", OperandKind::list, "the value is one of the operands, ignoring case", "in: [DEBUG, debug]", in_list},
      {"not_in", OperandKind::list, "the value is set and none of the operands, ignoring case", "not_in: [verify-full]",
       [](const Fact& f, Args a) { return f.value.has_value() && !in_list(f, a); }},
      {"matches", OperandKind::scalar, "the value matches the RE2 regular expression (unanchored)",
       "matches: \"^http://\"",
       [](const Fact& f, Args a) {
         if (!f.value || a.empty()) return false;
         const RE2* re = compiled(a.front());
         return re != nullptr && RE2::PartialMatch(*f.value, *re);
       }},
      {"contains", OperandKind::scalar, "the value contains the operand, ignoring case", "contains: sslmode=disable",
       [](const Fact& f, Args a) {
         return f.value && !a.empty() && to_lower(*f.value).find(to_lower(a.front())) != std::string::npos;
       }},
      {"empty", OperandKind::none_or_bool,
       "the value is unset, null or blank (a value resolved at runtime is not empty)", "empty: true",
       [](const Fact& f, Args a) {
         const bool empty = !f.runtime_only && (!f.value || trim(*f.value).empty());
         return empty == wants(a);
       }},
      {"set", OperandKind::none_or_bool, "somebody set the value (it is not a built-in or chart default)", "set: true",
       [](const Fact& f, Args a) { return f.is_set == wants(a); }},
      {"unset", OperandKind::none_or_bool, "nobody set the value: the default is in force", "unset: true",
       [](const Fact& f, Args a) { return !f.is_set == wants(a); }},
      {"runtime", OperandKind::none_or_bool,
       "the value is only known at runtime (_cmd, _secret, os.environ, a Kubernetes Secret)", "runtime: false",
       [](const Fact& f, Args a) { return f.runtime_only == wants(a); }},
      {"literal", OperandKind::none_or_bool,
       "the value is written out in a file we read (not empty, not resolved at runtime)", "literal: true",
       [](const Fact& f, Args a) {
         const bool literal = !f.runtime_only && f.value && !trim(*f.value).empty() && f.is_set;
         return literal == wants(a);
       }},
      {"source_in", OperandKind::list,
       "the value came from one of these places: cfg, env, helm, webserver_config, default", "source_in: [cfg, helm]",
       [](const Fact& f, Args a) {
         const std::string_view kind = to_string(f.origin.kind);
         return std::any_of(a.begin(), a.end(), [&](const std::string& k) { return k == kind; });
       }},
      {"uri_password", OperandKind::none_or_bool, "the value holds a URI with a password in it", "uri_password: true",
       [](const Fact& f, Args a) { return f.value && uri_has_password(*f.value) == wants(a); }},
      {"holds_secret", OperandKind::none_or_bool,
       "the value holds a secret by meaning: a URI password, a secret-named parameter, field or key (client_secret=, "
       "AccountKey=, \"passphrase\": ...), or credentials after Bearer or Basic",
       "holds_secret: true",
       [](const Fact& f, Args a) { return f.value && !find_secret_spans(*f.value).empty() == wants(a); }},
      {"uri_scheme_in", OperandKind::list,
       "the value is a URI whose scheme (before any +driver) is one of the operands",
       "uri_scheme_in: [http, redis, amqp]",
       [](const Fact& f, Args a) {
         if (!f.value) return false;
         const std::string scheme = uri_scheme(*f.value);
         return !scheme.empty() &&
                std::any_of(a.begin(), a.end(), [&](const std::string& s) { return equals_icase(s, scheme); });
       }},
      {"weak_secret", OperandKind::none_or_bool, "the value is a published default or a placeholder, not a real secret",
       "weak_secret: true", [](const Fact& f, Args a) { return f.value && is_weak_secret(*f.value) == wants(a); }},
      {"fernet_invalid", OperandKind::none_or_bool, "the value is set but is not a list of valid Fernet keys",
       "fernet_invalid: true",
       [](const Fact& f, Args a) {
         if (!f.value || trim(*f.value).empty()) return false;
         return !is_valid_fernet_list(*f.value) == wants(a);
       }},
      {"number_gt", OperandKind::number, "the value is a number greater than the operand", "number_gt: 43200",
       [](const Fact& f, Args a) { return compare_number(f, a, [](double x, double y) { return x > y ? 1 : 0; }); }},
      {"number_ge", OperandKind::number, "the value is a number greater than or equal to the operand", "number_ge: 1",
       [](const Fact& f, Args a) { return compare_number(f, a, [](double x, double y) { return x >= y ? 1 : 0; }); }},
      {"number_lt", OperandKind::number, "the value is a number less than the operand", "number_lt: 600",
       [](const Fact& f, Args a) { return compare_number(f, a, [](double x, double y) { return x < y ? 1 : 0; }); }},
      {"number_le", OperandKind::number, "the value is a number less than or equal to the operand", "number_le: 0",
       [](const Fact& f, Args a) { return compare_number(f, a, [](double x, double y) { return x <= y ? 1 : 0; }); }},
      {"length_lt", OperandKind::number, "the value is set and shorter than the operand (in characters)",
       "length_lt: 16",
       [](const Fact& f, Args a) {
         if (!f.value || a.empty() || trim(*f.value).empty()) return false;
         const auto limit = as_number(a.front());
         return limit && static_cast<double>(trim(*f.value).size()) < *limit;
       }},
      {"in_file", OperandKind::none_or_bool,
       "the value is written out in a file we read (airflow.cfg, an env or compose file, Helm values), not only in the "
       "process environment, a default or a runtime reference",
       "in_file: true",
       [](const Fact& f, Args a) {
         const bool in_file =
             !f.runtime_only && f.value.has_value() && !trim(*f.value).empty() && !f.origin.file.empty();
         return in_file == wants(a);
       }},
      {"key_matches", OperandKind::scalar,
       "the subject's own name (option, environment variable, setting) matches the RE2 regular expression (unanchored)",
       "key_matches: \"(?i)(PASSWORD|TOKEN|SECRET)\"",
       [](const Fact& f, Args a) {
         if (a.empty()) return false;
         const RE2* re = compiled(a.front());
         return re != nullptr && RE2::PartialMatch(f.key, *re);
       }},
      {"names_not_covered", OperandKind::list,
       "the value, a comma-separated list of sensitive names, leaves one of the operands unmasked (a name is covered "
       "when "
       "a list entry is contained in it, ignoring case, as Airflow's masker matches)",
       "names_not_covered: [iban, card_number]",
       [](const Fact& f, Args a) {
         if (f.runtime_only) return false;
         const std::vector<std::string> entries = split(f.value.value_or(""), ',');
         return std::any_of(a.begin(), a.end(), [&](const std::string& name) { return !name_covered(entries, name); });
       }},
      {"all", OperandKind::conditions, "every child condition holds", "all: [{...}, {...}]", nullptr},
      {"any", OperandKind::conditions, "at least one child condition holds", "any: [{...}, {...}]", nullptr},
      {"not", OperandKind::condition, "the child condition does not hold", "not: {bool: true}", nullptr},
      {"version", OperandKind::specifier, "the target Airflow version is in the PEP 440 specifier set",
       "version: \">=3.0\"", nullptr},
      {"same_as_option", OperandKind::scalar, "the value equals the effective value of another option (both set)",
       "same_as_option: webserver.secret_key", nullptr},
  };
  return registry;
}

const OperatorInfo* find_operator(std::string_view name) {
  for (const OperatorInfo& info : operator_registry()) {
    if (info.name == name) return &info;
  }
  return nullptr;
}

}  // namespace airguard
