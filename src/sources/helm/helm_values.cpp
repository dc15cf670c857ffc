#include "sources/helm/helm_values.hpp"

namespace airguard {

std::vector<Fact> HelmValues::facts(std::string_view /*path*/) const { return {}; }

}  // namespace airguard
