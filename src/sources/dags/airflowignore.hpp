#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.hpp"
#include "sources/dags/dag_scan.hpp"

namespace re2 {
class RE2;
}

namespace airguard {

// One line of an .airflowignore file, compiled as Airflow compiles it.
//  - regexp: Python re.search against the path relative to the DAG folder root.
//  - glob: a gitignore ("gitwildmatch") pattern; with a slash at the start or in the middle it is
//    matched against the path relative to the folder holding the .airflowignore, otherwise
//    against the file or directory name alone; "!" re-includes; a trailing "/" matches only
//    directories.
struct IgnoreRule {
  std::shared_ptr<const re2::RE2> pattern;
  bool include = true;          // glob: false for a "!" negation
  bool directory_only = false;  // glob: the raw pattern ends with "/"
  std::string relative_to;      // glob: folder (relative to the root, "" = root) when anchored
  bool anchored = false;        // glob: match against the path relative to `relative_to`
};

// Parses an .airflowignore file. `ignore_dir` is the folder holding it, relative to the root
// ("" for the root itself). Comments ("#" to the end of the line, with the blanks before it)
// and empty lines are dropped; invalid patterns become warnings, as Airflow only logs them.
std::vector<IgnoreRule> parse_airflowignore(std::string_view text, IgnoreSyntax syntax, const std::string& ignore_dir,
                                            const std::string& file_for_messages, Diagnostics& problems);

// True when `relative_path` (relative to the root, "/" separated) is ignored by `rules`.
bool is_ignored(const std::vector<IgnoreRule>& rules, IgnoreSyntax syntax, std::string_view relative_path,
                bool is_directory);

// The regular expression (RE2 syntax) for one gitwildmatch pattern, as Python's pathspec builds
// it; empty when the pattern matches nothing ("/" or a comment). Exposed for tests.
std::string gitwildmatch_to_regex(std::string_view pattern, bool& include);

}  // namespace airguard
