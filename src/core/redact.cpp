#include "core/redact.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <vector>

#include "core/text.hpp"

namespace airguard {

namespace {

bool is_scheme_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
}

// A user name that is a token: a known token prefix, or 20 characters and more of letters and
// digits mixed (no person or service account is called that).
bool user_is_token(std::string_view user) {
  for (std::string_view prefix :
       {"ghp_", "gho_", "ghu_", "ghs_", "github_pat_", "glpat-", "x-access-token", "oauth2"}) {
    if (user.substr(0, prefix.size()) == prefix) return true;
  }
  if (user.size() < 20) return false;
  const bool digits = std::any_of(user.begin(), user.end(), [](char c) { return c >= '0' && c <= '9'; });
  const bool letters =
      std::any_of(user.begin(), user.end(), [](char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; });
  return digits && letters;
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
      // git+https://ghp_...@github.com: a token as the user name.
      if (colon == std::string_view::npos && user_is_token(authority.substr(0, at))) {
        return {authority_begin, authority_begin + at};
      }
    }
    from = authority_end;
  }
}

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
}

bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// "AWSAccessKeyId" -> aws access key id; "client_secret" -> client secret; "X-Api-Key" -> x api key.
bool is_one_of(std::string_view word, std::initializer_list<std::string_view> list) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

// How the value of a secret-named key may begin with an HTTP authentication scheme.
bool is_auth_scheme(std::string_view word) {
  const std::string lower = to_lower(word);
  return is_one_of(lower, {"bearer", "basic", "token", "digest", "negotiate", "ntlm", "sharedkey", "apikey", "sso"});
}

bool is_credential_char(char c) { return is_name_char(c) || c == '~' || c == '+' || c == '/' || c == '=' || c == ':'; }

// "Bearer abc.def" in free text: a credential has at least 8 characters and a digit or a symbol,
// so "Basic authentication" stays readable.
bool looks_like_credential(std::string_view token) {
  if (token.size() < 8) return false;
  return std::any_of(token.begin(), token.end(),
                     [](char c) { return is_digit(c) || c == '+' || c == '/' || c == '=' || c == '.' || c == '_'; });
}

bool is_value_terminator(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '&' || c == ';' || c == ',' || c == '"' || c == '\'' ||
         c == '}' || c == ']' || c == ')' || c == '<' || c == '>';
}

// Values a secret-named key may hold that are no secret: masked already, empty, a reference or a
// placeholder, a literal of JSON or Python.
bool is_plain_value(std::string_view value) {
  if (value.empty()) return true;
  if (std::all_of(value.begin(), value.end(), [](char c) { return c == '*'; })) return true;
  const char first = value.front();
  if (first == '(' || first == '<' || first == '$' || first == '{' || first == '[') return true;
  const std::string lower = to_lower(value);
  return is_one_of(lower, {"true", "false", "null", "none"});
}

void add_span(std::vector<SecretSpan>& spans, std::size_t begin, std::size_t end) {
  if (end > begin) spans.push_back({begin, end});
}

// The value that follows a secret-named key whose separator ends before `at`; returns where the
// value ends, so that scanning goes on after it and stays linear.
std::size_t value_span_after(std::string_view text, std::size_t at, std::vector<SecretSpan>& spans) {
  while (at < text.size() && (text[at] == ' ' || text[at] == '\t')) ++at;
  if (at >= text.size()) return at;
  const char quote = text[at];
  if (quote == '"' || quote == '\'') {
    std::size_t end = at + 1;
    while (end < text.size() && text[end] != quote && text[end] != '\n') {
      end += (text[end] == '\\' && end + 1 < text.size()) ? std::size_t{2} : std::size_t{1};
    }
    end = std::min(end, text.size());
    const std::string_view value = text.substr(at + 1, end - at - 1);
    if (!is_plain_value(value)) {
      // "Authorization": "Bearer abc" masks all but the scheme.
      const std::size_t space = value.find(' ');
      if (space != std::string_view::npos && is_auth_scheme(value.substr(0, space))) {
        std::size_t cred = space;
        while (cred < value.size() && value[cred] == ' ') ++cred;
        add_span(spans, at + 1 + cred, end);
      } else {
        add_span(spans, at + 1, end);
      }
    }
    return end;
  }
  std::size_t end = at;
  while (end < text.size() && !is_value_terminator(text[end])) ++end;
  std::string_view value = text.substr(at, end - at);
  if (is_plain_value(value)) return end;
  if (is_auth_scheme(value) && end < text.size() && text[end] == ' ') {
    std::size_t cred = end;
    while (cred < text.size() && text[cred] == ' ') ++cred;
    std::size_t cred_end = cred;
    while (cred_end < text.size() && is_credential_char(text[cred_end])) ++cred_end;
    if (cred_end > cred) {
      add_span(spans, cred, cred_end);
      return cred_end;
    }
  }
  add_span(spans, at, end);
  return end;
}

// `name = value`, `name: value`, `"name": "value"`, `'name': 'value'`, `?name=value&`, and so on,
// for every name that means a secret.
void find_named_values(std::string_view text, std::vector<SecretSpan>& spans) {
  std::size_t i = 0;
  while (i < text.size()) {
    if (!is_name_char(text[i]) || (i > 0 && is_name_char(text[i - 1]))) {
      ++i;
      continue;
    }
    std::size_t name_end = i;
    while (name_end < text.size() && is_name_char(text[name_end])) ++name_end;
    const std::string_view name = text.substr(i, name_end - i);
    std::size_t cursor = name_end;
    // A quoted name: "name" or 'name'.
    if (i > 0 && (text[i - 1] == '"' || text[i - 1] == '\'') && cursor < text.size() && text[cursor] == text[i - 1]) {
      ++cursor;
    }
    while (cursor < text.size() && (text[cursor] == ' ' || text[cursor] == '\t')) ++cursor;
    const bool separator = cursor < text.size() && (text[cursor] == '=' || text[cursor] == ':') &&
                           text.substr(cursor, 3) != "://" && text.substr(cursor, 2) != "==";
    i = name_end;
    if (separator && name.size() <= 128 && name_means_secret(name)) {
      i = std::max(i, value_span_after(text, cursor + 1, spans));
    }
  }
}

// "Bearer eyJhbGciOi..." and "Basic dXNlcjpwYXNz" wherever they stand.
void find_auth_credentials(std::string_view text, std::vector<SecretSpan>& spans) {
  for (std::string_view scheme : {"bearer ", "basic "}) {
    std::size_t from = 0;
    while (true) {
      std::size_t at = from;
      // A case-insensitive search without copying the text.
      bool found = false;
      for (; at + scheme.size() <= text.size(); ++at) {
        if ((at == 0 || !is_name_char(text[at - 1])) && equals_icase(text.substr(at, scheme.size()), scheme)) {
          found = true;
          break;
        }
      }
      if (!found) break;
      std::size_t begin = at + scheme.size();
      while (begin < text.size() && text[begin] == ' ') ++begin;
      std::size_t end = begin;
      while (end < text.size() && is_credential_char(text[end])) ++end;
      if (looks_like_credential(text.substr(begin, end - begin))) add_span(spans, begin, end);
      from = std::max(end, at + 1);
    }
  }
}

void find_in_view(std::string_view text, std::vector<SecretSpan>& spans) {
  for (std::size_t from = 0;;) {
    const auto [begin, end] = find_uri_password(text, from);
    if (begin == std::string_view::npos) break;
    add_span(spans, begin, end);
    from = end;
  }
  find_named_values(text, spans);
  find_auth_credentials(text, spans);
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool has_percent_escape(std::string_view text) {
  for (std::size_t at = text.find('%'); at != std::string_view::npos; at = text.find('%', at + 1)) {
    if (at + 2 < text.size() && hex_value(text[at + 1]) >= 0 && hex_value(text[at + 2]) >= 0) return true;
  }
  return false;
}

// The text with %XX and '+' decoded, and for each decoded byte (and its end) where it came from.
struct DecodedView {
  std::string text;
  std::vector<std::size_t> raw;  // raw[i]: offset in the original of decoded byte i; raw[size] = end
};

DecodedView percent_decode(std::string_view text) {
  DecodedView view;
  view.text.reserve(text.size());
  view.raw.reserve(text.size() + 1);
  for (std::size_t i = 0; i < text.size();) {
    view.raw.push_back(i);
    if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0) {
      view.text += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 3;
    } else {
      view.text += text[i] == '+' ? ' ' : text[i];
      ++i;
    }
  }
  view.raw.push_back(text.size());
  return view;
}

std::vector<SecretSpan> merged(std::vector<SecretSpan> spans) {
  std::sort(spans.begin(), spans.end(), [](const SecretSpan& a, const SecretSpan& b) {
    return a.begin < b.begin || (a.begin == b.begin && a.end > b.end);
  });
  std::vector<SecretSpan> out;
  for (const SecretSpan& span : spans) {
    if (!out.empty() && span.begin < out.back().end) {
      out.back().end = std::max(out.back().end, span.end);
    } else {
      out.push_back(span);
    }
  }
  return out;
}

}  // namespace

std::vector<std::string> name_words(std::string_view name) {
  std::vector<std::string> words;
  std::string word;
  const auto flush = [&] {
    if (!word.empty()) words.push_back(to_lower(word));
    word.clear();
  };
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (c == '_' || c == '-' || c == '.' || c == ' ') {
      flush();
      continue;
    }
    if (is_upper(c) && !word.empty()) {
      const bool after_lower = is_lower(word.back()) || is_digit(word.back());
      const bool acronym_end = is_upper(word.back()) && i + 1 < name.size() && is_lower(name[i + 1]);
      if (after_lower || acronym_end) flush();
    }
    word += c;
  }
  flush();
  return words;
}

bool name_means_secret(std::string_view name) {
  const std::vector<std::string> words = name_words(name);
  if (words.empty()) return false;
  const std::string& last = words.back();
  const std::string_view before = words.size() >= 2 ? std::string_view(words[words.size() - 2]) : std::string_view();
  // Names that hold a secret in their last word; a name that ends in url, path, id, cmd... only
  // points at one.
  if (is_one_of(last,
                {"password",    "passwords", "passwd",     "pwd",        "pass",        "secret",        "secrets",
                 "token",       "tokens",    "passphrase", "credential", "credentials", "authorization", "signature",
                 "sig",         "apikey",    "privatekey", "accesskey",  "accountkey",  "secretkey",     "authkey",
                 "accesstoken", "sastoken",  "fernet",     "dsn"})) {
    // A DSN names a secret only as Sentry's (sentry_dsn, SENTRY_DSN): others are plain addresses.
    return last != "dsn" || before == "sentry";
  }
  if (last == "key" || last == "keys") {
    // api_key, AccountKey, fernet_key, secret_access_key, X-Api-Key, ?key=...; not public or
    // primary keys, and not a TLS key's file name.
    return !is_one_of(before, {"public", "primary", "partition", "sort", "foreign", "ssl", "tls", "cache", "row",
                               "idempotency", "dedup", "object", "s3", "gcs", "blob", "group", "routing"});
  }
  return false;
}

std::vector<SecretSpan> find_secret_spans(std::string_view text) {
  std::vector<SecretSpan> spans;
  find_in_view(text, spans);
  if (has_percent_escape(text)) {
    const DecodedView view = percent_decode(text);
    std::vector<SecretSpan> decoded;
    find_in_view(view.text, decoded);
    for (const SecretSpan& span : decoded) add_span(spans, view.raw[span.begin], view.raw[span.end]);
  }
  return merged(std::move(spans));
}

std::string redact_secrets(std::string_view text) {
  const std::vector<SecretSpan> spans = find_secret_spans(text);
  if (spans.empty()) return std::string(text);
  std::string out;
  out.reserve(text.size());
  std::size_t copied = 0;
  for (const SecretSpan& span : spans) {
    out.append(text.substr(copied, span.begin - copied));
    out += kRedacted;
    copied = span.end;
  }
  out.append(text.substr(copied));
  return out;
}

std::vector<std::string> secret_values(std::string_view text) {
  std::vector<std::string> values;
  for (const SecretSpan& span : find_secret_spans(text)) {
    const std::string_view raw = text.substr(span.begin, span.end - span.begin);
    values.emplace_back(raw);
    if (has_percent_escape(raw) || raw.find('+') != std::string_view::npos) {
      std::string decoded = percent_decode(raw).text;
      if (decoded != raw) values.push_back(std::move(decoded));
    }
  }
  return values;
}

std::string quote_line_masked(std::string_view line) {
  line = trim(line);
  if (!line.empty() && line.front() == '[') {
    // A section header names no secret; keep it short all the same.
    return "\"" + std::string(line.substr(0, 80)) + (line.size() > 80 ? "...\"" : "\"");
  }
  const std::size_t delimiter = line.find_first_of("=:");
  if (delimiter != std::string_view::npos && delimiter > 0) {
    const std::string_view key = trim(line.substr(0, delimiter));
    if (!key.empty() && key.size() <= 80 &&
        std::all_of(key.begin(), key.end(), [](char c) { return is_name_char(c) || c == ' '; })) {
      const bool has_value = !trim(line.substr(delimiter + 1)).empty();
      return "\"" + std::string(key) + " " + line[delimiter] + (has_value ? " ****\"" : "\"");
    }
  }
  return "(a line of " + std::to_string(line.size()) + " characters, not shown: it may hold a secret)";
}

bool uri_has_password(std::string_view text) { return find_uri_password(text, 0).first != std::string_view::npos; }

std::string mask_secret(std::string_view value) {
  if (value.empty()) return "(empty)";
  return std::string(kRedacted);
}

namespace {
bool is_word_char(char c) { return is_name_char(c) && c != '.' && c != '-'; }
}  // namespace

std::uint32_t SecretScrubber::child(std::uint32_t node, unsigned char byte) const {
  const auto& next = nodes_[node].next;
  const auto it = std::lower_bound(
      next.begin(), next.end(), byte,
      [](const std::pair<unsigned char, std::uint32_t>& edge, unsigned char b) { return edge.first < b; });
  return it != next.end() && it->first == byte ? it->second : 0;
}

void SecretScrubber::add(std::string_view secret) {
  // Published defaults ("airflow", "postgres") are named in findings as what they are; masking
  // them everywhere would only mangle ordinary words such as apache-airflow.
  static const char* const kPublishedDefaults[] = {"airflow", "admin", "postgres", "password", "root",
                                                   "redis",   "mysql", "guest",    "user",     "test",
                                                   "true",    "false", "secret",   "changeme"};
  secret = trim(secret);
  if (secret.size() < kMinLength) return;
  const std::string lower = to_lower(secret);
  for (const char* word : kPublishedDefaults) {
    if (lower == word) return;
  }
  std::uint32_t node = 0;
  for (const char c : secret) {
    const auto byte = static_cast<unsigned char>(c);
    std::uint32_t next = child(node, byte);
    if (next == 0) {
      next = static_cast<std::uint32_t>(nodes_.size());
      auto& edges = nodes_[node].next;
      edges.insert(std::upper_bound(edges.begin(), edges.end(), std::make_pair(byte, std::uint32_t{0})), {byte, next});
      nodes_.emplace_back();
    }
    node = next;
  }
  if (nodes_[node].own_length != 0) return;  // registered already
  nodes_[node].own_length = static_cast<std::uint32_t>(secret.size());
  ++count_;
  linked_ = false;
}

void SecretScrubber::link() const {
  // Breadth first, so that a node's failure target is final before its children are linked.
  std::vector<std::uint32_t> queue;
  queue.reserve(nodes_.size());
  for (const auto& [byte, next] : nodes_[0].next) {
    nodes_[next].fail = 0;
    nodes_[next].output = nodes_[next].own_length != 0 ? next : 0;
    queue.push_back(next);
  }
  for (std::size_t head = 0; head < queue.size(); ++head) {
    const std::uint32_t node = queue[head];
    for (const auto& [byte, next] : nodes_[node].next) {
      std::uint32_t fallback = nodes_[node].fail;
      while (fallback != 0 && child(fallback, byte) == 0) fallback = nodes_[fallback].fail;
      const std::uint32_t target = child(fallback, byte);
      Node& linked = nodes_[next];
      linked.fail = target != next ? target : 0;
      linked.output = linked.own_length != 0 ? next : nodes_[linked.fail].output;
      queue.push_back(next);
    }
  }
  linked_ = true;
}

// One pass over the text: at each position, the longest registered secret that ends there is
// marked (the shorter ones that end there lie inside it); overlapping marks merge, and each
// marked stretch becomes one mask, so a secret overlapping another is masked whole, never in part.
std::string SecretScrubber::scrub(std::string_view text) const {
  if (count_ == 0) return std::string(text);
  if (!linked_) link();
  std::vector<std::pair<std::size_t, std::size_t>> marks;  // [begin, end), by end
  std::uint32_t state = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    while (state != 0 && child(state, byte) == 0) state = nodes_[state].fail;
    state = child(state, byte);
    // The longest secret that ends here and stands as a word of its own when it is short.
    // Only secrets under eight characters can be passed over, so this visits a few nodes at most.
    for (std::uint32_t node = nodes_[state].output; node != 0; node = nodes_[nodes_[node].fail].output) {
      const std::size_t length = nodes_[node].own_length;
      const std::size_t begin = i + 1 - length;
      const bool alone =
          (begin == 0 || !is_word_char(text[begin - 1])) && (i + 1 == text.size() || !is_word_char(text[i + 1]));
      if (length >= kMaskAnywhereLength || alone) {
        marks.emplace_back(begin, i + 1);
        break;
      }
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
