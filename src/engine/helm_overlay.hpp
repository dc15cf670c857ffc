#pragma once
#include <string>
#include <vector>

#include "core/finding.hpp"
#include "engine/snapshot.hpp"

namespace airguard {

// One values file that fixes every Helm finding (their remediation snippets deep-merged, in
// finding order), followed by the `kubectl create secret` commands for the Secrets it refers to,
// with placeholders only. Empty when no finding comes from Helm values.
std::string render_helm_overlay(const std::vector<Finding>& findings, const Snapshot& snapshot);

}  // namespace airguard
