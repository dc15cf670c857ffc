#include <catch2/catch.hpp>

#include "sources/inventory/inventory_readers.hpp"

using namespace airguard;

TEST_CASE("requirements and pip freeze lines give pinned packages with their lines") {
  auto parsed = parse_requirements(
      "# comment\n"
      "apache-airflow[celery,postgres]==2.10.2  # pinned\n"
      "Apache_Airflow.Providers.FAB==1.2.0 ; python_version >= \"3.8\"\n"
      "-r other.txt\n"
      "--constraint=constraints.txt\n"
      "requests>=2.0\n"
      "-e git+https://example.invalid/x.git#egg=x\n"
      "mypkg @ file:///tmp/mypkg\n"
      "six==1.16.0 \\\n"
      "    --hash=sha256:abc\n",
      "req.txt");
  REQUIRE(parsed.packages.size() == 3);
  CHECK(parsed.packages[0].name == "apache-airflow");
  CHECK(parsed.packages[0].version == "2.10.2");
  CHECK(parsed.packages[0].origin.line == 2);
  CHECK(parsed.packages[1].name == "apache-airflow-providers-fab");
  CHECK(parsed.packages[2].name == "six");
  CHECK(parsed.packages[2].origin.line == 9);
  CHECK(parsed.includes == std::vector<std::string>{"other.txt", "constraints.txt"});
  CHECK(parsed.diagnostics.size() == 4);  // marker, unpinned, editable, direct URL
}

TEST_CASE("distribution metadata headers give name and version") {
  auto metadata = parse_distribution_metadata(
      "Metadata-Version: 2.1\r\nName: apache-airflow\r\nVersion: 2.10.5\r\n\r\nVersion: 9\n");
  CHECK(metadata.name == "apache-airflow");
  CHECK(metadata.version == "2.10.5");
}
