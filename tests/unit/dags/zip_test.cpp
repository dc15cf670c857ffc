#include <catch2/catch.hpp>

#include <cstdlib>

#include <nlohmann/json.hpp>

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

namespace {

using airguard::dags_test::ProcessRun;
using airguard::dags_test::run_process;
using airguard::dags_test::run_python;

// 1,000 central records that all point at one deflated 15 MiB stream of Python text: before
// the overlap check, a 100 KB archive that inflated to 15 GB.
const char* const kBombScript = R"(import struct, sys, zlib
text = (b"x = 1  # filler line of a DAG file\n" * (15 * 1024 * 1024 // 36 + 1))[: 15 * 1024 * 1024]
packer = zlib.compressobj(9, zlib.DEFLATED, -15)
data = packer.compress(text) + packer.flush()
crc = zlib.crc32(text)
name = b"dag.py"
body = struct.pack("<IHHHHHIIIHH", 0x04034b50, 20, 0, 8, 0, 0, crc, len(data), len(text), len(name), 0) + name + data
central = b""
count = int(sys.argv[2])
for i in range(count):
    n = b"dag%04d.py" % i
    central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014b50, 20, 20, 0, 8, 0, 0, crc, len(data), len(text),
                           len(n), 0, 0, 0, 0, 0, 0) + n
end = struct.pack("<IHHHHIIH", 0x06054b50, 0, 0, count, count, len(central), len(body), 0)
open(sys.argv[1], "wb").write(body + central + end)
)";

// Every compression Python's zipfile writes, and a copy of each text to compare with.
const char* const kMethodsScript = R"(import sys, zipfile
text = "# filler\n" * 300 + 'password = "Zq8Kd9Lw2V"\n'
with zipfile.ZipFile(sys.argv[1], "w") as z:
    z.writestr("dags/bzip2.py", text, compress_type=zipfile.ZIP_BZIP2)
    z.writestr("dags/lzma.py", text, compress_type=zipfile.ZIP_LZMA)
    z.writestr("dags/deflated.py", text, compress_type=zipfile.ZIP_DEFLATED)
    with z.open("dags/forced64.py", "w", force_zip64=True) as entry:
        entry.write(text.encode())
open(sys.argv[2], "w").write(text)
)";

// Past 65,535 entries Python writes the ZIP64 end records; one entry holds a credential.
const char* const kManyEntriesScript = R"(import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as z:
    for i in range(65537):
        z.writestr("dags/e%05d.txt" % i, "")
    z.writestr("dags/leak.py", 'API_KEY = "Kd9Lw2Vb7Nm4Pq1R"\n')
)";

// A central record whose sizes and offset live in the ZIP64 extra field (Python writes that
// only past 4 GiB): built by hand, then proven readable by Python's zipfile.
const char* const kZip64ExtraScript = R"(import struct, sys, zipfile, zlib
data = b'API_KEY = "Kd9Lw2Vb7Nm4Pq1R"\n'
name = b"dags/wide.py"
crc = zlib.crc32(data)
local = struct.pack("<IHHHHHIIIHH", 0x04034b50, 45, 0, 0, 0, 0, crc, len(data), len(data), len(name), 0) + name
extra = struct.pack("<HHQQQ", 1, 24, len(data), len(data), 0)
central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014b50, 45, 45, 0, 0, 0, 0, crc, 0xFFFFFFFF, 0xFFFFFFFF,
                      len(name), len(extra), 0, 0, 0, 0, 0xFFFFFFFF) + name + extra
offset = len(local + data)
end64 = struct.pack("<IQHHIIQQQQ", 0x06064b50, 44, 45, 45, 0, 0, 1, 1, len(central), offset)
locator = struct.pack("<IIQI", 0x07064b50, 0, offset + len(central), 1)
end = struct.pack("<IHHHHIIH", 0x06054b50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
open(sys.argv[1], "wb").write(local + data + central + end64 + locator + end)
with zipfile.ZipFile(sys.argv[1]) as z:
    assert z.read("dags/wide.py") == data
)";

std::string read_all(const std::string& path) {
  auto bytes = read_text_file(path, ReadLimits{64u << 20, true});
  REQUIRE(bytes);
  return *bytes;
}

}  // namespace

TEST_CASE("ZIP reader: bzip2, LZMA, deflate and forced-ZIP64 entries as Python's zipfile writes them") {
  TempTree tree;
  const std::string archive = tree.path() + "/bundle.zip";
  REQUIRE(run_python(tree, "methods.py", kMethodsScript, {archive, tree.path() + "/expected.txt"}));
  const std::string bytes = read_all(archive);
  const std::string expected = read_all(tree.path() + "/expected.txt");
  auto entries = list_zip_entries(bytes);
  REQUIRE(entries);
  REQUIRE(entries->size() == 4);
  CHECK((*entries)[0].method == 12);
  CHECK((*entries)[1].method == 14);
  CHECK((*entries)[2].method == 8);
  std::string content;
  for (const ZipEntry& entry : *entries) {
    INFO(entry.name);
    REQUIRE(read_zip_entry(bytes, entry, 1u << 20, content));
    CHECK(content == expected);
  }
  // A damaged stream of each method is an error, not a crash or a partial text.
  for (std::size_t i = 0; i < 3; ++i) {
    const ZipEntry& entry = (*entries)[i];
    std::string corrupt = bytes;
    const auto middle = static_cast<std::size_t>(entry.data_offset + entry.compressed_size / 2);
    for (std::size_t at = middle; at < middle + 16; ++at) corrupt[at] = static_cast<char>(corrupt[at] ^ 0x5a);
    INFO(entry.name);
    CHECK_FALSE(read_zip_entry(corrupt, entry, 1u << 20, content));
  }
  std::filesystem::remove(tree.path() + "/expected.txt");
  const DagScanResult result = scan_dag_folder(tree.path());
  REQUIRE(result.secrets.size() == 4);
  for (const DagSecret& secret : result.secrets) CHECK(secret.line == 301);
  CHECK(result.problems.empty());
}

TEST_CASE("ZIP reader: ZIP64 end records past 65,535 entries, and the ZIP64 extra field") {
  TempTree tree;
  const std::string many = tree.path() + "/many.zip";
  REQUIRE(run_python(tree, "many.py", kManyEntriesScript, {many}));
  auto entries = list_zip_entries(read_all(many));
  REQUIRE(entries);
  CHECK(entries->size() == 65538);
  CHECK(entries->back().name == "dags/leak.py");

  TempTree wide_tree;
  const std::string wide = wide_tree.path() + "/wide.zip";
  REQUIRE(run_python(wide_tree, "wide.py", kZip64ExtraScript, {wide}));
  const std::string bytes = read_all(wide);
  auto wide_entries = list_zip_entries(bytes);
  REQUIRE(wide_entries);
  REQUIRE(wide_entries->size() == 1);
  CHECK(wide_entries->front().uncompressed_size == 29);
  std::string content;
  REQUIRE(read_zip_entry(bytes, wide_entries->front(), 1u << 20, content));
  CHECK(content == "API_KEY = \"Kd9Lw2Vb7Nm4Pq1R\"\n");

  const DagScanResult result = scan_dag_folder(tree.path());
  REQUIRE(result.secrets.size() == 1);
  CHECK(result.secrets[0].file == "many.zip/dags/leak.py");
}

TEST_CASE("ZIP bomb: 1,000 records over one 15 MiB stream are refused in bounded time and memory") {
  TempTree tree;
  const std::string bomb = tree.path() + "/dags/bomb.zip";
  std::filesystem::create_directories(tree.path() + "/dags");
  REQUIRE(run_python(tree, "bomb.py", kBombScript, {bomb, "1000"}));
  tree.write("dags/real.py", "API_KEY = \"Kd9Lw2Vb7Nm4Pq1R\"\n");
  auto entries = list_zip_entries(read_all(bomb));
  REQUIRE_FALSE(entries);
  CHECK(entries.error().message.find("overlapping") != std::string::npos);

  TempTree scratch;
  const ProcessRun run = run_process(
      {AIRGUARD_BINARY, "scan", "--dags", tree.path() + "/dags", "--format", "json", "--deterministic", "-q"},
      scratch.path());
  INFO(run.err);
  CHECK(run.seconds < 20);
  CHECK(run.peak_rss_kib < 400 * 1024);
  const auto report = nlohmann::json::parse(run.out);
  CHECK(report["complete"] == true);  // Python's zipfile refuses such an archive too: Airflow loads nothing from it
  CHECK(run.out.find("real.py") != std::string::npos);
  CHECK(report["diagnostics"].dump().find("overlapping entries") != std::string::npos);
}

TEST_CASE("ZIP budgets: inflated bytes are bounded per archive and per scan, and say the scan is incomplete") {
  TempTree tree;
  const std::string script =
      "import sys, zipfile\n"
      "with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:\n"
      "    for i in range(8):\n"
      "        z.writestr('d%d.py' % i, '#' * (1 << 20) + '\\nAPI_KEY = \"Kd9Lw2Vb7Nm4Pq1R\"\\n')\n";
  REQUIRE(run_python(tree, "big.py", script, {tree.path() + "/a.zip"}));
  REQUIRE(run_python(tree, "big.py", script, {tree.path() + "/b.zip"}));
  DagScanOptions per_archive;
  per_archive.max_zip_inflated_bytes = 3u << 20;
  const DagScanResult archive_limited = scan_dag_folder(tree.path(), per_archive);
  CHECK(archive_limited.secrets.size() == 4);  // two entries of each archive
  REQUIRE(archive_limited.unread.count("ZIP bundle past the inflate limit") == 1);
  CHECK(archive_limited.unread.at("ZIP bundle past the inflate limit") == 2);

  DagScanOptions per_scan;
  per_scan.max_inflated_bytes = 10u << 20;
  per_scan.threads = 1;
  const DagScanResult scan_limited = scan_dag_folder(tree.path(), per_scan);
  CHECK(scan_limited.secrets.size() == 9);  // eight from a.zip, one from b.zip
  CHECK(scan_limited.unread.count("ZIP bundles past the scan's inflate limit") == 1);

  const DagScanResult unlimited = scan_dag_folder(tree.path());
  CHECK(unlimited.secrets.size() == 16);
  CHECK(unlimited.unread.empty());
}
