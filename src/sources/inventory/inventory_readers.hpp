#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.hpp"
#include "sources/inventory/inventory.hpp"

// Readers of installed package versions: pip freeze / requirements / constraints files and the
// metadata of a site-packages directory. Pure parsers take text; the readers around them do I/O.
namespace airguard {

struct RequirementsParse {
  std::vector<InstalledPackage> packages;  // pinned with == (or ===)
  std::vector<std::string> includes;       // -r / -c / --requirement / --constraint targets, as written
  Diagnostics diagnostics;                 // unpinned, editable, direct URL, unreadable lines
};

// pip freeze output or a requirements/constraints file. `file` names the origin of each entry.
RequirementsParse parse_requirements(std::string_view text, const std::string& file);

// "Name" and "Version" of a METADATA / PKG-INFO document (RFC 822 headers up to the first blank line).
struct DistributionMetadata {
  std::string name;
  std::string version;
};
DistributionMetadata parse_distribution_metadata(std::string_view text);

// Reads a requirements file and the files it includes (-r/-c, relative to the including file,
// at most 10 levels, each file once).
void read_requirements_file(const std::string& path, Inventory& inventory, Diagnostics& diagnostics);
// Reads *.dist-info/METADATA and *.egg-info/PKG-INFO (directory or file) in a site-packages directory.
// Returns false when the directory cannot be read.
bool read_site_packages(const std::string& dir, Inventory& inventory, Diagnostics& diagnostics);

}  // namespace airguard
