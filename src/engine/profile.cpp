#include "engine/profile.hpp"

#include <cstdlib>

namespace airguard {

std::optional<std::string> Profile::param(const std::string& param_name) const {
  const auto it = params.find(param_name);
  if (it == params.end() || it->second.empty()) return std::nullopt;
  return it->second.front();
}

std::vector<std::string> Profile::param_list(const std::string& param_name) const {
  const auto it = params.find(param_name);
  return it == params.end() ? std::vector<std::string>{} : it->second;
}

std::optional<double> Profile::param_number(const std::string& param_name) const {
  const auto text = param(param_name);
  if (!text) return std::nullopt;
  char* end = nullptr;
  const double number = std::strtod(text->c_str(), &end);
  if (end == text->c_str() || *end != '\0') return std::nullopt;
  return number;
}

}  // namespace airguard
