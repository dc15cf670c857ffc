#include <catch2/catch.hpp>
#include <string>

#include "core/diagnostic.hpp"
#include "core/json_text.hpp"

using namespace airguard;

TEST_CASE("a byte offset becomes a 1-based line and column") {
  const std::string text = "{\n  \"a\": 1,\n  \"b\": x\n}\n";
  CHECK(position_of_offset(text, 0).line == 1);
  CHECK(position_of_offset(text, 0).column == 1);
  const auto x = position_of_offset(text, text.find('x'));
  CHECK(x.line == 3);
  CHECK(x.column == 8);
  CHECK(position_of_offset(text, 10'000).line == 5);  // past the end: the end
}

TEST_CASE("a JSON syntax error names the line and column of the offending character") {
  const std::string text = "{\n  \"id\": \"GHSA-x\",\n  \"affected\": [1,, 2]\n}\n";
  auto parsed = parse_json_bounded<nlohmann::json>(text, "feed.json", "advisory feed");
  REQUIRE_FALSE(parsed.ok());
  CHECK(parsed.error().line == 3);
  CHECK(parsed.error().column == 18);
  CHECK(parsed.error().format().rfind("feed.json:3:18: error: advisory feed is not valid JSON", 0) == 0);
}

TEST_CASE("JSON nested deeper than the bound is refused before any node is built") {
  const std::size_t depth = 1'000'000;
  const std::string text =
      "{\"a\": \"[[[ in a string do not count\", \"b\": " + std::string(depth, '[') + std::string(depth, ']') + "}";
  auto parsed = parse_json_bounded<nlohmann::json>(text, "deep.json", "advisory feed");
  REQUIRE_FALSE(parsed.ok());
  CHECK(parsed.error().line == 1);
  CHECK(parsed.error().message.find("deeper than 256 levels") != std::string::npos);
  // Just within the bound it parses.
  const std::string ok = std::string(kMaxJsonDepth, '[') + std::string(kMaxJsonDepth, ']');
  CHECK(parse_json_bounded<nlohmann::json>(ok, "ok.json", "document").ok());
}

TEST_CASE("repeated diagnostics of one kind are collapsed after the first ones") {
  Diagnostics many;
  for (int line = 1; line <= 50'000; ++line) {
    many.push_back(make_warning(
        "values.yaml", line,
        "key `a" + std::to_string(line) + "` is written twice (first at line " + std::to_string(line - 1) + ")",
        "delete one of the two"));
  }
  many.push_back(make_error("other.cfg", 3, "something else"));
  const Diagnostics shown = collapse_repeated(many, 20);
  REQUIRE(shown.size() == 22);
  CHECK(shown[19].line == 20);
  CHECK(shown[20].message == "49,980 more warnings like the ones above");
  CHECK(shown[20].hint == "delete one of the two");
  CHECK(shown[21].message == "something else");
  // Few enough: nothing changes.
  CHECK(collapse_repeated(Diagnostics(many.begin(), many.begin() + 5), 20).size() == 5);
}
