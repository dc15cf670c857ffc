#include "sources/dags/dag_scan.hpp"
