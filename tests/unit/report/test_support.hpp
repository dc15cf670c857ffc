#pragma once
// Small helpers for the report tests: scratch files and running the external validators
// (python3 jsonschema, xmllint) that act as oracles.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

namespace airguard::testing {

inline std::string source_dir() {
  const char* from_env = std::getenv("AIRGUARD_SOURCE_DIR");
  return from_env != nullptr ? from_env : AIRGUARD_SOURCE_DIR;
}

// A fresh directory under the system temp dir, removed when the object goes away.
class ScratchDir {
 public:
  ScratchDir() {
    std::random_device seed;
    path_ = std::filesystem::temp_directory_path() / ("airguard-report-test-" + std::to_string(seed()));
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  std::string file(const std::string& name) const { return (path_ / name).string(); }
  std::string write(const std::string& name, const std::string& content) const {
    const auto target = path_ / name;
    std::filesystem::create_directories(target.parent_path());
    std::ofstream(target, std::ios::binary) << content;
    return target.string();
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

struct CommandOutput {
  int status = -1;
  std::string output;  // stdout and stderr together
};

// Runs a shell command (arguments are fixed by the tests, never user data) and captures its output.
inline CommandOutput run_command(const std::string& command) {
  CommandOutput result;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return result;
  char buffer[4096];
  std::size_t read = 0;
  while ((read = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) result.output.append(buffer, read);
  const int status = pclose(pipe);
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

inline bool have_python_jsonschema() { return run_command("/usr/bin/python3 -c 'import jsonschema'").status == 0; }

inline bool have_xmllint() { return run_command("xmllint --version").status == 0; }

}  // namespace airguard::testing
