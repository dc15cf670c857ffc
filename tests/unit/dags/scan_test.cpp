#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <optional>

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

namespace {

using airguard::dags_test::ProcessRun;
using airguard::dags_test::run_process;

std::size_t count_of(const std::string& text, std::string_view needle) {
  std::size_t count = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++count;
  return count;
}

// Root reads every file whatever its mode: the permission cases run the scan as nobody.
std::optional<std::vector<std::string>> unprivileged() {
  if (::geteuid() != 0) return std::vector<std::string>{};
  if (::access("/usr/bin/setpriv", X_OK) != 0) return std::nullopt;
  return std::vector<std::string>{"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"};
}

}  // namespace

TEST_CASE("walk: a symbolic-link diamond of 30 levels is walked once per folder, in bounded time") {
  TempTree tree;
  // l<N> holds a DAG file and two links, a and b, to l<N+1>: 2^30 paths, 31 folders.
  for (int level = 0; level < 30; ++level) {
    const std::string folder = "l" + std::to_string(level);
    tree.write(folder + "/dag.py", kLeak);
    std::filesystem::create_directories(tree.path() + "/l" + std::to_string(level + 1));
    for (const char* link : {"a", "b"})
      std::filesystem::create_directory_symlink("../l" + std::to_string(level + 1),
                                                tree.path() + "/" + folder + "/" + link);
  }
  const DagScanResult result = scan_dag_folder(tree.path());
  CHECK(result.secrets.size() == 30);
  CHECK(result.unread.empty());
  std::size_t twice = 0;
  for (const Diagnostic& problem : result.problems) {
    if (problem.message.find("already scanned") != std::string::npos) ++twice;
  }
  CHECK(twice == 60);  // each level's second link, and each of l1..l30 again from the root

  TempTree scratch;
  const ProcessRun run =
      run_process({AIRGUARD_BINARY, "scan", "--dags", tree.path(), "--format", "json", "-q"}, scratch.path());
  CHECK(run.seconds < 20);
  CHECK(run.peak_rss_kib < 400 * 1024);
  CHECK(count_of(run.out, "\"check\": \"AFH-DAG-") == 30);
}

TEST_CASE("walk: past the file limit the scan stops listing and is incomplete") {
  TempTree tree;
  for (int i = 0; i < 10; ++i) tree.write("f" + std::to_string(i) + ".py", kLeak);
  DagScanOptions options;
  options.max_files = 5;
  const DagScanResult result = scan_dag_folder(tree.path(), options);
  CHECK(result.files_scanned == 5);
  CHECK(result.unread.count("more than 5 files") == 1);
}

TEST_CASE("walk: a DAG past the path-length limit makes the scan incomplete") {
  TempTree tree;
  tree.write("near.py", kLeak);
  // 24 folders of 200 characters: the file's path is past PATH_MAX (4096), built with openat.
  const std::string component(200, 'd');
  int fd = ::open(tree.path().c_str(), O_RDONLY | O_DIRECTORY);
  REQUIRE(fd >= 0);
  for (int level = 0; level < 24; ++level) {
    REQUIRE(::mkdirat(fd, component.c_str(), 0755) == 0);
    const int next = ::openat(fd, component.c_str(), O_RDONLY | O_DIRECTORY);
    ::close(fd);
    REQUIRE(next >= 0);
    fd = next;
  }
  const int file = ::openat(fd, "deep.py", O_WRONLY | O_CREAT, 0644);
  REQUIRE(file >= 0);
  REQUIRE(::write(file, kLeak.data(), kLeak.size()) == static_cast<ssize_t>(kLeak.size()));
  ::close(file);
  ::close(fd);

  const DagScanResult result = scan_dag_folder(tree.path());
  CHECK(files_of(result) == std::vector<std::string>{"near.py"});
  CHECK(result.unread.count(std::strerror(ENAMETOOLONG)) == 1);

  TempTree scratch;
  const ProcessRun run = run_process({AIRGUARD_BINARY, "scan", "--dags", tree.path(), "-q"}, scratch.path());
  CHECK(run.exit_code == 3);
  CHECK(run.out.find("Incomplete: could not read") != std::string::npos);
  CHECK(run.out.find("File name too long") != std::string::npos);
  // std::filesystem cannot remove what it cannot name; rm walks with file descriptors.
  CHECK(std::system(("rm -rf '" + tree.path() + "'").c_str()) == 0);
}

TEST_CASE("walk: unreadable DAG files and folders make the scan incomplete (exit 3), and say why") {
  const auto prefix = unprivileged();
  if (!prefix) {
    WARN("skipped: running as root without setpriv, and root reads every file whatever its mode");
    return;
  }
  TempTree tree;
  tree.write("dags/ok.py", kLeak);
  tree.write("dags/locked/hidden.py", kLeak);
  tree.write("dags/sealed.py", kLeak);
  std::filesystem::permissions(tree.path() + "/dags/locked", std::filesystem::perms::none);
  std::filesystem::permissions(tree.path() + "/dags/sealed.py", std::filesystem::perms::none);
  TempTree scratch;

  std::vector<std::string> argv = *prefix;
  for (const std::string& arg : {std::string(AIRGUARD_BINARY), std::string("scan"), std::string("--dags"),
                                 tree.path() + "/dags", std::string("-q")})
    argv.push_back(arg);
  const ProcessRun run = run_process(argv, scratch.path());
  INFO(run.out << run.err);
  CHECK(run.exit_code == 3);
  CHECK(run.out.find("Incomplete: could not read") != std::string::npos);
  CHECK(run.out.find("Permission denied (2)") != std::string::npos);
  CHECK(run.out.find("ok.py") != std::string::npos);

  // A deployment folder that cannot be listed says so, instead of "found nothing to scan".
  std::vector<std::string> folder_argv = *prefix;
  for (const std::string& arg : {std::string(AIRGUARD_BINARY), std::string("scan"), tree.path() + "/dags/locked"})
    folder_argv.push_back(arg);
  const ProcessRun folder = run_process(folder_argv, scratch.path());
  INFO(folder.err);
  CHECK(folder.exit_code == 2);
  CHECK(folder.err.find("Permission denied") != std::string::npos);
  CHECK(folder.err.find("found nothing to scan") == std::string::npos);
  std::filesystem::permissions(tree.path() + "/dags/locked", std::filesystem::perms::owner_all);
}
