// Env files and compose interpolation (sources/env): `KEY=VALUE` text as docker reads it, then
// each value interpolated the way compose does, against the variables just read.
#include <string>

#include "fuzz_target.hpp"
#include "sources/env/environment.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = airguard::fuzz::as_text(data, size);
  const airguard::EnvFileParse parsed = airguard::parse_env_file(text, "fuzz.env");
  airguard::Environment environment;
  for (const auto& var : parsed.vars) environment.set(var);
  const auto lookup = [&](std::string_view name) -> const std::string* {
    const airguard::EnvVar* var = environment.get(name);
    return var == nullptr ? nullptr : &var->value;
  };
  std::vector<std::string> missing;
  airguard::interpolate_compose(text, lookup, &missing);
  for (const auto& var : parsed.vars) airguard::interpolate_compose(var.value, lookup);
  return 0;
}
