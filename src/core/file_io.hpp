#pragma once
#include <cstddef>
#include <string>

#include "core/result.hpp"

namespace airguard {

struct ReadLimits {
  std::size_t max_bytes = 16u * 1024u * 1024u;  // inputs larger than this are refused, not truncated
  bool allow_nul = false;                       // a NUL byte means a binary file
};

// Reads a whole text file. Errors name the path and say what is wrong: missing, a directory,
// unreadable, too large, binary. Never throws.
Result<std::string> read_text_file(const std::string& path, const ReadLimits& limits = {});

// Writes through a temporary file in the same directory and renames it over the target, so a
// reader never sees a half-written report and a full disk leaves the previous one whole. An
// existing report keeps its mode, a link stays a link, and a destination that is no regular file
// (/dev/stdout, a pipe) is written in place.
Result<bool> write_file_atomic(const std::string& path, const std::string& content);

}  // namespace airguard
