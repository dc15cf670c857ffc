#include "sources/helm/helm_yaml.hpp"

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <unordered_map>

#include "core/text.hpp"

namespace airguard {

namespace {

constexpr std::string_view kStrTag = "tag:yaml.org,2002:str";
constexpr std::string_view kBinaryTag = "tag:yaml.org,2002:binary";
constexpr std::string_view kNullTag = "tag:yaml.org,2002:null";

// Go's strconv.ParseInt(s, 0, 64), falling back to ParseUint(s, 0, 64) as go-yaml v2 does.
std::optional<std::string> go_parse_integer(std::string_view text) {
  if (text.empty()) return std::nullopt;
  bool negative = false;
  bool has_sign = false;
  std::size_t pos = 0;
  if (text[0] == '+' || text[0] == '-') {
    negative = text[0] == '-';
    has_sign = true;
    pos = 1;
  }
  std::string_view digits = text.substr(pos);
  unsigned base = 10;
  if (digits.size() >= 2 && digits[0] == '0') {
    const char prefix = static_cast<char>(digits[1] | 0x20);
    if (prefix == 'x') {
      base = 16;
      digits.remove_prefix(2);
    } else if (prefix == 'o') {
      base = 8;
      digits.remove_prefix(2);
    } else if (prefix == 'b') {
      base = 2;
      digits.remove_prefix(2);
    } else {
      base = 8;
      digits.remove_prefix(1);
    }
  }
  if (digits.empty()) return std::nullopt;
  std::uint64_t value = 0;
  for (const char c : digits) {
    unsigned digit = 0;
    if (c >= '0' && c <= '9') {
      digit = static_cast<unsigned>(c - '0');
    } else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') {
      digit = static_cast<unsigned>((c | 0x20) - 'a' + 10);
    } else {
      return std::nullopt;
    }
    if (digit >= base) return std::nullopt;
    if (value > (UINT64_MAX - digit) / base) return std::nullopt;  // overflows even ParseUint
    value = value * base + digit;
  }
  constexpr std::uint64_t kInt64Max = static_cast<std::uint64_t>(INT64_MAX);
  if (negative) {
    if (value > kInt64Max + 1) return std::nullopt;
    if (value == 0) return std::string("0");
    return "-" + std::to_string(value);
  }
  if (value > kInt64Max && has_sign) return std::nullopt;  // ParseUint takes no sign
  return std::to_string(value);
}

// JSON text of a float64 as Go's encoding/json writes it (Helm's values pass through JSON).
std::string go_json_float(double value) {
  std::string text = fmt::format("{}", value);
  if (text.size() > 2 && text.compare(text.size() - 2, 2, ".0") == 0) text.resize(text.size() - 2);
  return text;
}

// [-+]? (.digits | digits(.digits?)?) ([eE][-+]?digits)?, read by hand: std::regex recurses
// once per character and overflows the stack on a long scalar.
bool looks_like_yaml_float(const std::string& text) {
  std::size_t i = 0;
  const auto digits = [&] {
    const std::size_t start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    return i - start;
  };
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
  if (i < text.size() && text[i] == '.') {
    ++i;
    if (digits() == 0) return false;
  } else {
    if (digits() == 0) return false;
    if (i < text.size() && text[i] == '.') {
      ++i;
      digits();
    }
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
    if (digits() == 0) return false;
  }
  return i == text.size();
}

struct ParseAbort {
  Diagnostic diagnostic;
};

class TreeBuilder : public YAML::EventHandler {
 public:
  TreeBuilder(std::string file, int file_index, const YamlLimits& limits)
      : file_(std::move(file)), file_index_(file_index), limits_(limits) {}

  std::optional<HelmNode> result;
  int document_line = 0;
  std::vector<DuplicateKey> duplicates;
  std::size_t unlisted_duplicates = 0;
  std::size_t nodes_created = 0;
  std::size_t nodes_copied = 0;
  std::size_t text_bytes_copied = 0;

  void OnDocumentStart(const YAML::Mark& mark) override { document_line = mark.line + 1; }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    HelmNode node;
    place(node, mark);
    count(node, mark);
    complete(std::move(node), anchor, false);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    const auto found = anchors_.find(anchor);
    if (found == anchors_.end()) abort(mark, "alias to an unknown anchor");
    count(found->second, mark, true);
    HelmNode copy = found->second;
    copy.line = mark.line + 1;  // the root of the copy points at the place the alias is used
    copy.column = mark.column + 1;
    complete(std::move(copy), 0, false);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    HelmNode node;
    bool merge_key = false;
    if (tag == "?") {
      node = resolve_plain_scalar(value);
      merge_key = value == "<<";
    } else if (tag == "!" || tag == kStrTag || tag == kBinaryTag) {
      node = make_scalar(HelmNode::Kind::string, value);
    } else if (tag == kNullTag) {
      node = HelmNode{};
    } else {
      node = resolve_plain_scalar(value);
    }
    if (node.kind == HelmNode::Kind::floating && (node.text == ".inf" || node.text == ".nan")) {
      abort(mark, fmt::format("`{}` is not a value Helm accepts (values pass through JSON, which has no "
                              "infinity or NaN); Helm refuses the whole file",
                              value));
    }
    place(node, mark);
    count(node, mark);
    complete(std::move(node), anchor, merge_key);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value /*style*/) override {
    open_frame(make_list(), mark, anchor);
  }
  void OnSequenceEnd() override { finish_frame(); }

  void OnMapStart(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value /*style*/) override {
    open_frame(make_map(), mark, anchor);
  }
  void OnMapEnd() override { finish_frame(); }

 private:
  // A sequence or mapping starts: count it against the alias budget, attach it, and descend.
  void open_frame(HelmNode node, const YAML::Mark& mark, YAML::anchor_t anchor) {
    count(node, mark);
    Frame frame;
    frame.node = std::move(node);
    place(frame.node, mark);
    frame.anchor = anchor;
    stack_.push_back(std::move(frame));
  }

  struct Frame {
    HelmNode node;
    YAML::anchor_t anchor = 0;
    bool have_key = false;
    bool key_is_merge = false;
    HelmNode key;
    // Each key's place among the map's children, and the line it was last written at (0 when it
    // came only through a `<<` merge): finding a key stays O(1) however wide the map.
    struct KeyEntry {
      std::size_t position = 0;
      int explicit_line = 0;
    };
    std::unordered_map<std::string, KeyEntry> keys;
  };

  // Inserts or replaces a map entry, keeping the first position of the key (as HelmNode::set).
  static Frame::KeyEntry& set_entry(Frame& frame, const std::string& key, HelmNode value) {
    value.key = key;
    const auto [it, inserted] = frame.keys.try_emplace(key, Frame::KeyEntry{frame.node.children.size(), 0});
    if (inserted) {
      frame.node.children.push_back(std::move(value));
    } else {
      frame.node.children[it->second.position] = std::move(value);
    }
    return it->second;
  }

  [[noreturn]] void abort(const YAML::Mark& mark, std::string message, std::string hint = {}) {
    throw ParseAbort{make_error(file_, mark.line + 1, std::move(message), std::move(hint))};
  }

  // Counts a subtree about to be created, or copied (for an alias, or the anchor it copies), against
  // the budgets: all nodes, and what copies add in nodes and in bytes of keys and scalar text.
  void count(const HelmNode& subtree, const YAML::Mark& mark, bool copy = false) {
    std::size_t nodes = 0;
    std::size_t bytes = 0;
    measure(subtree, nodes, bytes);
    nodes_created += nodes;
    if (copy) {
      nodes_copied += nodes;
      text_bytes_copied += bytes;
    }
    if (nodes_created > limits_.max_nodes || nodes_copied > limits_.max_copied_nodes) {
      abort(mark,
            fmt::format("aliases expand to more than {} nodes; refusing the file (an alias bomb such as "
                        "\"billion laughs\" looks like this)",
                        nodes_created > limits_.max_nodes ? limits_.max_nodes : limits_.max_copied_nodes),
            "expand the aliases by hand, or split the values");
    }
    if (text_bytes_copied > limits_.max_copied_text_bytes) {
      abort(mark,
            fmt::format("aliases expand to more than {} MiB of text; refusing the file (an alias bomb "
                        "repeating a long string looks like this)",
                        limits_.max_copied_text_bytes / (1024U * 1024U)),
            "expand the aliases by hand, or split the values");
    }
  }

  static void measure(const HelmNode& node, std::size_t& nodes, std::size_t& bytes) {
    ++nodes;
    bytes += node.key.size() + node.text.size();
    for (const auto& child : node.children) measure(child, nodes, bytes);
  }

  void place(HelmNode& node, const YAML::Mark& mark) const {
    node.file_index = file_index_;
    node.line = mark.line + 1;
    node.column = mark.column + 1;
  }

  void finish_frame() {
    Frame frame = std::move(stack_.back());
    stack_.pop_back();
    complete(std::move(frame.node), frame.anchor, false);
  }

  std::string path_of(const std::string& key) const {
    std::string path;
    for (const auto& frame : stack_) {
      if (frame.node.is_map() && frame.have_key) {
        if (!path.empty()) path += '.';
        path += frame.key.text;
      } else if (frame.node.is_list()) {
        path += fmt::format("[{}]", frame.node.children.size());
      }
    }
    if (!path.empty()) path += '.';
    return path + key;
  }

  void complete(HelmNode node, YAML::anchor_t anchor, bool merge_key) {
    if (anchor != 0) {
      count(node, YAML::Mark{}, true);
      anchors_[anchor] = node;
    }
    if (stack_.empty()) {
      result = std::move(node);
      return;
    }
    Frame& top = stack_.back();
    if (top.node.is_list()) {
      top.node.children.push_back(std::move(node));
      return;
    }
    if (!top.have_key) {
      top.key = std::move(node);
      top.key_is_merge = merge_key;
      top.have_key = true;
      return;
    }
    HelmNode key = std::move(top.key);
    top.have_key = false;
    add_entry(top, key, std::move(node));
  }

  void merge_into(Frame& frame, const HelmNode& source, const HelmNode& key) {
    if (source.is_map()) {
      for (const auto& entry : source.children) set_entry(frame, entry.key, entry);
      return;
    }
    if (source.is_list()) {
      // go-yaml v2 applies the list backwards, so earlier maps take precedence.
      for (auto it = source.children.rbegin(); it != source.children.rend(); ++it) {
        if (!it->is_map()) break;
        for (const auto& entry : it->children) set_entry(frame, entry.key, entry);
      }
      if (std::all_of(source.children.begin(), source.children.end(), [](const HelmNode& n) { return n.is_map(); })) {
        return;
      }
    }
    throw ParseAbort{make_error(file_, key.line, "a `<<` merge key needs a map or a list of maps",
                                "point `<<:` at an anchored map (`<<: *defaults`)")};
  }

  void add_entry(Frame& frame, const HelmNode& key, HelmNode value) {
    if (frame.key_is_merge) {
      merge_into(frame, value, key);
      return;
    }
    if (!key.is_scalar()) {
      throw ParseAbort{make_error(file_, key.line, "a map or list used as a key; Helm cannot read such values")};
    }
    const std::string key_text = key.is_null() ? std::string("null") : key.text;
    value.line = key.line;
    value.column = key.column;
    value.file_index = file_index_;
    const auto previous = frame.keys.find(key_text);
    const int first_line = previous == frame.keys.end() ? 0 : previous->second.explicit_line;
    if (first_line > 0) {
      if (duplicates.size() < kMaxListedDuplicateKeys) {
        duplicates.push_back(DuplicateKey{path_of(key_text), file_index_, first_line, key.line});
      } else {
        ++unlisted_duplicates;
      }
    }
    set_entry(frame, key_text, std::move(value)).explicit_line = key.line;
  }

  std::string file_;
  int file_index_;
  YamlLimits limits_;
  std::vector<Frame> stack_;
  std::map<YAML::anchor_t, HelmNode> anchors_;
};

Diagnostic diagnostic_from(const YAML::Exception& error, const std::string& file) {
  const int line = error.mark.is_null() ? 0 : error.mark.line + 1;
  Diagnostic diagnostic = make_error(file, line, fmt::format("invalid YAML: {}", error.msg),
                                     "Helm would refuse this file too; fix the syntax at this line");
  diagnostic.column = error.mark.is_null() ? 0 : error.mark.column + 1;
  return diagnostic;
}

}  // namespace

HelmNode resolve_plain_scalar(std::string_view text) {
  using Kind = HelmNode::Kind;
  static const std::set<std::string_view> kTrue = {"y",    "Y",    "yes", "Yes", "YES", "true",
                                                   "True", "TRUE", "on",  "On",  "ON"};
  static const std::set<std::string_view> kFalse = {"n",     "N",     "no",  "No",  "NO", "false",
                                                    "False", "FALSE", "off", "Off", "OFF"};
  static const std::set<std::string_view> kNull = {"", "~", "null", "Null", "NULL"};
  static const std::set<std::string_view> kNan = {".nan", ".NaN", ".NAN"};
  static const std::set<std::string_view> kInf = {".inf",  ".Inf",  ".INF",  "+.inf", "+.Inf",
                                                  "+.INF", "-.inf", "-.Inf", "-.INF"};
  if (kTrue.count(text)) return make_scalar(Kind::boolean, "true");
  if (kFalse.count(text)) return make_scalar(Kind::boolean, "false");
  if (kNull.count(text)) return HelmNode{};
  if (kNan.count(text)) return make_scalar(Kind::floating, ".nan");
  if (kInf.count(text)) return make_scalar(Kind::floating, ".inf");
  const char first = text[0];
  const bool numeric_hint = (first >= '0' && first <= '9') || first == '+' || first == '-' || first == '.';
  if (!numeric_hint) return make_scalar(Kind::string, std::string(text));
  std::string plain;
  plain.reserve(text.size());
  for (const char c : text) {
    if (c != '_' || first == '.') plain += c;
  }
  if (first != '.') {
    if (auto integer = go_parse_integer(plain)) return make_scalar(Kind::integer, *integer);
  }
  if (looks_like_yaml_float(plain)) {
    const double value = std::strtod(plain.c_str(), nullptr);
    return make_scalar(Kind::floating, go_json_float(value));
  }
  return make_scalar(Kind::string, std::string(text));
}

Result<ParsedYaml> parse_yaml_tree(std::string_view text, const std::string& file, int file_index,
                                   const YamlLimits& limits) {
  std::istringstream stream{std::string(text)};
  ParsedYaml parsed;
  try {
    YAML::Parser parser(stream);
    TreeBuilder first(file, file_index, limits);
    if (!parser.HandleNextDocument(first) || !first.result) {
      parsed.root = HelmNode{};
      return parsed;
    }
    TreeBuilder second(file, file_index, limits);
    if (parser.HandleNextDocument(second) && second.result && !second.result->is_null()) {
      return make_error(file, second.document_line,
                        "the file holds more than one YAML document; Helm reads only the first and "
                        "silently drops the rest",
                        "keep one document per values file (remove the `---` and what follows, or split the file)");
    }
    parsed.root = std::move(*first.result);
    parsed.duplicates = std::move(first.duplicates);
    parsed.unlisted_duplicates = first.unlisted_duplicates;
  } catch (const ParseAbort& abort) {
    return abort.diagnostic;
  } catch (const YAML::Exception& error) {
    return diagnostic_from(error, file);
  }
  for (const auto& duplicate : parsed.duplicates) {
    parsed.warnings.push_back(
        make_warning(file, duplicate.line,
                     fmt::format("key `{}` is written twice (first at line {}); Helm keeps this later one",
                                 duplicate.path, duplicate.first_line),
                     "delete one of the two"));
  }
  if (parsed.unlisted_duplicates > 0) {
    parsed.warnings.push_back(make_warning(
        file, 0, fmt::format("{} more duplicate keys after these", with_thousands(parsed.unlisted_duplicates)),
        "Helm keeps the last of each; listed are the first ones only"));
  }
  return parsed;
}

Result<ParsedYaml> parse_values_yaml(std::string_view text, const std::string& file, int file_index,
                                     const YamlLimits& limits) {
  std::string body(text);
  const auto first_line_end = body.find('\n');
  const std::string first_line(trim(std::string_view(body).substr(0, first_line_end)));
  if (first_line == "USER-SUPPLIED VALUES:" || first_line == "COMPUTED VALUES:") {
    body.replace(0, first_line_end == std::string::npos ? body.size() : first_line_end, "#");
  }
  auto parsed = parse_yaml_tree(body, file, file_index, limits);
  if (!parsed) return parsed;
  HelmNode& root = parsed->root;
  if (root.is_null()) {
    root = make_map();
    root.file_index = file_index;
    return parsed;
  }
  if (root.is_list()) {
    return make_error(file, root.line, "the values file is a list; Helm needs a map of values at the top level",
                      "values files look like `key: value`; did you pass a manifest or a list by mistake?");
  }
  if (!root.is_map()) {
    return make_error(file, root.line, "the values file is a single scalar, not a map of values",
                      "values files look like `key: value`");
  }
  return parsed;
}

}  // namespace airguard
