#include "advisories/feed.hpp"
#include "app/collectors.hpp"
#include "sources/inventory/inventory_readers.hpp"

namespace airguard {

// Installed versions from --airflow-version, --packages and --site-packages, and the advisory feed.
// The Helm and REST API collectors add their own inventory entries ("helm", "api"); the advisory
// checks match every entry at evaluation time. The network is used only when --advisories is a URL.
void collect_inventory(const ScanOptions& options, Snapshot& snapshot) {
  if (snapshot.today.empty()) snapshot.today = options.today;

  if (options.airflow_version) {
    InstalledPackage airflow;
    airflow.name = "apache-airflow";
    airflow.version = *options.airflow_version;
    airflow.source = "--airflow-version";
    airflow.origin.kind = SourceKind::inventory;
    airflow.origin.name = "--airflow-version";
    snapshot.inventory.packages.push_back(std::move(airflow));
  }
  for (const auto& file : options.packages_files) {
    std::size_t errors_before = snapshot.diagnostics.size();
    read_requirements_file(file, snapshot.inventory, snapshot.diagnostics);
    bool failed = false;
    for (std::size_t i = errors_before; i < snapshot.diagnostics.size(); ++i) {
      failed =
          failed || (snapshot.diagnostics[i].level == Diagnostic::Level::error && snapshot.diagnostics[i].file == file);
    }
    if (failed)
      snapshot.unavailable_sources.push_back("packages " + file);
    else
      snapshot.inputs.push_back({"packages", file});
  }
  for (const auto& dir : options.site_packages_dirs) {
    if (read_site_packages(dir, snapshot.inventory, snapshot.diagnostics))
      snapshot.inputs.push_back({"site-packages", dir});
    else
      snapshot.unavailable_sources.push_back("site-packages " + dir);
  }

  if (options.no_advisories) return;
  auto feed = resolve_feed(options.advisories, advisory_cache_dir(), snapshot.diagnostics);
  if (!feed) {
    snapshot.diagnostics.push_back(feed.error());
    snapshot.unavailable_sources.push_back("advisories " + feed.error().file);
    return;
  }
  if (options.advisories) snapshot.inputs.push_back({"advisories", feed->source});
  snapshot.advisory_feed = std::move(*feed);
}

}  // namespace airguard
