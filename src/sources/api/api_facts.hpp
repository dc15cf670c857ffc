#pragma once
#include <string>
#include <vector>

#include "core/diagnostic.hpp"

namespace airguard {

// What a live Airflow REST API told us. Owned by the REST API area; see issue "Live REST API".
struct ApiFacts {
  std::string base_url;
  int api_major = 0;            // 2 (/api/v1) or 3 (/api/v2), 0 = unknown
  std::string airflow_version;  // from /version
  Diagnostics problems;         // unreachable, TLS failure, 500s ...
};

}  // namespace airguard
