// Driver for scripts/bench-dags: scans a folder with the DAG scanner and prints one line of
// figures, or prints the detector's patterns (--patterns) for ripgrep.
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

#include "sources/dags/dag_scan.hpp"

int main(int argc, char** argv) {
  if (argc == 2 && std::strcmp(argv[1], "--patterns") == 0) {
    for (std::string_view pattern : airguard::detector_patterns()) {
      std::printf("%.*s\n", static_cast<int>(pattern.size()), pattern.data());
    }
    return 0;
  }
  if (argc < 2) {
    std::fprintf(stderr, "usage: dags_bench_scan DIR [THREADS] | --patterns\n");
    return 2;
  }
  airguard::DagScanOptions options;
  if (argc > 2) options.threads = static_cast<unsigned>(std::stoul(argv[2]));
  const auto start = std::chrono::steady_clock::now();
  const airguard::DagScanResult result = airguard::scan_dag_folder(argv[1], options);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("files=%zu bytes=%zu findings=%zu seconds=%.3f MBps=%.1f\n", result.files_scanned, result.bytes_scanned,
              result.secrets.size(), seconds, static_cast<double>(result.bytes_scanned) / 1e6 / seconds);
  return 0;
}
