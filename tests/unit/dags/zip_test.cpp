#include <catch2/catch.hpp>

#include <cstdlib>

#include "core/file_io.hpp"
#include "sources/dags/dag_scan.hpp"
#include "sources/dags/zip_reader.hpp"
#include "test_support.hpp"

using namespace airguard;
using airguard::dags_test::TempTree;

namespace {

// Python's zipfile writes the archives: a real producer of the bundles Airflow reads.
std::string make_zip(const TempTree& tree, const std::string& name) {
  const std::string script = tree.write("make_zip.py",
                                        "import sys, zipfile\n"
                                        "with zipfile.ZipFile(sys.argv[1], 'w') as z:\n"
                                        "    z.writestr('dags/stored.py', 'API_KEY = \"Kd9Lw2Vb7Nm4Pq1R\"\\n', "
                                        "compress_type=zipfile.ZIP_STORED)\n"
                                        "    z.writestr('dags/deflated.py', '# filler\\n' * 200 + "
                                        "'password = \"Zq8Kd9Lw2V\"\\n', compress_type=zipfile.ZIP_DEFLATED)\n"
                                        "    z.writestr('dags/', '')\n"
                                        "    z.writestr('data.bin', b'\\x00\\x01\\x02' * 10, "
                                        "compress_type=zipfile.ZIP_DEFLATED)\n");
  const std::string archive = tree.path() + "/" + name;
  const std::string command = "/usr/bin/python3 '" + script + "' '" + archive + "'";
  REQUIRE(std::system(command.c_str()) == 0);
  return archive;
}

}  // namespace

TEST_CASE("ZIP reader: lists entries and reads stored and deflated data") {
  TempTree tree;
  const std::string archive_path = make_zip(tree, "bundle.zip");
  auto bytes = read_text_file(archive_path, ReadLimits{1u << 20, true});
  REQUIRE(bytes);
  REQUIRE(looks_like_zip(*bytes));
  auto entries = list_zip_entries(*bytes);
  REQUIRE(entries);
  REQUIRE(entries->size() == 4);
  CHECK((*entries)[0].name == "dags/stored.py");
  CHECK((*entries)[0].method == 0);
  CHECK((*entries)[1].method == 8);
  CHECK((*entries)[2].is_directory());
  std::string content;
  REQUIRE(read_zip_entry(*bytes, (*entries)[1], 1u << 20, content));
  CHECK(content.size() == 9 * 200 + 24);
  CHECK(content.substr(content.size() - 24) == "password = \"Zq8Kd9Lw2V\"\n");
  // The size limit is enforced before inflating.
  CHECK_FALSE(read_zip_entry(*bytes, (*entries)[1], 100, content));
}

TEST_CASE("ZIP reader: damaged archives are errors, not crashes") {
  TempTree tree;
  auto bytes = read_text_file(make_zip(tree, "bundle.zip"), ReadLimits{1u << 20, true});
  REQUIRE(bytes);
  CHECK_FALSE(list_zip_entries("PK\x03\x04 not really"));
  std::string truncated = bytes->substr(0, bytes->size() / 2);
  CHECK_FALSE(list_zip_entries(truncated));
  // Corrupt the deflate stream of the second entry: reading it fails cleanly.
  auto entries = list_zip_entries(*bytes);
  REQUIRE(entries);
  std::string corrupt = *bytes;
  const std::size_t data = (*entries)[1].local_header_offset + 30 + (*entries)[1].name.size();
  for (std::size_t i = data; i < data + 8 && i < corrupt.size(); ++i) corrupt[i] = '\xff';
  std::string content;
  CHECK_FALSE(read_zip_entry(corrupt, (*entries)[1], 1u << 20, content));
}

TEST_CASE("a zipped DAG bundle is scanned entry by entry") {
  TempTree tree;
  make_zip(tree, "bundle.zip");
  std::filesystem::remove(tree.path() + "/make_zip.py");
  const DagScanResult result = scan_dag_folder(tree.path());
  REQUIRE(result.secrets.size() == 2);
  CHECK(result.secrets[0].file == "bundle.zip/dags/deflated.py");
  CHECK(result.secrets[0].line == 201);
  CHECK(result.secrets[1].file == "bundle.zip/dags/stored.py");
  CHECK(result.files_binary == 1);
}
