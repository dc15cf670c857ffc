#include "core/redact.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <vector>

#include "core/text.hpp"

namespace airguard {

namespace {

bool is_scheme_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
}

// Finds "scheme://user:password@" starting at or after `from`; returns the [begin, end) of the
// password, or npos.
std::pair<std::size_t, std::size_t> find_uri_password(std::string_view text, std::size_t from) {
  while (true) {
    const std::size_t sep = text.find("://", from);
    if (sep == std::string_view::npos || sep == 0 || !is_scheme_char(text[sep - 1])) {
      if (sep == std::string_view::npos) return {std::string_view::npos, 0};
      from = sep + 3;
      continue;
    }
    const std::size_t authority_begin = sep + 3;
    // The authority ends at the first '/', '?', '#' or whitespace; the user-info at the last '@' in it.
    std::size_t authority_end = authority_begin;
    while (authority_end < text.size()) {
      const char c = text[authority_end];
      if (c == '/' || c == '?' || c == '#' || c == ' ' || c == '\t' || c == '\n' || c == '"' || c == '\'') break;
      ++authority_end;
    }
    const std::string_view authority = text.substr(authority_begin, authority_end - authority_begin);
    const std::size_t at = authority.rfind('@');
    if (at != std::string_view::npos) {
      const std::size_t colon = authority.substr(0, at).find(':');
      if (colon != std::string_view::npos && colon + 1 < at) {
        return {authority_begin + colon + 1, authority_begin + at};
      }
    }
    from = authority_end;
  }
}

constexpr std::array<std::string_view, 9> kSecretParams = {"password", "passwd", "pwd",        "token", "secret",
                                                           "api_key",  "apikey", "access_key", "sig"};

std::string redact_query_params(std::string text) {
  for (std::string_view param : kSecretParams) {
    std::size_t pos = 0;
    const std::string lower = to_lower(text);
    std::string out;
    std::size_t copied = 0;
    while ((pos = lower.find(param, pos)) != std::string::npos) {
      const bool starts_param = pos > 0 && (lower[pos - 1] == '?' || lower[pos - 1] == '&');
      const std::size_t eq = pos + param.size();
      if (starts_param && eq < lower.size() && lower[eq] == '=') {
        std::size_t end = eq + 1;
        while (end < text.size() && text[end] != '&' && text[end] != '#' && text[end] != ' ' && text[end] != '"') ++end;
        if (end > eq + 1) {
          out.append(text, copied, eq + 1 - copied);
          out += kRedacted;
          copied = end;
        }
        pos = end;
      } else {
        pos = eq;
      }
    }
    if (copied != 0) {
      out.append(text, copied, std::string::npos);
      text = std::move(out);
    }
  }
  return text;
}

bool is_secret_field_name(std::string_view name) {
  static const char* const kWords[] = {"password", "passwd",      "pwd",        "secret",     "token",    "api_key",
                                       "apikey",   "private_key", "access_key", "credential", "auth_key", "sas"};
  const std::string lower = to_lower(name);
  for (const char* word : kWords) {
    if (lower.find(word) != std::string::npos) return true;
  }
  return false;
}

// Finds `"name": "value"` pairs whose name means secret; calls `on_value(begin, end)` for each
// value (positions in `text`, excluding the quotes).
template <typename OnValue>
void for_each_secret_json_value(std::string_view text, OnValue on_value) {
  std::size_t pos = 0;
  while ((pos = text.find('"', pos)) != std::string_view::npos) {
    const std::size_t name_end = text.find('"', pos + 1);
    if (name_end == std::string_view::npos) return;
    const std::string_view name = text.substr(pos + 1, name_end - pos - 1);
    std::size_t cursor = name_end + 1;
    while (cursor < text.size() && (text[cursor] == ' ' || text[cursor] == '\t')) ++cursor;
    if (cursor >= text.size() || text[cursor] != ':' || !is_secret_field_name(name)) {
      pos = name_end + 1;
      continue;
    }
    ++cursor;
    while (cursor < text.size() && (text[cursor] == ' ' || text[cursor] == '\t')) ++cursor;
    if (cursor >= text.size() || text[cursor] != '"') {
      pos = cursor;
      continue;
    }
    std::size_t value_end = cursor + 1;
    while (value_end < text.size() && text[value_end] != '"')
      value_end += text[value_end] == '\\' ? std::size_t{2} : std::size_t{1};
    if (value_end > text.size()) value_end = text.size();
    if (value_end > cursor + 1) on_value(cursor + 1, value_end);
    pos = value_end + 1;
  }
}

std::string redact_json_fields(std::string text) {
  std::vector<std::pair<std::size_t, std::size_t>> spans;
  for_each_secret_json_value(text, [&](std::size_t b, std::size_t e) { spans.emplace_back(b, e); });
  for (auto it = spans.rbegin(); it != spans.rend(); ++it) text.replace(it->first, it->second - it->first, kRedacted);
  return text;
}

}  // namespace

std::vector<std::string> secret_field_values(std::string_view text) {
  std::vector<std::string> values;
  for_each_secret_json_value(text, [&](std::size_t b, std::size_t e) { values.emplace_back(text.substr(b, e - b)); });
  return values;
}

std::string redact_uri(std::string_view text) {
  std::string out;
  std::size_t copied = 0;
  std::size_t from = 0;
  while (true) {
    const auto [begin, end] = find_uri_password(text, from);
    if (begin == std::string_view::npos) break;
    out.append(text.substr(copied, begin - copied));
    out += kRedacted;
    copied = end;
    from = end;
  }
  out.append(text.substr(copied));
  return redact_json_fields(redact_query_params(std::move(out)));
}

std::vector<std::string> uri_passwords(std::string_view text) {
  std::vector<std::string> found;
  std::size_t from = 0;
  while (true) {
    const auto [begin, end] = find_uri_password(text, from);
    if (begin == std::string_view::npos) break;
    found.emplace_back(text.substr(begin, end - begin));
    from = end;
  }
  return found;
}

bool uri_has_password(std::string_view text) { return find_uri_password(text, 0).first != std::string_view::npos; }

std::string mask_secret(std::string_view value) {
  if (value.empty()) return "(empty)";
  return std::string(kRedacted);
}

void SecretScrubber::add(std::string_view secret) {
  // Published defaults ("airflow", "postgres") are named in findings as what they are; masking
  // them everywhere would only mangle ordinary words such as apache-airflow.
  static const char* const kPublishedDefaults[] = {"airflow", "admin", "postgres", "password", "root", "redis",
                                                   "mysql",   "guest", "user",     "test",     "true", "false"};
  secret = trim(secret);
  if (secret.size() < 4) return;
  const std::string lower = to_lower(secret);
  for (const char* word : kPublishedDefaults) {
    if (lower == word) return;
  }
  const std::string value(secret);
  if (std::find(secrets_.begin(), secrets_.end(), value) != secrets_.end()) return;
  secrets_.push_back(value);
  std::stable_sort(secrets_.begin(), secrets_.end(),
                   [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
}

// Every occurrence of every secret in the text as given is marked; overlapping marks merge, and
// each marked stretch becomes one mask, so a secret overlapping another is masked whole, never in
// part. Side-by-side occurrences stay separate masks.
std::string SecretScrubber::scrub(std::string_view text) const {
  std::vector<std::pair<std::size_t, std::size_t>> marks;  // [begin, end)
  // glibc's memmem compares pairs of bytes through a shift table: well ahead of find()'s
  // first-byte memchr on text full of the secrets' first letters.
  for (const std::string& secret : secrets_) {
    const char* const begin = text.data();
    const char* const end = begin + text.size();
    for (const char* at = begin; at < end;) {
      const void* hit = ::memmem(at, static_cast<std::size_t>(end - at), secret.data(), secret.size());
      if (hit == nullptr) break;
      const auto offset = static_cast<std::size_t>(static_cast<const char*>(hit) - begin);
      marks.emplace_back(offset, offset + secret.size());
      at = begin + offset + 1;
    }
  }
  if (marks.empty()) return std::string(text);
  std::sort(marks.begin(), marks.end());
  std::string out;
  out.reserve(text.size());
  std::size_t copied = 0;
  for (std::size_t i = 0; i < marks.size();) {
    const std::size_t begin = marks[i].first;
    std::size_t end = marks[i].second;
    for (++i; i < marks.size() && marks[i].first < end; ++i) end = std::max(end, marks[i].second);
    out.append(text.substr(copied, begin - copied));
    out += kRedacted;
    copied = end;
  }
  out.append(text.substr(copied));
  return out;
}

}  // namespace airguard
