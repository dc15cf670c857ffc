#include "core/binary_archive.hpp"
#include "engine/check_loader.hpp"
#include "engine/profile_loader.hpp"

// The binary form of checks and profiles: one list per struct of the fields in
// engine/check_def.hpp and engine/profile.hpp.
namespace airguard {

template <typename Archive>
void serialize(Archive& archive, Condition& condition) {
  archive(condition.op, condition.subject_kind, condition.subject, condition.args, condition.param, condition.children,
          condition.line);
}

template <typename Archive>
void serialize(Archive& archive, CheckExample& example) {
  archive(example.expect_fail, example.cfg_env, example.cfg, example.wsc, example.helm, example.airflow_version,
          example.profile, example.line);
}

template <typename Archive>
void serialize(Archive& archive, CheckFix& fix) {
  archive(fix.summary, fix.value, fix.remove, fix.helm, fix.text);
}

template <typename Archive>
void serialize(Archive& archive, CheckDef& check) {
  archive(check.id, check.title, check.severity, check.airflow_versions, check.subject_kind, check.subject,
          check.fail_when, check.evidence, check.rationale, check.fix, check.references, check.tags, check.areas,
          check.enabled_by_default, check.file, check.line);  // examples: stored apart, see encode_checks
}

template <typename Archive>
void serialize(Archive& archive, Profile& profile) {
  archive(profile.name, profile.description, profile.file, profile.chain, profile.enable, profile.disable,
          profile.severity_overrides, profile.params, profile.fail_on);
}

namespace {
constexpr std::string_view kChecksTag = "airguard-checks";
constexpr std::string_view kProfilesTag = "airguard-profiles";
}  // namespace

// The checks, then the examples of each in the same order: a scan reads only the first part.
namespace {
struct StoredChecks {
  std::vector<CheckDef> checks;
  bool with_examples = true;
  template <typename Archive>
  void save(Archive& archive) const {
    archive(checks);
    for (const CheckDef& check : checks) archive(check.examples);
  }
  template <typename Archive>
  void load(Archive& archive) {
    archive(checks);
    if (!with_examples) return;
    for (CheckDef& check : checks) archive(check.examples);
  }
};
}  // namespace

std::string encode_checks(const std::vector<CheckDef>& checks) {
  return encode_binary(kChecksTag, StoredChecks{checks, true});
}

std::optional<std::vector<CheckDef>> decode_checks(std::string_view bytes, CheckExamples examples) {
  StoredChecks stored;
  stored.with_examples = examples == CheckExamples::load;
  if (!decode_binary_into(kChecksTag, bytes, stored)) return std::nullopt;
  return std::move(stored.checks);
}

std::string encode_profiles(const std::vector<Profile>& profiles) { return encode_binary(kProfilesTag, profiles); }

std::optional<std::vector<Profile>> decode_profiles(std::string_view bytes) {
  return decode_binary<std::vector<Profile>>(kProfilesTag, bytes);
}

}  // namespace airguard
