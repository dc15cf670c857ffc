#pragma once
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "core/file_io.hpp"

namespace airguard::dags_test {

inline std::string fixture_dir(const std::string& name) {
  return std::string(AIRGUARD_SOURCE_DIR) + "/tests/fixtures/dags/" + name;
}

inline std::string read_fixture(const std::string& relative) {
  auto text = read_text_file(fixture_dir(relative));
  return text ? *text : std::string();
}

// A fresh directory under the system temp folder, removed when the object goes away.
class TempTree {
 public:
  TempTree() {
    std::random_device device;
    root_ = std::filesystem::temp_directory_path() / ("airguard-dags-" + std::to_string(device()));
    std::filesystem::create_directories(root_);
  }
  ~TempTree() {
    std::error_code ignored;
    std::filesystem::remove_all(root_, ignored);
  }
  TempTree(const TempTree&) = delete;
  TempTree& operator=(const TempTree&) = delete;

  std::string path() const { return root_.string(); }
  std::string write(const std::string& relative, const std::string& content) const {
    const auto file = root_ / relative;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << content;
    return file.string();
  }

 private:
  std::filesystem::path root_;
};

// A program run to its end: exit status, wall time and the peak resident memory of that
// process alone (wait4), with its stdout and stderr.
struct ProcessRun {
  int exit_code = -1;
  double seconds = 0;
  long peak_rss_kib = 0;
  std::string out;
  std::string err;
};

inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline ProcessRun run_process(const std::vector<std::string>& argv, const std::string& scratch_dir) {
  const std::string out_path = scratch_dir + "/stdout.txt";
  const std::string err_path = scratch_dir + "/stderr.txt";
  const auto started = std::chrono::steady_clock::now();
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out < 0 || err < 0 || ::dup2(out, 1) < 0 || ::dup2(err, 2) < 0) ::_exit(126);
    std::vector<char*> args;
    for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ProcessRun run;
  int status = 0;
  struct rusage usage {};
  if (pid > 0 && ::wait4(pid, &status, 0, &usage) == pid) {
    run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    run.peak_rss_kib = usage.ru_maxrss;
  }
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  run.out = slurp(out_path);
  run.err = slurp(err_path);
  return run;
}

// Runs a Python script (written to the tree) with arguments; true when it succeeded.
inline bool run_python(const TempTree& tree, const std::string& name, const std::string& script,
                       const std::vector<std::string>& args) {
  std::vector<std::string> argv{"/usr/bin/python3", tree.write(name, script)};
  argv.insert(argv.end(), args.begin(), args.end());
  const ProcessRun run = run_process(argv, tree.path());
  std::filesystem::remove(tree.path() + "/" + name);
  std::filesystem::remove(tree.path() + "/stdout.txt");
  std::filesystem::remove(tree.path() + "/stderr.txt");
  return run.exit_code == 0;
}

}  // namespace airguard::dags_test
