#include <catch2/catch.hpp>

#include <filesystem>

#include "sources/dags/dag_scan.hpp"
#include "test_support.hpp"

using namespace airguard;
using airguard::dags_test::TempTree;

namespace {

const std::string kLeak = "API_KEY = \"Kd9Lw2Vb7Nm4Pq1R\"\n";

std::vector<std::string> files_of(const DagScanResult& result) {
  std::vector<std::string> files;
  for (const DagSecret& secret : result.secrets) files.push_back(secret.file);
  return files;
}

}  // namespace

TEST_CASE("walk: regexp .airflowignore, nested ignore files apply to their subtree") {
  TempTree tree;
  tree.write(".airflowignore", "^legacy/\n_test\\.py$\n");
  tree.write("a.py", kLeak);
  tree.write("a_test.py", kLeak);
  tree.write("legacy/old.py", kLeak);
  tree.write("team/.airflowignore", "team/scratch\n");
  tree.write("team/scratch/x.py", kLeak);
  tree.write("team/real.py", kLeak);
  tree.write("other/scratch/y.py", kLeak);  // the nested rule does not apply here... but regexp is root-relative
  DagScanOptions options;
  options.ignore_syntax = IgnoreSyntax::regexp;
  const DagScanResult result = scan_dag_folder(tree.path(), options);
  CHECK(files_of(result) == std::vector<std::string>{"a.py", "other/scratch/y.py", "team/real.py"});
  CHECK(result.files_ignored == 3);
}

TEST_CASE("walk: glob .airflowignore with anchoring, negation and nested files") {
  TempTree tree;
  tree.write(".airflowignore", "*_test.py\n/legacy/\n");
  tree.write("a.py", kLeak);
  tree.write("x/a_test.py", kLeak);
  tree.write("legacy/old.py", kLeak);
  tree.write("x/legacy/kept.py", kLeak);  // "/legacy/" is anchored to the root
  tree.write("team/.airflowignore", "/scratch\n!keep_test.py\n");
  tree.write("team/scratch/s.py", kLeak);
  tree.write("team/keep_test.py", kLeak);
  DagScanOptions options;
  options.ignore_syntax = IgnoreSyntax::glob;
  const DagScanResult result = scan_dag_folder(tree.path(), options);
  CHECK(files_of(result) == std::vector<std::string>{"a.py", "team/keep_test.py", "x/legacy/kept.py"});
}

TEST_CASE("walk: binary files are skipped, symlinks out of the root are not followed") {
  TempTree tree;
  TempTree outside;
  outside.write("secret.py", kLeak);
  tree.write("a.py", kLeak);
  tree.write("image.png", std::string("\x89PNG\r\n\x1a\n\0\0\0", 11) + kLeak);
  std::filesystem::create_symlink(outside.path() + "/secret.py", tree.path() + "/link_out.py");
  std::filesystem::create_directory_symlink(outside.path(), tree.path() + "/dir_out");
  std::filesystem::create_symlink(tree.path() + "/a.py", tree.path() + "/link_in.py");
  std::filesystem::create_directory_symlink(tree.path(), tree.path() + "/loop");
  const DagScanResult result = scan_dag_folder(tree.path());
  CHECK(files_of(result) == std::vector<std::string>{"a.py", "link_in.py"});
  CHECK(result.files_binary == 1);
  int outside_notes = 0;
  for (const Diagnostic& problem : result.problems) {
    if (problem.message.find("outside the scanned folder") != std::string::npos) ++outside_notes;
  }
  CHECK(outside_notes == 2);
}

TEST_CASE("walk: a file that cannot be scanned is reported and the scan goes on") {
  TempTree tree;
  tree.write("big.py", std::string(2048, '#') + "\n" + kLeak);
  tree.write("small.py", kLeak);
  DagScanOptions options;
  options.max_file_bytes = 1024;
  const DagScanResult result = scan_dag_folder(tree.path(), options);
  CHECK(files_of(result) == std::vector<std::string>{"small.py"});
  REQUIRE(result.problems.size() == 1);
  CHECK(result.problems[0].file.find("big.py") != std::string::npos);
  CHECK(result.problems[0].message.find("not scanned") != std::string::npos);
}

TEST_CASE("walk: a missing folder is an error; a single file can be scanned") {
  TempTree tree;
  const DagScanResult missing = scan_dag_folder(tree.path() + "/nope");
  REQUIRE(missing.problems.size() == 1);
  CHECK(missing.problems[0].level == Diagnostic::Level::error);
  const std::string file = tree.write("dags/one.py", kLeak);
  const DagScanResult single = scan_dag_folder(file);
  REQUIRE(single.secrets.size() == 1);
  CHECK(single.secrets[0].file == "one.py");
}

TEST_CASE("walk: results are ordered and identical whatever the number of threads") {
  TempTree tree;
  for (int i = 0; i < 60; ++i)
    tree.write("d" + std::to_string(i % 7) + "/f" + std::to_string(i) + ".py", kLeak + kLeak);
  DagScanOptions one;
  one.threads = 1;
  DagScanOptions four;
  four.threads = 4;
  const DagScanResult a = scan_dag_folder(tree.path(), one);
  const DagScanResult b = scan_dag_folder(tree.path(), four);
  CHECK(a.secrets.size() == 120);
  CHECK(files_of(a) == files_of(b));
  CHECK(a.files_scanned == 60);
  CHECK(b.bytes_scanned == a.bytes_scanned);
  CHECK(std::is_sorted(a.secrets.begin(), a.secrets.end(), [](const DagSecret& x, const DagSecret& y) {
    return x.file != y.file ? x.file < y.file : x.line < y.line;
  }));
}
