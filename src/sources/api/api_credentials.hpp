#pragma once
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/diagnostic.hpp"
#include "core/http_client.hpp"
#include "core/result.hpp"

namespace airguard {

// Credentials for the REST API. They come from the environment or a file, never from the
// command line, and are never printed.
struct ApiCredentials {
  std::optional<std::string> token;       // AIRGUARD_API_TOKEN: sent as a Bearer token
  std::optional<BasicCredentials> basic;  // AIRGUARD_API_USERNAME + AIRGUARD_API_PASSWORD
  std::string source;                     // "environment" or the file's path, for messages

  bool any() const { return token.has_value() || basic.has_value(); }
};

using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;

// Reads AIRGUARD_API_TOKEN, or AIRGUARD_API_USERNAME with AIRGUARD_API_PASSWORD. A username
// without a password (or the reverse) is a warning in `problems` and is ignored.
ApiCredentials credentials_from_environment(const EnvLookup& lookup, Diagnostics& problems);

// Parses a credentials file: KEY=VALUE lines with the same names as the environment variables,
// '#' comments, blank lines, optional matching quotes around the value. Unknown keys are errors
// (a typo should not silently drop the credentials).
Result<ApiCredentials> parse_credentials_file(std::string_view text, const std::string& path);

// Reads the file (bounded), refusing it with a warning when other users may read it.
Result<ApiCredentials> load_credentials_file(const std::string& path);

}  // namespace airguard
