#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace airguard {

// One node of a values tree as Helm sees it after YAML 1.1 resolution (go-yaml v2 via
// sigs.k8s.io/yaml): scalars carry their canonical text, maps keep insertion order.
struct HelmNode {
  enum class Kind { null_value, boolean, integer, floating, string, list, map };

  Kind kind = Kind::null_value;
  std::string key;                 // for a map entry: its key (already turned into Helm's string)
  std::string text;                // scalars: "true"/"false", "31" for 0x1F, the string itself
  std::vector<HelmNode> children;  // list items, or map entries (each with `key`)
  int file_index = -1;             // index into the values files; -1 = chart default or --set
  int line = 0;                    // 1-based; for a map entry the line of its key
  int column = 0;
  bool from_set = false;  // came from --set / --set-string
  // A user scalar equal to the chart's default at the same path (a copied values.yaml): the fix
  // still goes to the user's line, but the chart, not the user, chose the name.
  bool same_as_default = false;

  bool is_map() const { return kind == Kind::map; }
  bool is_list() const { return kind == Kind::list; }
  bool is_null() const { return kind == Kind::null_value; }
  bool is_scalar() const { return !is_map() && !is_list(); }
  bool is_default() const { return file_index < 0 && !from_set; }

  const HelmNode* find(std::string_view child_key) const;
  HelmNode* find(std::string_view child_key);
  // Inserts or replaces a map entry, keeping the first position of the key.
  HelmNode& set(std::string_view child_key, HelmNode value);
  bool erase(std::string_view child_key);
  // Number of nodes in this subtree, itself included.
  std::size_t size() const;
};

std::string_view to_string(HelmNode::Kind kind);  // "null", "bool", "int", "float", "string", "list", "map"

HelmNode make_scalar(HelmNode::Kind kind, std::string text);
HelmNode make_map();
HelmNode make_list();

// Compact JSON rendering (for map/list facts and tests), bounded to `max_chars`.
std::string to_json_text(const HelmNode& node, std::size_t max_chars = 4096);

// Splits "a.b[0].c\.d" into {"a", "b", "[0]", "c.d"}; "*" matches any key or item.
std::vector<std::string> split_values_path(std::string_view path);

}  // namespace airguard
