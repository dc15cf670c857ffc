#pragma once
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "sources/helm/helm_node.hpp"

namespace airguard {

// `helm -f a.yaml -f b.yaml`: maps merge key by key, anything else (lists too) is replaced.
void merge_values(HelmNode& base, HelmNode overlay);

// The user's values over the chart's defaults, as Helm coalesces them: keys the user did not
// write take the default, a user `null` deletes the default, maps merge recursively.
void coalesce_with_defaults(HelmNode& user, const HelmNode& defaults);

// One `--set` (as_string = false) or `--set-string` argument in Helm's strvals syntax
// (`a.b=c,d[0].e=f`, `a\.b=c`, `list={x,y}`), applied onto `root`. `--set` types its values
// as Helm does: true/false, null, integers without a leading zero; everything else is a string.
Result<bool> apply_set_argument(HelmNode& root, std::string_view argument, bool as_string);

}  // namespace airguard
