#pragma once
#include <string>
#include <string_view>

namespace airguard {

// Text from the scanned files (file names from a DAG tree, lines of code) made safe to print: C0
// controls, DEL, C1 controls, bytes that are not UTF-8 and the bidirectional overrides become
// visible escapes (`\n`, `\t`, `\x1b`, `\u202e`), so a name cannot move the cursor, colour the
// terminal, hide text or start a line of its own. Everything else is kept as it is.
std::string printable(std::string_view text);

}  // namespace airguard
