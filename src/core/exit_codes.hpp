#pragma once

namespace airguard {

// The exit status contract (DESIGN.md). Every exit of the program goes through one of these.
enum class ExitCode : int {
  ok = 0,                  // nothing at or above --fail-on
  findings = 1,            // findings at or above --fail-on
  usage_or_input = 2,      // usage error, or an input that is unreadable or invalid
  source_unavailable = 3,  // a requested source could not be read: the scan is incomplete
};

}  // namespace airguard
