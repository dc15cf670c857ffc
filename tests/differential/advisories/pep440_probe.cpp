// Reads PEP 440 questions from stdin, one per line, and answers each on stdout, so the
// differential test can put the same questions to Python's `packaging`:
//   V<TAB>text                      -> "ok<TAB>normalized" | "invalid"
//   C<TAB>a<TAB>b                   -> "-1" | "0" | "1"
//   S<TAB>spec<TAB>version<TAB>0|1  -> "1" | "0" | "invalid"
#include <iostream>
#include <string>
#include <vector>

#include "advisories/pep440.hpp"

namespace {
std::vector<std::string> fields(const std::string& line) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    std::size_t tab = line.find('\t', start);
    out.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
    if (tab == std::string::npos) return out;
    start = tab + 1;
  }
}
}  // namespace

int main() {
  std::ios::sync_with_stdio(false);
  std::string line;
  while (std::getline(std::cin, line)) {
    auto f = fields(line);
    if (f[0] == "V" && f.size() == 2) {
      auto v = airguard::parse_version(f[1]);
      std::cout << (v ? "ok\t" + v->text() : std::string("invalid")) << '\n';
    } else if (f[0] == "C" && f.size() == 3) {
      auto a = airguard::parse_version(f[1]);
      auto b = airguard::parse_version(f[2]);
      if (!a || !b) {
        std::cout << "invalid\n";
        continue;
      }
      int c = airguard::compare_versions(*a, *b);
      std::cout << (c < 0 ? -1 : (c > 0 ? 1 : 0)) << '\n';
    } else if (f[0] == "S" && f.size() == 4) {
      auto set = airguard::SpecifierSet::parse(f[1]);
      auto v = airguard::parse_version(f[2]);
      if (!set || !v) {
        std::cout << "invalid\n";
        continue;
      }
      std::cout << (set->contains(*v, f[3] == "1") ? 1 : 0) << '\n';
    } else {
      std::cout << "bad-question\n";
    }
  }
  return 0;
}
