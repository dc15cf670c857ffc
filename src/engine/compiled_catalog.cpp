#include <algorithm>
#include <cstdint>

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

// What every check loads; the condition, texts and examples are stored apart (see encode_checks).
template <typename Archive>
void serialize(Archive& archive, CheckDef& check) {
  archive(check.id, check.severity, check.airflow_versions, check.subject_kind, check.subject, check.tags, check.areas,
          check.enabled_by_default, check.file, check.line);
}

namespace {
struct CheckTextFields {
  CheckDef* check;
  template <typename Archive>
  void serialize(Archive& archive) {
    archive(check->title, check->evidence, check->rationale, check->fix, check->references);
  }
};

struct CheckIndex {
  std::vector<CheckDef> checks;        // without condition, texts and examples
  std::vector<BinarySpan> conditions;  // into the body, one per check (an optional<Condition>)
  std::vector<BinarySpan> texts;       // into the body, one per check
  std::vector<BinarySpan> examples;    // into the body, one per check
  template <typename Archive>
  void serialize(Archive& archive) {
    archive(checks, conditions, texts, examples);
  }
};
}  // namespace

template <typename Archive>
void serialize(Archive& archive, Profile& profile) {
  archive(profile.name, profile.description, profile.file, profile.chain, profile.enable, profile.disable,
          profile.severity_overrides, profile.params, profile.fail_on);
}

namespace {
constexpr std::string_view kChecksTag = "airguard-checks";
constexpr std::string_view kProfilesTag = "airguard-profiles";
}  // namespace

// An indexed blob (core/binary_archive.hpp): the index holds every check's other fields and where
// its condition, texts and examples lie in the body, so a scan reads only what it uses.
std::string encode_checks(const std::vector<CheckDef>& checks) {
  CheckIndex index;
  std::string body;
  for (CheckDef check : checks) {
    index.conditions.push_back(append_binary_span(body, check.fail_when));
    index.texts.push_back(append_binary_span(body, CheckTextFields{&check}));
    index.examples.push_back(append_binary_span(body, check.examples));
    index.checks.push_back(std::move(check));
  }
  std::string index_bytes;
  append_binary(index_bytes, index);
  return encode_indexed_binary(kChecksTag, index_bytes, body);
}

std::optional<std::vector<CheckDef>> decode_checks(std::string_view bytes, CheckExamples examples, CheckTexts texts,
                                                   CheckConditions conditions) {
  const auto parts = split_indexed_binary(kChecksTag, bytes);
  if (!parts) return std::nullopt;
  CheckIndex index;
  if (!read_binary(parts->index, index)) return std::nullopt;
  const auto inside = [&](const BinarySpan& span) { return span.inside(parts->body) && span.size > 0; };
  if (index.conditions.size() != index.checks.size() || index.texts.size() != index.checks.size() ||
      index.examples.size() != index.checks.size() ||
      !std::all_of(index.conditions.begin(), index.conditions.end(), inside) ||
      !std::all_of(index.texts.begin(), index.texts.end(), inside) ||
      !std::all_of(index.examples.begin(), index.examples.end(), inside)) {
    return std::nullopt;
  }
  for (std::size_t i = 0; i < index.checks.size(); ++i) {
    CheckDef& check = index.checks[i];
    check.stored_condition_offset = static_cast<std::uint32_t>(parts->body_offset + index.conditions[i].offset);
    check.stored_condition_size = index.conditions[i].size;
    if (conditions == CheckConditions::load) {
      if (!read_binary(index.conditions[i].of(parts->body), check.fail_when)) return std::nullopt;
      check.stored_condition_offset = 0;
      check.stored_condition_size = 0;
    }
    check.stored_texts_offset = static_cast<std::uint32_t>(parts->body_offset + index.texts[i].offset);
    check.stored_texts_size = index.texts[i].size;
    if (texts == CheckTexts::load && !decode_check_texts(bytes, check)) return std::nullopt;
    if (examples == CheckExamples::load && !read_binary(index.examples[i].of(parts->body), check.examples)) {
      return std::nullopt;
    }
  }
  return std::move(index.checks);
}

bool decode_check_texts(std::string_view bytes, CheckDef& check) {
  if (check.has_texts()) return true;
  const BinarySpan span{check.stored_texts_offset, check.stored_texts_size};
  CheckTextFields fields{&check};
  if (!span.inside(bytes) || !read_binary(span.of(bytes), fields)) return false;
  check.stored_texts_offset = 0;
  check.stored_texts_size = 0;
  return true;
}

bool decode_check_condition(std::string_view bytes, const CheckDef& check, std::optional<Condition>& condition) {
  const BinarySpan span{check.stored_condition_offset, check.stored_condition_size};
  return span.inside(bytes) && read_binary(span.of(bytes), condition);
}

std::string encode_profiles(const std::vector<Profile>& profiles) { return encode_binary(kProfilesTag, profiles); }

std::optional<std::vector<Profile>> decode_profiles(std::string_view bytes) {
  return decode_binary<std::vector<Profile>>(kProfilesTag, bytes);
}

}  // namespace airguard
