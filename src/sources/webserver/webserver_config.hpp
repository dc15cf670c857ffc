#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.hpp"
#include "core/fact.hpp"
#include "core/result.hpp"

namespace airguard {

// webserver_config.py read without running Python: module-level assignments only.
struct WebserverSetting {
  std::string name;  // "AUTH_TYPE", "AUTH_ROLE_PUBLIC", ...
  Fact fact;         // value as text; type "string"/"bool"/"int"/"list"/"map"/"name"/"null"; runtime_only for os.environ
};

struct WebserverConfig {
  std::string path;
  std::vector<WebserverSetting> settings;  // last assignment of each name wins, in file order
  Diagnostics skipped;                     // constructs not understood, named with their line

  const WebserverSetting* get(std::string_view name) const;
};

WebserverConfig parse_webserver_config(std::string_view text, const std::string& path);
Result<WebserverConfig> read_webserver_config(const std::string& path);

}  // namespace airguard
