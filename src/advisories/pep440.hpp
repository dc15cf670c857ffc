#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// PEP 440 versions and specifiers, ordered and matched exactly as Python's `packaging` (23.x)
// does, so a range in an advisory or a check means here what it means to pip.
namespace airguard {

// Numbers are kept as normalized digit strings ("0", "12"): PEP 440 puts no bound on them.
struct Version {
  std::string epoch = "0";
  std::vector<std::string> release;      // at least one component
  std::optional<std::string> pre_label;  // "a", "b" or "rc"
  std::string pre_number;                // meaningful when pre_label is set
  std::optional<std::string> post;       // post-release number
  std::optional<std::string> dev;        // dev-release number
  std::vector<std::string> local;        // lower-cased segments; numeric ones without leading zeros

  bool is_prerelease() const { return pre_label.has_value() || dev.has_value(); }
  bool is_postrelease() const { return post.has_value(); }
  bool is_devrelease() const { return dev.has_value(); }
  bool has_local() const { return !local.empty(); }

  std::string text() const;         // normalized: "1.0rc1", "1!2.0.post3.dev4+ubuntu.1"
  std::string public_text() const;  // text() without the local segment
  std::string base_text() const;    // epoch and release only: "2.10.5"
  Version public_version() const;   // a copy without the local segment
  Version base_version() const;     // a copy with only epoch and release
  // Text that is the same for exactly the versions that compare equal: text() with the release's
  // trailing zeros dropped ("2.10.0" and "2.10" give "2.10").
  std::string equality_key() const;
};

// Parses one version as packaging.version.Version does (surrounding whitespace, "v" prefix, any
// case, "-", "_" and "." separators, alternate spellings such as "alpha", "c", "rev", "-1").
std::optional<Version> parse_version(std::string_view text);

// <0, 0 or >0, exactly as packaging orders versions (1.0.dev0 < 1.0a1 < 1.0 < 1.0.post1 < 1.0+local).
int compare_versions(const Version& a, const Version& b);

bool operator==(const Version& a, const Version& b);
bool operator!=(const Version& a, const Version& b);
bool operator<(const Version& a, const Version& b);
bool operator<=(const Version& a, const Version& b);
bool operator>(const Version& a, const Version& b);
bool operator>=(const Version& a, const Version& b);

// Compares two decimal digit strings by value ("010" == "10").
int compare_numbers(std::string_view a, std::string_view b);

// One clause of a specifier set: operator and the version text as written (whitespace trimmed).
struct Specifier {
  std::string op;       // "~=", "==", "!=", "<=", ">=", "<", ">", "==="
  std::string version;  // "2.7", "2.10.*"

  static std::optional<Specifier> parse(std::string_view text);
  // Whether the clause itself admits pre-releases (it names one with an inclusive operator).
  bool allows_prereleases() const;
  // packaging's Specifier.contains(version, prereleases=...).
  bool contains(const Version& version, bool prereleases) const;
  std::string text() const { return op + version; }
};

class SpecifierSet {
 public:
  // Comma-separated clauses; "" matches every final release. nullopt when any clause is invalid.
  static std::optional<SpecifierSet> parse(std::string_view text);

  // packaging's SpecifierSet.contains: pre-releases match only when include_prereleases is true or
  // a clause names a pre-release (">=3.0.0b1"); the empty set matches final releases only.
  bool contains(const Version& version, bool include_prereleases = false) const;

  const std::vector<Specifier>& specifiers() const { return specifiers_; }
  bool empty() const { return specifiers_.empty(); }
  std::string text() const;  // clauses joined by ","

 private:
  std::vector<Specifier> specifiers_;
};

// PEP 503 project name normalization: runs of "-", "_", "." become "-", lower case.
std::string normalize_package_name(std::string_view name);

}  // namespace airguard
