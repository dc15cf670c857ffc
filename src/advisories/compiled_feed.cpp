#include "advisories/compiled_feed.hpp"

#include "core/binary_archive.hpp"

// The binary form of an advisory database: an indexed blob (core/binary_archive.hpp) of the
// database's index and the body it points into (advisories/advisory_db.hpp).
namespace airguard {

namespace {
constexpr std::string_view kAdvisoriesTag = "airguard-advisories";
}

std::string encode_advisory_database(const AdvisoryDatabase& database) {
  return encode_indexed_binary(kAdvisoriesTag, database.binary_index(), database.binary_body());
}

std::shared_ptr<const AdvisoryDatabase> decode_advisory_database(std::string_view bytes) {
  const auto parts = split_indexed_binary(kAdvisoriesTag, bytes);
  if (!parts) return nullptr;
  auto database = AdvisoryDatabase::from_binary(parts->index, parts->body);
  if (!database) return nullptr;
  return std::make_shared<const AdvisoryDatabase>(std::move(*database));
}

}  // namespace airguard
