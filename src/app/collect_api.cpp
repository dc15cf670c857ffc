#include "app/collectors.hpp"

namespace airguard {

void collect_api(const ScanOptions& /*options*/, Snapshot& /*snapshot*/) {}

}  // namespace airguard
