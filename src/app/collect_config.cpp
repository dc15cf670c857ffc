#include "app/collectors.hpp"

namespace airguard {

void collect_config(const ScanOptions& /*options*/, Snapshot& /*snapshot*/) {}

}  // namespace airguard
