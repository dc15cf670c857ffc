#include "core/resources.hpp"

namespace airguard {

namespace {

std::optional<std::string_view> find_in(const detail::EmbeddedResource* table, std::string_view name) {
  for (const detail::EmbeddedResource* r = table; r != nullptr && r->name != nullptr; ++r) {
    if (name == r->name) return std::string_view(r->begin, static_cast<std::size_t>(r->end - r->begin));
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string_view> embedded_resource(std::string_view path) {
  return find_in(detail::kEmbeddedResources, path);
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
  return find_in(detail::kCompiledResources, name);  // null when the weak table is absent
}

}  // namespace airguard
