#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace airguard {

inline constexpr std::string_view kRedacted = "****";

// True when a key, parameter, field or variable of this name holds a secret: password, token,
// passphrase, client_secret, AccountKey, sas_token, Authorization, fernet_key, ... but not names
// that only point at one (token_url, key_file, secret_path, client_id, auth_type).
bool name_means_secret(std::string_view name);

// A name's words in lower case, split at `_`, `-`, `.`, spaces and camel case:
// "aws_access_key_id", "awsAccessKeyId" and "AWSAccessKeyId" -> aws access key id.
std::vector<std::string> name_words(std::string_view name);

// A stretch [begin, end) of a text that holds a secret.
struct SecretSpan {
  std::size_t begin = 0;
  std::size_t end = 0;
};

// Every stretch of the text that holds a secret by meaning, in order and without overlaps:
// - the password in a URI's user-info ("postgresql://u:PW@db/a");
// - the value after a secret-named key in any of the usual notations: query and form parameters
//   (?client_secret=V&), connection strings (AccountKey=V;), JSON ("passphrase": "V", also
//   numbers), YAML and header style (Authorization: Bearer V), also when the text is
//   percent-encoded (__extra__=%7B%22passphrase%22%3A+%22V%22%7D);
// - the credentials after an HTTP authentication scheme ("Bearer V", "Basic V").
// Values already masked ("****", "***") are left as they are.
std::vector<SecretSpan> find_secret_spans(std::string_view text);

// The text with every stretch find_secret_spans finds replaced by "****". Used for every value
// that a report, a message or `airguard config` shows.
std::string redact_secrets(std::string_view text);

// The secrets of the text as they are written and, when percent-encoded, as decoded: what the
// SecretScrubber must know to mask them wherever else they turn up.
std::vector<std::string> secret_values(std::string_view text);

// True when the text holds a URI whose user-info carries a password.
bool uri_has_password(std::string_view text);

// A secret value shown only as its shape: "" -> "(empty)", otherwise "****" (length is not shown
// for short values, so a 4-letter password cannot be guessed from the mask).
std::string mask_secret(std::string_view value);

// A line of an input file quoted in a message: a "key = value" or "key: value" line keeps its key
// and loses its value, any other line is reduced to its length, so a broken line that holds a
// secret (a password continued on the next line, a key pasted without its name) is never shown.
std::string quote_line_masked(std::string_view line);

// Last line of defence: every secret seen while collecting is registered here, and every report
// is scrubbed with it before it is written, so a check that forgot to redact cannot leak.
//
// Like Airflow's own masker ([logging] min_length_masked_secret, 5), values under five characters
// are not registered, and neither are published defaults. A secret under eight characters is
// masked only where it stands as a word of its own, so a password "hunt3r" never turns
// "hunt3rs" into "****s"; a longer one is masked wherever it occurs. One pass over the text finds
// every registered secret (an Aho-Corasick automaton), however many were registered.
class SecretScrubber {
 public:
  static constexpr std::size_t kMinLength = 5;
  static constexpr std::size_t kMaskAnywhereLength = 8;

  void add(std::string_view secret);
  std::string scrub(std::string_view text) const;
  std::size_t size() const { return count_; }

 private:
  struct Node {
    std::vector<std::pair<unsigned char, std::uint32_t>> next;  // sorted by byte
    std::uint32_t fail = 0;
    std::uint32_t own_length = 0;  // length of the secret that ends here, or 0
    std::uint32_t output = 0;      // this node or the nearest on its failure chain where a secret ends
  };
  std::uint32_t child(std::uint32_t node, unsigned char byte) const;
  void link() const;  // failure links, computed once after the last add()

  mutable std::vector<Node> nodes_ = std::vector<Node>(1);
  mutable bool linked_ = true;
  std::size_t count_ = 0;
};

}  // namespace airguard
