#pragma once
#include <memory>
#include <string>
#include <string_view>

#include "advisories/advisory_db.hpp"

namespace airguard {

// The advisory snapshot the build compiles into the binary is stored as the built database (index
// and body, advisories/advisory_db.hpp), so a scan neither parses 400 KB of JSON nor re-indexes it
// (src/tools/compile_data.cpp writes it). The body is read in place: `bytes` must outlive the database.
std::string encode_advisory_database(const AdvisoryDatabase& database);
// nullptr for bytes that are not a database in this build's format.
std::shared_ptr<const AdvisoryDatabase> decode_advisory_database(std::string_view bytes);

}  // namespace airguard
