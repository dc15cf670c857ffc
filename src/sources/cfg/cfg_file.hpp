#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.hpp"
#include "core/origin.hpp"
#include "core/result.hpp"

namespace airguard {

// One `key = value` of an airflow.cfg, exactly as configparser reads it: key case kept, value
// raw (before %-interpolation and $VAR expansion), continuation lines joined with '\n'.
struct CfgOption {
  std::string key;
  std::string raw_value;
  Origin origin;  // kind cfg, file, line and column of the key (kind helm for a chart `config:` entry)
  // A Helm template the scan could not render (the chart passes every `config:` value through
  // `tpl`): what Airflow reads is not known, so it is neither interpolated nor judged as text.
  bool templated = false;
};

struct CfgSection {
  std::string name;  // case kept; "DEFAULT" is the defaults section
  int line = 0;
  std::vector<CfgOption> options;  // in file order
};

// A parsed airflow.cfg (or the chart's `config:` map seen as one).
struct CfgFile {
  std::string path;
  std::vector<CfgSection> sections;  // in file order
  Diagnostics errors;                // what would make Airflow refuse the file, each with its line

  bool refused_by_airflow() const { return !errors.empty(); }
  const CfgSection* section(std::string_view name) const;                       // exact case
  const CfgOption* find(std::string_view section, std::string_view key) const;  // exact case, no [DEFAULT]
};

// Parses text the way CPython's configparser.ConfigParser(strict=True) with an identity
// optionxform reads it. Never fails: problems go to CfgFile::errors with their line.
CfgFile parse_cfg(std::string_view text, std::string path);

// Reads and parses a file; a file that cannot be read at all is an error.
Result<CfgFile> read_cfg_file(const std::string& path);

}  // namespace airguard
