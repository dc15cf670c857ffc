// webserver_config.py (sources/webserver): the Python-subset tokenizer, then the reader of
// module-level assignments, rendering every value and querying nested paths. Nothing is executed.
#include "fuzz_target.hpp"
#include "sources/webserver/python_tokens.hpp"
#include "sources/webserver/webserver_config.hpp"

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
  return 0;
}
