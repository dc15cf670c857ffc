#include "sources/api/api_credentials.hpp"

#include <algorithm>

#include <sys/stat.h>

#include "core/file_io.hpp"
#include "core/text.hpp"

namespace airguard {

namespace {

constexpr const char* kTokenName = "AIRGUARD_API_TOKEN";
constexpr const char* kUsernameName = "AIRGUARD_API_USERNAME";
constexpr const char* kPasswordName = "AIRGUARD_API_PASSWORD";

// Combines what was found; a lone username or password is reported, not used.
ApiCredentials combine(std::optional<std::string> token, std::optional<std::string> username,
                       std::optional<std::string> password, std::string source, const std::string& where,
                       Diagnostics& problems) {
  ApiCredentials credentials;
  credentials.source = std::move(source);
  if (token && !token->empty()) credentials.token = std::move(token);
  const bool has_user = username && !username->empty();
  const bool has_password = password.has_value();
  if (has_user && has_password) {
    credentials.basic = BasicCredentials{*username, *password};
  } else if (has_user != has_password) {
    problems.push_back(make_warning(where, 0,
                                    std::string(has_user ? kUsernameName : kPasswordName) + " is set without " +
                                        (has_user ? kPasswordName : kUsernameName) + "; ignoring both",
                                    "set both, or use AIRGUARD_API_TOKEN"));
  }
  return credentials;
}

}  // namespace

ApiCredentials credentials_from_environment(const EnvLookup& lookup, Diagnostics& problems) {
  return combine(lookup(kTokenName), lookup(kUsernameName), lookup(kPasswordName), "environment", "", problems);
}

Result<ApiCredentials> parse_credentials_file(std::string_view text, const std::string& path) {
  std::optional<std::string> token, username, password;
  int line_number = 0;
  for (const std::string& raw : split(text, '\n')) {
    ++line_number;
    std::string_view line = trim(raw);
    if (line.empty() || line.front() == '#') continue;
    if (line.starts_with("export ")) line = trim(line.substr(7));
    const std::size_t eq = line.find('=');
    if (eq == std::string_view::npos) {
      return make_error(path, line_number, "expected KEY=VALUE",
                        "keys: AIRGUARD_API_TOKEN, AIRGUARD_API_USERNAME, AIRGUARD_API_PASSWORD");
    }
    const std::string key = to_upper(trim(line.substr(0, eq)));
    std::string_view value = trim(line.substr(eq + 1));
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    }
    if (key == kTokenName) {
      token = std::string(value);
    } else if (key == kUsernameName) {
      username = std::string(value);
    } else if (key == kPasswordName) {
      password = std::string(value);
    } else {
      // A token pasted without its name ("eyJhbGciOi...=") would be quoted here as a key.
      const bool looks_like_name =
          key.size() <= 64 &&
          std::all_of(key.begin(), key.end(),
                      [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'; }) &&
          key.find("AIRGUARD") == 0;
      return make_error(path, line_number,
                        looks_like_name ? "unknown key '" + key + "'" : "the line does not start with a known key",
                        "keys: AIRGUARD_API_TOKEN, AIRGUARD_API_USERNAME, AIRGUARD_API_PASSWORD");
    }
  }
  Diagnostics problems;
  ApiCredentials credentials =
      combine(std::move(token), std::move(username), std::move(password), path, path, problems);
  if (!problems.empty()) return problems.front();
  if (!credentials.any()) {
    return make_error(path, 0, "no credentials in the file", "add AIRGUARD_API_TOKEN=... or a username and password");
  }
  return credentials;
}

Result<ApiCredentials> load_credentials_file(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) == 0 && (info.st_mode & S_IROTH) != 0) {
    return make_warning(path, 0, "credentials file is readable by every user; refusing to use it",
                        "chmod 600 " + path + "; the scan continues with anonymous probes only");
  }
  ReadLimits limits;
  limits.max_bytes = 64u * 1024u;
  Result<std::string> text = read_text_file(path, limits);
  if (!text) return text.error();
  return parse_credentials_file(*text, path);
}

}  // namespace airguard
