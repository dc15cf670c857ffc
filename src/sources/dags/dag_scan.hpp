#pragma once
#include <string>
#include <vector>

#include "core/diagnostic.hpp"

namespace airguard {

// Hard-coded credentials found in DAG and plugin code. Owned by the DAG-scanning area.
struct DagSecret {
  std::string rule;       // "aws-access-key", "connection-password-literal", ...
  std::string file;       // relative to the scanned root
  int line = 0;
  int column = 0;
  std::string redacted;   // the match with the secret masked
};

struct DagScanResult {
  std::string root;
  std::vector<DagSecret> secrets;
  Diagnostics problems;  // unreadable files, symlinks out of the root ...
  std::size_t files_scanned = 0;
  std::size_t bytes_scanned = 0;
};

}  // namespace airguard
