#include "app/collectors.hpp"

namespace airguard {

void collect_dags(const ScanOptions& /*options*/, Snapshot& /*snapshot*/) {}

}  // namespace airguard
