#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "sources/webserver/embedded_config.hpp"

using namespace airguard;

namespace {

// The decoded value a YAML reader gives for each values text below, written out by hand.
const std::string kPython = "AUTH_ROLE_PUBLIC = 'Admin'\nSECRET_KEY = 'x'\n";

WebserverConfig embedded(const std::string& values_text, int key_line, const std::string& value) {
  EmbeddedPlacement placement;
  placement.file = "values.yaml";
  placement.key = "webserver.webserverConfig";
  placement.key_line = key_line;
  placement.lines = map_scalar_lines(values_text, key_line, value);
  const NeutralizedTemplate neutral = neutralize_template_actions(value);
  placement.blocks = neutral.blocks;
  return parse_embedded_webserver_config(neutral.text, placement);
}

}  // namespace

TEST_CASE("embedded: a literal block maps line for line after the key", "[webserver][embedded]") {
  const std::string values =
      "airflowVersion: 2.10.5\n"
      "webserver:\n"
      "  webserverConfig: |\n"
      "    AUTH_ROLE_PUBLIC = 'Admin'\n"
      "\n"
      "    SECRET_KEY = 'x'\n";
  const std::string value = "AUTH_ROLE_PUBLIC = 'Admin'\n\nSECRET_KEY = 'x'\n";
  const ScalarLines map = map_scalar_lines(values, 3, value);
  CHECK(map.exact);
  CHECK(map.lines == std::vector<int>{4, 5, 6, 7});
  CHECK(map.column_shift == 4);

  const WebserverConfig config = embedded(values, 3, value);
  const WebserverSetting* role = config.get("AUTH_ROLE_PUBLIC");
  REQUIRE(role != nullptr);
  CHECK(role->fact.origin.file == "values.yaml");
  CHECK(role->fact.origin.line == 4);
  CHECK(role->fact.origin.column == 5);
  CHECK(role->fact.origin.name == "webserver.webserverConfig");
  CHECK(role->fact.origin.kind == SourceKind::webserver_config);
  CHECK(role->fact.value == "Admin");
  CHECK(role->fact.origin.describe() == "values.yaml:4 (webserver.webserverConfig)");
  CHECK(config.get("SECRET_KEY")->fact.origin.line == 6);
  CHECK(config.embedded_key == "webserver.webserverConfig");
}

TEST_CASE("embedded: strip and keep chomping and an indentation indicator", "[webserver][embedded]") {
  SECTION("|-") {
    const std::string values = "apiServer:\n  apiServerConfig: |-\n    A = 1\n    B = 2\nother: 1\n";
    const ScalarLines map = map_scalar_lines(values, 2, "A = 1\nB = 2");
    CHECK(map.exact);
    CHECK(map.lines == std::vector<int>{3, 4});
  }
  SECTION("|+ keeps the trailing empty lines") {
    const std::string values = "k: |+\n  A = 1\n\n";
    const ScalarLines map = map_scalar_lines(values, 1, "A = 1\n\n");
    CHECK(map.exact);
    CHECK(map.lines.front() == 2);
  }
  SECTION("|2: content indented past the indicator keeps its spaces") {
    // Content indent = key indent (2) + 2; the first line is indented further and keeps 2 spaces.
    const std::string values = "webserver:\n  webserverConfig: |2\n      # comment\n    A = 1\n";
    const ScalarLines map = map_scalar_lines(values, 2, "  # comment\nA = 1\n");
    CHECK(map.exact);
    CHECK(map.lines == std::vector<int>{3, 4, 5});
    CHECK(map.column_shift == 4);
  }
  SECTION("|-2 and a comment after the header") {
    const std::string values = "webserver:\n  webserverConfig: |-2  # the FAB config\n    A = 1\n";
    const ScalarLines map = map_scalar_lines(values, 2, "A = 1");
    CHECK(map.exact);
    CHECK(map.lines == std::vector<int>{3});
  }
}

TEST_CASE("embedded: a folded block maps each line to its first source line", "[webserver][embedded]") {
  // `>` folds the first two lines into one; the empty line becomes a line break.
  const std::string values = "webserver:\n  webserverConfig: >\n    AUTH_ROLE_PUBLIC =\n    'Admin'\n\n    B = 2\n";
  const std::string value = "AUTH_ROLE_PUBLIC = 'Admin'\nB = 2\n";
  const ScalarLines map = map_scalar_lines(values, 2, value);
  CHECK(map.exact);
  CHECK(map.lines[0] == 3);
  CHECK(map.lines[1] == 6);
  const WebserverConfig config = embedded(values, 2, value);
  CHECK(config.get("AUTH_ROLE_PUBLIC")->fact.origin.line == 3);
  CHECK(config.get("B")->fact.origin.line == 6);
  CHECK(config.get("B")->fact.origin.column == 0);  // columns of folded text are not mapped
}

TEST_CASE("embedded: quoted and plain scalars use the key's line", "[webserver][embedded]") {
  SECTION("a double-quoted value with \\n escapes") {
    const std::string values = "webserver:\n  webserverConfig: \"AUTH_ROLE_PUBLIC = 'Admin'\\nSECRET_KEY = 'x'\\n\"\n";
    const ScalarLines map = map_scalar_lines(values, 2, kPython);
    CHECK_FALSE(map.exact);
    CHECK(map.lines == std::vector<int>{2, 2, 2});
    const WebserverConfig config = embedded(values, 2, kPython);
    CHECK(config.get("AUTH_ROLE_PUBLIC")->fact.origin.line == 2);
    CHECK(config.get("AUTH_ROLE_PUBLIC")->fact.origin.column == 0);
    CHECK(config.get("SECRET_KEY")->fact.origin.line == 2);
  }
  SECTION("a one-line single-quoted value maps exactly, with its column") {
    const std::string values = "webserver:\n  webserverConfig: 'AUTH_TYPE = 1'\n";
    const ScalarLines map = map_scalar_lines(values, 2, "AUTH_TYPE = 1");
    CHECK(map.exact);
    CHECK(map.column_shift == 20);
  }
  SECTION("a value starting on the line after the key") {
    const std::string values = "webserver:\n  webserverConfig:\n    |\n    A = 1\n";
    const ScalarLines map = map_scalar_lines(values, 2, "A = 1\n");
    CHECK_FALSE(map.exact);
    CHECK(map.lines.front() == 2);
  }
  SECTION("a block whose re-reading differs from the value falls back to the key's line") {
    const std::string values = "webserver:\n  webserverConfig: |\n    A = 1\n";
    const ScalarLines map = map_scalar_lines(values, 2, "something else\n");
    CHECK_FALSE(map.exact);
    CHECK(map.lines.front() == 2);
  }
}

TEST_CASE("embedded: template actions are opaque, never Python", "[webserver][embedded]") {
  const std::string value =
      "AUTH_ROLE_PUBLIC = '{{ .Values.publicRole }}'\n"
      "AUTH_TYPE = {{ .Values.authType }}\n"
      "{{- if .Values.ldap }}\n"
      "AUTH_LDAP_SERVER = 'ldap://ldap:389'\n"
      "{{- end }}\n"
      "{{/* a comment */}}\n"
      "{{ include \"more.config\" . }}\n"
      "WTF_CSRF_ENABLED = False\n";
  const NeutralizedTemplate neutral = neutralize_template_actions(value);
  CHECK(neutral.actions == 6);
  CHECK(neutral.text.find("{{") == std::string::npos);
  CHECK(neutral.text.find(".Values") == std::string::npos);
  REQUIRE(neutral.blocks.size() == 1);
  CHECK(neutral.blocks[0].first_line == 3);
  CHECK(neutral.blocks[0].last_line == 5);
  CHECK(neutral.blocks[0].keyword == "if");
  CHECK(neutral.output_lines == std::vector<int>{7});
  CHECK_FALSE(neutral.unterminated);

  const std::string values = "webserver:\n  webserverConfig: |\n" + [&] {
    std::string indented;
    std::size_t start = 0;
    while (start < value.size()) {
      const std::size_t end = value.find('\n', start);
      indented += "    " + value.substr(start, end - start) + "\n";
      start = end + 1;
    }
    return indented;
  }();
  const WebserverConfig config = embedded(values, 2, value);
  const WebserverSetting* role = config.get("AUTH_ROLE_PUBLIC");
  REQUIRE(role != nullptr);
  CHECK(role->fact.runtime_only);
  CHECK(role->fact.runtime_mechanism.find("Helm template") != std::string::npos);
  CHECK(role->fact.origin.line == 3);
  const WebserverSetting* type = config.get("AUTH_TYPE");
  REQUIRE(type != nullptr);
  CHECK(type->fact.runtime_only);
  const WebserverSetting* ldap = config.get("AUTH_LDAP_SERVER");
  REQUIRE(ldap != nullptr);
  CHECK(ldap->conditional);
  CHECK(ldap->fact.runtime_only);
  CHECK(ldap->fact.runtime_mechanism.find("{{ if }}") != std::string::npos);
  CHECK(ldap->fact.origin.line == 6);
  const WebserverSetting* csrf = config.get("WTF_CSRF_ENABLED");
  REQUIRE(csrf != nullptr);
  CHECK(csrf->fact.value == "false");
  CHECK(csrf->fact.origin.line == 10);
  for (const Diagnostic& diagnostic : config.skipped) {
    CHECK(diagnostic.message.find(kTemplateActionMarker) == std::string::npos);
    CHECK(diagnostic.file == "values.yaml");
  }
}

TEST_CASE("embedded: nested blocks are covered by the outermost one", "[webserver][embedded]") {
  const NeutralizedTemplate neutral = neutralize_template_actions(
      "A = 1\n{{ if .a }}\n{{ range .b }}\nB = 2\n{{ end }}\n{{ end }}\nC = 3\n{{ with .c }}\nD = 4\n");
  REQUIRE(neutral.blocks.size() == 2);
  CHECK(neutral.blocks[0].first_line == 2);
  CHECK(neutral.blocks[0].last_line == 6);
  CHECK(neutral.blocks[0].keyword == "if");
  CHECK(neutral.blocks[1].first_line == 8);  // never closed: to the end of the text
  CHECK(neutral.blocks[1].last_line == 10);
  EmbeddedPlacement placement;
  placement.file = "values.yaml";
  placement.key = "webserver.webserverConfig";
  placement.key_line = 1;
  placement.lines.lines = {2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
  placement.lines.exact = true;
  placement.blocks = neutral.blocks;
  const WebserverConfig config = parse_embedded_webserver_config(neutral.text, placement);
  CHECK_FALSE(config.get("A")->fact.runtime_only);
  CHECK(config.get("B")->fact.runtime_only);
  CHECK(config.get("B")->fact.runtime_mechanism.find("at line 3") != std::string::npos);
  CHECK_FALSE(config.get("C")->fact.runtime_only);
  CHECK(config.get("D")->fact.runtime_only);
}

TEST_CASE("embedded: inline control actions and a missing }} stay opaque", "[webserver][embedded]") {
  const NeutralizedTemplate inline_if =
      neutralize_template_actions("AUTH_TYPE = {{ if .Values.x }}AUTH_LDAP{{ else }}AUTH_DB{{ end }}\n");
  CHECK(inline_if.text.find("AUTH_LDAP") != std::string::npos);
  CHECK(inline_if.text.find(kTemplateActionMarker) != std::string::npos);
  const WebserverConfig config = parse_webserver_config(inline_if.text, "x");
  // The marker glues the names into one identifier: nothing resolves to AUTH_LDAP or AUTH_DB.
  CHECK(config.get("AUTH_TYPE")->fact.runtime_only);

  const NeutralizedTemplate open = neutralize_template_actions("A = 1\nB = '{{ .Values.x'\nC = 3\n");
  CHECK(open.unterminated);
  CHECK(open.text.find(".Values") == std::string::npos);

  const NeutralizedTemplate quoted = neutralize_template_actions("A = '{{ \"}}\" }}'\n");
  CHECK(quoted.actions == 1);
  CHECK(quoted.text == "A = '" + std::string(kTemplateActionMarker) + "'\n");
}

TEST_CASE("embedded: nested secrets are found, named by the values key", "[webserver][embedded]") {
  const std::string value =
      "OAUTH_PROVIDERS = [{'name': 'okta', 'remote_app': {'client_id': 'a', 'client_secret': 'S3cr3tValue'}}]\n";
  const std::string values = "webserver:\n  webserverConfig: |\n    " + value;
  const WebserverConfig config = embedded(values, 2, value);
  const std::vector<Fact> secrets = config.facts("OAUTH_PROVIDERS[*].remote_app.client_secret");
  REQUIRE(secrets.size() == 1);
  CHECK(secrets[0].sensitive);
  CHECK(secrets[0].origin.line == 3);
  CHECK(secrets[0].origin.name == "webserver.webserverConfig");
  const WebserverSetting* nested = config.get("OAUTH_PROVIDERS[0].remote_app.client_secret");
  REQUIRE(nested != nullptr);
  CHECK(nested->fact.origin.name == "webserver.webserverConfig");
  CHECK(config.get("OAUTH_PROVIDERS")->fact.value->find("S3cr3tValue") == std::string::npos);
}

TEST_CASE("embedded: fixes name the values key, not a file", "[webserver][embedded]") {
  Origin origin;
  origin.kind = SourceKind::webserver_config;
  origin.file = "values.yaml";
  origin.line = 12;
  origin.name = "webserver.webserverConfig";
  CHECK(is_embedded_webserver_origin(origin));
  const std::string fix = embedded_fix_text("Remove `AUTH_ROLE_PUBLIC = ...` from webserver_config.py.", origin);
  CHECK(fix.find("in the Helm value webserver.webserverConfig (the chart mounts it as webserver_config.py):\n") == 0);
  CHECK(fix.find("from webserver.webserverConfig.") != std::string::npos);
  origin.name.clear();
  CHECK_FALSE(is_embedded_webserver_origin(origin));
}
