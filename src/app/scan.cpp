#include "app/scan.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>

#include "app/baseline.hpp"
#include "app/collectors.hpp"
#include "app/ignore_file.hpp"
#include "core/exit_codes.hpp"
#include "core/file_io.hpp"
#include "core/text.hpp"
#include "engine/helm_overlay.hpp"
#include "engine/profile_loader.hpp"
#include "engine/snapshot_builder.hpp"

namespace airguard {

namespace fs = std::filesystem;

namespace {

// The current UTC date ("2026-11-22") or time ("2026-11-22T10:00:00Z").
std::string utc_now(bool with_time) {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buffer[32];
  if (with_time) {
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  } else {
    std::strftime(buffer, sizeof buffer, "%Y-%m-%d", &utc);
  }
  return buffer;
}

}  // namespace

std::string today_utc() { return utc_now(false); }

namespace {

std::string now_rfc3339() { return utc_now(true); }

// Where a file lives by its usual names, relative to a deployment folder; the first match wins.
struct KnownFile {
  const char* kind;
  std::vector<const char*> names;
};

const std::vector<KnownFile>& known_files() {
  static const std::vector<KnownFile> files = {
      {"airflow.cfg", {"airflow.cfg", "config/airflow.cfg", "airflow/airflow.cfg"}},
      {"webserver_config.py", {"webserver_config.py", "config/webserver_config.py", "airflow/webserver_config.py"}},
      {"env-file", {".env", "airflow.env", ".env.airflow", "config/.env"}},
      {"compose", {"docker-compose.yaml", "docker-compose.yml", "compose.yaml", "compose.yml"}},
      {"helm-values", {"values.yaml", "values.yml", "helm/values.yaml", "chart/values.yaml"}},
      {"packages", {"requirements.txt", "constraints.txt", "pip-freeze.txt"}},
      {"dags", {"dags"}},
      {"ignore", {".airguard-ignore.yaml"}},
  };
  return files;
}

bool is_file(const fs::path& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec);
}

bool is_dir(const fs::path& path) {
  std::error_code ec;
  return fs::is_directory(path, ec);
}

// Something other than a folder is there: a regular file, or a FIFO, socket or device by a known
// name, which is taken too so that validation reports it instead of the scan skipping it unseen.
bool is_present_non_dir(const fs::path& path) {
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  return !ec && fs::exists(status) && !fs::is_directory(status);
}

}  // namespace

std::optional<Diagnostic> check_input_file(const std::string& path) {
  ReadLimits limits;
  limits.max_bytes = 16u * 1024u * 1024u;  // refused from its size alone, before reading
  auto text = read_text_file(path, limits);
  if (!text) return text.error();
  if (trim(*text).empty()) return make_error(path, 0, "file is empty", "nothing to scan in it");
  if (!is_valid_utf8(*text)) {
    const std::string& content = *text;
    int line = 1;
    std::size_t good = 0;
    // Find the first line that does not decode, for the message.
    std::size_t start = 0;
    while (start < content.size()) {
      const std::size_t end = std::min(content.find('\n', start), content.size());
      if (!is_valid_utf8(std::string_view(content).substr(start, end - start))) break;
      ++line;
      good = end;
      start = end + 1;
    }
    (void)good;
    return make_error(path, line, "is not valid UTF-8 text", "Airflow and Helm read these files as UTF-8");
  }
  return std::nullopt;
}

namespace {

std::optional<Diagnostic> check_input_dir(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return make_error(path, 0, "no such directory");
  if (!fs::is_directory(path, ec)) return make_error(path, 0, "is not a directory");
  return std::nullopt;
}

Diagnostics validate_inputs(const ScanOptions& options) {
  Diagnostics problems;
  const auto file = [&](const std::optional<std::string>& path) {
    if (path) {
      if (auto problem = check_input_file(*path)) problems.push_back(*problem);
    }
  };
  const auto files = [&](const std::vector<std::string>& paths) {
    for (const std::string& path : paths) file(path);
  };
  file(options.airflow_cfg);
  files(options.env_files);
  files(options.compose_files);
  file(options.webserver_config);
  files(options.helm_values);
  file(options.chart_defaults);
  files(options.packages_files);
  file(options.ignore_file);
  file(options.baseline);
  file(options.api_credentials_file);
  file(options.ca_cert);
  for (const std::string& dir : options.dag_dirs) {
    if (auto problem = check_input_dir(dir)) problems.push_back(*problem);
  }
  for (const std::string& dir : options.site_packages_dirs) {
    if (auto problem = check_input_dir(dir)) problems.push_back(*problem);
  }
  if (options.directory) {
    if (auto problem = check_input_dir(*options.directory)) {
      problems.push_back(*problem);
    } else {
      // A folder that cannot be listed says why, not that it holds nothing airguard knows.
      std::error_code ec;
      fs::directory_iterator listing(*options.directory, ec);
      if (ec) problems.push_back(make_error(*options.directory, 0, "cannot list the folder: " + ec.message()));
    }
  }
  if (auto problem = api_url_problem(options)) problems.push_back(*problem);
  return problems;
}

bool has_explicit_source(const ScanOptions& options) {
  return options.directory || options.airflow_cfg || !options.env_files.empty() || !options.compose_files.empty() ||
         options.webserver_config || !options.helm_values.empty() || !options.helm_set.empty() ||
         !options.helm_set_string.empty() || options.api_url || !options.packages_files.empty() ||
         !options.site_packages_dirs.empty() || !options.dag_dirs.empty() || options.process_env;
}

// Takes the check's texts: the catalogue is done with once the checks have run.
CheckInfo check_info(CheckDef&& check, const Profile& profile) {
  CheckInfo info;
  info.severity = effective_severity(check, profile);
  info.id = std::move(check.id);
  info.title = std::move(check.title);
  info.rationale = std::string(trim(check.rationale));
  info.fix_summary = std::move(check.fix.summary);
  info.references = std::move(check.references);
  info.tags = std::move(check.tags);
  return info;
}

// An incomplete scan (a source could not be read) says so before anything else: its "no
// findings" means less. Then findings at or above the threshold (only new ones with a baseline).
int exit_code_for(const ScanReport& report, Severity fail_on) {
  if (report.incomplete()) return static_cast<int>(ExitCode::source_unavailable);
  return static_cast<int>(has_failing_findings(report, fail_on) ? ExitCode::findings : ExitCode::ok);
}

// Whole days from an ISO date to another (both YYYY-MM-DD); -1 when either does not parse.
long days_between(const std::string& from, const std::string& to) {
  const auto parse = [](const std::string& text) -> std::optional<std::time_t> {
    std::tm tm{};
    if (text.size() < 10 || strptime(text.substr(0, 10).c_str(), "%Y-%m-%d", &tm) == nullptr) return std::nullopt;
    return timegm(&tm);
  };
  const auto a = parse(from);
  const auto b = parse(to);
  if (!a || !b) return -1;
  return static_cast<long>((*b - *a) / 86400);
}

}  // namespace

void discover_inputs(const std::string& directory, ScanOptions& options, std::vector<std::string>& notes) {
  const fs::path root(directory);
  for (const KnownFile& known : known_files()) {
    for (const char* name : known.names) {
      const fs::path candidate = root / name;
      const std::string kind = known.kind;
      const bool want_dir = kind == "dags";
      if (want_dir ? !is_dir(candidate) : !is_present_non_dir(candidate)) continue;
      const std::string path = candidate.lexically_normal().string();
      if (kind == "airflow.cfg" && !options.airflow_cfg)
        options.airflow_cfg = path;
      else if (kind == "webserver_config.py" && !options.webserver_config)
        options.webserver_config = path;
      else if (kind == "env-file")
        options.env_files.push_back(path);
      else if (kind == "compose")
        options.compose_files.push_back(path);
      else if (kind == "helm-values")
        options.helm_values.push_back(path);
      else if (kind == "packages")
        options.packages_files.push_back(path);
      else if (kind == "dags")
        options.dag_dirs.push_back(path);
      else if (kind == "ignore" && !options.ignore_file)
        options.ignore_file = path;
      else
        continue;
      notes.push_back(fmt::format("using {} {}", kind, path));
      break;
    }
  }
}

void local_inputs(ScanOptions& options, std::vector<std::string>& notes) {
  std::string path;
  if (const char* config = std::getenv("AIRFLOW_CONFIG"); config != nullptr && *config != '\0') {
    path = config;
  } else if (const char* home = std::getenv("AIRFLOW_HOME"); home != nullptr && *home != '\0') {
    path = (fs::path(home) / "airflow.cfg").string();
  } else if (const char* user_home = std::getenv("HOME"); user_home != nullptr && *user_home != '\0') {
    path = (fs::path(user_home) / "airflow" / "airflow.cfg").string();
  }
  if (!path.empty() && is_file(path)) {
    options.airflow_cfg = path;
    notes.push_back(fmt::format("using airflow.cfg {}", path));
  } else if (!path.empty()) {
    notes.push_back(fmt::format("no airflow.cfg at {}", path));
  }
  options.process_env = true;
  notes.push_back("using the process environment");
}

ScanOutcome run_scan(ScanOptions options) {
  const auto started = std::chrono::steady_clock::now();
  ScanOutcome outcome;
  if (options.today.empty()) options.today = today_utc();

  // 1. Discover what to read.
  std::vector<std::string> notes;
  const bool local = !has_explicit_source(options);
  if (options.directory) discover_inputs(*options.directory, options, notes);
  if (local) local_inputs(options, notes);
  outcome.fatal = validate_inputs(options);
  if (!outcome.fatal.empty()) {
    outcome.exit_code = static_cast<int>(ExitCode::usage_or_input);
    return outcome;
  }

  // 2. Load what the evaluation needs before touching any source, so a bad check or profile
  //    file fails fast.
  CheckCatalog catalog = load_check_catalog({}, CheckExamples::skip, CheckTexts::on_demand, CheckConditions::on_demand);
  auto profile = load_profile(options.profile);
  if (!catalog.ok() || !profile) {
    for (const Diagnostic& d : catalog.problems) {
      if (d.level == Diagnostic::Level::error) outcome.fatal.push_back(d);
    }
    if (!profile) outcome.fatal.push_back(profile.error());
    outcome.exit_code = static_cast<int>(ExitCode::usage_or_input);
    return outcome;
  }

  // 3. Collect: each area fills its part of the snapshot.
  Snapshot& snapshot = outcome.snapshot;
  snapshot.scan_root = options.directory.value_or("");
  snapshot.today = options.today;
  collect_config(options, snapshot);
  collect_webserver(options, snapshot);
  collect_helm(options, snapshot);
  collect_helm_webserver_config(options, snapshot);
  collect_inventory(options, snapshot);
  collect_api(options, snapshot);

  // 4. Resolve: target version and effective configuration; then sources that depend on it.
  finalize_snapshot(snapshot, options.airflow_version);
  collect_dags(options, snapshot);
  if (local || options.directory) collect_dag_folders_from_config(snapshot);
  if (snapshot.dags) {
    for (const std::string& value : snapshot.dags->scrub_values) snapshot.secrets.add(value);
  }

  const bool nothing_read = std::none_of(snapshot.inputs.begin(), snapshot.inputs.end(),
                                         [](const InputUsed& input) { return input.kind != "environment"; }) &&
                            std::none_of(snapshot.env.vars().begin(), snapshot.env.vars().end(),
                                         [](const EnvVar& var) { return var.name.rfind("AIRFLOW", 0) == 0; }) &&
                            snapshot.inventory.packages.empty();
  if (nothing_read) {
    outcome.fatal.push_back(make_error("", 0, "found nothing to scan",
                                       local ? "no airflow.cfg found and no AIRFLOW_* variables set; name a file, a "
                                               "folder, Helm values or --api-url (see airguard scan --help)"
                                             : "the folder holds none of the files airguard knows by name"));
    outcome.exit_code = static_cast<int>(ExitCode::usage_or_input);
    return outcome;
  }
  // Input errors a collector found (unparseable YAML, a list where a mapping belongs ...) stop
  // the scan; trouble reaching a server does not: it is reported and the exit status is 3. A
  // server that answered some endpoints but failed others was only partly read: incomplete too.
  std::size_t failed_endpoints = 0;
  for (const Diagnostic& d : snapshot.diagnostics) {
    const bool about_network = d.file.rfind("http://", 0) == 0 || d.file.rfind("https://", 0) == 0 ||
                               std::find(snapshot.unavailable_sources.begin(), snapshot.unavailable_sources.end(),
                                         d.file) != snapshot.unavailable_sources.end();
    if (d.level == Diagnostic::Level::error && !about_network) outcome.fatal.push_back(d);
    if (d.level == Diagnostic::Level::error && about_network) ++failed_endpoints;
  }
  if (failed_endpoints > 0 && snapshot.unavailable_sources.empty() && snapshot.api) {
    snapshot.unavailable_sources.push_back(fmt::format("{} ({} endpoint{} could not be read)", snapshot.api->base_url,
                                                       failed_endpoints, failed_endpoints == 1 ? "" : "s"));
  }
  if (!outcome.fatal.empty()) {
    outcome.exit_code = static_cast<int>(ExitCode::usage_or_input);
    return outcome;
  }

  // 5. Evaluate.
  const Severity fail_on = options.fail_on.value_or(profile->fail_on);
  EvaluationResult evaluation = run_checks(catalog, snapshot, *profile);

  // 6. Report.
  ScanReport& report = outcome.report;
  report.tool_version = AIRGUARD_VERSION;
  report.generated_at = options.golden ? std::string() : now_rfc3339();
  report.airflow_version = snapshot.target.version;
  report.airflow_version_source = snapshot.target.source;
  report.profile = profile->name;
  report.fail_on = std::string(to_string(fail_on));
  report.scan_root = snapshot.scan_root;
  for (const InputUsed& input : snapshot.inputs) report.inputs.push_back({input.kind, input.path});
  report.findings = std::move(evaluation.findings);
  report.checks.reserve(evaluation.ran.size());
  for (const CheckDef* ran : evaluation.ran) {
    CheckDef& check = catalog.checks[static_cast<std::size_t>(ran - catalog.checks.data())];
    if (options.check_texts) catalog.load_texts(check);
    report.checks.push_back(check_info(std::move(check), *profile));
  }
  report.diagnostics = snapshot.diagnostics;
  report.diagnostics.insert(report.diagnostics.end(), evaluation.problems.begin(), evaluation.problems.end());
  report.diagnostics = collapse_repeated(std::move(report.diagnostics));
  report.unavailable_sources = snapshot.unavailable_sources;
  if (snapshot.advisory_feed) {
    report.advisory_feed_source = snapshot.advisory_feed->source;
    report.advisory_feed_date = snapshot.advisory_feed->date;
    report.advisory_feed_age_days = days_between(report.advisory_feed_date, options.today);
  }
  if (snapshot.helm) {
    report.helm_overlay = render_helm_overlay(report.findings, snapshot);
    report.split_by_provenance = true;
    const HelmValues& helm = *snapshot.helm;
    std::string how = helm.chart_version_source;
    // "chart 1.19.0, inferred from ..." / "chart 1.19.0: newest known ...": the version is said once.
    if (const std::string prefix = "chart " + helm.chart_version; how.rfind(prefix, 0) == 0) {
      how.erase(0, prefix.size());
      while (!how.empty() && (how.front() == ',' || how.front() == ':' || how.front() == ' ')) how.erase(0, 1);
    }
    report.helm_chart = helm.chart == HelmChart::community
                            ? how
                            : fmt::format("apache-airflow/airflow {}{}", helm.chart_version,
                                          how.empty() ? std::string() : " (" + how + ")");
    std::vector<Finding> chart_defaults;
    for (const Finding& finding : report.findings) {
      if (finding.provenance == Provenance::chart_default) chart_defaults.push_back(finding);
    }
    report.helm_defaults_overlay = render_helm_overlay(chart_defaults, snapshot);
  }
  report.text_lists_suppressed = options.show_suppressed;

  // 7. Accepted risks and history: the ignore file first, so accepted findings are not "new".
  if (const auto ignore_path = find_ignore_file(options)) {
    auto applied = apply_ignore_file(*ignore_path, report, options.today);
    if (!applied) outcome.fatal.push_back(applied.error());
  }
  if (options.baseline) {
    auto applied = apply_baseline(*options.baseline, report);
    if (!applied) outcome.fatal.push_back(applied.error());
  }
  if (!outcome.fatal.empty()) {
    outcome.exit_code = static_cast<int>(ExitCode::usage_or_input);
    return outcome;
  }
  if (!options.golden) {
    report.scan_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  }
  outcome.exit_code = exit_code_for(report, fail_on);
  return outcome;
}

}  // namespace airguard
