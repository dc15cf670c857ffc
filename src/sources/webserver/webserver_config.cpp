#include "sources/webserver/webserver_config.hpp"

namespace airguard {

const WebserverSetting* WebserverConfig::get(std::string_view name) const {
  for (auto it = settings.rbegin(); it != settings.rend(); ++it) {
    if (it->name == name) return &*it;
  }
  return nullptr;
}

}  // namespace airguard
