#pragma once
#include "advisories/osv.hpp"
#include "advisories/pep440.hpp"
#include "core/binary_archive.hpp"

// The binary form of OSV records (cereal): one list per struct of the fields in
// advisories/osv.hpp and advisories/pep440.hpp. advisories/advisory_db.cpp stores records in it.
namespace airguard {

template <typename Archive>
void serialize(Archive& archive, Version& version) {
  archive(version.epoch, version.release, version.pre_label, version.pre_number, version.post, version.dev,
          version.local);
}

template <typename Archive>
void serialize(Archive& archive, OsvEvent& event) {
  archive(event.kind, event.value, event.version, event.is_zero);
}

template <typename Archive>
void serialize(Archive& archive, OsvRange& range) {
  archive(range.type, range.events);
}

template <typename Archive>
void serialize(Archive& archive, OsvAffected& affected) {
  archive(affected.ecosystem, affected.package, affected.ranges, affected.listed);
}

template <typename Archive>
void serialize(Archive& archive, OsvRecord& record) {
  archive(record.id, record.aliases, record.summary, record.modified, record.published, record.withdrawn,
          record.cvss_v3, record.cvss_v4, record.database_severity, record.affected, record.references);
}

template <typename Archive>
void serialize(Archive& archive, AdvisorySeverity& severity) {
  archive(severity.level, severity.score, severity.basis);
}

}  // namespace airguard
