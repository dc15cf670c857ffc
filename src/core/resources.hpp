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
// Data the build derives from those files (src/tools/compile_data.cpp), in the object library
// airguard_compiled_data. Weak, because the tool that derives it is linked without it.
[[gnu::weak]] extern const EmbeddedResource kCompiledResources[];
}  // namespace detail

std::optional<std::string_view> embedded_resource(std::string_view path);
// Paths of every embedded resource under a prefix ("checks/"), sorted.
std::vector<std::string_view> embedded_resources_under(std::string_view prefix);

// A blob compiled at build time ("checks", "profiles", "advisories"); nullopt in a binary built without them,
// whose callers then parse the embedded source files instead.
std::optional<std::string_view> compiled_resource(std::string_view name);

}  // namespace airguard
