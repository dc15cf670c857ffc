#pragma once
#include <string>
#include <vector>

#include "core/origin.hpp"

namespace airguard {

// An installed package and where we learned its version.
struct InstalledPackage {
  std::string name;     // normalized per PEP 503: "apache-airflow-providers-celery"
  std::string version;  // as found
  std::string source;   // "--airflow-version", "--packages requirements.txt", "site-packages", "helm", "api"
  Origin origin;
};

struct Inventory {
  std::vector<InstalledPackage> packages;
  const InstalledPackage* find(const std::string& normalized_name) const;
  // Every entry for a package (several sources may report it), in the order they were added.
  std::vector<const InstalledPackage*> find_all(const std::string& normalized_name) const;
};

}  // namespace airguard
