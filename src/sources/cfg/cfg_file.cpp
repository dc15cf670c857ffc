#include "sources/cfg/cfg_file.hpp"

namespace airguard {

const CfgSection* CfgFile::section(std::string_view name) const {
  for (const auto& s : sections) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

const CfgOption* CfgFile::find(std::string_view section_name, std::string_view key) const {
  const CfgSection* s = section(section_name);
  if (s == nullptr) return nullptr;
  for (const auto& option : s->options) {
    if (option.key == key) return &option;
  }
  return nullptr;
}

}  // namespace airguard
