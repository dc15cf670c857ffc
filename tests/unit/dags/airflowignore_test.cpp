#include <catch2/catch.hpp>

#include "sources/dags/airflowignore.hpp"

using namespace airguard;

namespace {

bool ignored(std::string_view ignore_text, IgnoreSyntax syntax, std::string_view path, bool dir = false,
             const std::string& ignore_dir = "") {
  Diagnostics problems;
  const auto rules = parse_airflowignore(ignore_text, syntax, ignore_dir, ".airflowignore", problems);
  return is_ignored(rules, syntax, path, dir);
}

}  // namespace

TEST_CASE("regexp syntax: re.search against the path relative to the DAG folder") {
  const auto regexp = IgnoreSyntax::regexp;
  CHECK(ignored("helpers\n", regexp, "team_a/helpers/util.py"));
  CHECK(ignored("^team_a/\n", regexp, "team_a/x.py"));
  CHECK_FALSE(ignored("^team_a/\n", regexp, "b/team_a/x.py"));
  CHECK(ignored(".*_test\\.py$\n", regexp, "dags/a_test.py"));
  CHECK_FALSE(ignored(".*_test\\.py$\n", regexp, "dags/a_test.pyc.py"));
  // Comments and the blanks before them are dropped; empty lines do nothing.
  CHECK(ignored("legacy   # old DAGs\n\n", regexp, "legacy/x.py"));
  CHECK_FALSE(ignored("# legacy\n", regexp, "legacy/x.py"));
}

TEST_CASE("regexp syntax: an invalid pattern is skipped with a warning, as Airflow logs it") {
  Diagnostics problems;
  const auto rules =
      parse_airflowignore("(unclosed\nvalid\n", IgnoreSyntax::regexp, "", "dags/.airflowignore", problems);
  CHECK(rules.size() == 1);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].line == 1);
  CHECK(problems[0].level == Diagnostic::Level::warning);
}

TEST_CASE("glob syntax: gitignore rules") {
  const auto glob = IgnoreSyntax::glob;
  // No slash: matches the name at any level.
  CHECK(ignored("*_test.py\n", glob, "a/b/c_test.py"));
  CHECK(ignored("helpers\n", glob, "a/helpers", true));
  CHECK_FALSE(ignored("helpers\n", glob, "a/helpers_x.py"));
  // A trailing slash matches directories only.
  CHECK(ignored("build/\n", glob, "x/build", true));
  CHECK_FALSE(ignored("build/\n", glob, "x/build", false));
  // A leading or middle slash anchors the pattern to the ignore file's folder.
  CHECK(ignored("/legacy\n", glob, "legacy", true));
  CHECK_FALSE(ignored("/legacy\n", glob, "a/legacy", true));
  CHECK(ignored("a/*.py\n", glob, "a/x.py"));
  CHECK_FALSE(ignored("a/*.py\n", glob, "b/a/x.py"));
  CHECK(ignored("a/**/x.py\n", glob, "a/b/c/x.py"));
  // Anchored patterns of a nested ignore file are relative to that folder.
  CHECK(ignored("/old\n", glob, "team/old", true, "team"));
  CHECK_FALSE(ignored("/old\n", glob, "other/old", true, "team"));
  // Negation: the last matching rule wins.
  CHECK_FALSE(ignored("*.py\n!keep.py\n", glob, "d/keep.py"));
  CHECK(ignored("*.py\n!keep.py\n", glob, "d/drop.py"));
  // Character classes and single-character wildcards.
  CHECK(ignored("dag_[0-9].py\n", glob, "dag_7.py"));
  CHECK(ignored("dag_?.py\n", glob, "dag_x.py"));
  CHECK_FALSE(ignored("dag_?.py\n", glob, "dag_xy.py"));
}

TEST_CASE("glob syntax: translation matches pathspec's regular expressions") {
  bool include = true;
  CHECK(gitwildmatch_to_regex("*.py", include) == "^(?:.+/)?[^/]*\\.py(?:/.*)?$");
  CHECK(include);
  CHECK(gitwildmatch_to_regex("/a/b", include) == "^a/b(?:/.*)?$");
  CHECK(gitwildmatch_to_regex("a/**/b", include) == "^a(?:/.+)?/b(?:/.*)?$");
  CHECK(gitwildmatch_to_regex("build/", include) == "^(?:.+/)?build/.*$");
  CHECK(gitwildmatch_to_regex("!x", include) == "^(?:.+/)?x(?:/.*)?$");
  CHECK_FALSE(include);
  CHECK(gitwildmatch_to_regex("/", include).empty());
}

TEST_CASE("the default syntax follows the Airflow major version") {
  CHECK(default_ignore_syntax("2.10.5") == IgnoreSyntax::regexp);
  CHECK(default_ignore_syntax("3.1.0") == IgnoreSyntax::glob);
  CHECK(default_ignore_syntax("") == IgnoreSyntax::regexp);
  IgnoreSyntax syntax = IgnoreSyntax::regexp;
  CHECK(parse_ignore_syntax(" GLOB ", syntax));
  CHECK(syntax == IgnoreSyntax::glob);
  CHECK_FALSE(parse_ignore_syntax("fnmatch", syntax));
}
