#include "engine/yaml_util.hpp"

#include <fmt/format.h>

namespace airguard::yaml_util {

bool scalar(const YAML::Node& node, std::string& out, const std::string& file, const std::string& what,
            Diagnostics& problems) {
  if (!node.IsScalar()) {
    problems.push_back(make_error(file, line_of(node), fmt::format("{} must be a single value", what)));
    return false;
  }
  out = node.Scalar();
  return true;
}

bool scalar_list(const YAML::Node& node, std::vector<std::string>& out, const std::string& file,
                 const std::string& what, Diagnostics& problems) {
  out.clear();
  if (node.IsScalar()) {
    out.push_back(node.Scalar());
    return true;
  }
  if (!node.IsSequence()) {
    problems.push_back(make_error(file, line_of(node), fmt::format("{} must be a value or a list of values", what)));
    return false;
  }
  for (const auto& item : node) {
    if (!item.IsScalar()) {
      problems.push_back(make_error(file, line_of(item), fmt::format("{} must list plain values", what)));
      return false;
    }
    out.push_back(item.Scalar());
  }
  return true;
}

}  // namespace airguard::yaml_util
