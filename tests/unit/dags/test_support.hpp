#pragma once
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

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

}  // namespace airguard::dags_test
