#include "engine/snapshot.hpp"

#include <cstdlib>

namespace airguard {

int AirflowTarget::major() const {
  if (version.empty()) return 0;
  const char* text = version.c_str();
  if (*text == 'v' || *text == 'V') ++text;
  const long value = std::strtol(text, nullptr, 10);
  return value >= 1 && value < 100 ? static_cast<int>(value) : 0;
}

}  // namespace airguard
