// Airflow REST API answers (sources/api/api_parse): one body given to every reader, as a hostile
// or broken server could send it, and to the header readers.
#include "fuzz_target.hpp"
#include "sources/api/api_parse.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body = airguard::fuzz::as_text(data, size);
  airguard::parse_version_answer(body);
  airguard::parse_health(body);
  airguard::parse_providers(body);
  airguard::parse_users(body);
  airguard::parse_roles(body);
  airguard::parse_connections(body);
  airguard::parse_connection(body);
  airguard::parse_variables(body);
  airguard::parse_dag_ids(body);
  airguard::parse_import_errors(body);
  airguard::parse_config(body);
  airguard::parse_access_token(body);
  long total = 0;
  airguard::is_collection_answer(body, "connections", &total);
  airguard::parse_set_cookie(body);
  airguard::frame_ancestors_directive(body);
  airguard::header_discloses_version("Server", body);
  airguard::leaks_server_path(body);
  return 0;
}
