// Benchmark: load the whole advisory feed (embedded, or a path given as argv[1]) and check 1,000
// package versions against it; prints the times. Run through scripts/bench-advisories.
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "advisories/feed.hpp"

int main(int argc, char** argv) {
  using Clock = std::chrono::steady_clock;
  auto ms = [](Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); };
  auto start = Clock::now();
  airguard::Diagnostics diagnostics;
  auto feed = argc > 1 ? airguard::load_feed_path(argv[1], diagnostics) : airguard::load_embedded_feed();
  if (!feed) {
    std::fprintf(stderr, "%s\n", feed.error().format().c_str());
    return 2;
  }
  auto loaded = Clock::now();
  std::vector<std::string> packages = feed->database->packages();
  std::size_t affected = 0, advisories = 0;
  for (int i = 0; i < 1000; ++i) {
    const std::string& package = packages[static_cast<std::size_t>(i) % packages.size()];
    std::string version = std::to_string(i % 4) + "." + std::to_string(i % 13) + "." + std::to_string(i % 7);
    auto matches = feed->database->query(package, *airguard::parse_version(version));
    if (!matches.empty()) {
      ++affected;
      advisories += matches.size();
      (void)feed->database->smallest_fix(package, *airguard::parse_version(version), matches);
    }
  }
  auto checked = Clock::now();
  std::printf(
      "feed: %zu records (%s)\nload+index: %.1f ms\n1000 checks (+ upgrade advice): %.1f ms, %zu affected, %zu "
      "advisories\n",
      feed->records, feed->source.c_str(), ms(loaded - start), ms(checked - loaded), affected, advisories);
  return 0;
}
