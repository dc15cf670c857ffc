#pragma once
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.hpp"
#include "sources/helm/helm_node.hpp"

namespace airguard {

// The keys one version of the official chart accepts, from its values.schema.json compacted by
// scripts/gen-helm-schema into data/helm/schema-<chart version>.json (format in that script).
class ChartSchema;

// The table of a known chart version, or nullptr when none ships. Loaded once, kept for the run.
const ChartSchema* chart_schema(std::string_view chart_version);
// Every shipped table, oldest chart first.
std::vector<const ChartSchema*> chart_schemas();

// What the chart's README states about the Airflow versions it runs ("1.10+, 2.0+, 3.0+").
struct SupportedAirflow {
  std::string text;           // as the README writes it
  std::vector<int> majors;    // {1, 2, 3}
  std::string minimum;        // "1.10.0"
  std::string source_commit;  // the chart commit whose README says so
};

// How a schema treats one key path.
enum class SchemaKeyStatus {
  declared,             // the schema names the key (every segment of the path)
  free_form,            // inside a map whose keys the schema leaves free (config:, labels:, annotations ...)
  undeclared_accepted,  // not named, but the schema does not refuse other keys there
  refused,              // not named where additionalProperties is false: `helm install` fails
};

// A key of the user's values that the chart's schema does not name.
struct UnknownValuesKey {
  std::string path;                // values path relative to the chart ("webserver.defaultUsr", "env[0].nmae")
  const HelmNode* node = nullptr;  // the value, in the tree that was walked
  bool refused = false;            // additionalProperties false: Helm refuses the values
  std::string hint;                // "did you mean `networkPolicies`?", "exists in chart 1.19.0 ...", or ""
};

struct UnknownKeyScan {
  std::vector<UnknownValuesKey> keys;  // at most the bound given, in file order
  std::size_t unlisted = 0;            // found past the bound, only counted
};

// The largest number of unknown keys listed one by one per scan; the rest are counted.
inline constexpr std::size_t kMaxListedUnknownKeys = 200;

// Walks the values the user wrote (nodes that are not chart defaults) of `root` against `schema`
// and returns each key the schema does not allow where it is written. Keys under free-form maps are
// never reported; at the top level, where the chart's schema accepts any key, a key it does not
// name is reported as ignored (except `global`, which Helm gives every chart).
UnknownKeyScan find_unknown_keys(const HelmNode& root, const ChartSchema& schema,
                                 std::size_t max_listed = kMaxListedUnknownKeys);

class HelmValues;
struct HelmIssue;

// find_unknown_keys over the user's part of merged official values, against the schema of the
// chart version in use; empty for the community chart or a chart without a shipped schema.
UnknownKeyScan find_unknown_keys(const HelmValues& values);
// The issues of check AFH-HELM-031 (one per unknown key, at the key's file:line).
std::vector<HelmIssue> unknown_key_issues(const HelmValues& values);
// The note that counts the unknown keys past the listed ones; nullopt when all were listed.
std::optional<Diagnostic> unlisted_unknown_keys_note(const HelmValues& values);

class ChartSchema {
 public:
  // Parses one table (the JSON the generator writes); nullopt when it is not one.
  static std::optional<ChartSchema> parse(std::string_view json_text);
  ChartSchema(const ChartSchema&);
  ChartSchema(ChartSchema&&) noexcept;
  ChartSchema& operator=(const ChartSchema&);
  ChartSchema& operator=(ChartSchema&&) noexcept;
  ~ChartSchema();

  const std::string& chart_version() const { return chart_version_; }
  const std::string& source_commit() const { return source_commit_; }
  const std::optional<SupportedAirflow>& supported_airflow() const { return supported_airflow_; }

  // Path segments as split_values_path gives them; a list index "[3]" stands for any item.
  SchemaKeyStatus status(const std::vector<std::string>& path) const;
  // The schema's deprecation text of a declared key ("deprecated, use createUserJob section instead").
  std::string deprecation(const std::vector<std::string>& path) const;
  // Declared paths (outside shared definitions) whose last key is `key`, dotted, at most `limit`.
  std::vector<std::string> paths_ending_in(std::string_view key, std::size_t limit = 3) const;

  struct Data;

 private:
  ChartSchema();
  std::string chart_version_;
  std::string source_commit_;
  std::optional<SupportedAirflow> supported_airflow_;
  std::unique_ptr<Data> data_;
  friend UnknownKeyScan find_unknown_keys(const HelmNode&, const ChartSchema&, std::size_t);
};

}  // namespace airguard
