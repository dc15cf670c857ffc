#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.hpp"
#include "core/result.hpp"
#include "sources/helm/helm_node.hpp"

namespace airguard {

// A key written twice in one map. Helm keeps the last one without a word; we keep it too and say so.
struct DuplicateKey {
  std::string path;  // dotted values path of the key
  int file_index = -1;
  int first_line = 0;
  int line = 0;  // the occurrence that wins
};

struct YamlLimits {
  // Nodes created while reading, aliases counted expanded: an alias bomb ("billion laughs") is
  // refused once it passes this, long before it could exhaust memory.
  std::size_t max_nodes = 250000;
  // What aliases (and the anchors they copy) add on top of the text itself: nodes, and bytes of
  // keys and scalars. One long anchored string aliased ten thousand times is few nodes but
  // hundreds of megabytes; nested aliases of long scalars multiply both.
  std::size_t max_copied_nodes = 100000;
  std::size_t max_copied_text_bytes = 16U * 1024U * 1024U;
};

// Duplicate keys listed one by one per file; past this they are only counted, so a file of the
// same key written 100,000 times gives a short report and costs no memory per repeat.
inline constexpr std::size_t kMaxListedDuplicateKeys = 20;

struct ParsedYaml {
  HelmNode root;
  std::vector<DuplicateKey> duplicates;  // the first kMaxListedDuplicateKeys
  std::size_t unlisted_duplicates = 0;   // counted past those
  Diagnostics warnings;
};

// How go-yaml v2 (YAML 1.1, the parser inside Helm) types one plain scalar: y/yes/on/true -> bool,
// "", ~, null -> null, integers as Go's ParseInt(s, 0, 64) after removing '_', YAML floats.
// `.inf`/`.nan` come back as floats with text ".inf"/".nan" (Helm refuses them).
HelmNode resolve_plain_scalar(std::string_view text);

// Parses one YAML document the way Helm's chartutil.ReadValues does: YAML 1.1 scalars, `<<` merge
// keys (later keys win, as in go-yaml v2), duplicate keys last-wins (reported), keys turned into
// strings. Every node keeps its 1-based line (a map entry the line of its key). A second non-empty
// document, `.inf`/`.nan`, a complex key or too many nodes are errors with file:line.
// `file_index` is stored in every node so a merged tree still knows each leaf's file.
Result<ParsedYaml> parse_yaml_tree(std::string_view text, const std::string& file, int file_index,
                                   const YamlLimits& limits = {});

// A values file: parse_yaml_tree plus what Helm requires of values: the document is a map (an
// empty file or `null` is an empty map). A first line `USER-SUPPLIED VALUES:` or `COMPUTED VALUES:`
// (the header `helm get values` prints) is skipped.
Result<ParsedYaml> parse_values_yaml(std::string_view text, const std::string& file, int file_index,
                                     const YamlLimits& limits = {});

}  // namespace airguard
