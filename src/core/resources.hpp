#pragma once
#include <optional>
#include <string_view>
#include <vector>

// Data files compiled into the binary: checks/, profiles/ and data/ of the source tree, by their
// path relative to it ("checks/config/core.yaml", "data/airflow/options/2.11.1.json").
namespace airguard {

namespace detail {
struct EmbeddedResource {
  const char* name;
  const char* begin;
  const char* end;
};
extern const EmbeddedResource kEmbeddedResources[];
}  // namespace detail

std::optional<std::string_view> embedded_resource(std::string_view path);
// Paths of every embedded resource under a prefix ("checks/"), sorted.
std::vector<std::string_view> embedded_resources_under(std::string_view prefix);

}  // namespace airguard
