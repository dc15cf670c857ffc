#include "sources/helm/helm_values.hpp"

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>
#include <tuple>

#include "core/file_io.hpp"
#include "core/resources.hpp"
#include "core/text.hpp"
#include "sources/helm/helm_merge.hpp"
#include "sources/helm/helm_schema.hpp"
#include "sources/helm/helm_version.hpp"

namespace airguard {

namespace {

HelmNode node_from_json(const nlohmann::json& value) {
  using Kind = HelmNode::Kind;
  if (value.is_null()) return HelmNode{};
  if (value.is_boolean()) return make_scalar(Kind::boolean, value.get<bool>() ? "true" : "false");
  if (value.is_number_integer()) return make_scalar(Kind::integer, value.dump());
  if (value.is_number_float()) {
    std::string text = fmt::format("{}", value.get<double>());
    if (text.size() > 2 && text.compare(text.size() - 2, 2, ".0") == 0) text.resize(text.size() - 2);
    return make_scalar(Kind::floating, text);
  }
  if (value.is_string()) return make_scalar(Kind::string, value.get<std::string>());
  if (value.is_array()) {
    HelmNode list = make_list();
    for (const auto& item : value) list.children.push_back(node_from_json(item));
    return list;
  }
  HelmNode map = make_map();
  for (const auto& [key, item] : value.items()) map.set(key, node_from_json(item));
  return map;
}

std::optional<nlohmann::ordered_json> embedded_json(const std::string& path) {
  const auto text = embedded_resource(path);
  if (!text) return std::nullopt;
  auto parsed = nlohmann::ordered_json::parse(*text, nullptr, false);
  if (parsed.is_discarded()) return std::nullopt;
  return parsed;
}

HelmNode ordered_to_node(const nlohmann::ordered_json& value) {
  using Kind = HelmNode::Kind;
  if (value.is_object()) {
    HelmNode map = make_map();
    for (const auto& [key, item] : value.items()) map.set(key, ordered_to_node(item));
    return map;
  }
  if (value.is_array()) {
    HelmNode list = make_list();
    for (const auto& item : value) list.children.push_back(ordered_to_node(item));
    return list;
  }
  if (value.is_null()) return HelmNode{};
  if (value.is_boolean()) return make_scalar(Kind::boolean, value.get<bool>() ? "true" : "false");
  if (value.is_string()) return make_scalar(Kind::string, value.get<std::string>());
  return node_from_json(nlohmann::json::parse(value.dump()));
}

struct ChartRow {
  std::string chart_version;
  std::string airflow_version;
};

const std::vector<ChartRow>& chart_rows() {
  static const std::vector<ChartRow> rows = [] {
    std::vector<ChartRow> out;
    if (auto charts = embedded_json("data/helm/charts.json")) {
      for (const auto& row : (*charts)["charts"]) {
        out.push_back(ChartRow{row.value("chart_version", ""), row.value("airflowVersion", "")});
      }
    }
    return out;
  }();
  return rows;
}

std::optional<HelmNode> official_defaults(const std::string& chart_version) {
  auto data = embedded_json(fmt::format("data/helm/values-{}.json", chart_version));
  if (!data || !data->contains("values")) return std::nullopt;
  return ordered_to_node((*data)["values"]);
}

std::optional<HelmNode> community_defaults() {
  auto data = embedded_json("data/helm/community-defaults.json");
  if (!data || !data->contains("values")) return std::nullopt;
  return ordered_to_node((*data)["values"]);
}

// (major, minor, patch) of "2.10.5"; nullopt when the text does not start with a version.
std::optional<std::tuple<int, int, int>> parse_version(std::string_view text) {
  const auto version = parse_leading_version(text);
  if (!version) return std::nullopt;
  return version->base();
}

std::string version_text(const std::tuple<int, int, int>& version) {
  return fmt::format("{}.{}.{}", std::get<0>(version), std::get<1>(version), std::get<2>(version));
}

bool is_release(const std::string& chart_version) { return chart_version.find('-') == std::string::npos; }

bool has_any(const HelmNode* map, std::initializer_list<std::string_view> keys) {
  if (map == nullptr || !map->is_map()) return false;
  return std::any_of(keys.begin(), keys.end(), [&](std::string_view key) { return map->find(key) != nullptr; });
}

bool sensitive_path(std::string_view path) {
  const auto dot = path.rfind('.');
  const std::string last = to_lower(dot == std::string_view::npos ? path : path.substr(dot + 1));
  auto ends_with = [&](std::string_view suffix) {
    return last.size() >= suffix.size() && last.compare(last.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  if (ends_with("secretname") || ends_with("secretkeyref") || last == "automountserviceaccounttoken") return false;
  return ends_with("password") || last == "pass" || ends_with("secretkey") || last == "fernetkey" ||
         last == "jwtsecret" || ends_with("token") || last.find("sql_alchemy_conn") != std::string::npos ||
         last == "broker_url" || last == "result_backend" || last == "secret_key" || last == "jwt_secret" ||
         last == "fernet_key" || last == "value";
}

}  // namespace

std::vector<std::string> known_chart_versions() {
  std::vector<std::string> out;
  for (const auto& row : chart_rows()) out.push_back(row.chart_version);
  return out;
}

std::string default_chart_version() {
  std::string newest;
  for (const auto& row : chart_rows()) {
    if (is_release(row.chart_version)) newest = row.chart_version;
  }
  return newest;
}

std::string chart_default_airflow_version(std::string_view chart_version) {
  for (const auto& row : chart_rows()) {
    if (row.chart_version == chart_version) return row.airflow_version;
  }
  return {};
}

// ---------------------------------------------------------------------------------------------

namespace {

struct VersionClue {
  std::string version;  // "2.10.5"
  std::string where;    // "values.yaml:3 (airflowVersion)"
  Origin origin;        // the value's file:line
};

std::string describe_node(const HelmValues& values, const HelmNode& node, std::string_view path) {
  return values.origin_of(node, path).describe();
}

std::optional<VersionClue> version_from_user_values(const HelmValues& values, const HelmNode& root, HelmChart chart) {
  std::vector<std::string> paths;
  if (chart == HelmChart::community) {
    paths = {"airflow.image.tag"};
  } else {
    paths = {"images.airflow.tag", "airflowVersion", "defaultAirflowTag"};
  }
  for (const auto& path : paths) {
    const HelmNode* node = &root;
    for (const auto& part : split_values_path(path)) {
      node = node != nullptr ? node->find(part) : nullptr;
    }
    if (node == nullptr || node->is_default() || !node->is_scalar() || node->is_null()) continue;
    if (auto version = parse_version(node->text)) {
      return VersionClue{version_text(*version), describe_node(values, *node, path), values.origin_of(*node, path)};
    }
  }
  return std::nullopt;
}

// Which chart the merged user values are written for, and whether an umbrella chart nests them.
std::pair<HelmChart, std::string> detect_chart(const HelmNode& root) {
  const HelmNode* airflow = root.find("airflow");
  const bool official_top = has_any(&root, {"webserverSecretKeySecretName",
                                            "fernetKeySecretName",
                                            "webserverSecretKey",
                                            "fernetKey",
                                            "createUserJob",
                                            "images",
                                            "defaultAirflowTag",
                                            "airflowVersion",
                                            "data",
                                            "apiServer",
                                            "dagProcessor",
                                            "migrateDatabaseJob",
                                            "webserver",
                                            "networkPolicies",
                                            "securityContexts",
                                            "extraEnv",
                                            "env",
                                            "config",
                                            "executor",
                                            "multiNamespaceMode",
                                            "useStandardNaming",
                                            "defaultAirflowRepository",
                                            "allowPodLaunching",
                                            "elasticsearch",
                                            "statsd",
                                            "cleanup",
                                            "enableBuiltInSecretEnvVars",
                                            "apiSecretKey",
                                            "jwtSecret"});
  if (official_top || airflow == nullptr || !airflow->is_map()) return {HelmChart::official, ""};
  const bool official_nested = has_any(airflow, {"webserver",
                                                 "images",
                                                 "createUserJob",
                                                 "airflowVersion",
                                                 "defaultAirflowTag",
                                                 "defaultAirflowRepository",
                                                 "data",
                                                 "apiServer",
                                                 "dagProcessor",
                                                 "migrateDatabaseJob",
                                                 "scheduler",
                                                 "workers",
                                                 "postgresql",
                                                 "redis",
                                                 "dags",
                                                 "ingress",
                                                 "triggerer",
                                                 "flower",
                                                 "pgbouncer",
                                                 "logs",
                                                 "fernetKeySecretName",
                                                 "webserverSecretKeySecretName",
                                                 "useStandardNaming",
                                                 "networkPolicies",
                                                 "securityContexts",
                                                 "env",
                                                 "enabled",
                                                 "airflowHome",
                                                 "statsd"});
  const bool community =
      has_any(&root, {"web", "externalDatabase", "externalRedis", "logsPersistence", "serviceMonitor", "prometheusRule",
                      "extraManifests"}) ||
      has_any(airflow, {"legacyCommands", "users", "usersUpdate", "connections", "variables", "pools",
                        "kubernetesPodTemplate", "extraPipPackages", "dbMigrations", "sync", "defaultSecurityContext",
                        "clusterDomain", "image", "configSecretsName", "connectionsUpdate", "variablesUpdate"});
  if (official_nested && !has_any(&root, {"web", "externalDatabase"})) return {HelmChart::official, "airflow"};
  if (community) return {HelmChart::community, ""};
  return {HelmChart::official, ""};
}

}  // namespace

Result<HelmValues> HelmValues::build(const HelmInputs& inputs) {
  HelmValues values;
  HelmNode merged = make_map();
  for (std::size_t i = 0; i < inputs.values_files.size(); ++i) {
    const auto& source = inputs.values_files[i];
    values.files.push_back(source.path);
    auto parsed = parse_values_yaml(source.text, source.path, static_cast<int>(i), inputs.limits);
    if (!parsed) return parsed.error();
    values.duplicates.insert(values.duplicates.end(), parsed->duplicates.begin(), parsed->duplicates.end());
    values.notes.insert(values.notes.end(), parsed->warnings.begin(), parsed->warnings.end());
    merge_values(merged, std::move(parsed->root));
  }
  for (const auto& argument : inputs.set) {
    auto applied = apply_set_argument(merged, argument, false);
    if (!applied) return applied.error();
  }
  for (const auto& argument : inputs.set_string) {
    auto applied = apply_set_argument(merged, argument, true);
    if (!applied) return applied.error();
  }

  auto [chart, nested] = detect_chart(merged);
  values.chart = chart;
  values.nested_under = nested;
  if (!nested.empty()) {
    HelmNode inner = *merged.find(nested);
    inner.key.clear();
    merged = std::move(inner);
    values.notes.push_back(make_note(values.files.empty() ? std::string() : values.files.front(), 0,
                                     fmt::format("the official chart's values sit under `{}:` (an umbrella chart); "
                                                 "scanning that part",
                                                 nested)));
  }

  HelmNode defaults = make_map();
  if (chart == HelmChart::community) {
    values.chart_version = "community";
    values.chart_version_source = "airflow-helm/charts (community chart) recognized from its keys";
    if (auto community = community_defaults()) defaults = std::move(*community);
    values.notes.push_back(make_note(values.files.empty() ? std::string() : values.files.front(), 0,
                                     "values for the community chart airflow-helm/charts (not apache-airflow/airflow); "
                                     "judged against its published defaults"));
  } else if (inputs.chart_defaults) {
    auto parsed = parse_values_yaml(inputs.chart_defaults->text, inputs.chart_defaults->path, -1, inputs.limits);
    if (!parsed) return parsed.error();
    defaults = std::move(parsed->root);
    values.chart_version = inputs.chart_version.empty() ? std::string("custom") : inputs.chart_version;
    values.chart_version_source = fmt::format("--chart-defaults {}", inputs.chart_defaults->path);
  } else {
    auto choice = choose_chart_version(values, merged, inputs.chart_version, inputs.airflow_version_hint);
    if (!choice) return choice.error();
    values.chart_version = choice->chart_version;
    values.chart_version_source = choice->source;
    values.chart_version_assumed = choice->assumed;
    values.notes.insert(values.notes.end(), choice->notes.begin(), choice->notes.end());
    if (auto chart_defaults = official_defaults(values.chart_version)) defaults = std::move(*chart_defaults);
  }
  coalesce_with_defaults(merged, defaults);
  values.root_ = std::move(merged);
  values.interpret(inputs);
  if (auto note = unlisted_unknown_keys_note(values)) values.notes.push_back(std::move(*note));
  return values;
}

void HelmValues::interpret(const HelmInputs& inputs) {
  if (auto clue = version_from_user_values(*this, root_, chart)) {
    airflow_version = clue->version;
    airflow_version_source = clue->where;
    airflow_version_origin = clue->origin;
  } else if (chart == HelmChart::official) {
    if (const HelmNode* version = node("airflowVersion"); version != nullptr && version->is_scalar()) {
      airflow_version = version->text;
      airflow_version_source = fmt::format("chart {} default airflowVersion", chart_version);
    }
    if (airflow_version.empty() && !inputs.airflow_version_hint.empty()) {
      airflow_version = inputs.airflow_version_hint;
      airflow_version_source = "--airflow-version";
    }
  }
  if (chart == HelmChart::official) {
    build_config();
    build_env();
  } else {
    build_community_env();
  }
}

const HelmNode* HelmValues::node(std::string_view path) const {
  const HelmNode* current = &root_;
  for (const auto& part : split_values_path(path)) {
    if (current == nullptr) return nullptr;
    if (part.size() > 2 && part.front() == '[' && part.back() == ']') {
      if (!current->is_list()) return nullptr;
      const std::size_t index = std::strtoul(part.c_str() + 1, nullptr, 10);
      current = index < current->children.size() ? &current->children[index] : nullptr;
    } else {
      current = current->find(part);
    }
  }
  return current;
}

Origin HelmValues::origin_of(const HelmNode& value, std::string_view path) const {
  Origin origin;
  origin.kind = SourceKind::helm;
  origin.name = nested_under.empty() ? std::string(path) : fmt::format("{}.{}", nested_under, path);
  if (value.from_set) {
    origin.file = "--set";
    origin.name = std::string(path);
  } else if (value.file_index >= 0 && static_cast<std::size_t>(value.file_index) < files.size()) {
    origin.file = files[static_cast<std::size_t>(value.file_index)];
    origin.line = value.line;
    origin.column = value.column;
  } else {
    origin.name = std::string(path);
  }
  return origin;
}

std::string HelmValues::fix_target(const HelmNode* value) const {
  if (value != nullptr && value->file_index >= 0 && static_cast<std::size_t>(value->file_index) < files.size()) {
    return fmt::format("{}:{}", files[static_cast<std::size_t>(value->file_index)], value->line);
  }
  if (!files.empty()) return fmt::format("{} (chart default; add the setting)", files.back());
  return "a values file (chart default)";
}

std::vector<Fact> HelmValues::facts(std::string_view path) const {
  std::vector<std::pair<const HelmNode*, std::string>> frontier = {{&root_, std::string()}};
  for (const auto& part : split_values_path(path)) {
    std::vector<std::pair<const HelmNode*, std::string>> next;
    for (const auto& [current, current_path] : frontier) {
      // An init-capture: clang before 16 cannot capture a structured binding.
      auto join_path = [&prefix = current_path](const std::string& segment, bool index) {
        if (index) return prefix + segment;
        return prefix.empty() ? segment : prefix + "." + segment;
      };
      if (part == "*") {
        for (std::size_t i = 0; i < current->children.size(); ++i) {
          const HelmNode& child = current->children[i];
          if (current->is_map()) next.emplace_back(&child, join_path(child.key, false));
          if (current->is_list()) next.emplace_back(&child, join_path(fmt::format("[{}]", i), true));
        }
      } else if (part.size() > 2 && part.front() == '[' && part.back() == ']') {
        const std::size_t index = std::strtoul(part.c_str() + 1, nullptr, 10);
        if (current->is_list() && index < current->children.size()) {
          next.emplace_back(&current->children[index], join_path(part, true));
        }
      } else if (const HelmNode* child = current->find(part)) {
        next.emplace_back(child, join_path(part, false));
      }
    }
    frontier = std::move(next);
  }
  std::vector<Fact> out;
  for (const auto& [value, value_path] : frontier) {
    Fact fact;
    fact.key = value_path;
    fact.type = std::string(to_string(value->kind));
    if (value->is_null()) {
      fact.value = std::nullopt;
    } else if (value->is_scalar()) {
      fact.value = value->text;
    } else {
      fact.value = to_json_text(*value);
    }
    fact.is_set = !value->is_default();
    fact.sensitive = sensitive_path(value_path);
    fact.origin = origin_of(*value, value_path);
    out.push_back(std::move(fact));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// config: and env:

namespace {

bool truthy(const HelmNode* value) {
  if (value == nullptr || value->is_null()) return false;
  if (value->kind == HelmNode::Kind::boolean) return value->text == "true";
  if (value->is_scalar()) return !value->text.empty() && value->text != "0";
  return !value->children.empty();
}

// The chart passes every `config:` value through `tpl` (templates/configmaps/configmap.yaml,
// `{{ $key }} = {{ tpl ($val | toString) $Global }}`, the same in charts 1.15.0 ff7463b162 to
// 1.19.0 f17d6ffb05). The shapes its own defaults use are evaluated so checks see what Airflow
// reads; anything else is left as written and flagged as not rendered.
struct RenderedValue {
  std::string text;
  bool rendered = true;
};

RenderedValue render_chart_template(const HelmValues& values, const std::string& raw) {
  if (raw.find("{{") == std::string::npos) return {raw, true};
  // RE2, not std::regex, which recurses once per character and overflows the stack on long values.
  static const RE2 value_ref(R"(\{\{-?\s*\.Values\.([A-Za-z0-9_.]+)\s*-?\}\})");
  static const RE2 ternary_ref(
      R"re(\{\{-?\s*ternary\s+"([^"]*)"\s+"([^"]*)"\s+\(?\s*(or\s+)?\.Values\.([A-Za-z0-9_.]+)(\s+\.Values\.([A-Za-z0-9_.]+))?\s*\)?\s*-?\}\})re");
  // `{{ printf "%s-statsd" (include "airflow.fullname" .) }}`: the release's full name and a
  // suffix, i.e. a Service name (statsd_host in every chart version).
  static const RE2 fullname_suffix(
      R"re(\{\{-?\s*printf\s+"%s-([A-Za-z0-9-]+)"\s+\(\s*include\s+"airflow\.fullname"\s+\.\s*\)\s*-?\}\})re");
  std::string path;
  if (RE2::FullMatch(raw, value_ref, &path)) {
    const HelmNode* value = values.node(path);
    if (value != nullptr && value->is_scalar() && !value->is_null()) return {value->text, true};
    return {raw, false};
  }
  std::string when_true, when_false, or_word, first, second_group, second;
  if (RE2::FullMatch(raw, ternary_ref, &when_true, &when_false, &or_word, &first, &second_group, &second)) {
    bool condition = truthy(values.node(first));
    if (!second.empty()) condition = condition || truthy(values.node(second));
    return {condition ? when_true : when_false, true};
  }
  std::string suffix;
  if (RE2::FullMatch(raw, fullname_suffix, &suffix)) return {fmt::format("RELEASE-{}", suffix), true};
  return {raw, false};
}

std::string url_escape(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += c;
    } else {
      out += fmt::format("%{:02X}", byte);
    }
  }
  return out;
}

bool present_text(const HelmNode* value) { return value != nullptr && value->is_scalar() && !value->text.empty(); }

std::string scalar_or(const HelmNode* value, std::string fallback) {
  if (value == nullptr || value->is_null() || !value->is_scalar()) return fallback;
  return value->text;
}

}  // namespace

std::string HelmValues::release_secret(std::string_view suffix) const { return fmt::format("RELEASE-{}", suffix); }

void HelmValues::build_config() {
  config_as_cfg = CfgFile{};
  config_as_cfg.path = files.empty() ? std::string("chart values") : files.back();
  const HelmNode* config = node("config");
  if (config == nullptr || !config->is_map()) return;
  for (const auto& section : config->children) {
    if (!section.is_map()) continue;
    CfgSection cfg_section;
    cfg_section.name = section.key;
    cfg_section.line = section.file_index >= 0 ? section.line : 0;
    for (const auto& option : section.children) {
      if (option.is_null() || !option.is_scalar()) continue;
      CfgOption cfg_option;
      cfg_option.key = option.key;
      RenderedValue value = render_chart_template(*this, option.text);
      cfg_option.raw_value = std::move(value.text);
      cfg_option.templated = !value.rendered;
      cfg_option.origin = origin_of(option, fmt::format("config.{}.{}", section.key, option.key));
      // The chart's own entries (left in force, or copied into the user's file unchanged).
      cfg_option.origin.chart_wrote = option.is_default() || option.same_as_default;
      cfg_section.options.push_back(std::move(cfg_option));
    }
    config_as_cfg.sections.push_back(std::move(cfg_section));
  }
  add_execution_api_url();
}

// From chart 1.18.0 the config map computes [core] execution_api_server_url for Airflow 3 when
// `config.core` does not set it: http://<fullname>-api-server:<ports.apiServer><path of
// config.api.base_url>/execution/ (templates/configmaps/configmap.yaml, 1.18.0 48ae6af196 and
// 1.19.0 f17d6ffb05; absent in 1.17.0 b5c8716380).
void HelmValues::add_execution_api_url() {
  const auto chart_number = parse_version(chart_version);
  const auto airflow = parse_version(airflow_version);
  if (!chart_number || *chart_number < std::make_tuple(1, 18, 0)) return;
  if (!airflow || std::get<0>(*airflow) < 3) return;
  auto core = std::find_if(config_as_cfg.sections.begin(), config_as_cfg.sections.end(),
                           [](const CfgSection& section) { return section.name == "core"; });
  if (core == config_as_cfg.sections.end()) {
    config_as_cfg.sections.push_back(CfgSection{"core", 0, {}});
    core = std::prev(config_as_cfg.sections.end());
  }
  const HelmNode* written = node("config.core.execution_api_server_url");
  if (written != nullptr) return;  // hasKey: even an empty value stops the computation
  std::string base_path;
  if (const HelmNode* base_url = node("config.api.base_url"); base_url != nullptr && base_url->is_scalar()) {
    const std::string& url = base_url->text;
    const std::size_t scheme = url.find("://");
    const std::size_t path_start = scheme == std::string::npos ? std::string::npos : url.find('/', scheme + 3);
    if (path_start != std::string::npos) {
      base_path = url.substr(path_start, url.find_first_of("?#", path_start) - path_start);
      while (!base_path.empty() && base_path.back() == '/') base_path.pop_back();
    }
  }
  CfgOption option;
  option.key = "execution_api_server_url";
  option.raw_value =
      fmt::format("http://RELEASE-api-server:{}{}/execution/", scalar_or(node("ports.apiServer"), "8080"), base_path);
  option.origin.kind = SourceKind::helm;
  option.origin.name = "config.core.execution_api_server_url";
  option.origin.chart_wrote = true;
  core->options.push_back(std::move(option));
}

namespace {

void add_env(std::vector<EnvVar>& env, EnvVar var) {
  auto existing = std::find_if(env.begin(), env.end(), [&](const EnvVar& other) { return other.name == var.name; });
  if (existing != env.end()) {
    *existing = std::move(var);
  } else {
    env.push_back(std::move(var));
  }
}

// One Kubernetes EnvVar ({name, value} or {name, valueFrom}) from a values list item.
std::optional<EnvVar> env_from_item(const HelmValues& values, const HelmNode& item, const std::string& path,
                                    int line_offset) {
  if (!item.is_map()) return std::nullopt;
  const HelmNode* name = item.find("name");
  if (name == nullptr || !name->is_scalar() || name->is_null()) return std::nullopt;
  EnvVar var;
  var.name = name->text;
  var.origin = values.origin_of(item, path);
  if (line_offset > 0) var.origin.line = line_offset;
  if (const HelmNode* from = item.find("valueFrom"); from != nullptr && from->is_map()) {
    var.value_from_reference = true;
    if (const HelmNode* ref = from->find("secretKeyRef"); ref != nullptr && ref->is_map()) {
      var.reference =
          fmt::format("secret {}, key {}", scalar_or(ref->find("name"), "?"), scalar_or(ref->find("key"), "?"));
    } else if (const HelmNode* config_map = from->find("configMapKeyRef");
               config_map != nullptr && config_map->is_map()) {
      var.reference = fmt::format("configmap {}, key {}", scalar_or(config_map->find("name"), "?"),
                                  scalar_or(config_map->find("key"), "?"));
    } else {
      var.reference = "valueFrom";
    }
  } else {
    var.value = scalar_or(item.find("value"), "");
  }
  return var;
}

}  // namespace

void HelmValues::build_env() {
  env.clear();
  auto built_in_enabled = [&](std::string_view name) {
    const HelmNode* flag = node(fmt::format("enableBuiltInSecretEnvVars.{}", name));
    return flag == nullptr || truthy(flag);
  };
  auto secret_env = [&](std::string_view env_name, std::string_view literal_path, std::string_view secret_name_path,
                        std::string_view generated_suffix, std::string_view secret_key,
                        std::string_view generated_note) {
    if (!built_in_enabled(env_name)) return;
    EnvVar var;
    var.name = std::string(env_name);
    const HelmNode* secret_name = node(secret_name_path);
    const HelmNode* literal = node(literal_path);
    if (secret_name != nullptr && !secret_name->is_null() && !scalar_or(secret_name, "").empty()) {
      var.origin = origin_of(*secret_name, secret_name_path);
      var.value_from_reference = true;
      var.reference = fmt::format("secret {}, key {}", secret_name->text, secret_key);
    } else if (literal != nullptr && !literal->is_null() && literal->is_scalar()) {
      var.origin = origin_of(*literal, literal_path);
      var.value = literal->text;  // written in the values, so known
      var.reference = fmt::format("secret {} (from values {})", release_secret(generated_suffix), literal_path);
    } else {
      var.origin.kind = SourceKind::helm;
      var.origin.name = std::string(literal_path);
      var.value_from_reference = true;
      var.reference =
          fmt::format("secret {}, key {} ({})", release_secret(generated_suffix), secret_key, generated_note);
    }
    var.origin.chart_wrote = true;
    add_env(env, std::move(var));
  };

  // The variables of `standard_airflow_environment` (templates/_helpers.yaml) and the Airflow
  // versions each is set for: WEBSERVER__SECRET_KEY for every Airflow up to chart 1.17.0
  // (b5c8716380), only below 3.0.0 from 1.18.0 (48ae6af196); API__SECRET_KEY only from 3.0.0,
  // from chart 1.18.0; API_AUTH__JWT_SECRET only from 3.0.0, from chart 1.17.0. The same in
  // 1.19.0 (f17d6ffb05).
  const auto chart_number = parse_version(chart_version);
  const bool chart_117 = !chart_number || *chart_number >= std::make_tuple(1, 17, 0);
  const bool chart_118 = !chart_number || *chart_number >= std::make_tuple(1, 18, 0);
  const bool chart_120 = chart_number && *chart_number >= std::make_tuple(1, 20, 0);
  const auto airflow = parse_version(airflow_version);
  const bool airflow3 = airflow && std::get<0>(*airflow) >= 3;

  secret_env("AIRFLOW__CORE__FERNET_KEY", "fernetKey", "fernetKeySecretName", "fernet-key", "fernet-key",
             "generated once at install");
  if (!chart_118 || !airflow3) {
    secret_env("AIRFLOW__WEBSERVER__SECRET_KEY", "webserverSecretKey", "webserverSecretKeySecretName",
               "webserver-secret-key", "webserver-secret-key", "random on every helm upgrade");
  }
  if (chart_118 && airflow3) {
    secret_env("AIRFLOW__API__SECRET_KEY", "apiSecretKey", "apiSecretKeySecretName", "api-secret-key", "api-secret-key",
               "random on every helm upgrade");
  }
  if (chart_117 && airflow3) {
    secret_env("AIRFLOW__API_AUTH__JWT_SECRET", "jwtSecret", "jwtSecretName", "jwt-secret", "jwt-secret",
               "random on every helm upgrade");
  }

  // The metadata database URL the chart builds from data.metadataConnection.
  const HelmNode* metadata_secret = node("data.metadataSecretName");
  std::vector<std::string> connection_vars = {"AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", "AIRFLOW_CONN_AIRFLOW_DB"};
  if (!chart_120) connection_vars.push_back("AIRFLOW__CORE__SQL_ALCHEMY_CONN");
  for (const auto& name : connection_vars) {
    if (!built_in_enabled(name)) continue;
    EnvVar var;
    var.name = name;
    if (metadata_secret != nullptr && !scalar_or(metadata_secret, "").empty()) {
      var.origin = origin_of(*metadata_secret, "data.metadataSecretName");
      var.value_from_reference = true;
      var.reference = fmt::format("secret {}, key connection", metadata_secret->text);
    } else {
      const HelmNode* connection = node("data.metadataConnection");
      const std::string protocol = scalar_or(node("data.metadataConnection.protocol"), "postgresql");
      const bool bundled = truthy(node("postgresql.enabled"));
      std::string host = scalar_or(node("data.metadataConnection.host"), bundled ? "RELEASE-postgresql" : "");
      std::string url = fmt::format(
          "{}://{}:{}@{}:{}/{}", protocol, url_escape(scalar_or(node("data.metadataConnection.user"), "")),
          url_escape(scalar_or(node("data.metadataConnection.pass"), "")), host,
          scalar_or(node("data.metadataConnection.port"), "5432"), scalar_or(node("data.metadataConnection.db"), ""));
      if (protocol.rfind("postgres", 0) == 0) {
        url += fmt::format("?sslmode={}", scalar_or(node("data.metadataConnection.sslmode"), "disable"));
      }
      var.value = url;
      var.origin = connection != nullptr ? origin_of(*connection, "data.metadataConnection") : Origin{};
      var.origin.kind = SourceKind::helm;
      // With the bundled PostgreSQL the URL's weaknesses are that database's (AFH-HELM-009/010).
      var.origin.built_from = bundled ? "data.metadataConnection,postgresql" : "data.metadataConnection";
      var.reference = fmt::format("secret {} (built from data.metadataConnection)", release_secret("metadata"));
    }
    var.origin.chart_wrote = true;
    add_env(env, std::move(var));
  }

  // Celery: the broker URL always; the result backend only when the values name one (below
  // Airflow 2.4 always, up to chart 1.19.0), from `standard_airflow_environment`.
  const std::string executor = scalar_or(node("executor"), "");
  if (executor.find("Celery") != std::string::npos) {
    const bool old_airflow = airflow && *airflow < std::make_tuple(2, 4, 0) && !chart_120;
    if ((old_airflow || !scalar_or(node("data.resultBackendSecretName"), "").empty() ||
         truthy(node("data.resultBackendConnection"))) &&
        built_in_enabled("AIRFLOW__CELERY__RESULT_BACKEND")) {
      EnvVar var;
      var.name = "AIRFLOW__CELERY__RESULT_BACKEND";
      var.value_from_reference = true;
      if (const HelmNode* secret = node("data.resultBackendSecretName"); secret != nullptr && present_text(secret)) {
        var.origin = origin_of(*secret, "data.resultBackendSecretName");
        var.reference = fmt::format("secret {}, key connection", secret->text);
      } else {
        var.origin.kind = SourceKind::helm;
        var.origin.name = "data.resultBackendConnection";
        if (const HelmNode* connection = node("data.resultBackendConnection"); connection != nullptr)
          var.origin = origin_of(*connection, "data.resultBackendConnection");
        var.origin.built_from = "data.resultBackendConnection";
        var.reference = fmt::format("secret {}, key connection (built from data.resultBackendConnection)",
                                    release_secret("result-backend"));
      }
      var.origin.chart_wrote = true;
      add_env(env, std::move(var));
    }
    if (built_in_enabled("AIRFLOW__CELERY__BROKER_URL")) {
      EnvVar var;
      var.name = "AIRFLOW__CELERY__BROKER_URL";
      const HelmNode* secret = node("data.brokerUrlSecretName");
      const HelmNode* literal = node("data.brokerUrl");
      if (secret != nullptr && !scalar_or(secret, "").empty()) {
        var.origin = origin_of(*secret, "data.brokerUrlSecretName");
        var.value_from_reference = true;
        var.reference = fmt::format("secret {}, key connection", secret->text);
      } else if (literal != nullptr && !scalar_or(literal, "").empty()) {
        var.origin = origin_of(*literal, "data.brokerUrl");
        var.value = literal->text;
      } else {
        var.origin.kind = SourceKind::helm;
        var.origin.name = "data.brokerUrl";
        var.value_from_reference = true;
        var.reference =
            fmt::format("secret {}, key connection (built from redis.password)", release_secret("broker-url"));
      }
      var.origin.chart_wrote = true;
      add_env(env, std::move(var));
    }
  }

  // User-written environment: env:, secret:, extraEnv: (later wins, as in the pod spec).
  if (const HelmNode* list = node("env"); list != nullptr && list->is_list()) {
    for (std::size_t i = 0; i < list->children.size(); ++i) {
      if (auto var = env_from_item(*this, list->children[i], fmt::format("env[{}]", i), 0))
        add_env(env, std::move(*var));
    }
  }
  if (const HelmNode* list = node("secret"); list != nullptr && list->is_list()) {
    for (std::size_t i = 0; i < list->children.size(); ++i) {
      const HelmNode& item = list->children[i];
      const std::string name = scalar_or(item.find("envName"), "");
      if (name.empty()) continue;
      EnvVar var;
      var.name = name;
      var.origin = origin_of(item, fmt::format("secret[{}]", i));
      var.value_from_reference = true;
      var.reference = fmt::format("secret {}, key {}", scalar_or(item.find("secretName"), "?"),
                                  scalar_or(item.find("secretKey"), "?"));
      add_env(env, std::move(var));
    }
  }
  if (const HelmNode* extra = node("extraEnv"); extra != nullptr && !extra->is_null()) {
    HelmNode items;
    int base_line = 0;
    if (extra->is_list()) {
      items = *extra;
    } else if (extra->is_scalar()) {
      auto parsed = parse_yaml_tree(extra->text, "extraEnv", extra->file_index);
      if (parsed && parsed->root.is_list()) {
        items = std::move(parsed->root);
        base_line = extra->file_index >= 0 ? extra->line : 0;
      } else if (extra->text.find("{{") == std::string::npos) {
        notes.push_back(
            make_warning(origin_of(*extra, "extraEnv").file, extra->line,
                         "extraEnv is not a YAML list of environment variables; skipped",
                         "write extraEnv as a block string holding a list: `extraEnv: |` then `- name: X`"));
      } else {
        notes.push_back(
            make_note(origin_of(*extra, "extraEnv").file, extra->line,
                      "extraEnv uses templates; only the entries that read without rendering were scanned"));
      }
    }
    for (std::size_t i = 0; i < items.children.size(); ++i) {
      const HelmNode& item = items.children[i];
      const bool multi_line = extra->is_scalar() && extra->text.find('\n') != std::string::npos;
      const int line = base_line > 0 ? (multi_line ? base_line + item.line : base_line) : 0;
      HelmNode located = item;
      if (extra->is_scalar()) {
        located.file_index = extra->file_index;
        located.from_set = extra->from_set;
      }
      if (auto var = env_from_item(*this, located, fmt::format("extraEnv[{}]", i), line)) add_env(env, std::move(*var));
    }
  }
}

void HelmValues::build_community_env() {
  env.clear();
  config_as_cfg = CfgFile{};
  config_as_cfg.path = files.empty() ? std::string("chart values") : files.back();
  auto literal_env = [&](std::string_view env_name, std::string_view path) {
    const HelmNode* value = node(path);
    if (value == nullptr || value->is_null() || !value->is_scalar() || value->text.empty()) return;
    EnvVar var;
    var.name = std::string(env_name);
    var.value = value->text;
    var.origin = origin_of(*value, path);
    add_env(env, std::move(var));
  };
  literal_env("AIRFLOW__CORE__FERNET_KEY", "airflow.fernetKey");
  literal_env("AIRFLOW__WEBSERVER__SECRET_KEY", "airflow.webserverSecretKey");
  if (const HelmNode* config = node("airflow.config"); config != nullptr && config->is_map()) {
    for (const auto& entry : config->children) {
      if (!entry.is_scalar() || entry.is_null()) continue;
      EnvVar var;
      var.name = entry.key;
      var.value = entry.text;
      var.origin = origin_of(entry, fmt::format("airflow.config.{}", entry.key));
      add_env(env, std::move(var));
    }
  }
  if (const HelmNode* list = node("airflow.extraEnv"); list != nullptr && list->is_list()) {
    for (std::size_t i = 0; i < list->children.size(); ++i) {
      if (auto var = env_from_item(*this, list->children[i], fmt::format("airflow.extraEnv[{}]", i), 0)) {
        add_env(env, std::move(*var));
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------

Result<HelmValues> read_helm_values(const std::vector<std::string>& values_files, const std::vector<std::string>& set,
                                    const std::vector<std::string>& set_string, const std::string& chart_version,
                                    const std::optional<std::string>& chart_defaults_file) {
  HelmInputs inputs;
  ReadLimits limits;
  limits.max_bytes = kMaxValuesFileBytes;
  for (const auto& path : values_files) {
    auto text = read_text_file(path, limits);
    if (!text) return text.error();
    inputs.values_files.push_back(HelmSourceText{path, std::move(*text)});
  }
  if (chart_defaults_file) {
    auto text = read_text_file(*chart_defaults_file, limits);
    if (!text) return text.error();
    inputs.chart_defaults = HelmSourceText{*chart_defaults_file, std::move(*text)};
  }
  inputs.set = set;
  inputs.set_string = set_string;
  inputs.chart_version = chart_version;
  return HelmValues::build(inputs);
}

Result<HelmValues> helm_values_from_text(std::string_view values_text, std::string_view airflow_version) {
  HelmInputs inputs;
  inputs.values_files.push_back(HelmSourceText{"values.yaml", std::string(values_text)});
  inputs.airflow_version_hint = std::string(airflow_version);
  return HelmValues::build(inputs);
}

}  // namespace airguard
