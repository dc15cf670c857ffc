#include "app/collectors.hpp"

namespace airguard {

void collect_inventory(const ScanOptions& /*options*/, Snapshot& /*snapshot*/) {}

}  // namespace airguard
