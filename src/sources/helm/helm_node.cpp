#include "sources/helm/helm_node.hpp"

#include <nlohmann/json.hpp>

namespace airguard {

const HelmNode* HelmNode::find(std::string_view child_key) const {
  if (kind != Kind::map) return nullptr;
  for (const auto& child : children) {
    if (child.key == child_key) return &child;
  }
  return nullptr;
}

HelmNode* HelmNode::find(std::string_view child_key) {
  if (kind != Kind::map) return nullptr;
  for (auto& child : children) {
    if (child.key == child_key) return &child;
  }
  return nullptr;
}

HelmNode& HelmNode::set(std::string_view child_key, HelmNode value) {
  value.key = std::string(child_key);
  if (HelmNode* existing = find(child_key)) {
    *existing = std::move(value);
    return *existing;
  }
  children.push_back(std::move(value));
  return children.back();
}

bool HelmNode::erase(std::string_view child_key) {
  for (auto it = children.begin(); it != children.end(); ++it) {
    if (it->key == child_key) {
      children.erase(it);
      return true;
    }
  }
  return false;
}

std::size_t HelmNode::size() const {
  std::size_t total = 1;
  for (const auto& child : children) total += child.size();
  return total;
}

std::string_view to_string(HelmNode::Kind kind) {
  switch (kind) {
    case HelmNode::Kind::null_value:
      return "null";
    case HelmNode::Kind::boolean:
      return "bool";
    case HelmNode::Kind::integer:
      return "int";
    case HelmNode::Kind::floating:
      return "float";
    case HelmNode::Kind::string:
      return "string";
    case HelmNode::Kind::list:
      return "list";
    case HelmNode::Kind::map:
      return "map";
  }
  return "string";
}

HelmNode make_scalar(HelmNode::Kind kind, std::string text) {
  HelmNode node;
  node.kind = kind;
  node.text = std::move(text);
  return node;
}

HelmNode make_map() {
  HelmNode node;
  node.kind = HelmNode::Kind::map;
  return node;
}

HelmNode make_list() {
  HelmNode node;
  node.kind = HelmNode::Kind::list;
  return node;
}

namespace {

void append_json(const HelmNode& node, std::string& out, std::size_t max_chars) {
  if (out.size() > max_chars) return;
  switch (node.kind) {
    case HelmNode::Kind::null_value:
      out += "null";
      break;
    case HelmNode::Kind::boolean:
    case HelmNode::Kind::integer:
    case HelmNode::Kind::floating:
      out += node.text;
      break;
    case HelmNode::Kind::string:
      out += nlohmann::json(node.text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      break;
    case HelmNode::Kind::list: {
      out += '[';
      bool first = true;
      for (const auto& child : node.children) {
        if (!first) out += ',';
        first = false;
        append_json(child, out, max_chars);
      }
      out += ']';
      break;
    }
    case HelmNode::Kind::map: {
      out += '{';
      bool first = true;
      for (const auto& child : node.children) {
        if (!first) out += ',';
        first = false;
        out += nlohmann::json(child.key).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        out += ':';
        append_json(child, out, max_chars);
      }
      out += '}';
      break;
    }
  }
}

}  // namespace

std::string to_json_text(const HelmNode& node, std::size_t max_chars) {
  std::string out;
  append_json(node, out, max_chars);
  if (out.size() > max_chars) {
    out.resize(max_chars);
    out += "...";
  }
  return out;
}

std::vector<std::string> split_values_path(std::string_view path) {
  std::vector<std::string> parts;
  std::string current;
  bool have_current = false;
  for (std::size_t i = 0; i < path.size(); ++i) {
    const char c = path[i];
    if (c == '\\' && i + 1 < path.size()) {
      current += path[++i];
      have_current = true;
    } else if (c == '.') {
      if (have_current) parts.push_back(current);
      current.clear();
      have_current = false;
    } else if (c == '[') {
      if (have_current) parts.push_back(current);
      current.clear();
      const auto close = path.find(']', i);
      if (close == std::string_view::npos) {
        current = std::string(path.substr(i));
        have_current = true;
        break;
      }
      parts.push_back(std::string(path.substr(i, close - i + 1)));
      i = close;
      have_current = false;
    } else {
      current += c;
      have_current = true;
    }
  }
  if (have_current) parts.push_back(current);
  return parts;
}

}  // namespace airguard
