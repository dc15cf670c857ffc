#include "app/helm_webserver_config.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <utility>

#include "app/collectors.hpp"
#include "core/file_io.hpp"
#include "core/redact.hpp"
#include "sources/webserver/embedded_config.hpp"

// The official chart embeds a webserver_config.py in its values. What its templates do with it,
// per chart version (apache/airflow, chart/templates; commits as in data/helm/charts.json, and
// dda8d278 for the 1.20 line, where every rule below still holds):
//
// - configmaps/webserver-configmap.yaml (every version): renders `webserver_config.py` from
//   `tpl .Values.webserver.webserverConfig .` when webserverConfig is set and
//   webserverConfigConfigMapName is not; _helpers.yaml `airflow_webserver_config_mount` mounts it at
//   $AIRFLOW_HOME/webserver_config.py (subPath) in the webserver, scheduler, workers, triggerer
//   and DAG processor when either key is set.
// - webserver/webserver-deployment.yaml: `if .Values.webserver.enabled` in 1.15.0 (ff7463b1);
//   `and .Values.webserver.enabled (semverCompare "<3.0.0" .Values.airflowVersion)` from 1.16.0
//   (fcc9b980) on: with Airflow 3 no webserver runs.
// - configmaps/api-server-configmap.yaml, new in 1.17.0 (b5c87163): renders
//   `tpl .Values.apiServer.apiServerConfig .` only when `semverCompare ">=3.0.0" .Values.airflowVersion`
//   and apiServerConfigConfigMapName is unset; api-server/api-server-deployment.yaml mounts it
//   (airflow_api_server_config_mount, same path) when either key is set. The API server mounts no
//   webserverConfig. From 1.19.0 (f17d6ffb) the deployment also needs `.Values.apiServer.enabled`.
// - _helpers.yaml `airflow_api_server_config_configmap_name` in 1.17.0 (b5c87163) and 1.18.0
//   (48ae6af1) defaults to `.Values.webserver.webserverConfigConfigMapName`, not the apiServer key;
//   1.19.0 (f17d6ffb) reads `.Values.apiServer.apiServerConfigConfigMapName`.
// - values.yaml: webserverConfig, webserverConfigConfigMapName, apiServerConfig and
//   apiServerConfigConfigMapName all default to `~` in every version: with nothing set, no file is
//   mounted and Airflow writes its own default webserver_config.py at first start.
namespace airguard {
namespace {

struct MajorMinor {
  int major = 0;
  int minor = 0;
  bool operator<(const MajorMinor& other) const {
    return std::pair(major, minor) < std::pair(other.major, other.minor);
  }
};

std::optional<MajorMinor> major_minor(std::string_view version) {
  if (!version.empty() && (version.front() == 'v' || version.front() == 'V')) version.remove_prefix(1);
  MajorMinor parsed;
  std::size_t i = 0;
  const auto number = [&](int& out) {
    const std::size_t start = i;
    while (i < version.size() && version[i] >= '0' && version[i] <= '9' && i - start < 6) {
      out = out * 10 + (version[i] - '0');
      ++i;
    }
    return i > start;
  };
  if (!number(parsed.major)) return std::nullopt;
  if (i < version.size() && version[i] == '.') {
    ++i;
    number(parsed.minor);
  }
  return parsed;
}

// Go template truth, as `{{ if .Values.x }}` tests it: null, false, 0, "" and empty collections are false.
bool truthy(const HelmNode* node) {
  if (node == nullptr) return false;
  switch (node->kind) {
    case HelmNode::Kind::null_value:
      return false;
    case HelmNode::Kind::boolean:
      return node->text == "true";
    case HelmNode::Kind::integer:
    case HelmNode::Kind::floating:
      return node->text != "0" && node->text != "0.0";
    case HelmNode::Kind::string:
      return !node->text.empty();
    case HelmNode::Kind::list:
    case HelmNode::Kind::map:
      return !node->children.empty();
  }
  return false;
}

bool enabled(const HelmNode* node) { return node == nullptr || truthy(node); }

class Chooser {
 public:
  Chooser(const HelmValues& values, std::string_view airflow_version_option)
      : values_(values), airflow_version_option_(airflow_version_option) {}

  EmbeddedWebserverChoice choose() {
    const std::string chart_version = values_.chart_version.empty() ? default_chart_version() : values_.chart_version;
    const MajorMinor chart = major_minor(chart_version).value_or(MajorMinor{1, 99});
    const HelmNode* airflow_node = values_.node("airflowVersion");
    std::string airflow = airflow_node != nullptr && airflow_node->is_scalar() && major_minor(airflow_node->text)
                              ? airflow_node->text
                              : values_.airflow_version;
    if (!major_minor(airflow)) airflow = chart_default_airflow_version(chart_version);
    // Values that name neither chart nor Airflow version get the newest chart and its airflowVersion.
    bool versions_assumed = values_.chart_version_assumed && (airflow_node == nullptr || airflow_node->is_default()) &&
                            values_.airflow_version_source.rfind("chart ", 0) == 0;
    if (versions_assumed && major_minor(airflow_version_option_)) {
      airflow = std::string(airflow_version_option_);
      versions_assumed = false;
    }
    choice_.airflow_version = airflow;
    const int airflow_major = major_minor(airflow).value_or(MajorMinor{}).major;
    // configmaps/api-server-configmap.yaml appears in 1.17.0 (b5c87163).
    const bool chart_has_api_server = !(chart < MajorMinor{1, 17});
    // webserver/webserver-deployment.yaml: no Airflow version test in 1.15.0 (ff7463b1), "<3.0.0" from 1.16.0
    // (fcc9b980).
    const bool webserver_for_airflow_3 = chart < MajorMinor{1, 16};
    // _helpers.yaml airflow_api_server_config_configmap_name: the webserver key in 1.17.0 (b5c87163) and
    // 1.18.0 (48ae6af1), apiServer.apiServerConfigConfigMapName from 1.19.0 (f17d6ffb).
    const bool api_helper_reads_webserver_name = !(chart < MajorMinor{1, 17}) && chart < MajorMinor{1, 19};
    const std::string versions = fmt::format("chart {} with airflowVersion {}", chart_version, airflow);

    // With the version assumed (the newest chart, hence Airflow 3), a webserverConfig and no
    // apiServerConfig was written for Airflow 2's webserver: judged so, and said so, rather than
    // passed over on a guess.
    const bool only_webserver_key = truthy(node("webserver.webserverConfig")) &&
                                    !truthy(node("apiServer.apiServerConfig")) &&
                                    !truthy(node("apiServer.apiServerConfigConfigMapName"));
    if (airflow_major >= 3 && versions_assumed && only_webserver_key) {
      note("webserver.webserverConfig",
           fmt::format("the values name no chart or Airflow version: {} is judged as Airflow 2's webserver reads it; "
                       "with Airflow 3 ({}) the API server would not read it",
                       path("webserver.webserverConfig"), versions),
           "set airflowVersion or pass --chart-version");
    } else if (airflow_major >= 3 && chart_has_api_server) {
      choice_.component = "API server";
      if (truthy(node("webserver.webserverConfig"))) {
        warn("webserver.webserverConfig",
             fmt::format("{} is not mounted into the API server, which serves the UI with Airflow 3 ({}): the "
                         "chart mounts it only in the scheduler, workers, triggerer and DAG processor, where no login "
                         "reads it, so its settings are not in force",
                         path("webserver.webserverConfig"), versions),
             "move it to apiServer.apiServerConfig");
      }
      const bool mounted =
          truthy(node("apiServer.apiServerConfig")) || truthy(node("apiServer.apiServerConfigConfigMapName"));
      if (!mounted) return std::move(choice_);
      if (api_helper_reads_webserver_name && truthy(node("webserver.webserverConfigConfigMapName"))) {
        note("webserver.webserverConfigConfigMapName",
             fmt::format("{} mounts the ConfigMap named by {} into the API server (its template "
                         "airflow_api_server_config_configmap_name reads that key until 1.19.0); the content is not "
                         "in the values, so it is not judged",
                         versions, path("webserver.webserverConfigConfigMapName")),
             "scan that ConfigMap's webserver_config.py with --webserver-config");
        return std::move(choice_);
      }
      if (truthy(node("apiServer.apiServerConfigConfigMapName"))) {
        note("apiServer.apiServerConfigConfigMapName",
             fmt::format(
                 "{} names the ConfigMap the API server mounts as webserver_config.py; its content is not in "
                 "the values, so it is not judged{}{}",
                 path("apiServer.apiServerConfigConfigMapName"),
                 truthy(node("apiServer.apiServerConfig")) ? " (apiServer.apiServerConfig is then not rendered)" : "",
                 api_helper_reads_webserver_name
                     ? fmt::format("; {} ignores this name and mounts the ConfigMap `<release>-api-server-config`, "
                                   "which it does not create",
                                   versions)
                     : std::string()),
             "scan that ConfigMap's webserver_config.py with --webserver-config");
        return std::move(choice_);
      }
      // api-server/api-server-deployment.yaml tests .Values.apiServer.enabled from 1.19.0 (f17d6ffb).
      if (!(chart < MajorMinor{1, 19}) && !enabled(node("apiServer.enabled"))) {
        note("apiServer.apiServerConfig",
             fmt::format("{} is not judged: apiServer.enabled is false, so no API server mounts it",
                         path("apiServer.apiServerConfig")));
        return std::move(choice_);
      }
      choice_.key = "apiServer.apiServerConfig";
      return std::move(choice_);
    }

    if (airflow_major >= 3 && !webserver_for_airflow_3 && !(versions_assumed && only_webserver_key)) {
      // Chart 1.16: no API server yet, and the webserver only for Airflow 2.
      if (truthy(node("webserver.webserverConfig"))) {
        warn("webserver.webserverConfig",
             fmt::format("{} is not read by any UI: {} runs no webserver for Airflow 3 and has no API server",
                         path("webserver.webserverConfig"), versions),
             "use chart 1.17.0 or later and apiServer.apiServerConfig");
      }
      return std::move(choice_);
    }

    choice_.component = "webserver";
    if (chart_has_api_server && truthy(node("apiServer.apiServerConfig"))) {
      warn("apiServer.apiServerConfig",
           fmt::format("{} is used only with Airflow 3: {} renders no API server, and the webserver reads "
                       "webserver.webserverConfig",
                       path("apiServer.apiServerConfig"), versions),
           "put the settings in webserver.webserverConfig");
    }
    if (!truthy(node("webserver.webserverConfig")) && !truthy(node("webserver.webserverConfigConfigMapName"))) {
      return std::move(choice_);
    }
    if (truthy(node("webserver.webserverConfigConfigMapName"))) {
      note("webserver.webserverConfigConfigMapName",
           fmt::format(
               "{} names the ConfigMap the webserver mounts as webserver_config.py; its content is not in the "
               "values, so it is not judged{}",
               path("webserver.webserverConfigConfigMapName"),
               truthy(node("webserver.webserverConfig")) ? " (webserver.webserverConfig is then not rendered)" : ""),
           "scan that ConfigMap's webserver_config.py with --webserver-config");
      return std::move(choice_);
    }
    // webserver/webserver-deployment.yaml tests .Values.webserver.enabled in every version (ff7463b1 ... HEAD).
    if (!enabled(node("webserver.enabled"))) {
      note("webserver.webserverConfig",
           fmt::format("{} is not judged: webserver.enabled is false, so no webserver reads it",
                       path("webserver.webserverConfig")));
      return std::move(choice_);
    }
    choice_.key = "webserver.webserverConfig";
    return std::move(choice_);
  }

 private:
  const HelmNode* node(std::string_view key) const { return values_.node(key); }
  std::string path(std::string_view key) const {
    return values_.nested_under.empty() ? std::string(key) : fmt::format("{}.{}", values_.nested_under, key);
  }
  void add(Diagnostic diagnostic, std::string_view key) {
    if (const HelmNode* at = node(key)) {
      const Origin origin = values_.origin_of(*at, key);
      diagnostic.file = origin.file;
      diagnostic.line = origin.line;
    }
    choice_.notes.push_back(std::move(diagnostic));
  }
  void note(std::string_view key, std::string message, std::string hint = {}) {
    add(make_note({}, 0, std::move(message), std::move(hint)), key);
  }
  void warn(std::string_view key, std::string message, std::string hint = {}) {
    add(make_warning({}, 0, std::move(message), std::move(hint)), key);
  }

  const HelmValues& values_;
  std::string_view airflow_version_option_;
  EmbeddedWebserverChoice choice_;
};

std::string join_lines(const std::vector<int>& lines, std::size_t most) {
  std::string text;
  for (std::size_t i = 0; i < lines.size() && i < most; ++i) text += (i == 0 ? "" : ", ") + std::to_string(lines[i]);
  if (lines.size() > most) text += fmt::format(" and {} more", lines.size() - most);
  return text;
}

// Secrets in the embedded text go to the scrubber whichever config is judged: the values file
// holds them, and any output about the values must not show them.
void register_embedded_secrets(const WebserverConfig& config, SecretScrubber& secrets) {
  const auto add = [&](const WebserverSetting& setting) {
    if (!setting.fact.value || setting.fact.runtime_only) return;
    if (setting.fact.sensitive || is_secret_name(setting.name)) secrets.add(*setting.fact.value);
    for (const std::string& secret : secret_values(*setting.fact.value)) secrets.add(secret);
  };
  for (const WebserverSetting& setting : config.settings) add(setting);
  for (const WebserverSetting& element : config.nested) add(element);
}

}  // namespace

EmbeddedWebserverChoice choose_embedded_webserver_config(const HelmValues& values, std::string_view airflow_version) {
  return Chooser(values, airflow_version).choose();
}

void collect_helm_webserver_config(const ScanOptions& options, Snapshot& snapshot) {
  if (!snapshot.helm || snapshot.helm->chart != HelmChart::official) return;
  const HelmValues& values = *snapshot.helm;
  EmbeddedWebserverChoice choice = choose_embedded_webserver_config(values, options.airflow_version.value_or(""));
  snapshot.diagnostics.insert(snapshot.diagnostics.end(), choice.notes.begin(), choice.notes.end());
  if (choice.key.empty()) return;
  const HelmNode* node = values.node(choice.key);
  if (node == nullptr) return;
  const Origin origin = values.origin_of(*node, choice.key);
  if (node->kind != HelmNode::Kind::string) {
    snapshot.diagnostics.push_back(
        make_warning(origin.file, origin.line,
                     fmt::format("{} is a {}, not text: the chart's tpl cannot render it as webserver_config.py",
                                 origin.name, to_string(node->kind)),
                     "write the file's text as a block scalar: `webserverConfig: |`"));
    return;
  }

  EmbeddedPlacement placement;
  placement.file = origin.file;
  placement.key = origin.name;
  placement.key_line = origin.line;
  placement.lines.lines.assign(1 + static_cast<std::size_t>(std::count(node->text.begin(), node->text.end(), '\n')),
                               origin.line);
  if (!node->from_set && node->file_index >= 0 && !origin.file.empty()) {
    ReadLimits limits;
    limits.max_bytes = kMaxValuesFileBytes;
    if (Result<std::string> text = read_text_file(origin.file, limits)) {
      placement.lines = map_scalar_lines(*text, node->line, node->text);
    }
  }
  const NeutralizedTemplate neutral = neutralize_template_actions(node->text);
  placement.blocks = neutral.blocks;
  WebserverConfig embedded = parse_embedded_webserver_config(neutral.text, placement);
  register_embedded_secrets(embedded, snapshot.secrets);

  const auto line_in_file = [&](int text_line) {
    const std::size_t index = static_cast<std::size_t>(text_line - 1);
    return index < placement.lines.lines.size() ? placement.lines.lines[index] : origin.line;
  };
  Diagnostics notes;
  if (neutral.actions > 0) {
    notes.push_back(make_note(origin.file, origin.line,
                              fmt::format("{} holds {} Helm template action{} ({{{{ ... }}}}): what they produce is "
                                          "known only when Helm renders the chart, so settings that use them are "
                                          "not judged",
                                          origin.name, neutral.actions, neutral.actions == 1 ? "" : "s")));
  }
  if (!neutral.output_lines.empty()) {
    std::vector<int> lines;
    for (int line : neutral.output_lines) lines.push_back(line_in_file(line));
    notes.push_back(make_note(origin.file, lines.front(),
                              fmt::format("{}: line{} {} hold only a template action whose output (Python code) "
                                          "airguard cannot see",
                                          origin.name, lines.size() == 1 ? "" : "s", join_lines(lines, 5))));
  }
  if (neutral.unterminated) {
    notes.push_back(
        make_warning(origin.file, origin.line,
                     fmt::format("{} has a `{{{{` without its `}}}}`: Helm cannot render it", origin.name)));
  }

  if (snapshot.webserver) {
    // The file the user named (or the folder holds) is the one judged; the chart's copy is named.
    snapshot.diagnostics.push_back(make_note(
        snapshot.webserver->path, 0,
        fmt::format("both a webserver_config.py and Helm values holding {} were given: {} is judged; the chart would "
                    "mount {} ({}) as $AIRFLOW_HOME/webserver_config.py in the {}",
                    origin.name, snapshot.webserver->path, origin.name, origin.describe(), choice.component),
        "scan the values without the webserver_config.py to judge the embedded one"));
    return;
  }
  snapshot.inputs.push_back(
      {"webserver_config.py", fmt::format("{}, read by the {}", origin.describe(), choice.component)});
  snapshot.diagnostics.insert(snapshot.diagnostics.end(), notes.begin(), notes.end());
  for (Diagnostic diagnostic : embedded.skipped) {
    // Rendering may change the text around template actions: what fails to read here may not fail there.
    if (neutral.actions > 0 && diagnostic.level == Diagnostic::Level::error)
      diagnostic.level = Diagnostic::Level::warning;
    snapshot.diagnostics.push_back(std::move(diagnostic));
  }
  snapshot.webserver = std::move(embedded);
}

}  // namespace airguard
