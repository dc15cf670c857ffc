#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "advisories/pep440.hpp"
#include "core/diagnostic.hpp"
#include "core/severity.hpp"

// OSV records (https://ossf.github.io/osv-schema/) for PyPI packages, and the evaluation of their
// affected ranges. Pure: JSON text in, records out.
namespace airguard {

// One bound of an ECOSYSTEM range. A bound that is not PEP 440 ("2.9.0-NA") sorts below every
// valid version, as osv.dev orders it; `introduced: "0"` sorts below everything.
struct OsvEvent {
  enum class Kind { introduced, fixed, last_affected, limit };
  Kind kind = Kind::introduced;
  std::string value;
  std::optional<Version> version;  // nullopt for "0" (introduced) and for non-PEP 440 text
  bool is_zero = false;            // introduced "0"

  bool operator==(const OsvEvent&) const = default;
};

struct OsvRange {
  std::string type;              // only "ECOSYSTEM" is evaluated (PyPI has no SEMVER/GIT ranges here)
  std::vector<OsvEvent> events;  // sorted as OSV evaluation requires

  bool operator==(const OsvRange&) const = default;
};

struct OsvAffected {
  std::string ecosystem;  // "PyPI"
  std::string package;    // normalized per PEP 503
  std::vector<OsvRange> ranges;
  // The versions the record lists outside its ranges, as Version::equality_key() of the PEP 440
  // ones (text that is not PEP 440 never equals a version), sorted, each closed by a newline and
  // the first opened by one: "\n2.0.0\n2.0.1\n", or "" when none. One string rather than one per
  // version keeps the loaded snapshot small: it lists about 20,000 versions.
  std::string listed;

  bool lists(const Version& version) const;
  std::vector<std::string> listed_keys() const;

  bool operator==(const OsvAffected&) const = default;
};

// Where a record's severity came from, for the report.
struct AdvisorySeverity {
  Severity level = Severity::medium;
  double score = 0.0;  // CVSS base score (computed for v3; approximated for v4), 0 when none
  std::string basis;   // "CVSS:3.1 9.8", "GitHub rating HIGH", "CVSS:4.0 approx. 6.9", "unrated"
};

struct OsvRecord {
  std::string id;
  std::vector<std::string> aliases;
  std::string summary;
  std::string modified;
  std::string published;
  std::string withdrawn;  // "" = live
  std::vector<std::string> cvss_v3;
  std::vector<std::string> cvss_v4;
  std::string database_severity;  // database_specific.severity ("HIGH", "MODERATE"...)
  std::vector<OsvAffected> affected;
  std::vector<std::string> references;  // ADVISORY links

  AdvisorySeverity severity() const;
  bool operator==(const OsvRecord&) const = default;
};

// Parses a single OSV record, a JSON array of records, or an osv.dev query answer ({"vulns": [...]}).
// Bad records are skipped with a warning in `diagnostics` (file = `source_name`); a document that
// is not JSON at all yields an error diagnostic and no records.
std::vector<OsvRecord> parse_osv_json(std::string_view text, const std::string& source_name, Diagnostics& diagnostics);

// Whether `version` falls in one ECOSYSTEM range, per the OSV evaluation algorithm.
bool range_includes(const OsvRange& range, const Version& version);
// Whether the affected entry covers `version`: any range includes it, or it is listed in `versions`.
bool affected_includes(const OsvAffected& affected, const Version& version);
bool ranges_include(const OsvAffected& affected, const Version& version);

// CVSS v3.x base score from a vector ("CVSS:3.1/AV:N/AC:L/..."), nullopt when malformed.
std::optional<double> cvss3_base_score(std::string_view vector);
// An approximation of a CVSS v4.0 base score: the v4 metrics mapped onto the v3.1 equations
// (AT:P counts as AC:H, UI:P/A as UI:R, the higher of vulnerable and subsequent impacts per
// C/I/A, scope changed when a subsequent-system impact exceeds the vulnerable one).
std::optional<double> cvss4_approximate_score(std::string_view vector);
// CVSS qualitative rating: 0 info, <4 low, <7 medium, <9 high, else critical.
Severity severity_from_score(double score);

}  // namespace airguard
