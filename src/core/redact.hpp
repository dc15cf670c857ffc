#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace airguard {

inline constexpr std::string_view kRedacted = "****";

// "postgresql://airflow:s3cret@db/airflow" -> "postgresql://airflow:****@db/airflow"; also masks
// password-like query parameters (password=, token=, secret=, ...) and the values of secret-named
// JSON fields ({"password": "x"} -> {"password": "****"}). Other text is returned unchanged.
std::string redact_uri(std::string_view text);

// The values of secret-named JSON fields in the text (for SecretScrubber).
std::vector<std::string> secret_field_values(std::string_view text);

// The passwords inside every URI of the text (for SecretScrubber).
std::vector<std::string> uri_passwords(std::string_view text);

// True when the text holds a URI whose user-info carries a password.
bool uri_has_password(std::string_view text);

// A secret value shown only as its shape: "" -> "(empty)", otherwise "****" (length is not shown
// for short values, so a 4-letter password cannot be guessed from the mask).
std::string mask_secret(std::string_view value);

// Last line of defence: every secret seen while collecting is registered here, and every report
// is scrubbed with it before it is written, so a check that forgot to redact cannot leak.
class SecretScrubber {
 public:
  void add(std::string_view secret);  // ignores values under 4 characters and published defaults
  std::string scrub(std::string_view text) const;
  std::size_t size() const { return secrets_.size(); }

 private:
  std::vector<std::string> secrets_;  // kept longest first so overlapping secrets mask fully
};

}  // namespace airguard
