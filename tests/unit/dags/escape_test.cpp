#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "core/printable.hpp"
#include "test_support.hpp"

using namespace airguard;
using airguard::dags_test::ProcessRun;
using airguard::dags_test::run_process;
using airguard::dags_test::TempTree;

namespace {

const std::string kLeak = "API_KEY = \"Kd9Lw2Vb7Nm4Pq1R\"\n";

// File names a DAG tree can hold: terminal escapes (ESC, C1 CSI, DEL), a newline that would
// forge a plan line, Markdown table pipes and backticks.
void write_hostile_names(const TempTree& tree) {
  tree.write("dags/esc\x1b[31mred.py", kLeak);
  tree.write("dags/nl\n    Where  forged.py", kLeak);
  tree.write(
      "dags/csi\xc2\x9b"
      "2J.py",
      kLeak);
  tree.write("dags/del\x7f.py", kLeak);
  tree.write("dags/bell\x07.py", kLeak);
  tree.write("dags/pipe|`tick`|.py", kLeak);
}

void check_no_control_bytes(const std::string& text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    INFO("byte " << static_cast<int>(byte) << " at " << i);
    CHECK((byte >= 0x20 || byte == '\n'));
    CHECK(byte != 0x7f);
    if (byte == 0xc2 && i + 1 < text.size()) CHECK(static_cast<unsigned char>(text[i + 1]) > 0x9f);
  }
}

bool any_line_starts_with(const std::string& text, std::string_view prefix) {
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    if (std::string_view(text).substr(start, end - start).substr(0, prefix.size()) == prefix) return true;
    start = end + 1;
  }
  return false;
}

}  // namespace

TEST_CASE("printable: controls, DEL, C1, broken UTF-8 and bidi overrides become visible escapes") {
  CHECK(printable("plain/path_1.py") == "plain/path_1.py");
  CHECK(printable("caf\xc3\xa9.py") == "caf\xc3\xa9.py");
  CHECK(printable("a\x1b[31mb") == "a\\x1b[31mb");
  CHECK(printable("a\nb\tc\rd") == "a\\nb\\tc\\rd");
  CHECK(printable("del\x7f") == "del\\x7f");
  CHECK(printable("csi\xc2\x9b") == "csi\\u009b");
  CHECK(printable("raw\x9b") == "raw\\x9b");
  CHECK(printable("bidi\xe2\x80\xae") == "bidi\\u202e");
  CHECK(printable(std::string("nul\0x", 5)) == "nul\\x00x");
  CHECK(printable(printable("a\x1b b")) == printable("a\x1b b"));
}

TEST_CASE("file names from a DAG tree reach the text and Markdown plans escaped") {
  TempTree tree;
  write_hostile_names(tree);
  TempTree scratch;
  const std::string dags = tree.path() + "/dags";

  const ProcessRun text =
      run_process({AIRGUARD_BINARY, "scan", "--dags", dags, "--format", "text", "-q"}, scratch.path());
  INFO(text.out);
  REQUIRE(text.exit_code == 1);
  check_no_control_bytes(text.out);
  CHECK(text.out.find("esc\\x1b[31mred.py") != std::string::npos);
  CHECK(text.out.find("nl\\n    Where  forged.py") != std::string::npos);
  CHECK(text.out.find("csi\\u009b2J.py") != std::string::npos);
  CHECK_FALSE(any_line_starts_with(text.out, "    Where  forged"));
  check_no_control_bytes(text.err);

  const ProcessRun markdown =
      run_process({AIRGUARD_BINARY, "scan", "--dags", dags, "--format", "markdown", "-q"}, scratch.path());
  INFO(markdown.out);
  REQUIRE(markdown.exit_code == 1);
  check_no_control_bytes(markdown.out);
  CHECK_FALSE(any_line_starts_with(markdown.out, "    Where  forged"));
  CHECK(markdown.out.find("nl\\n    Where  forged.py") != std::string::npos);
  // The only table is the severity count: no name starts a row of its own.
  std::size_t rows = 0;
  std::size_t start = 0;
  while (start < markdown.out.size()) {
    const std::size_t end = std::min(markdown.out.find('\n', start), markdown.out.size());
    if (markdown.out.compare(start, 1, "|") == 0) ++rows;
    start = end + 1;
  }
  CHECK(rows == 8);
  // Backticks in a name widen the code span's fence, so the span cannot be closed early.
  CHECK(markdown.out.find("``" + tree.path() + "/dags/pipe|`tick`|.py") != std::string::npos);
}
