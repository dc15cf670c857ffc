#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "sources/webserver/webserver_config.hpp"

// A webserver_config.py written inside another file: the official Helm chart's
// `webserver.webserverConfig` and `apiServer.apiServerConfig` values. The text is read by the same
// reader as a file; what differs is where its lines are (the values file) and that the chart passes
// it through `tpl` first, so `{{ ... }}` actions are Go template, never Python.
namespace airguard {

// Stands for one template action in the text handed to the Python reader: an identifier, so the
// statement around it still reads, and a value that contains it is known only at install time.
inline constexpr std::string_view kTemplateActionMarker = "__airguard_helm_template_action__";

// Lines of the text between a template `{{ if }}` (or range, with, define, block) and its `{{ end }}`:
// Helm may leave them out, so what they assign is not guaranteed.
struct TemplateBlock {
  int first_line = 0;  // 1-based lines of the text, inclusive
  int last_line = 0;
  std::string keyword;  // "if", "range", ...
};

struct NeutralizedTemplate {
  std::string text;  // same lines as the input; actions replaced by the marker, action-only lines blank
  std::vector<TemplateBlock> blocks;  // the outermost blocks, in order (nested ones lie inside them)
  int actions = 0;                    // template actions found (comments included)
  std::vector<int> output_lines;      // lines holding only an action whose output is unseen (include, toYaml ...)
  bool unterminated = false;          // a `{{` without its `}}`: Helm refuses the value
};

// Replaces every `{{ ... }}` action by kTemplateActionMarker (comments by nothing) and blanks the
// lines that hold nothing but actions, so no template text is ever read as Python.
NeutralizedTemplate neutralize_template_actions(std::string_view text);

// Where each line of a YAML scalar's value sits in the values file.
struct ScalarLines {
  std::vector<int> lines;  // the values line (1-based) of each line of the value
  int column_shift = 0;    // add to a column in the value to get the column in the file; 0 = unknown
  bool exact = false;      // false: lines could not be mapped one by one, all are the key's line
};

// Maps the lines of `value`, the decoded scalar of the map entry whose key is on `key_line` of
// `values_text`. A literal block (`|`, `|-`, `|+`, `|2`) maps line for line; a folded block (`>`)
// maps each resulting line to the first source line folded into it; a quoted or plain scalar, or
// anything whose re-reading does not give back `value`, maps every line to the key's line.
ScalarLines map_scalar_lines(std::string_view values_text, int key_line, std::string_view value);

// Where an embedded text sits and what the template left opaque.
struct EmbeddedPlacement {
  std::string file;  // the values file; "--set" for a --set value
  std::string key;   // "webserver.webserverConfig"
  ScalarLines lines;
  int key_line = 0;                   // used for lines the map does not cover
  std::vector<TemplateBlock> blocks;  // outermost, in order: as neutralize_template_actions gives them
};

// Reads an embedded text (already neutralized) as a webserver_config.py and places every setting,
// element and note at its line in the values file, naming the values key. Values containing the
// template marker, and settings assigned inside a template block, are known only at runtime.
WebserverConfig parse_embedded_webserver_config(std::string_view neutralized_text, const EmbeddedPlacement& placement);

// A fix written for webserver_config.py, retold for the values key that holds it.
std::string embedded_fix_text(std::string_view text, const Origin& origin);

// True for an origin inside a webserver_config.py embedded in Helm values.
bool is_embedded_webserver_origin(const Origin& origin);

}  // namespace airguard
