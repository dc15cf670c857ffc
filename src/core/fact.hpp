#pragma once
#include <optional>
#include <string>

#include "core/origin.hpp"

namespace airguard {

// One value a check can look at, whatever collector produced it: an effective Airflow option,
// a webserver_config.py setting, a Helm value, an environment variable.
struct Fact {
  std::string
      key;  // normalized subject: "webserver.expose_config", "AUTH_ROLE_PUBLIC", "webserver.defaultUser.enabled"
  std::optional<std::string>
      value;                    // scalar as text ("true"/"false" for booleans); nullopt: null or only known at runtime
  std::string type = "string";  // "string", "bool", "int", "float", "list", "map", "null"
  bool is_set = true;           // false: a built-in or chart default nobody set
  bool runtime_only = false;    // resolved at runtime (_cmd, _secret, os.environ, a Kubernetes Secret)
  std::string runtime_mechanism;  // "AIRFLOW__CORE__FERNET_KEY_CMD", "os.environ['X']", ...
  bool sensitive = false;         // never print the value
  Origin origin;
};

}  // namespace airguard
