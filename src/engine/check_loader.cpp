#include "engine/check_loader.hpp"

#include <fmt/format.h>
#include <re2/re2.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <iterator>
#include <map>
#include <set>
#include <stdexcept>

#include "advisories/pep440.hpp"
#include "core/file_io.hpp"
#include "core/resources.hpp"
#include "core/text.hpp"
#include "engine/code_checks.hpp"
#include "engine/operators.hpp"
#include "engine/subjects.hpp"
#include "engine/yaml_util.hpp"

namespace airguard {

using yaml_util::line_of;

const CheckDef* CheckCatalog::find(std::string_view id) const {
  for (const CheckDef& check : checks) {
    if (check.id == id) return &check;
  }
  return nullptr;
}

void CheckCatalog::load_texts(CheckDef& check) const {
  if (check.has_texts()) return;
  // The compiled catalogue was read and bounds-checked on load; failing here is a broken build.
  if (!decode_check_texts(compiled, check)) throw std::logic_error("the compiled check catalogue is damaged");
}

std::optional<Condition> CheckCatalog::condition(const CheckDef& check) const {
  if (!check.condition_stored()) return check.fail_when;
  std::optional<Condition> stored;
  // The compiled catalogue was read and bounds-checked on load; failing here is a broken build.
  if (!decode_check_condition(compiled, check, stored))
    throw std::logic_error("the compiled check catalogue is damaged");
  return stored;
}

CheckDef CheckCatalog::with_texts(const CheckDef& check) const {
  CheckDef complete = check;
  load_texts(complete);
  return complete;
}

bool CheckCatalog::ok() const {
  return std::none_of(problems.begin(), problems.end(),
                      [](const Diagnostic& d) { return d.level == Diagnostic::Level::error; });
}

namespace {

const std::set<std::string>& check_fields() {
  static const std::set<std::string> fields = {"id",   "title",      "severity", "airflow",   "option",   "wsc",
                                               "helm", "env",        "kind",     "fail_when", "evidence", "rationale",
                                               "fix",  "references", "tags",     "areas",     "default",  "examples"};
  return fields;
}

bool is_subject_key(const std::string& key) { return find_subject(key) != nullptr; }

struct Reader {
  const std::string& file;
  Diagnostics& problems;

  void error(const YAML::Node& node, std::string message, std::string hint = {}) {
    problems.push_back(make_error(file, line_of(node), std::move(message), std::move(hint)));
  }

  bool operand(const YAML::Node& node, OperandKind kind, Condition& out, const std::string& op) {
    if (node.IsMap() && node["param"] && kind != OperandKind::conditions && kind != OperandKind::condition) {
      return yaml_util::scalar(node["param"], out.param, file, fmt::format("the param of '{}'", op), problems);
    }
    switch (kind) {
      case OperandKind::none_or_bool: {
        std::string text;
        if (!yaml_util::scalar(node, text, file, fmt::format("the operand of '{}'", op), problems)) return false;
        const auto value = lenient_boolean(text);
        if (!value) {
          error(node, fmt::format("'{}' takes true or false, not '{}'", op, text));
          return false;
        }
        out.args = {*value ? "true" : "false"};
        return true;
      }
      case OperandKind::scalar:
      case OperandKind::specifier: {
        std::string text;
        if (!yaml_util::scalar(node, text, file, fmt::format("the operand of '{}'", op), problems)) return false;
        out.args = {text};
        return true;
      }
      case OperandKind::number: {
        std::string text;
        if (!yaml_util::scalar(node, text, file, fmt::format("the operand of '{}'", op), problems)) return false;
        char* end = nullptr;
        std::strtod(text.c_str(), &end);
        if (text.empty() || *end != '\0') {
          error(node, fmt::format("'{}' takes a number, not '{}'", op, text));
          return false;
        }
        out.args = {text};
        return true;
      }
      case OperandKind::list:
        return yaml_util::scalar_list(node, out.args, file, fmt::format("the operand of '{}'", op), problems);
      case OperandKind::conditions: {
        if (!node.IsSequence() || node.size() == 0) {
          error(node, fmt::format("'{}' takes a non-empty list of conditions", op));
          return false;
        }
        for (const auto& child : node) {
          Condition c;
          if (!condition(child, c)) return false;
          out.children.push_back(std::move(c));
        }
        return true;
      }
      case OperandKind::condition: {
        Condition c;
        if (!condition(node, c)) return false;
        out.children.push_back(std::move(c));
        return true;
      }
    }
    return false;
  }

  bool condition(const YAML::Node& node, Condition& out) {
    out.line = line_of(node);
    if (!node.IsMap()) {
      error(node, "a condition must be a mapping such as {bool: true}");
      return false;
    }
    std::string op_name;
    YAML::Node op_node;
    for (const auto& entry : node) {
      const std::string key = entry.first.Scalar();
      if (is_subject_key(key)) {
        out.subject_kind = key;
        if (!yaml_util::scalar_list(entry.second, out.subject, file, fmt::format("'{}'", key), problems)) return false;
        continue;
      }
      if (find_operator(key) == nullptr) {
        std::vector<std::string> names;
        for (const auto& info : operator_registry()) names.emplace_back(info.name);
        error(entry.first, fmt::format("unknown operator '{}'", key), fmt::format("operators: {}", join(names, ", ")));
        return false;
      }
      if (!op_name.empty()) {
        error(entry.first, fmt::format("a condition has one operator, found '{}' and '{}'", op_name, key),
              "combine them with all: or any:");
        return false;
      }
      op_name = key;
      op_node = entry.second;
    }
    if (op_name.empty()) {
      error(node, "a condition needs an operator");
      return false;
    }
    out.op = op_name;
    const OperatorInfo* info = find_operator(op_name);
    if (!operand(op_node, info->operand, out, op_name)) return false;
    if (op_name == "matches" && out.param.empty()) {
      RE2::Options options;
      options.set_log_errors(false);
      const RE2 re(out.args.front(), options);
      if (!re.ok()) {
        error(op_node, fmt::format("invalid regular expression: {}", re.error()));
        return false;
      }
    }
    if (op_name == "version" && !SpecifierSet::parse(out.args.front())) {
      error(op_node, fmt::format("invalid version specifier '{}'", out.args.front()));
      return false;
    }
    return true;
  }

  void fix(const YAML::Node& node, CheckFix& out) {
    if (!node.IsMap()) {
      error(node, "fix must be a mapping with summary and value, remove, helm or text");
      return;
    }
    for (const auto& entry : node) {
      const std::string key = entry.first.Scalar();
      std::string text;
      if (key == "summary" && yaml_util::scalar(entry.second, text, file, "fix.summary", problems)) {
        out.summary = std::string(trim(text));
      } else if (key == "value" && yaml_util::scalar(entry.second, text, file, "fix.value", problems)) {
        out.value = text;
      } else if (key == "remove" && yaml_util::scalar(entry.second, text, file, "fix.remove", problems)) {
        out.remove = lenient_boolean(text).value_or(false);
      } else if (key == "helm" && yaml_util::scalar(entry.second, text, file, "fix.helm", problems)) {
        out.helm = std::string(trim(text));
      } else if (key == "text" && yaml_util::scalar(entry.second, text, file, "fix.text", problems)) {
        out.text = std::string(trim(text));
      } else if (key != "summary" && key != "value" && key != "remove" && key != "helm" && key != "text") {
        error(entry.first, fmt::format("unknown field fix.{}", key), "fix takes summary, value, remove, helm, text");
      }
    }
    if (out.summary.empty()) error(node, "fix needs a summary");
  }

  void examples(const YAML::Node& node, std::vector<CheckExample>& out) {
    if (!node.IsSequence()) {
      error(node, "examples must be a list of {fail: ...} or {pass: ...}");
      return;
    }
    for (const auto& item : node) {
      if (!item.IsMap() || item.size() != 1 || !(item["fail"] || item["pass"])) {
        error(item, "each example is {fail: {...}} or {pass: {...}}");
        continue;
      }
      CheckExample example;
      example.expect_fail = static_cast<bool>(item["fail"]);
      example.line = line_of(item);
      const YAML::Node body = example.expect_fail ? item["fail"] : item["pass"];
      if (!body.IsMap()) {
        error(body, "an example is a mapping with cfg, env, wsc, helm, airflow");
        continue;
      }
      for (const auto& entry : body) {
        const std::string key = entry.first.Scalar();
        if (key == "env") {
          if (!entry.second.IsMap()) {
            error(entry.second, "example env must be a mapping of variable names to values");
            continue;
          }
          for (const auto& var : entry.second) example.cfg_env[var.first.Scalar()] = var.second.Scalar();
        } else if (key == "cfg" || key == "wsc" || key == "helm" || key == "airflow" || key == "profile") {
          std::string text;
          if (!yaml_util::scalar(entry.second, text, file, fmt::format("example {}", key), problems)) continue;
          if (key == "cfg") example.cfg = text;
          if (key == "wsc") example.wsc = text;
          if (key == "helm") example.helm = text;
          if (key == "airflow") example.airflow_version = text;
          if (key == "profile") example.profile = text;
        } else {
          error(entry.first, fmt::format("unknown example field '{}'", key),
                "examples take cfg, env, wsc, helm, airflow, profile");
        }
      }
      out.push_back(std::move(example));
    }
  }

  std::optional<CheckDef> check(const YAML::Node& node) {
    if (!node.IsMap()) {
      error(node, "each entry of checks: must be a mapping");
      return std::nullopt;
    }
    CheckDef def;
    def.file = file;
    def.line = line_of(node);
    const std::size_t errors_before = problems.size();
    for (const auto& entry : node) {
      const std::string key = entry.first.Scalar();
      if (check_fields().count(key) == 0) {
        error(entry.first, fmt::format("unknown field '{}'", key),
              fmt::format("a check takes {}",
                          join(std::vector<std::string>(check_fields().begin(), check_fields().end()), ", ")));
      }
    }
    std::string text;
    if (!node["id"] || !yaml_util::scalar(node["id"], def.id, file, "id", problems) || def.id.empty()) {
      error(node, "a check needs an id");
      return std::nullopt;
    }
    if (!node["title"] || !yaml_util::scalar(node["title"], def.title, file, "title", problems)) {
      error(node, fmt::format("check {} needs a title", def.id));
    }
    if (!node["severity"] || !yaml_util::scalar(node["severity"], text, file, "severity", problems)) {
      error(node, fmt::format("check {} needs a severity", def.id));
    } else if (const auto severity = parse_severity(text)) {
      def.severity = *severity;
    } else {
      error(node["severity"], fmt::format("unknown severity '{}'", text), "use info, low, medium, high or critical");
    }
    if (node["airflow"] && yaml_util::scalar(node["airflow"], def.airflow_versions, file, "airflow", problems)) {
      if (!SpecifierSet::parse(def.airflow_versions)) {
        error(node["airflow"], fmt::format("invalid version specifier '{}'", def.airflow_versions),
              "for example \">=2.7,<3\"");
      }
    }
    int subjects = 0;
    for (const SubjectInfo& subject : subject_registry()) {
      const std::string kind(subject.kind);
      if (!node[kind]) continue;
      ++subjects;
      def.subject_kind = kind;
      yaml_util::scalar_list(node[kind], def.subject, file, kind, problems);
    }
    if (node["kind"]) {
      if (yaml_util::scalar(node["kind"], text, file, "kind", problems) && text != "code") {
        error(node["kind"], fmt::format("unknown kind '{}'", text), "the only kind is `code`");
      }
      ++subjects;
      def.subject_kind = "code";
    }
    if (subjects != 1) {
      error(node, fmt::format("check {} needs exactly one subject: option, env, wsc, helm, or kind: code", def.id));
    }
    if (def.subject_kind == "code") {
      if (node["fail_when"]) error(node["fail_when"], "a code check has no fail_when: its function decides");
    } else if (!node["fail_when"]) {
      error(node, fmt::format("check {} needs fail_when", def.id));
    } else {
      Condition condition;
      if (this->condition(node["fail_when"], condition)) def.fail_when = std::move(condition);
    }
    if (node["evidence"]) yaml_util::scalar(node["evidence"], def.evidence, file, "evidence", problems);
    if (!node["rationale"] || !yaml_util::scalar(node["rationale"], def.rationale, file, "rationale", problems)) {
      error(node, fmt::format("check {} needs a rationale", def.id));
    }
    if (node["fix"]) {
      fix(node["fix"], def.fix);
    } else {
      error(node, fmt::format("check {} needs a fix", def.id));
    }
    if (node["references"]) yaml_util::scalar_list(node["references"], def.references, file, "references", problems);
    if (node["tags"]) yaml_util::scalar_list(node["tags"], def.tags, file, "tags", problems);
    if (node["areas"]) yaml_util::scalar_list(node["areas"], def.areas, file, "areas", problems);
    if (node["default"] && yaml_util::scalar(node["default"], text, file, "default", problems)) {
      def.enabled_by_default = lenient_boolean(text).value_or(true);
    }
    if (node["examples"]) examples(node["examples"], def.examples);
    if (problems.size() != errors_before) return std::nullopt;
    return def;
  }
};

std::vector<std::string> yaml_files_under(const std::string& path, Diagnostics& problems) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<std::string> files;
  if (fs::is_directory(path, ec)) {
    for (fs::recursive_directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
      const auto ext = it->path().extension();
      if (it->is_regular_file(ec) && (ext == ".yaml" || ext == ".yml")) files.push_back(it->path().string());
    }
    std::sort(files.begin(), files.end());
  } else if (fs::exists(path, ec)) {
    files.push_back(path);
  } else {
    problems.push_back(make_error(path, 0, "no such file or directory"));
  }
  return files;
}

}  // namespace

std::vector<CheckDef> parse_checks_file(std::string_view text, const std::string& file, Diagnostics& problems) {
  std::vector<CheckDef> checks;
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    problems.push_back(
        make_error(file, e.mark.is_null() ? 0 : e.mark.line + 1, fmt::format("invalid YAML: {}", e.msg)));
    return checks;
  }
  if (!root.IsMap() || !root["checks"]) {
    problems.push_back(make_error(file, line_of(root), "a checks file is a mapping with `schema: 1` and `checks:`"));
    return checks;
  }
  if (!root["schema"] || !root["schema"].IsScalar() || root["schema"].Scalar() != "1") {
    problems.push_back(
        make_error(file, line_of(root), "unsupported or missing schema", "this airguard reads `schema: 1`"));
    return checks;
  }
  const YAML::Node list = root["checks"];
  if (!list.IsSequence()) {
    problems.push_back(make_error(file, line_of(list), "checks: must be a list"));
    return checks;
  }
  Reader reader{file, problems};
  for (const auto& node : list) {
    if (auto check = reader.check(node)) checks.push_back(std::move(*check));
  }
  return checks;
}

void validate_catalog(CheckCatalog& catalog) {
  std::sort(catalog.checks.begin(), catalog.checks.end(),
            [](const CheckDef& a, const CheckDef& b) { return a.id < b.id; });
  for (std::size_t i = 1; i < catalog.checks.size(); ++i) {
    if (catalog.checks[i].id == catalog.checks[i - 1].id) {
      const CheckDef& first = catalog.checks[i - 1];
      catalog.problems.push_back(make_error(catalog.checks[i].file, catalog.checks[i].line,
                                            fmt::format("duplicate check id {}", catalog.checks[i].id),
                                            fmt::format("first defined at {}:{}", first.file, first.line)));
    }
  }
  std::set<std::string_view> registered;
  for (const CodeCheckEntry& entry : code_check_registry()) registered.insert(entry.id);
  for (const CheckDef& check : catalog.checks) {
    if (check.subject_kind == "code" && registered.count(check.id) == 0) {
      catalog.problems.push_back(
          make_error(check.file, check.line,
                     fmt::format("check {} is `kind: code` but no function is registered under that id", check.id)));
    }
  }
  for (std::string_view id : registered) {
    if (catalog.find(id) == nullptr) {
      catalog.problems.push_back(make_error("", 0, fmt::format("code check {} has no definition in checks/", id)));
    }
  }
}

CheckCatalog parse_builtin_check_catalog() {
  CheckCatalog catalog;
  for (std::string_view name : embedded_resources_under("checks/")) {
    const auto text = embedded_resource(name);
    auto checks = parse_checks_file(*text, std::string(name), catalog.problems);
    std::move(checks.begin(), checks.end(), std::back_inserter(catalog.checks));
  }
  return catalog;
}

CheckCatalog load_check_catalog(const std::vector<std::string>& extra_paths, CheckExamples examples, CheckTexts texts,
                                CheckConditions conditions) {
  // The build validated the built-in checks and stored them in binary form: parsing 270 KB of
  // YAML took most of a scan's time.
  CheckCatalog catalog;
  const auto compiled = compiled_resource("checks");
  auto decoded = compiled ? decode_checks(*compiled, examples, texts, conditions) : std::nullopt;
  if (decoded) {
    catalog.checks = std::move(*decoded);
    if (texts == CheckTexts::on_demand || conditions == CheckConditions::on_demand) catalog.compiled = *compiled;
  } else {
    catalog = parse_builtin_check_catalog();
  }
  for (const std::string& path : extra_paths) {
    for (const std::string& file : yaml_files_under(path, catalog.problems)) {
      auto text = read_text_file(file);
      if (!text) {
        catalog.problems.push_back(text.error());
        continue;
      }
      auto checks = parse_checks_file(*text, file, catalog.problems);
      catalog.checks.insert(catalog.checks.end(), checks.begin(), checks.end());
    }
  }
  // The build validated the compiled catalogue with this same code (src/tools/compile_data.cpp).
  if (!decoded || !extra_paths.empty()) validate_catalog(catalog);
  if (examples == CheckExamples::skip) {
    for (CheckDef& check : catalog.checks) check.examples = {};
  }
  return catalog;
}

}  // namespace airguard
