// Runs the DAG credential scan over the shared corpus: every credential listed in
// expected-leaky.tsv must be found (recall), and nothing may be reported on dags-clean.
// Exit 0 pass, 1 fail, 77 skipped (corpus absent).
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <tuple>

#include "sources/dags/dag_scan.hpp"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: dags_corpus_check EXPECTED_TSV\n");
    return 2;
  }
  const char* env = std::getenv("AIRGUARD_SHARED_DIR");
  const std::string shared = env != nullptr && *env != '\0' ? env : std::string(AIRGUARD_SOURCE_DIR) + "/../shared";
  const std::string leaky = shared + "/corpus/dags-leaky";
  const std::string clean = shared + "/corpus/dags-clean";
  if (!std::filesystem::is_directory(leaky) || !std::filesystem::is_directory(clean)) {
    std::printf("SKIP: corpus not found under %s (set AIRGUARD_SHARED_DIR)\n", shared.c_str());
    return 77;
  }
  std::set<std::tuple<std::string, int, std::string>> expected;
  std::ifstream tsv(argv[1]);
  for (std::string line; std::getline(tsv, line);) {
    if (line.empty() || line[0] == '#') continue;
    const std::size_t a = line.find('\t');
    const std::size_t b = line.find('\t', a + 1);
    const std::size_t c = line.find('\t', b + 1);
    expected.emplace(line.substr(0, a), std::stoi(line.substr(a + 1, b - a - 1)), line.substr(b + 1, c - b - 1));
  }
  const airguard::DagScanResult found_leaky = airguard::scan_dag_folder(leaky);
  std::set<std::tuple<std::string, int, std::string>> found;
  for (const auto& secret : found_leaky.secrets) found.emplace(secret.file, secret.line, secret.check_id);
  int missed = 0;
  for (const auto& item : expected) {
    if (found.count(item) == 0) {
      std::printf("MISSED %s:%d %s\n", std::get<0>(item).c_str(), std::get<1>(item), std::get<2>(item).c_str());
      ++missed;
    }
  }
  int unexpected = 0;
  for (const auto& item : found) {
    if (expected.count(item) == 0) {
      std::printf("NOT IN THE ANSWER KEY %s:%d %s\n", std::get<0>(item).c_str(), std::get<1>(item),
                  std::get<2>(item).c_str());
      ++unexpected;
    }
  }
  const airguard::DagScanResult found_clean = airguard::scan_dag_folder(clean);
  for (const auto& secret : found_clean.secrets) {
    std::printf("FALSE ALARM dags-clean/%s:%d %s %s\n", secret.file.c_str(), secret.line, secret.check_id.c_str(),
                secret.evidence.c_str());
  }
  std::printf("dags-leaky: %zu of %zu credential lines found (recall %.1f%%), %d not in the answer key\n",
              expected.size() - static_cast<std::size_t>(missed), expected.size(),
              expected.empty() ? 0.0
                               : 100.0 * static_cast<double>(expected.size() - static_cast<std::size_t>(missed)) /
                                     static_cast<double>(expected.size()),
              unexpected);
  std::printf("dags-clean: %zu findings in %zu files\n", found_clean.secrets.size(), found_clean.files_scanned);
  return missed == 0 && unexpected == 0 && found_clean.secrets.empty() ? 0 : 1;
}
