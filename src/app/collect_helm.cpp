#include "app/collectors.hpp"

namespace airguard {

void collect_helm(const ScanOptions& /*options*/, Snapshot& /*snapshot*/) {}

}  // namespace airguard
