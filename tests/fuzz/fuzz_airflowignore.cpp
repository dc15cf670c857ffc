// .airflowignore (sources/dags/airflowignore): regexp or glob syntax (a first line "# syntax: glob"
// picks glob), compiled as Airflow compiles it, then matched against a few paths and each line.
#include <vector>

#include "fuzz_target.hpp"
#include "sources/dags/airflowignore.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = airguard::fuzz::as_text(data, size);
  const auto syntax =
      text.starts_with("# syntax: glob") ? airguard::IgnoreSyntax::glob : airguard::IgnoreSyntax::regexp;
  airguard::Diagnostics problems;
  const auto rules = airguard::parse_airflowignore(text, syntax, "team", "team/.airflowignore", problems);
  for (const std::string_view path : {"team/dag.py", "team/sub/deep/x_test.py", "other/logs", "a.py", ""}) {
    airguard::is_ignored(rules, syntax, path, false);
    airguard::is_ignored(rules, syntax, path, true);
  }
  std::string_view rest = text;
  while (!rest.empty()) {
    const std::size_t end = rest.find('\n');
    airguard::is_ignored(rules, syntax, rest.substr(0, end), false);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
  }
  return 0;
}
