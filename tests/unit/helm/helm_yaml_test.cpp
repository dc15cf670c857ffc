#include <catch2/catch.hpp>

#include "sources/helm/helm_yaml.hpp"

using namespace airguard;

namespace {

HelmNode parse_ok(const std::string& text) {
  auto parsed = parse_values_yaml(text, "values.yaml", 0);
  if (!parsed) FAIL(parsed.error().format());
  return parsed->root;
}

std::string kind_and_text(const HelmNode& root, const std::string& key) {
  const HelmNode* node = root.find(key);
  REQUIRE(node != nullptr);
  return std::string(to_string(node->kind)) + ":" + node->text;
}

}  // namespace

TEST_CASE("plain scalars resolve as YAML 1.1 does in go-yaml v2", "[helm][yaml]") {
  const auto root = parse_ok(
      "a: yes\nb: on\nc: y\nd: No\ne: OFF\nf: \"yes\"\ng: 'true'\nh: yEs\ni: !!str yes\n"
      "j: 0777\nk: 0x1F\nl: 0o17\nm: 1_000\nbin: 0b101\no: 08\np: 1e3\nq: 9223372036854775807\n"
      "r: -12\ns: 2024-01-01\nt: 1.50\nu: \"null\"\n");
  CHECK(kind_and_text(root, "a") == "bool:true");
  CHECK(kind_and_text(root, "b") == "bool:true");
  CHECK(kind_and_text(root, "c") == "bool:true");
  CHECK(kind_and_text(root, "d") == "bool:false");
  CHECK(kind_and_text(root, "e") == "bool:false");
  CHECK(kind_and_text(root, "f") == "string:yes");
  CHECK(kind_and_text(root, "g") == "string:true");
  CHECK(kind_and_text(root, "h") == "string:yEs");
  CHECK(kind_and_text(root, "i") == "string:yes");
  CHECK(kind_and_text(root, "j") == "int:511");
  CHECK(kind_and_text(root, "k") == "int:31");
  CHECK(kind_and_text(root, "l") == "int:15");
  CHECK(kind_and_text(root, "m") == "int:1000");
  CHECK(kind_and_text(root, "bin") == "int:5");
  CHECK(kind_and_text(root, "o") == "float:8");
  CHECK(kind_and_text(root, "p") == "float:1000");
  CHECK(kind_and_text(root, "q") == "int:9223372036854775807");
  CHECK(kind_and_text(root, "r") == "int:-12");
  CHECK(kind_and_text(root, "s") == "string:2024-01-01");
  CHECK(kind_and_text(root, "t") == "float:1.5");
  CHECK(kind_and_text(root, "u") == "string:null");
}

TEST_CASE("null forms are null and keep the key's line", "[helm][yaml]") {
  const auto root = parse_ok("a: ~\nb: null\nc: NULL\nd:\n\ne: ''\n");
  for (const char* key : {"a", "b", "c", "d"}) {
    const HelmNode* node = root.find(key);
    REQUIRE(node != nullptr);
    CHECK(node->is_null());
  }
  CHECK(root.find("d")->line == 4);  // not the next token's line
  CHECK(kind_and_text(root, "e") == "string:");
}

TEST_CASE("keys become Helm's strings and collisions are reported", "[helm][yaml]") {
  auto parsed = parse_values_yaml("yes: 1\non: b\n1: one\nn: x\n", "v.yaml", 0);
  REQUIRE(parsed);
  const auto& root = parsed->root;
  CHECK(kind_and_text(root, "true") == "string:b");
  CHECK(kind_and_text(root, "1") == "string:one");
  CHECK(kind_and_text(root, "false") == "string:x");
  REQUIRE(parsed->duplicates.size() == 1);
  CHECK(parsed->duplicates[0].path == "true");
  CHECK(parsed->duplicates[0].first_line == 1);
  CHECK(parsed->duplicates[0].line == 2);
}

TEST_CASE("duplicate keys: the last one wins and is flagged with both lines", "[helm][yaml]") {
  auto parsed = parse_values_yaml("web:\n  k: first\n  k: second\n", "v.yaml", 0);
  REQUIRE(parsed);
  CHECK(parsed->root.find("web")->find("k")->text == "second");
  REQUIRE(parsed->duplicates.size() == 1);
  CHECK(parsed->duplicates[0].path == "web.k");
  REQUIRE(parsed->warnings.size() == 1);
  CHECK(parsed->warnings[0].line == 3);
}

TEST_CASE("merge keys are applied, explicit keys after them win", "[helm][yaml]") {
  const auto root = parse_ok(
      "base: &b\n  user: admin\n  password: base\nprod:\n  <<: *b\n  password: override\n"
      "multi:\n  <<: [*b, {user: other, extra: 1}]\n");
  const HelmNode* prod = root.find("prod");
  REQUIRE(prod != nullptr);
  CHECK(prod->find("user")->text == "admin");
  CHECK(prod->find("password")->text == "override");
  CHECK(prod->find("<<") == nullptr);
  const HelmNode* multi = root.find("multi");
  CHECK(multi->find("user")->text == "admin");  // earlier maps in the list take precedence
  CHECK(multi->find("extra")->text == "1");
}

TEST_CASE("an alias leaf points at the place it is used", "[helm][yaml]") {
  const auto root = parse_ok("a: &pw secret\nb: 1\nc: *pw\n");
  CHECK(root.find("c")->text == "secret");
  CHECK(root.find("c")->line == 3);
}

TEST_CASE("bad inputs are refused with a clear error and a line", "[helm][yaml]") {
  SECTION("unclosed flow sequence") {
    auto parsed = parse_values_yaml("a: 1\nb: [1, 2\n", "bad.yaml", 0);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().file == "bad.yaml");
    CHECK(parsed.error().line >= 2);
    CHECK(parsed.error().message.find("invalid YAML") != std::string::npos);
  }
  SECTION("a list document") {
    auto parsed = parse_values_yaml("- a\n- b\n", "list.yaml", 0);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().message.find("is a list") != std::string::npos);
  }
  SECTION("a scalar document") {
    auto parsed = parse_values_yaml("hello\n", "s.yaml", 0);
    REQUIRE_FALSE(parsed);
  }
  SECTION("two documents") {
    auto parsed = parse_values_yaml("a: 1\n---\nkind: CronJob\n", "multi.yaml", 0);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().message.find("more than one YAML document") != std::string::npos);
    CHECK(parsed.error().line == 2);
  }
  SECTION(".inf") {
    auto parsed = parse_values_yaml("a:\n  b: .inf\n", "inf.yaml", 0);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().line == 2);
  }
  SECTION("tab indentation") {
    auto parsed = parse_values_yaml("a:\n\tb: 1\n", "tab.yaml", 0);
    REQUIRE_FALSE(parsed);
  }
}

TEST_CASE("a leading --- and an empty trailing document are fine", "[helm][yaml]") {
  CHECK(parse_ok("---\na: 1\n").find("a")->text == "1");
  CHECK(parse_ok("a: 1\n---\n").find("a")->text == "1");
  CHECK(parse_ok("").is_map());
  CHECK(parse_ok("# only a comment\n").is_map());
}

TEST_CASE("helm get values headers are skipped", "[helm][yaml]") {
  CHECK(parse_ok("USER-SUPPLIED VALUES:\nfernetKey: abc\n").find("fernetKey")->line == 2);
  CHECK(parse_ok("COMPUTED VALUES:\na: 1\n").find("a") != nullptr);
  CHECK(parse_ok("USER-SUPPLIED VALUES:\nnull\n").children.empty());
}

TEST_CASE("an alias bomb is refused by counting expanded nodes", "[helm][yaml]") {
  std::string bomb = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n";
  std::string previous = "a";
  for (char level = 'b'; level <= 'i'; ++level) {
    bomb += std::string(1, level) + ": &" + std::string(1, level) + " [";
    for (int i = 0; i < 9; ++i) bomb += (i ? ",*" : "*") + previous;
    bomb += "]\n";
    previous = std::string(1, level);
  }
  auto parsed = parse_values_yaml(bomb, "bomb.yaml", 0);
  REQUIRE_FALSE(parsed);
  CHECK(parsed.error().message.find("alias") != std::string::npos);
}

TEST_CASE("an alias bomb of one long string is refused by counting expanded text", "[helm][yaml]") {
  // 60 KB of input, few nodes: 10,000 aliases of a 30,000-byte string would be 300 MB once read.
  std::string bomb = "a: &x " + std::string(30000, 'A') + "\nb: [";
  for (int i = 0; i < 10000; ++i) bomb += i ? ",*x" : "*x";
  bomb += "]\n";
  auto parsed = parse_values_yaml(bomb, "bomb.yaml", 0);
  REQUIRE_FALSE(parsed);
  CHECK(parsed.error().message.find("MiB of text") != std::string::npos);
  CHECK(parsed.error().line == 2);

  // The same string aliased a few times is an ordinary file.
  std::string fine = "a: &x " + std::string(30000, 'A') + "\nb: [*x, *x, *x]\n";
  CHECK(parse_ok(fine).find("b")->children.size() == 3);
}
