#pragma once
#include <string_view>

#include "core/result.hpp"
#include "sources/helm/helm_values.hpp"

namespace airguard {

// Helm values for a check example: the text merged over the chart defaults of the default chart
// version, as `airguard scan --helm-values` would read it. Defined by the Helm area.
Result<HelmValues> helm_values_for_example(std::string_view values_text);

}  // namespace airguard
