#pragma once
#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "core/diagnostic.hpp"

// Small helpers for reading our own YAML files (checks, profiles) with file:line errors.
namespace airguard::yaml_util {

inline int line_of(const YAML::Node& node) { return node.Mark().is_null() ? 0 : node.Mark().line + 1; }

// A scalar as text; an error when the node is not a scalar.
bool scalar(const YAML::Node& node, std::string& out, const std::string& file, const std::string& what,
            Diagnostics& problems);

// A scalar or a sequence of scalars, as a list of text.
bool scalar_list(const YAML::Node& node, std::vector<std::string>& out, const std::string& file,
                 const std::string& what, Diagnostics& problems);

}  // namespace airguard::yaml_util
