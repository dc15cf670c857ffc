#include "core/resources.hpp"

namespace airguard {

std::optional<std::string_view> embedded_resource(std::string_view path) {
  for (const detail::EmbeddedResource* r = detail::kEmbeddedResources; r->name != nullptr; ++r) {
    if (path == r->name) return std::string_view(r->begin, static_cast<std::size_t>(r->end - r->begin));
  }
  return std::nullopt;
}

std::vector<std::string_view> embedded_resources_under(std::string_view prefix) {
  std::vector<std::string_view> names;
  for (const detail::EmbeddedResource* r = detail::kEmbeddedResources; r->name != nullptr; ++r) {
    const std::string_view name(r->name);
    if (name.substr(0, prefix.size()) == prefix) names.push_back(name);
  }
  return names;  // the generator sorts the table
}

std::optional<std::string_view> compiled_resource(std::string_view name) {
  if (detail::kCompiledResources == nullptr) return std::nullopt;
  for (const detail::EmbeddedResource* r = detail::kCompiledResources; r->name != nullptr; ++r) {
    if (name == r->name) return std::string_view(r->begin, static_cast<std::size_t>(r->end - r->begin));
  }
  return std::nullopt;
}

}  // namespace airguard
