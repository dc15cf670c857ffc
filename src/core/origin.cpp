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

std::string_view to_string(Provenance provenance) {
  switch (provenance) {
    case Provenance::user:
      return "user";
    case Provenance::chart_default:
      return "chart-default";
    case Provenance::airflow_default:
      return "airflow-default";
  }
  return "user";
}

Provenance provenance_of(const Origin& origin) {
  if (origin.kind == SourceKind::default_value) return Provenance::airflow_default;
  // A Helm value with no file is the chart's (--set values carry the file name "--set").
  if (origin.kind == SourceKind::helm && origin.file.empty()) return Provenance::chart_default;
  // A variable the chart sets from values nobody wrote (its database URL from the default
  // data.metadataConnection) is the chart's too.
  if (origin.chart_wrote && origin.file.empty()) return Provenance::chart_default;
  return Provenance::user;
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
