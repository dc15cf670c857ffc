// webserver_config.py (sources/webserver): the Python-subset tokenizer, then the reader of
// module-level assignments, rendering every value and querying nested paths. Nothing is executed.
// The same bytes are then read as a webserver_config.py embedded in Helm values: template actions
// neutralized, lines mapped into a values file as a literal block and as the values text itself.
#include <algorithm>
#include <string>

#include "fuzz_target.hpp"
#include "sources/webserver/embedded_config.hpp"
#include "sources/webserver/python_tokens.hpp"
#include "sources/webserver/webserver_config.hpp"

namespace {

int line_count(std::string_view text) { return 1 + static_cast<int>(std::count(text.begin(), text.end(), '\n')); }

void embedded(std::string_view text) {
  using namespace airguard;
  const NeutralizedTemplate neutral = neutralize_template_actions(text);
  fuzz::require(line_count(neutral.text) == line_count(text), "neutralizing keeps the number of lines");
  fuzz::require(
      neutral.text.find("{{") == std::string::npos || neutral.unterminated || text.find("{{") != std::string_view::npos,
      "no template action is left in the text");
  for (std::size_t i = 1; i < neutral.blocks.size(); ++i) {
    fuzz::require(neutral.blocks[i - 1].last_line < neutral.blocks[i].first_line,
                  "outermost blocks are apart, in order");
  }
  // As a literal block under `webserver.webserverConfig: |`, every line indented by four spaces.
  std::string values = "webserver:\n  webserverConfig: |\n";
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    values.append("    ").append(text.substr(start, end - start)).append("\n");
    start = end + 1;
  }
  const int values_lines = line_count(values);
  for (const std::string_view value : {text, std::string_view(values)}) {
    const ScalarLines map = map_scalar_lines(value == text ? std::string_view(values) : text, 2, value);
    fuzz::require(map.lines.size() == static_cast<std::size_t>(line_count(value)), "one mapped line per value line");
    for (const int line : map.lines) fuzz::require(line >= 0, "mapped lines are not negative");
  }
  EmbeddedPlacement placement;
  placement.file = "values.yaml";
  placement.key = "webserver.webserverConfig";
  placement.key_line = 2;
  placement.lines = map_scalar_lines(values, 2, text);
  placement.blocks = neutral.blocks;
  const WebserverConfig config = parse_embedded_webserver_config(neutral.text, placement);
  for (const auto& setting : config.settings) {
    if (setting.name.empty()) continue;
    fuzz::require(setting.fact.origin.line >= 0 && setting.fact.origin.line <= values_lines,
                  "an embedded setting lies inside the values file");
    fuzz::require(setting.fact.origin.name == "webserver.webserverConfig", "an embedded setting names its key");
  }
  for (const auto& diagnostic : config.skipped) {
    fuzz::require(diagnostic.message.find(kTemplateActionMarker) == std::string::npos,
                  "no message shows the template marker");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = airguard::fuzz::as_text(data, size);
  airguard::python::tokenize(text, "webserver_config.py");
  const airguard::WebserverConfig config = airguard::parse_webserver_config(text, "webserver_config.py");
  for (const auto& setting : config.settings) {
    airguard::render_py_value(setting.value);
    config.get(setting.name);
  }
  for (const auto& element : config.nested) config.get(element.name);
  config.facts("OAUTH_PROVIDERS[*].remote_app.*");
  config.facts("AUTH_ROLES_MAPPING.*");
  config.facts("AUTH_TYPE");
  embedded(text);
  return 0;
}
