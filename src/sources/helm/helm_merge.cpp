#include "sources/helm/helm_merge.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <unordered_map>
#include <vector>

namespace airguard {

namespace {

// Where each key of a map sits among its children: looking keys up one by one with
// HelmNode::find would make merging two wide maps quadratic.
std::unordered_map<std::string, std::size_t> key_positions(const HelmNode& map) {
  std::unordered_map<std::string, std::size_t> positions;
  positions.reserve(map.children.size());
  for (std::size_t i = 0; i < map.children.size(); ++i) positions.emplace(map.children[i].key, i);
  return positions;
}

}  // namespace

void merge_values(HelmNode& base, HelmNode overlay) {
  if (!base.is_map() || !overlay.is_map()) {
    std::string key = base.key;
    base = std::move(overlay);
    base.key = std::move(key);
    return;
  }
  auto positions = key_positions(base);
  for (auto& entry : overlay.children) {
    const auto found = positions.find(entry.key);
    if (found == positions.end()) {
      positions.emplace(entry.key, base.children.size());
      base.children.push_back(std::move(entry));
      continue;
    }
    HelmNode& existing = base.children[found->second];
    if (existing.is_map() && entry.is_map()) {
      merge_values(existing, std::move(entry));
    } else {
      existing = std::move(entry);
    }
  }
}

void coalesce_with_defaults(HelmNode& user, const HelmNode& defaults) {
  if (!user.is_map() || !defaults.is_map()) return;
  const auto positions = key_positions(user);
  std::vector<bool> deleted(user.children.size(), false);
  bool any_deleted = false;
  for (const auto& fallback : defaults.children) {
    const auto found = positions.find(fallback.key);
    if (found == positions.end()) {
      user.children.push_back(fallback);
      continue;
    }
    HelmNode& mine = user.children[found->second];
    if (mine.is_null()) {
      deleted[found->second] = true;  // a user null deletes the chart's default
      any_deleted = true;
    } else if (mine.is_map() && fallback.is_map()) {
      coalesce_with_defaults(mine, fallback);
    } else if (mine.is_scalar() && fallback.is_scalar() && mine.kind == fallback.kind && mine.text == fallback.text) {
      mine.same_as_default = true;
    }
  }
  if (!any_deleted) return;
  std::vector<HelmNode> kept;
  kept.reserve(user.children.size());
  for (std::size_t i = 0; i < user.children.size(); ++i) {
    if (i >= deleted.size() || !deleted[i]) kept.push_back(std::move(user.children[i]));
  }
  user.children = std::move(kept);
}

namespace {

constexpr std::size_t kMaxSetIndex = 65536;  // Helm's own bound on `a[N]=`
constexpr std::size_t kMaxSetDepth = 64;

struct PathPart {
  bool is_index = false;
  std::string name;
  std::size_t index = 0;
};

HelmNode typed_set_value(const std::string& text, bool as_string) {
  using Kind = HelmNode::Kind;
  HelmNode node = make_scalar(Kind::string, text);
  if (!as_string) {
    auto lower = text;
    for (auto& c : lower) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    if (lower == "true" || lower == "false") {
      node = make_scalar(Kind::boolean, lower);
    } else if (lower == "null") {
      node = HelmNode{};
    } else if (text == "0") {
      node = make_scalar(Kind::integer, "0");
    } else if (!text.empty() && text[0] != '0') {
      // strconv.ParseInt(val, 10, 64)
      std::size_t pos = text[0] == '+' || text[0] == '-' ? 1 : 0;
      bool digits = pos < text.size();
      for (std::size_t i = pos; i < text.size(); ++i) digits = digits && text[i] >= '0' && text[i] <= '9';
      if (digits && text.size() - pos <= 19) {
        errno = 0;
        const long long value = std::strtoll(text.c_str(), nullptr, 10);
        if (errno == 0) node = make_scalar(Kind::integer, std::to_string(value));
      }
    }
  }
  node.from_set = true;
  return node;
}

class SetParser {
 public:
  SetParser(std::string_view text, bool as_string) : text_(text), as_string_(as_string) {}

  Result<bool> apply(HelmNode& root) {
    while (pos_ < text_.size()) {
      std::vector<PathPart> path;
      if (auto problem = read_path(path)) return *problem;
      HelmNode value;
      if (pos_ < text_.size() && text_[pos_] == '{') {
        ++pos_;
        value = make_list();
        value.from_set = true;
        bool closed = false;
        while (pos_ < text_.size()) {
          const char stop = read_until(",}");
          if (!(stop == '}' && item_.empty() && value.children.empty()))
            value.children.push_back(typed_set_value(item_, as_string_));
          if (stop == '}') {
            closed = true;
            break;
          }
        }
        if (!closed) return error("a list value is missing its closing `}`");
      } else {
        const char stop = read_until(",");
        value = typed_set_value(item_, as_string_);
        if (stop == ',') --pos_;  // leave the separator for the loop
      }
      if (auto problem = assign(root, path, std::move(value))) return *problem;
      if (pos_ < text_.size()) {
        if (text_[pos_] != ',') return error("expected `,` between assignments");
        ++pos_;
      }
    }
    return true;
  }

 private:
  // After a `,` inside a value the rest of the value reads as a key: never quote it.
  static std::string no_value_message(std::string_view name) {
    return fmt::format("a key ({} characters) has no value; a `,` inside a value needs `\\,`", name.size());
  }

  // The assignment is named by its key alone: its value may be a password.
  Diagnostic error(std::string message) const {
    const std::size_t eq = text_.find('=');
    const std::string shown = eq == std::string_view::npos
                                  ? fmt::format("({} characters)", text_.size())
                                  : fmt::format("`{}=****`", text_.substr(0, std::min<std::size_t>(eq, 120)));
    return make_error({}, 0, fmt::format("{} {}: {}", as_string_ ? "--set-string" : "--set", shown, message),
                      "Helm syntax: a.b=value,list={x,y},items[0].name=value; escape dots and commas with `\\`");
  }

  // Reads a value up to one of `stops` (unescaped); consumes the stop character and returns it.
  char read_until(std::string_view stops) {
    item_.clear();
    while (pos_ < text_.size()) {
      const char c = text_[pos_++];
      if (c == '\\' && pos_ < text_.size()) {
        item_ += text_[pos_++];
      } else if (stops.find(c) != std::string_view::npos) {
        return c;
      } else {
        item_ += c;
      }
    }
    return '\0';
  }

  std::optional<Diagnostic> read_path(std::vector<PathPart>& path) {
    std::string name;
    bool after_index = false;
    while (pos_ < text_.size()) {
      const char c = text_[pos_++];
      if (c == '\\' && pos_ < text_.size()) {
        name += text_[pos_++];
      } else if (c == '.') {
        if (name.empty() && !after_index) return error("empty key in path");
        if (!name.empty()) path.push_back(PathPart{false, name, 0});
        name.clear();
        after_index = false;
      } else if (c == '[') {
        if (!name.empty()) path.push_back(PathPart{false, name, 0});
        name.clear();
        const auto close = text_.find(']', pos_);
        if (close == std::string_view::npos) return error("`[` without `]`");
        const std::string digits(text_.substr(pos_, close - pos_));
        if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos) {
          return error(fmt::format("list index `{}` is not a number", digits.substr(0, 20)));
        }
        if (digits.size() > 6 || std::stoul(digits) > kMaxSetIndex) return error("list index too large");
        path.push_back(PathPart{true, {}, std::stoul(digits)});
        pos_ = close + 1;
        after_index = true;
      } else if (c == '=') {
        if (!name.empty()) path.push_back(PathPart{false, name, 0});
        if (path.empty()) return error("empty key");
        // Values files nest a handful of levels; a path thousands deep only builds a tree whose
        // every later walk recurses as deep.
        if (path.size() > kMaxSetDepth) return error(fmt::format("a path deeper than {} levels", kMaxSetDepth));
        return std::nullopt;
      } else if (c == ',') {
        return error(no_value_message(name));
      } else {
        name += c;
      }
    }
    return error(no_value_message(name));
  }

  std::optional<Diagnostic> assign(HelmNode& root, const std::vector<PathPart>& path, HelmNode value) {
    HelmNode* current = &root;
    for (std::size_t i = 0; i < path.size(); ++i) {
      const PathPart& part = path[i];
      const bool last = i + 1 == path.size();
      if (!part.is_index) {
        if (!current->is_map()) {
          std::string key = current->key;
          *current = make_map();
          current->key = std::move(key);
          current->from_set = true;
        }
        HelmNode* child = current->find(part.name);
        if (child == nullptr) {
          HelmNode fresh;
          fresh.from_set = true;
          child = &current->set(part.name, std::move(fresh));
        }
        if (last) {
          value.key = part.name;
          *child = std::move(value);
          return std::nullopt;
        }
        current = child;
      } else {
        if (!current->is_list()) {
          std::string key = current->key;
          *current = make_list();
          current->key = std::move(key);
          current->from_set = true;
        }
        while (current->children.size() <= part.index) {
          HelmNode fresh;
          fresh.from_set = true;
          current->children.push_back(std::move(fresh));
        }
        HelmNode* child = &current->children[part.index];
        if (last) {
          *child = std::move(value);
          return std::nullopt;
        }
        current = child;
      }
    }
    return std::nullopt;
  }

  std::string_view text_;
  bool as_string_;
  std::size_t pos_ = 0;
  std::string item_;
};

}  // namespace

Result<bool> apply_set_argument(HelmNode& root, std::string_view argument, bool as_string) {
  if (!root.is_map()) root = make_map();
  return SetParser(argument, as_string).apply(root);
}

}  // namespace airguard
