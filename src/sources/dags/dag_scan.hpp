#pragma once
#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.hpp"

namespace airguard {

// One hard-coded credential found in DAG or plugin code. Never holds the secret itself.
struct DagSecret {
  std::string check_id;            // AFH-DAG-0NN: the credential family (checks/dags/*.yaml)
  std::string kind;                // "AWS access key ID", "password", "Slack webhook URL", ...
  std::string root;                // the scanned folder, as given
  std::string file;                // relative to root; an entry of a ZIP bundle is "bundle.zip/dir/file.py"
  int line = 0;                    // 1-based
  int column = 0;                  // 1-based byte column where the secret starts
  std::string name;                // the name the value is bound to ("password", "API_KEY"), if any
  std::string evidence;            // the line, trimmed, with every secret on it masked
  std::string fix;                 // code that reads the value from the secrets backend instead
  bool suppressed = false;         // an `# airguard: ignore[ID] reason` comment on the line
  std::string suppression_reason;  // the text after the bracket
};

struct DagScanResult {
  std::vector<std::string> roots;  // folders (or files) scanned, in order
  std::vector<DagSecret> secrets;  // ordered by root, file, line, column
  Diagnostics problems;            // unreadable files, symlinks out of the root, bad ignore patterns ...
  std::size_t files_scanned = 0;
  std::size_t bytes_scanned = 0;
  std::size_t files_ignored = 0;  // excluded by .airflowignore
  std::size_t files_binary = 0;   // skipped: not text
  // Why parts of the tree were not read ("Permission denied" -> 2): when not empty the scan is
  // incomplete and the DAG source is reported so (exit status 3).
  std::map<std::string, std::size_t> unread;
  // The secret values found (never printed), for the report's last-line scrubber. Only values
  // that look like generated credentials: a weak value such as "airflow" is a common word.
  std::vector<std::string> scrub_values;

  void merge(DagScanResult other);
};

// [core] dag_ignore_file_syntax: "regexp" (the default in Airflow 2) or "glob" (the default in 3).
enum class IgnoreSyntax { regexp, glob };

struct DagScanOptions {
  IgnoreSyntax ignore_syntax = IgnoreSyntax::regexp;
  unsigned threads = 0;                             // 0 = one per core
  std::size_t max_file_bytes = 16u << 20;           // larger files are skipped with a note
  std::size_t max_zip_bytes = 256u << 20;           // larger archives are skipped with a note
  std::size_t max_zip_entry_bytes = 16u << 20;      // uncompressed size limit per ZIP entry
  std::size_t max_zip_inflated_bytes = 256u << 20;  // all entries of one archive together
  std::size_t max_inflated_bytes = 1u << 30;        // all archives of one scan together
  std::size_t max_files = 500'000;                  // files listed; past it the scan is incomplete
  bool progress = false;                            // "scanned N files" on stderr while scanning
};

// The credential detector over one file's text: a pure function (see secret_detector.cpp).
// `file` only fills DagSecret::file; root and suppression are filled too.
// `scrub_values`, when given, receives the credential-shaped secret values (see DagScanResult).
std::vector<DagSecret> detect_secrets(std::string_view text, std::string_view file,
                                      std::vector<std::string>* scrub_values = nullptr);

// The detector's regular expressions (RE2 syntax), for benchmarks that run another tool on the
// same patterns.
std::vector<std::string_view> detector_patterns();

// Walks `root` as Airflow lists a DAG folder (.airflowignore in the given syntax, nested ignore
// files, ZIP bundles), skipping binary files and symlinks that leave the root, and runs the
// detector on every text file with a thread pool. `root` may also be a single file. Each folder
// (device, inode) is walked once, however many links lead to it; the limits above bound the work.
DagScanResult scan_dag_folder(const std::string& root, const DagScanOptions& options = {});

// The ignore syntax Airflow uses by default for a target version ("2.10.5" -> regexp,
// "3.1.0" -> glob, "" -> regexp), and the parsed value of [core] dag_ignore_file_syntax.
IgnoreSyntax default_ignore_syntax(std::string_view airflow_version);
bool parse_ignore_syntax(std::string_view text, IgnoreSyntax& out);

}  // namespace airguard
