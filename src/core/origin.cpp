#include "core/origin.hpp"

#include <fmt/format.h>

namespace airguard {

std::string_view to_string(SourceKind kind) {
  switch (kind) {
    case SourceKind::cfg:
      return "cfg";
    case SourceKind::env:
      return "env";
    case SourceKind::helm:
      return "helm";
    case SourceKind::webserver_config:
      return "webserver_config";
    case SourceKind::api:
      return "api";
    case SourceKind::inventory:
      return "inventory";
    case SourceKind::dag:
      return "dag";
    case SourceKind::default_value:
      return "default";
  }
  return "unknown";
}

std::string Origin::describe() const {
  std::string where;
  if (!file.empty()) {
    where = line > 0 ? fmt::format("{}:{}", file, line) : file;
  }
  switch (kind) {
    case SourceKind::env:
      if (where.empty()) return fmt::format("environment {}", name);
      return name.empty() ? where : fmt::format("{} ({})", name, where);
    case SourceKind::helm:
      if (where.empty()) return name.empty() ? std::string("chart default") : fmt::format("chart default {}", name);
      return name.empty() ? where : fmt::format("{} ({})", where, name);
    case SourceKind::api:
      return name.empty() ? where : name;
    case SourceKind::webserver_config:  // a name: the Helm values key the file's text is embedded in
      if (where.empty()) return name;
      return name.empty() ? where : fmt::format("{} ({})", where, name);
    case SourceKind::default_value:
      return name.empty() ? std::string("built-in default") : fmt::format("built-in default of {}", name);
    default:
      if (where.empty()) return name;
      return where;
  }
}

}  // namespace airguard
