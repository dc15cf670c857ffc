// airflow.cfg text (sources/cfg): parse_cfg never fails; every input comes back as sections and
// errors whose lines lie inside the text.
#include "fuzz_target.hpp"
#include "sources/cfg/cfg_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using airguard::fuzz::require;
  const std::string_view text = airguard::fuzz::as_text(data, size);
  int lines = 1;  // lines as Python's universal newlines count them: "\n", "\r\n" and a lone "\r"
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n'))) ++lines;
  }
  const airguard::CfgFile cfg = airguard::parse_cfg(text, "fuzz.cfg");
  for (const auto& section : cfg.sections) {
    require(section.line >= 1 && section.line <= lines, "a section's line lies inside the text");
    for (const auto& option : section.options) {
      require(option.origin.line >= 1 && option.origin.line <= lines, "an option's line lies inside the text");
      require(cfg.section(section.name) != nullptr, "a parsed section can be found by its name");
    }
  }
  for (const auto& error : cfg.errors)
    require(error.line >= 0 && error.line <= lines, "an error's line lies inside the text");
  return 0;
}
