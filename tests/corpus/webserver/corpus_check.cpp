// Reads every webserver_config.py of the shared corpus, runs the webserver checks on it under the
// production profile, and compares what fired with expected-findings.tsv. Prints a table of what
// was skipped and what fired. Exit 77 (skip) when the corpus is absent.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "engine/check_loader.hpp"
#include "engine/evaluator.hpp"
#include "engine/example_runner.hpp"
#include "engine/profile_loader.hpp"
#include "engine/snapshot_builder.hpp"
#include "sources/webserver/webserver_config.hpp"

namespace fs = std::filesystem;
using namespace airguard;

namespace {

std::map<std::string, std::set<std::string>> read_expected(const std::string& path) {
  std::map<std::string, std::set<std::string>> expected;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const std::size_t tab = line.find('\t');
    std::set<std::string>& ids = expected[line.substr(0, tab)];
    if (tab == std::string::npos) continue;
    std::istringstream rest(line.substr(tab + 1));
    std::string id;
    while (rest >> id) ids.insert(id);
  }
  return expected;
}

std::string joined(const std::set<std::string>& ids) {
  std::string out;
  for (const std::string& id : ids) out += (out.empty() ? "" : " ") + id;
  return out.empty() ? "-" : out;
}

}  // namespace

// Problems in other areas' check files are theirs to report; this program fails on its own only.
bool webserver_problems(const CheckCatalog& catalog) {
  bool any = false;
  for (const Diagnostic& problem : catalog.problems) {
    if (problem.file.find("webserver") == std::string::npos) continue;
    std::printf("%s\n", problem.format().c_str());
    any = true;
  }
  return any;
}

int run_examples(const CheckCatalog& catalog) {
  int failing = 0;
  int total = 0;
  for (const CheckDef& check : catalog.checks) {
    if (check.id.rfind("AFH-WSC-", 0) != 0) continue;
    for (const ExampleOutcome& outcome : run_check_examples(catalog, check.id)) {
      ++total;
      if (outcome.passed) continue;
      ++failing;
      std::printf("%s:%d: %s example of %s failed: %s\n", outcome.file.c_str(), outcome.line,
                  outcome.expect_fail ? "fail" : "pass", outcome.check_id.c_str(), outcome.detail.c_str());
    }
  }
  std::printf("%d webserver examples, %d failing\n", total, failing);
  return failing == 0 && total > 0 ? 0 : 1;
}

int main(int argc, char** argv) {
  if (argc > 1 && std::string(argv[1]) == "--examples") {
    const CheckCatalog catalog = load_check_catalog({}, CheckExamples::load);
    if (webserver_problems(catalog)) return 1;
    return run_examples(catalog);
  }
  const char* shared_env = std::getenv("AIRGUARD_SHARED_DIR");
  const fs::path shared =
      shared_env != nullptr ? fs::path(shared_env) : fs::path(AIRGUARD_SOURCE_DIR) / ".." / "shared";
  const fs::path corpus = shared / "corpus" / "webserver_config";
  if (!fs::is_directory(corpus)) {
    std::printf("SKIP: no corpus at %s (set AIRGUARD_SHARED_DIR)\n", corpus.string().c_str());
    return 77;
  }
  const auto expected = argc > 1 ? read_expected(argv[1]) : std::map<std::string, std::set<std::string>>{};
  const CheckCatalog catalog = load_check_catalog();
  if (webserver_problems(catalog)) return 1;
  auto profile = load_profile("production");
  if (!profile) profile = load_profile("default");
  if (!profile) {
    std::printf("no profile: %s\n", profile.error().format().c_str());
    return 1;
  }

  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(corpus)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());

  int failures = 0;
  std::map<std::string, int> fired_count;
  std::printf("%-70s %8s %7s %7s  %s\n", "file", "settings", "skipped", "errors", "fired");
  for (const fs::path& file : files) {
    const std::string name = file.filename().string();
    Result<WebserverConfig> config = read_webserver_config(file.string());
    if (!config) {
      std::printf("%s: %s\n", name.c_str(), config.error().format().c_str());
      ++failures;
      continue;
    }
    const auto errors = std::count_if(config->skipped.begin(), config->skipped.end(),
                                      [](const Diagnostic& d) { return d.level == Diagnostic::Level::error; });
    const std::size_t setting_count = config->settings.size();
    const std::size_t skipped_count = config->skipped.size();
    Snapshot snapshot;
    snapshot.webserver = std::move(*config);
    snapshot.inputs.push_back({"webserver_config.py", file.string()});
    finalize_snapshot(snapshot, std::nullopt);
    std::set<std::string> fired;
    for (const Finding& finding : run_checks(catalog, snapshot, *profile).findings) {
      if (finding.check_id.rfind("AFH-WSC-", 0) != 0) continue;
      fired.insert(finding.check_id);
      // Evidence is redacted: a literal secret from the corpus must never be printed.
      if (finding.evidence.find("GoodNewsEveryone") != std::string::npos) {
        std::printf("%s: evidence leaks a secret: %s\n", name.c_str(), finding.evidence.c_str());
        ++failures;
      }
    }
    for (const std::string& id : fired) ++fired_count[id];
    std::printf("%-70s %8zu %7zu %7ld  %s\n", name.c_str(), setting_count, skipped_count, static_cast<long>(errors),
                joined(fired).c_str());
    if (errors != 0) ++failures;
    if (argc > 1) {
      const auto want = expected.find(name);
      const std::set<std::string> want_ids = want == expected.end() ? std::set<std::string>{} : want->second;
      if (want_ids != fired) {
        std::printf("  MISMATCH: expected %s\n", joined(want_ids).c_str());
        ++failures;
      }
    }
  }
  std::printf("\ncheck            files\n");
  for (const auto& [id, count] : fired_count) std::printf("%-16s %5d\n", id.c_str(), count);
  return failures == 0 ? 0 : 1;
}
