#include "engine/helm_example.hpp"

namespace airguard {

Result<HelmValues> helm_values_for_example(std::string_view values_text) { return helm_values_from_text(values_text); }

}  // namespace airguard
