#include "app/collectors.hpp"

namespace airguard {

void collect_webserver(const ScanOptions& /*options*/, Snapshot& /*snapshot*/) {}

}  // namespace airguard
