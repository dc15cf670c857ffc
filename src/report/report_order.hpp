#pragma once
#include <array>
#include <cstddef>
#include <string>
#include <vector>

#include "report/report.hpp"

// Helpers every reporter shares, so all formats agree on order, counts and identities.
namespace airguard {

// Findings in report order: severity (most urgent first), check id, key, file, line, column, name.
// Sorting here too keeps output deterministic even when a caller forgot to sort.
std::vector<const Finding*> ordered_findings(const ScanReport& report);

// The finding's fingerprint, computed when the producer left it empty.
std::string finding_fingerprint(const Finding& finding);

// Unsuppressed findings per severity, indexed by static_cast<size_t>(Severity).
std::array<std::size_t, 5> count_by_severity(const ScanReport& report);
std::size_t count_suppressed(const ScanReport& report);

// Severities from most to least urgent, for tables.
inline constexpr std::array<Severity, 5> kSeveritiesDescending = {Severity::critical, Severity::high, Severity::medium,
                                                                  Severity::low, Severity::info};

// True when an unsuppressed finding is at or above report.fail_on (empty or unknown fail_on: never).
bool finding_fails(const ScanReport& report, const Finding& finding);

// The path relative to the scan root with forward slashes when it lies below it, else the path as
// given (lexically normalised). SARIF and JUnit want paths relative to the repository.
std::string path_relative_to_root(const std::string& path, const std::string& scan_root);

// The check that produced a finding, or nullptr when the report does not list it.
const CheckInfo* find_check(const ScanReport& report, const std::string& check_id);

}  // namespace airguard
