// docker compose files (sources/env/compose): the Airflow services' env_file: and environment:,
// anchors and merges, ${VAR} interpolation. env_file: references read one fixed file.
#include <string>
#include <vector>

#include "fuzz_target.hpp"
#include "sources/env/compose.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = airguard::fuzz::as_text(data, size);
  const std::vector<airguard::EnvVar> project_env =
      airguard::parse_env_file("POSTGRES_PASSWORD=airflow\nAIRFLOW_TAG=2.10.5\n", ".env").vars;
  const airguard::EnvFileReader read_env = [](const std::string& path) -> airguard::Result<airguard::EnvFileParse> {
    if (path.find("missing") != std::string::npos) return airguard::make_error(path, 0, "cannot read");
    return airguard::parse_env_file("AIRFLOW__CORE__LOAD_EXAMPLES=False\nexport SECRET='x'\n", path);
  };
  airguard::parse_compose_environment(text, "docker-compose.yaml", project_env, read_env);
  return 0;
}
