#pragma once
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.hpp"
#include "core/origin.hpp"
#include "core/result.hpp"

namespace airguard {

struct EnvVar {
  std::string name;
  std::string value;
  Origin origin;  // kind env; file:line for env files, compose files and Helm values; none for the process
  // The value is not written anywhere we can read: it comes at runtime from a reference such as
  // a Kubernetes secretKeyRef ("secret airflow-fernet-key, key fernet-key"). `value` is empty then.
  bool value_from_reference = false;
  std::string reference;
};

// The environment Airflow would see, built from layers added in order (later wins, as when a
// compose file's `environment:` overrides its `env_file:`).
class Environment {
 public:
  void set(EnvVar var);  // replaces an earlier definition of the same name
  // Adds a whole layer at once, later definitions winning within it too: n log n, where setting
  // tens of thousands of variables one by one into the sorted list would move them all each time.
  void set_all(std::vector<EnvVar> layer);
  const EnvVar* get(std::string_view name) const;
  const std::vector<EnvVar>& vars() const { return vars_; }  // sorted by name
  bool empty() const { return vars_.empty(); }

 private:
  std::vector<EnvVar> vars_;
};

// `KEY=VALUE` files as docker and docker compose read them: comments, blank lines, optional
// `export `, quoted values. Lines that are not assignments become diagnostics with their line.
struct EnvFileParse {
  std::vector<EnvVar> vars;
  Diagnostics problems;
};
EnvFileParse parse_env_file(std::string_view text, const std::string& path);
Result<EnvFileParse> read_env_file(const std::string& path);

// docker compose's variable interpolation: $NAME, ${NAME}, ${NAME:-default}, ${NAME-default},
// ${NAME:+alt}, ${NAME+alt}, ${NAME:?err}, ${NAME?err}, and $$ for a literal dollar. Unknown names
// become empty (and are listed in `missing` when given), as compose does.
std::string interpolate_compose(std::string_view text,
                                const std::function<const std::string*(std::string_view)>& lookup,
                                std::vector<std::string>* missing = nullptr);

// The process environment (environ), as EnvVars with no file.
std::vector<EnvVar> process_environment();

}  // namespace airguard
