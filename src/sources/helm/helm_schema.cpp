#include "sources/helm/helm_schema.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <nlohmann/json.hpp>

#include "core/printable.hpp"
#include "core/resources.hpp"
#include "core/text.hpp"
#include "sources/helm/helm_audit.hpp"
#include "sources/helm/helm_values.hpp"

namespace airguard {

struct ChartSchema::Data {
  nlohmann::json root;
  nlohmann::json defs;
  std::multimap<std::string, std::string> paths_by_key;  // last key -> dotted declared path
};

ChartSchema::ChartSchema() : data_(std::make_unique<Data>()) {}
ChartSchema::ChartSchema(const ChartSchema& other)
    : chart_version_(other.chart_version_),
      source_commit_(other.source_commit_),
      supported_airflow_(other.supported_airflow_),
      data_(std::make_unique<Data>(*other.data_)) {}
ChartSchema::ChartSchema(ChartSchema&&) noexcept = default;
ChartSchema& ChartSchema::operator=(const ChartSchema& other) {
  if (this != &other) *this = ChartSchema(other);
  return *this;
}
ChartSchema& ChartSchema::operator=(ChartSchema&&) noexcept = default;
ChartSchema::~ChartSchema() = default;

namespace {

using Json = nlohmann::json;

// A shared definition may refer to another; a chain longer than this is a broken table.
constexpr int kMaxRefHops = 32;

const Json* resolve(const Json* node, const Json& defs) {
  for (int hop = 0; node != nullptr && node->is_object() && node->contains("r"); ++hop) {
    if (hop == kMaxRefHops) return nullptr;
    const auto& name = (*node)["r"];
    if (!name.is_string() || !defs.contains(name.get<std::string>())) return nullptr;
    node = &defs[name.get<std::string>()];
  }
  return node;
}

bool is_index(std::string_view segment) { return segment.size() >= 2 && segment.front() == '['; }

// One step down the schema: how `key` is treated under `node`, and the schema of its value
// (nullptr when the value is free-form: nothing below it is checked).
struct Step {
  SchemaKeyStatus status = SchemaKeyStatus::free_form;
  const Json* next = nullptr;
};

Step step(const Json* node, std::string_view key, const Json& defs) {
  node = resolve(node, defs);
  if (node == nullptr || !node->is_object()) return {};  // a leaf: an object leaf is a free-form map
  if (is_index(key)) {
    if (auto items = node->find("i"); items != node->end()) return {SchemaKeyStatus::declared, &*items};
    return {};
  }
  if (auto properties = node->find("p"); properties != node->end() && properties->is_object()) {
    if (auto found = properties->find(std::string(key)); found != properties->end()) {
      return {SchemaKeyStatus::declared, &*found};
    }
  }
  const auto extra = node->find("x");
  if (extra == node->end()) return {SchemaKeyStatus::undeclared_accepted, nullptr};
  if (extra->is_object()) return {SchemaKeyStatus::free_form, &*extra};
  if (extra->is_number() && extra->get<int>() == 0) return {SchemaKeyStatus::refused, nullptr};
  return {};
}

void index_paths(const Json& node, const std::string& prefix, std::multimap<std::string, std::string>& out) {
  if (!node.is_object()) return;
  const auto properties = node.find("p");
  if (properties == node.end() || !properties->is_object()) return;
  for (const auto& [key, child] : properties->items()) {
    std::string path = prefix.empty() ? key : prefix + "." + key;
    out.emplace(key, path);
    index_paths(child, path, out);
  }
}

// Optimal string alignment distance, stopping early once it passes `limit`.
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t limit) {
  if (a.size() > b.size() + limit || b.size() > a.size() + limit) return limit + 1;
  std::vector<std::size_t> before(b.size() + 1), previous(b.size() + 1), current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    std::size_t row_best = current[0];
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        current[j] = std::min(current[j], before[j - 2] + 1);
      }
      row_best = std::min(row_best, current[j]);
    }
    if (row_best > limit) return limit + 1;
    before.swap(previous);
    previous.swap(current);
  }
  return previous[b.size()];
}

// A declared sibling the key was probably meant to be: equal but for case, or a small typo.
std::string closest_sibling(const Json* parent, std::string_view key, const Json& defs) {
  parent = resolve(parent, defs);
  if (parent == nullptr || !parent->is_object() || !parent->contains("p")) return {};
  const std::string lower = to_lower(key);
  // Short keys get one edit, longer ones two: "tga" -> "tag", "netwrokPolicies" -> "networkPolicies".
  const std::size_t limit = key.size() < 4 ? 1 : 2;
  std::string best;
  std::size_t best_distance = limit + 1;
  for (const auto& [candidate, child] : (*parent)["p"].items()) {
    const std::string candidate_lower = to_lower(candidate);
    if (candidate_lower == lower) return candidate;
    const std::size_t distance = edit_distance(lower, candidate_lower, limit);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  return best;
}

std::string join_path(const std::vector<std::string>& segments) {
  std::string out;
  for (const auto& segment : segments) {
    if (!out.empty() && !is_index(segment)) out += '.';
    out += segment;
  }
  return out;
}

// Top-level keys of the community chart airflow-helm/charts (charts/airflow/values.yaml, 8.x)
// that the official chart does not have.
constexpr std::array<std::string_view, 8> kCommunityTopLevelKeys = {
    "airflow",        "web",           "externalDatabase", "externalRedis", "logsPersistence", "serviceMonitor",
    "prometheusRule", "extraManifests"};

std::string hint_for(const ChartSchema& schema, const Json* parent, const std::vector<std::string>& path,
                     const Json& defs) {
  std::vector<std::string> hints;
  const std::string& key = path.back();
  if (const std::string sibling = closest_sibling(parent, key, defs); !sibling.empty()) {
    hints.push_back(fmt::format("did you mean `{}`?", printable(sibling)));
  }
  std::vector<std::string> elsewhere;
  std::string deprecation;
  for (const ChartSchema* other : chart_schemas()) {
    if (other == &schema || other->status(path) != SchemaKeyStatus::declared) continue;
    elsewhere.push_back(other->chart_version());
    if (std::string text = other->deprecation(path); !text.empty()) deprecation = std::move(text);
  }
  const std::string dotted = printable(join_path(path));
  if (!elsewhere.empty()) {
    std::string versions;
    for (const auto& version : elsewhere) versions += (versions.empty() ? "" : ", ") + version;
    hints.push_back(fmt::format("`{}` exists in chart {} but not in {}{}", dotted, versions, schema.chart_version(),
                                deprecation.empty() ? "" : fmt::format(" (there: {})", deprecation)));
  }
  // Where else this chart has the key, when that is one or two places (a moved key); a name the
  // chart uses everywhere (`enabled`, `resources`) says nothing.
  if (!is_index(key)) {
    const auto places = schema.paths_ending_in(key, 3);
    if (places.size() <= 2) {
      for (const auto& other_path : places) {
        if (other_path != dotted) hints.push_back(fmt::format("chart {} has `{}`", schema.chart_version(), other_path));
      }
    }
  }
  if (path.size() == 1 &&
      std::find(kCommunityTopLevelKeys.begin(), kCommunityTopLevelKeys.end(), key) != kCommunityTopLevelKeys.end()) {
    hints.push_back("this is a key of the community chart airflow-helm/charts, not of apache-airflow/airflow");
  }
  std::string out;
  for (const auto& hint : hints) out += (out.empty() ? "" : "; ") + hint;
  return out;
}

// Each chart's table is parsed the first time it is asked for: a scan that names its chart reads
// one table, chart inference reads them all.
struct SchemaSlot {
  bool loaded = false;
  std::optional<ChartSchema> schema;
};

const ChartSchema* load_schema(std::size_t index) {
  static const std::vector<std::string> versions = known_chart_versions();
  static std::vector<SchemaSlot> slots(versions.size());
  if (index >= slots.size()) return nullptr;
  SchemaSlot& slot = slots[index];
  if (!slot.loaded) {
    slot.loaded = true;
    const auto text = embedded_resource(fmt::format("data/helm/schema-{}.json", versions[index]));
    if (text) slot.schema = ChartSchema::parse(*text);
  }
  return slot.schema ? &*slot.schema : nullptr;
}

}  // namespace

std::optional<ChartSchema> ChartSchema::parse(std::string_view json_text) {
  auto parsed = Json::parse(json_text, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object() || !parsed.contains("root")) return std::nullopt;
  ChartSchema schema;
  schema.chart_version_ = parsed.value("chart_version", "");
  if (auto source = parsed.find("source"); source != parsed.end() && source->is_object()) {
    schema.source_commit_ = source->value("commit", "");
  }
  if (auto supported = parsed.find("supported_airflow"); supported != parsed.end() && supported->is_object()) {
    SupportedAirflow airflow;
    airflow.text = supported->value("text", "");
    airflow.minimum = supported->value("minimum", "");
    for (const auto& major : supported->value("majors", Json::array())) {
      if (major.is_number_integer()) airflow.majors.push_back(major.get<int>());
    }
    if (auto source = parsed.find("supported_airflow_source"); source != parsed.end() && source->is_object()) {
      airflow.source_commit = source->value("commit", "");
    }
    schema.supported_airflow_ = std::move(airflow);
  }
  schema.data_->root = std::move(parsed["root"]);
  if (parsed.contains("defs")) schema.data_->defs = std::move(parsed["defs"]);
  index_paths(schema.data_->root, "", schema.data_->paths_by_key);
  return schema;
}

SchemaKeyStatus ChartSchema::status(const std::vector<std::string>& path) const {
  const Json* node = &data_->root;
  bool free = false;
  for (const auto& segment : path) {
    if (node == nullptr) return SchemaKeyStatus::free_form;
    const Step next = step(node, segment, data_->defs);
    if (next.status == SchemaKeyStatus::refused || next.status == SchemaKeyStatus::undeclared_accepted) {
      return free ? SchemaKeyStatus::free_form : next.status;
    }
    if (next.status == SchemaKeyStatus::free_form) free = true;
    node = next.next;
  }
  return free ? SchemaKeyStatus::free_form : SchemaKeyStatus::declared;
}

std::string ChartSchema::deprecation(const std::vector<std::string>& path) const {
  const Json* node = &data_->root;
  for (const auto& segment : path) {
    if (node == nullptr) return {};
    node = step(node, segment, data_->defs).next;
  }
  if (node == nullptr || !node->is_object()) return {};
  return node->value("d", "");
}

std::vector<std::string> ChartSchema::paths_ending_in(std::string_view key, std::size_t limit) const {
  std::vector<std::string> out;
  const auto [first, last] = data_->paths_by_key.equal_range(std::string(key));
  for (auto it = first; it != last && out.size() < limit; ++it) out.push_back(it->second);
  return out;
}

const ChartSchema* chart_schema(std::string_view chart_version) {
  const std::vector<std::string> versions = known_chart_versions();
  for (std::size_t i = 0; i < versions.size(); ++i) {
    if (versions[i] == chart_version) return load_schema(i);
  }
  return nullptr;
}

std::vector<const ChartSchema*> chart_schemas() {
  std::vector<const ChartSchema*> out;
  for (std::size_t i = 0; i < known_chart_versions().size(); ++i) {
    if (const ChartSchema* schema = load_schema(i)) out.push_back(schema);
  }
  return out;
}

UnknownKeyScan find_unknown_keys(const HelmNode& root, const ChartSchema& schema, std::size_t max_listed) {
  UnknownKeyScan scan;
  const Json& defs = schema.data_->defs;
  struct Pending {
    const HelmNode* node;
    const Json* schema;
    std::vector<std::string> path;
  };
  // An explicit stack: values nest as deep as the YAML reader allows, the C++ stack does not.
  std::vector<Pending> stack = {{&root, &schema.data_->root, {}}};
  while (!stack.empty()) {
    Pending current = std::move(stack.back());
    stack.pop_back();
    const HelmNode& node = *current.node;
    std::vector<Pending> children;
    for (std::size_t i = 0; i < node.children.size(); ++i) {
      const HelmNode& child = node.children[i];
      if (child.is_default()) continue;  // the chart's own value, merged in
      std::string segment = node.is_list() ? fmt::format("[{}]", i) : child.key;
      const Step next = step(current.schema, segment, defs);
      std::vector<std::string> path = current.path;
      path.push_back(std::move(segment));
      const bool top_level = current.path.empty();
      const bool unknown = next.status == SchemaKeyStatus::refused ||
                           (next.status == SchemaKeyStatus::undeclared_accepted && top_level && child.key != "global");
      if (unknown) {
        if (child.is_null()) continue;  // a null sets nothing: Helm drops it while merging
        if (scan.keys.size() >= max_listed) {
          ++scan.unlisted;
          continue;
        }
        UnknownValuesKey key;
        key.path = join_path(path);
        key.node = &child;
        key.refused = next.status == SchemaKeyStatus::refused;
        key.hint = hint_for(schema, current.schema, path, defs);
        scan.keys.push_back(std::move(key));
        continue;
      }
      if (next.next != nullptr && !child.is_scalar()) children.push_back({&child, next.next, std::move(path)});
    }
    // Reversed, so the stack hands them out in file order.
    for (auto it = children.rbegin(); it != children.rend(); ++it) stack.push_back(std::move(*it));
  }
  return scan;
}

UnknownKeyScan find_unknown_keys(const HelmValues& values) {
  if (values.chart != HelmChart::official) return {};
  const ChartSchema* schema = chart_schema(values.chart_version);
  if (schema == nullptr) return {};
  UnknownKeyScan scan = find_unknown_keys(values.root(), *schema);
  // Under an umbrella chart, `enabled` beside the chart's values is the dependency's condition.
  if (!values.nested_under.empty()) {
    std::erase_if(scan.keys, [](const UnknownValuesKey& key) { return key.path == "enabled"; });
  }
  return scan;
}

std::vector<HelmIssue> unknown_key_issues(const HelmValues& values) {
  std::vector<HelmIssue> issues;
  for (const UnknownValuesKey& key : find_unknown_keys(values).keys) {
    HelmIssue issue;
    issue.path = printable(key.path);
    issue.origin = values.origin_of(*key.node, issue.path);
    const std::string consequence =
        key.refused ? "Helm refuses these values: `helm install` fails with a values.schema.json error"
                    : "Helm accepts it, but the chart reads no such key, so the setting does nothing";
    issue.evidence = fmt::format("`{}` is not a key of chart {}'s values{}; {}", issue.path, values.chart_version,
                                 key.hint.empty() ? "" : fmt::format(" ({})", key.hint), consequence);
    issue.fix_target = values.fix_target(key.node);
    issues.push_back(std::move(issue));
  }
  return issues;
}

std::optional<Diagnostic> unlisted_unknown_keys_note(const HelmValues& values) {
  const UnknownKeyScan scan = find_unknown_keys(values);
  if (scan.unlisted == 0) return std::nullopt;
  return make_note(values.files.empty() ? std::string() : values.files.back(), 0,
                   fmt::format("{} more keys that chart {}'s values.schema.json does not allow, after the {} listed "
                               "(AFH-HELM-031)",
                               scan.unlisted, values.chart_version, scan.keys.size()));
}

}  // namespace airguard
