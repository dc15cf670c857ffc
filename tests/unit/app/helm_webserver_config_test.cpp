#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "app/helm_webserver_config.hpp"
#include "app/scan.hpp"

using namespace airguard;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "airguard-webcfg-XXXXXX").string();
    path = mkdtemp(tmpl.data());
  }
  ~TempDir() { fs::remove_all(path); }
  std::string write(const std::string& name, const std::string& text) const {
    const fs::path file = path / name;
    std::ofstream(file) << text;
    return file.string();
  }
};

HelmValues values_for(const std::string& text, const std::string& chart_version) {
  HelmInputs inputs;
  inputs.values_files.push_back({"values.yaml", text});
  inputs.chart_version = chart_version;
  Result<HelmValues> values = HelmValues::build(inputs);
  REQUIRE(values);
  return std::move(*values);
}

bool notes_mention(const EmbeddedWebserverChoice& choice, const std::string& text) {
  for (const Diagnostic& note : choice.notes) {
    if (note.message.find(text) != std::string::npos) return true;
  }
  return false;
}

const std::string kWebserverConfig =
    "webserver:\n"
    "  webserverConfig: |\n"
    "    from flask_appbuilder.security.manager import AUTH_DB\n"
    "    AUTH_TYPE = AUTH_DB\n"
    "    AUTH_ROLE_PUBLIC = 'Admin'\n";
const std::string kApiServerConfig =
    "apiServer:\n"
    "  apiServerConfig: |\n"
    "    AUTH_ROLE_PUBLIC = 'Admin'\n";

ScanOutcome scan(const std::vector<std::string>& values_files, std::optional<std::string> webserver_config = {}) {
  ScanOptions options;
  options.helm_values = values_files;
  options.webserver_config = std::move(webserver_config);
  options.today = "2026-12-07";
  options.golden = true;
  return run_scan(options);
}

const Finding* finding(const ScanOutcome& outcome, const std::string& check) {
  for (const Finding& f : outcome.report.findings) {
    if (f.check_id == check) return &f;
  }
  return nullptr;
}

bool diagnostics_mention(const ScanOutcome& outcome, const std::string& text) {
  for (const Diagnostic& d : outcome.report.diagnostics) {
    if (d.message.find(text) != std::string::npos) return true;
  }
  return false;
}

struct Run {
  int status = -1;
  std::string out;
  std::string err;
};

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

Run run_binary(const TempDir& dir, const std::string& args) {
  const std::string out = (dir.path / "stdout").string();
  const std::string err = (dir.path / "stderr").string();
  const std::string command = std::string("'") + AIRGUARD_BINARY + "' " + args + " >'" + out + "' 2>'" + err + "'";
  Run run;
  const int raw = std::system(command.c_str());
  run.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  run.out = slurp(out);
  run.err = slurp(err);
  return run;
}

}  // namespace

TEST_CASE("helm webserver config: which key the UI component reads, by chart and Airflow version") {
  SECTION("Airflow 2: the webserver reads webserver.webserverConfig (chart 1.15 and 1.16)") {
    for (const char* chart : {"1.15.0", "1.16.0"}) {
      const auto choice = choose_embedded_webserver_config(values_for(kWebserverConfig, chart));
      CHECK(choice.key == "webserver.webserverConfig");
      CHECK(choice.component == "webserver");
      CHECK(choice.notes.empty());
    }
  }
  SECTION("Airflow 2 on chart 1.19: apiServerConfig is not rendered, webserverConfig is read") {
    const auto choice = choose_embedded_webserver_config(
        values_for("airflowVersion: 2.10.5\n" + kWebserverConfig + kApiServerConfig, "1.19.0"));
    CHECK(choice.key == "webserver.webserverConfig");
    CHECK(notes_mention(choice, "apiServer.apiServerConfig is used only with Airflow 3"));
  }
  SECTION("Airflow 3: the API server reads apiServer.apiServerConfig, never webserverConfig") {
    for (const char* chart : {"1.17.0", "1.18.0", "1.19.0", "1.20.0-dev"}) {
      INFO(chart);
      const auto both = choose_embedded_webserver_config(
          values_for("airflowVersion: 3.0.2\n" + kWebserverConfig + kApiServerConfig, chart));
      CHECK(both.key == "apiServer.apiServerConfig");
      CHECK(both.component == "API server");
      CHECK(notes_mention(both, "webserver.webserverConfig is not mounted into the API server"));
      const auto only_webserver =
          choose_embedded_webserver_config(values_for("airflowVersion: 3.0.2\n" + kWebserverConfig, chart));
      CHECK(only_webserver.key.empty());
      CHECK(notes_mention(only_webserver, "webserver.webserverConfig is not mounted into the API server"));
    }
  }
  SECTION("the chart's own airflowVersion decides: chart 1.19 defaults to Airflow 3") {
    const auto choice = choose_embedded_webserver_config(values_for(kApiServerConfig, "1.19.0"));
    CHECK(choice.key == "apiServer.apiServerConfig");
    CHECK(choice.airflow_version == "3.1.7");
  }
  SECTION("no version named anywhere: a lone webserverConfig is judged as the webserver's, and said so") {
    const auto assumed = choose_embedded_webserver_config(values_for(kWebserverConfig, ""));
    CHECK(assumed.key == "webserver.webserverConfig");
    CHECK(assumed.component == "webserver");
    CHECK(notes_mention(assumed, "the values name no chart or Airflow version"));
    // Once the version is named, the chart's rule holds.
    const auto named = choose_embedded_webserver_config(values_for("airflowVersion: 3.1.7\n" + kWebserverConfig, ""));
    CHECK(named.key.empty());
    // --airflow-version stands in for the missing airflowVersion.
    const auto option = choose_embedded_webserver_config(values_for(kWebserverConfig, ""), "3.1.0");
    CHECK(option.key.empty());
    CHECK(option.airflow_version == "3.1.0");
    CHECK(notes_mention(option, "is not mounted into the API server"));
    CHECK(choose_embedded_webserver_config(values_for(kWebserverConfig, ""), "2.10.5").key ==
          "webserver.webserverConfig");
  }
  SECTION("Airflow 3 on chart 1.16: the chart cannot run it, so the values are refused before any key is read") {
    HelmInputs inputs;
    inputs.values_files.push_back({"values.yaml", "airflowVersion: 3.0.2\n" + kWebserverConfig});
    inputs.chart_version = "1.16.0";
    CHECK_FALSE(HelmValues::build(inputs));
  }
  SECTION("a ConfigMap name: the content is not in the values") {
    const auto web = choose_embedded_webserver_config(
        values_for(kWebserverConfig + "  webserverConfigConfigMapName: my-webserver-config\n", "1.16.0"));
    CHECK(web.key.empty());
    CHECK(notes_mention(web, "names the ConfigMap the webserver mounts"));
    CHECK(notes_mention(web, "webserver.webserverConfig is then not rendered"));
    const auto api = choose_embedded_webserver_config(values_for(
        "airflowVersion: 3.1.7\n" + kApiServerConfig + "  apiServerConfigConfigMapName: my-api-config\n", "1.19.0"));
    CHECK(api.key.empty());
    CHECK(notes_mention(api, "names the ConfigMap the API server mounts"));
  }
  SECTION("charts 1.17 and 1.18 name the API server's ConfigMap from the webserver key") {
    const std::string values =
        "airflowVersion: 3.0.2\n" + kApiServerConfig + "webserver:\n  webserverConfigConfigMapName: legacy-config\n";
    const auto old_chart = choose_embedded_webserver_config(values_for(values, "1.18.0"));
    CHECK(old_chart.key.empty());
    CHECK(notes_mention(old_chart, "airflow_api_server_config_configmap_name"));
    const auto fixed_chart = choose_embedded_webserver_config(values_for(values, "1.19.0"));
    CHECK(fixed_chart.key == "apiServer.apiServerConfig");
  }
  SECTION("nothing embedded: nothing chosen, nothing said") {
    const auto choice = choose_embedded_webserver_config(values_for("airflowVersion: 2.10.5\n", "1.16.0"));
    CHECK(choice.key.empty());
    CHECK(choice.notes.empty());
  }
  SECTION("a disabled webserver reads nothing") {
    const auto choice = choose_embedded_webserver_config(
        values_for("airflowVersion: 2.10.5\nwebserver:\n  enabled: false\n  webserverConfig: 'A = 1'\n", "1.16.0"));
    CHECK(choice.key.empty());
    CHECK(notes_mention(choice, "webserver.enabled is false"));
  }
}

TEST_CASE("helm webserver config: an embedded AUTH_ROLE_PUBLIC is found at its values line") {
  TempDir dir;
  const std::string values = dir.write("values.yaml", "airflowVersion: 2.10.5\n" + kWebserverConfig);
  const ScanOutcome outcome = scan({values});
  REQUIRE(outcome.fatal.empty());
  const Finding* found = finding(outcome, "AFH-WSC-001");
  REQUIRE(found != nullptr);
  CHECK(found->source == SourceKind::webserver_config);
  CHECK(found->key == "AUTH_ROLE_PUBLIC");
  CHECK(found->location.file == values);
  CHECK(found->location.line == 6);
  CHECK(found->location.name == "webserver.webserverConfig");
  CHECK(found->remediation.target == values + ":6 (webserver.webserverConfig)");
  CHECK(found->remediation.snippet.find("in the Helm value webserver.webserverConfig") == 0);
  CHECK(found->remediation.snippet.find("from webserver_config.py") == std::string::npos);
  CHECK(found->evidence == "AUTH_ROLE_PUBLIC = Admin");
}

TEST_CASE("helm webserver config: the Airflow 3 API server's key, under the chart's FAB auth manager") {
  TempDir dir;
  const std::string values = dir.write("values.yaml", "airflowVersion: 3.1.7\n" + kApiServerConfig);
  const ScanOutcome outcome = scan({values});
  REQUIRE(outcome.fatal.empty());
  const Finding* found = finding(outcome, "AFH-WSC-001");
  REQUIRE(found != nullptr);
  CHECK(found->location.line == 4);
  CHECK(found->location.name == "apiServer.apiServerConfig");
}

TEST_CASE("helm webserver config: a named webserver_config.py is judged, the values' copy is named") {
  TempDir dir;
  const std::string values = dir.write("values.yaml", "airflowVersion: 2.10.5\n" + kWebserverConfig);
  const std::string file = dir.write("webserver_config.py", "AUTH_ROLE_PUBLIC = 'Viewer'\n");
  const ScanOutcome outcome = scan({values}, file);
  REQUIRE(outcome.fatal.empty());
  CHECK(finding(outcome, "AFH-WSC-001") == nullptr);
  const Finding* viewer = finding(outcome, "AFH-WSC-002");
  REQUIRE(viewer != nullptr);
  CHECK(viewer->location.file == file);
  CHECK(diagnostics_mention(outcome, "the chart would mount webserver.webserverConfig"));
}

TEST_CASE("helm webserver config: a ConfigMap name gives a note and no finding") {
  TempDir dir;
  const std::string values = dir.write(
      "values.yaml", "airflowVersion: 2.10.5\n" + kWebserverConfig + "  webserverConfigConfigMapName: my-config\n");
  const ScanOutcome outcome = scan({values});
  REQUIRE(outcome.fatal.empty());
  CHECK(finding(outcome, "AFH-WSC-001") == nullptr);
  CHECK(diagnostics_mention(outcome, "its content is not in the values"));
}

TEST_CASE("helm webserver config: the real binary reports the finding at the values line, secrets hidden") {
  TempDir dir;
  const std::string secret = "Zq7VbN3kLm9PwX4r";
  const std::string values = dir.write("values.yaml",
                                       "airflowVersion: 2.10.5\n"
                                       "webserver:\n"
                                       "  # the FAB configuration\n"
                                       "  webserverConfig: |-\n"
                                       "    from flask_appbuilder.security.manager import AUTH_DB\n"
                                       "    AUTH_TYPE = AUTH_DB\n"
                                       "\n"
                                       "    SECRET_KEY = '" +
                                           secret +
                                           "'\n"
                                           "    AUTH_ROLE_PUBLIC = 'Admin'\n");
  const Run run = run_binary(dir, "scan -f '" + values + "' --format json");
  INFO(run.err);
  REQUIRE(run.status == 1);
  const nlohmann::json report = nlohmann::json::parse(run.out);
  bool found = false;
  for (const auto& f : report["findings"]) {
    if (f["check"] != "AFH-WSC-001") continue;
    found = true;
    CHECK(f["source"] == "webserver_config");
    CHECK(f["key"] == "AUTH_ROLE_PUBLIC");
    CHECK(f["location"]["file"] == values);
    CHECK(f["location"]["line"] == 9);
    CHECK(f["location"]["name"] == "webserver.webserverConfig");
  }
  CHECK(found);
  CHECK(run.out.find(secret) == std::string::npos);
  CHECK(run.err.find(secret) == std::string::npos);
  const Run text = run_binary(dir, "scan -f '" + values + "'");
  CHECK(text.out.find(values + ":9") != std::string::npos);
  CHECK(text.out.find(secret) == std::string::npos);
  CHECK(text.err.find(secret) == std::string::npos);
}
