#pragma once
#include <string>

#include "report/report.hpp"

namespace airguard {

// Prometheus text exposition format (`--format prometheus`) for node_exporter's textfile
// collector: findings by severity, suppressed and failing counts, scan success (every requested
// source read), advisory feed age, baseline and ignore-file counts, and, unless in golden mode,
// the scan's time and duration.
std::string render_prometheus(const ScanReport& report);

}  // namespace airguard
