#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.hpp"
#include "core/fact.hpp"
#include "core/result.hpp"

namespace airguard {

// A value written in webserver_config.py, as far as it can be known without running Python.
// Containers keep their structure so checks can look inside OAUTH_PROVIDERS or AUTH_ROLES_MAPPING.
struct PyValue {
  enum class Kind {
    string,       // str or bytes literal (adjacent literals joined, escapes applied)
    boolean,      // True / False
    integer,      // decimal text; also a datetime.timedelta(...) of literal numbers, in seconds
    floating,     // as written
    none,         // None
    name,         // a FAB constant such as AUTH_LDAP (text = "AUTH_LDAP")
    list,         // list, tuple or set display
    dict,         // dict display, keys in written order
    environment,  // os.environ[...] / os.environ.get(...) / os.getenv(...): known only at runtime
    computed,     // anything else: a call, an f-string, an operator, a conditional assignment
  };
  Kind kind = Kind::computed;
  std::string text;            // scalar text; for environment the variable name
  std::string mechanism;       // environment: "os.environ['X']"; computed: what it is ("call to conf.get")
  std::vector<PyValue> items;  // list elements; dict values
  std::vector<PyValue> keys;   // dict keys, parallel to items
  int line = 0;                // where the value starts, 1-based
  int column = 0;
};

// webserver_config.py read without running Python: module-level assignments only.
struct WebserverSetting {
  std::string name;  // "AUTH_TYPE", "AUTH_ROLE_PUBLIC", ...; nested: "OAUTH_PROVIDERS[0].remote_app.client_secret"
  Fact fact;         // value as text; type "string"/"bool"/"int"/"float"/"list"/"map"/"name"/"null"/"unknown";
                     // runtime_only for os.environ and for values this reader does not evaluate
  PyValue value;     // the structure behind the fact
  bool conditional = false;  // assigned inside an if/try/with/for/while block: not guaranteed
};

struct WebserverConfig {
  std::string path;
  std::vector<WebserverSetting> settings;  // the last module-level assignment of each name, in file order
  std::vector<WebserverSetting> nested;    // every element inside list/dict settings, by path, in file order
  Diagnostics skipped;                     // constructs not understood, named with their line
  // Set when the text is a Helm values key ("webserver.webserverConfig"), not a file of its own:
  // every fact names it in origin.name, so a reader knows which key to edit.
  std::string embedded_key;

  // A setting by name, or an element by exact path ("OAUTH_PROVIDERS[0].remote_app.client_secret").
  const WebserverSetting* get(std::string_view name) const;

  // Facts for a name or a path with wildcards: `[*]` any list element or dict value, `.*` any dict
  // value; `["key"]` or `.key` a dict entry, `[0]` a list element. Empty when nothing matches.
  std::vector<Fact> facts(std::string_view path) const;
};

// Renders a value as stable JSON-like text: strings quoted, runtime values as os.environ['X'] or
// <call to f>, secrets under secret-looking keys masked.
std::string render_py_value(const PyValue& value);

// True for setting or dict-key names whose value is a credential (SECRET_KEY, client_secret,
// AUTH_LDAP_BIND_PASSWORD ...), so it is never printed.
bool is_secret_name(std::string_view name);

// The fact for one value (a setting, or an element inside one) read at path:line:column.
Fact webserver_fact(const std::string& key, const PyValue& value, const std::string& path, int line, int column);

// Every element inside the settings' lists and dicts, by path, in file order (WebserverConfig::nested).
std::vector<WebserverSetting> nested_settings(const std::vector<WebserverSetting>& settings, const std::string& path);

WebserverConfig parse_webserver_config(std::string_view text, const std::string& path);
Result<WebserverConfig> read_webserver_config(const std::string& path);

}  // namespace airguard
