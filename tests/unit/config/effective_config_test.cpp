#include <catch2/catch.hpp>

#include <algorithm>

#include "config/effective_config.hpp"
#include "config/option_catalog.hpp"
#include "core/text.hpp"

using namespace airguard;

namespace {
Environment env_of(std::initializer_list<std::pair<const char*, const char*>> vars) {
  Environment env;
  for (const auto& [name, value] : vars) {
    EnvVar var;
    var.name = name;
    var.value = value;
    var.origin.kind = SourceKind::env;
    env.set(var);
  }
  return env;
}

EffectiveConfig resolve(const std::string& cfg_text, const Environment& env, const std::string& version) {
  static std::vector<CfgFile> keep;  // the config keeps no pointers, but tests read issues' origins
  keep.push_back(parse_cfg(cfg_text, "airflow.cfg"));
  ConfigInputs inputs;
  inputs.file = &keep.back();
  inputs.env = &env;
  inputs.airflow_version = version;
  return EffectiveConfig::resolve(inputs);
}

bool has_issue(const EffectiveConfig& config, std::string_view kind) {
  return std::any_of(config.issues().begin(), config.issues().end(),
                     [&](const ConfigIssue& i) { return i.kind == kind; });
}
const ConfigIssue* issue(const EffectiveConfig& config, std::string_view kind) {
  for (const auto& i : config.issues()) {
    if (i.kind == kind) return &i;
  }
  return nullptr;
}
}  // namespace

TEST_CASE("resolve: the environment beats the file, even when empty", "[resolve]") {
  const Environment env = env_of({{"AIRFLOW__WEBSERVER__EXPOSE_CONFIG", ""}});
  const auto config = resolve("[webserver]\nexpose_config = True\n", env, "2.10.5");
  const ResolvedOption* option = config.get("webserver", "expose_config");
  REQUIRE(option != nullptr);
  CHECK(option->source == ValueSource::env);
  CHECK(option->value == "");
  CHECK(has_issue(config, "env_overrides_file"));
}

TEST_CASE("resolve: _CMD and _SECRET only for sensitive options, never executed", "[resolve]") {
  const Environment env = env_of({{"AIRFLOW__CORE__FERNET_KEY_CMD", "cat /run/secrets/fernet"},
                                  {"AIRFLOW__WEBSERVER__EXPOSE_CONFIG_CMD", "echo True"}});
  const auto config = resolve("[webserver]\n", env, "2.10.5");
  const ResolvedOption* fernet = config.get("core", "fernet_key");
  REQUIRE(fernet != nullptr);
  CHECK(fernet->source == ValueSource::env_cmd);
  CHECK_FALSE(fernet->value.has_value());
  CHECK(fernet->runtime_only);
  CHECK(fernet->name_used == "AIRFLOW__CORE__FERNET_KEY_CMD");
  const ResolvedOption* expose = config.get("webserver", "expose_config");
  CHECK(expose->source == ValueSource::default_value);
  const ConfigIssue* cmd = issue(config, "cmd_on_non_sensitive");
  REQUIRE(cmd != nullptr);
  CHECK(cmd->option == "webserver.expose_config");
}

TEST_CASE("resolve: file _cmd after the file value; _secret needs a secrets backend", "[resolve]") {
  const Environment env;
  auto config = resolve("[database]\nsql_alchemy_conn_cmd = cat x\nsql_alchemy_conn_secret = path\n", env, "2.10.5");
  CHECK(config.get("database", "sql_alchemy_conn")->source == ValueSource::file_cmd);
  config = resolve("[database]\nsql_alchemy_conn_secret = path\n", env, "2.10.5");
  CHECK(config.get("database", "sql_alchemy_conn")->source == ValueSource::default_value);
  config = resolve("[secrets]\nbackend = my.Backend\n[database]\nsql_alchemy_conn_secret = path\n", env, "2.10.5");
  CHECK(config.get("database", "sql_alchemy_conn")->source == ValueSource::file_secret);
}

TEST_CASE("resolve: deprecated names are tried right after the new name at each step", "[resolve]") {
  const Environment env = env_of({{"AIRFLOW__CORE__SQL_ALCHEMY_CONN", "postgresql://old"}});
  const auto config = resolve("[database]\nsql_alchemy_conn = postgresql://new\n", env, "2.10.5");
  const ResolvedOption* conn = config.get("database", "sql_alchemy_conn");
  CHECK(conn->source == ValueSource::env);
  CHECK(conn->via_deprecated_name);
  CHECK(conn->value == "postgresql://old");
  CHECK(has_issue(config, "deprecated_name"));
}

TEST_CASE("resolve: [webserver] secret_key on Airflow 3 maps to [api] secret_key", "[resolve]") {
  const Environment env;
  const auto config = resolve("[webserver]\nsecret_key = abc\nenable_proxy_fix = True\n", env, "3.1.0");
  const ResolvedOption* key = config.get("api", "secret_key");
  REQUIRE(key != nullptr);
  CHECK(key->source == ValueSource::file);
  CHECK(key->value == "abc");
  CHECK(key->via_deprecated_name);
  CHECK(has_issue(config, "deprecated_name"));
  CHECK((has_issue(config, "removed_in_airflow3") || has_issue(config, "ignored_section")));
}

TEST_CASE("resolve: 3.0.0 has no [api] secret_key yet, 3.0.2 has it", "[resolve]") {
  CHECK(OptionCatalog::for_version("3.0.0").find("api", "secret_key") == nullptr);
  CHECK(OptionCatalog::for_version("3.0.0").find("webserver", "secret_key") != nullptr);
  CHECK(OptionCatalog::for_version("3.0.2").find("api", "secret_key") != nullptr);
  CHECK(OptionCatalog::for_version("3.0.2").find("webserver", "secret_key") == nullptr);
  CHECK(OptionCatalog::for_version("3.0.2").is_sensitive("webserver", "secret_key"));
}

TEST_CASE("resolve: interpolation, [DEFAULT] and $VAR/~ expansion with the scanned environment", "[resolve]") {
  const Environment env = env_of({{"HOME", "/home/af"}, {"DB_HOST", "db.internal"}});
  const auto config = resolve(
      "[DEFAULT]\nhost = $DB_HOST\n[core]\ndags_folder = ~/dags\n[database]\n"
      "sql_alchemy_conn = postgresql://u@%(host)s/x%%\n[logging]\nbase_log_folder = 100%\n",
      env, "2.10.5");
  CHECK(config.get("core", "dags_folder")->value == "/home/af/dags");
  CHECK(config.get("database", "sql_alchemy_conn")->value == "postgresql://u@db.internal/x%");
  const ResolvedOption* broken = config.get("logging", "base_log_folder");
  CHECK_FALSE(broken->error.empty());
  CHECK_FALSE(broken->value.has_value());
  CHECK(has_issue(config, "interpolation_error"));
}

TEST_CASE("resolve: defaults with placeholders", "[resolve]") {
  const Environment env = env_of({{"AIRFLOW_HOME", "/opt/airflow"}});
  const auto config = resolve("", env, "2.10.5");
  CHECK(config.get("core", "dags_folder")->value == "/opt/airflow/dags");
  CHECK(config.get("core", "fernet_key")->value == "");
  const ResolvedOption* secret = config.get("webserver", "secret_key");
  CHECK_FALSE(secret->value.has_value());
  CHECK(secret->runtime_only);
  CHECK(config.get("logging", "log_format")->value.value().find("%(asctime)s") != std::string::npos);
}

TEST_CASE("resolve: hygiene issues", "[resolve]") {
  const Environment env = env_of({{"AIRFLOW__CORE__NOT_AN_OPTION", "1"}, {"AIRFLOW__core__executor", "x"}});
  const auto config =
      resolve("[core]\nFERNET_KEY = k\nexecutr = LocalExecutor\n[nosuchsection]\na = 1\n", env, "2.10.5");
  CHECK(has_issue(config, "uppercase_key"));
  const ConfigIssue* unknown = issue(config, "unknown_option");
  REQUIRE(unknown != nullptr);
  CHECK(unknown->detail.find("core.executor") != std::string::npos);
  CHECK(has_issue(config, "ignored_section"));
  CHECK(has_issue(config, "unknown_env_var"));
  CHECK(config.get("core", "fernet_key")->source == ValueSource::default_value);
}

TEST_CASE("resolve: airflow_boolean follows getboolean", "[resolve]") {
  CHECK(airflow_boolean(" True # enable") == true);
  CHECK(airflow_boolean("t") == true);
  CHECK(airflow_boolean("0") == false);
  CHECK_FALSE(airflow_boolean("yes").has_value());
  CHECK_FALSE(airflow_boolean("On").has_value());
}

TEST_CASE("resolve: provider options are known", "[resolve]") {
  CHECK(OptionCatalog::for_version("2.10.5").find("celery", "broker_url") != nullptr);
  CHECK(OptionCatalog::for_version("2.10.5").is_sensitive("celery", "broker_url"));
  CHECK(OptionCatalog::for_version("3.1.0").has_section("fab"));
  CHECK(OptionCatalog::for_version("2.8.0").version_label() == "2.7.3");
  CHECK(OptionCatalog::for_version("").version_label() == "3.2.0");
}

// Every option and deprecated name of every shipped table is found by its variable, as Airflow
// spells it: AIRFLOW__{SECTION with '.' as '_'}__{KEY}, upper case; near misses are not.
TEST_CASE("catalog: each AIRFLOW__ variable names its option or deprecated name", "[catalog]") {
  for (const char* version : {"2.7.3", "2.10.5", "3.0.0", "3.1.0", ""}) {
    const OptionCatalog& catalog = OptionCatalog::for_version(version);
    INFO(catalog.version_label());
    const auto expect = [&](std::string_view section, std::string_view key) {
      std::string variable = "AIRFLOW__" + to_upper(section) + "__" + to_upper(key);
      std::replace(variable.begin(), variable.begin() + 9 + static_cast<std::ptrdiff_t>(section.size()), '.', '_');
      INFO(variable);
      const auto found = catalog.option_for_env_var(variable);
      REQUIRE(found);
      CHECK(OptionCatalog::env_var_name(found->first, found->second) == variable);
      CHECK(OptionCatalog::env_var_name(section, key) == variable);
      CHECK_FALSE(catalog.option_for_env_var(variable + "_"));
      CHECK_FALSE(catalog.option_for_env_var(to_lower(variable)));
      // A shorter name may be another option ([api] access_control_allow_origin), never this one.
      const std::string shorter = variable.substr(0, variable.size() - 1);
      if (const auto other = catalog.option_for_env_var(shorter)) {
        CHECK(OptionCatalog::env_var_name(other->first, other->second) == shorter);
      }
    };
    std::size_t seen = 0;
    for (const OptionSpec& spec : catalog.options()) {
      expect(spec.section, spec.key);
      ++seen;
    }
    for (const OptionRename& rename : catalog.renames()) expect(rename.old_section, rename.old_key);
    CHECK(seen > 300);
  }
  const OptionCatalog& catalog = OptionCatalog::for_version("2.10.5");
  CHECK(catalog.option_for_env_var("AIRFLOW__CORE__FERNET_KEY") ==
        std::pair<std::string, std::string>{"core", "fernet_key"});
  CHECK_FALSE(catalog.option_for_env_var("AIRFLOW__CORE__NOT_AN_OPTION"));
  CHECK_FALSE(catalog.option_for_env_var("CORE__FERNET_KEY"));
  CHECK_FALSE(catalog.option_for_env_var(""));
}

TEST_CASE("resolve: defaults answered on request agree with the full option list", "[resolve]") {
  const Environment env = env_of({{"AIRFLOW_HOME", "/srv/airflow"},
                                  {"AIRFLOW__CORE__FERNET_KEY_CMD", "cat /run/secrets/fernet"},
                                  {"AIRFLOW__WEBSERVER__EXPOSE_CONFIG", "True"}});
  for (const char* version : {"2.10.5", "3.1.0"}) {
    INFO(version);
    const auto config = resolve("[core]\nload_examples = False\n[made_up]\nthing = 1\n", env, version);
    const ResolvedOption* first = config.get("core", "parallelism");  // a plain default, asked first
    REQUIRE(first != nullptr);
    CHECK(first->source == ValueSource::default_value);
    CHECK(first->value == "32");
    CHECK(config.get("core", "parallelism") == first);  // asked again: the same option
    auto copy = config;                                 // copies answer alike
    REQUIRE(copy.get("core", "parallelism") != nullptr);
    CHECK(copy.get("core", "parallelism")->value == "32");
    const auto moved = std::move(copy);
    REQUIRE(moved.get("core", "parallelism") != nullptr);
    CHECK(moved.get("core", "parallelism")->value == "32");
    CHECK(copy.get("core", "parallelism") == nullptr);  // NOLINT(bugprone-use-after-move): answers, never crashes

    const OptionCatalog& catalog = OptionCatalog::for_version(version);
    const auto& all = config.options();
    CHECK(all.size() == catalog.options().size() + 1);  // and the unknown [made_up] thing
    CHECK(std::is_sorted(all.begin(), all.end(), [](const ResolvedOption& a, const ResolvedOption& b) {
      return std::tie(a.section, a.key) < std::tie(b.section, b.key);
    }));
    std::size_t placeholders = 0;
    for (const ResolvedOption& option : all) {
      INFO(option.section << "." << option.key);
      const ResolvedOption* got = config.get(option.section, option.key);
      REQUIRE(got != nullptr);
      CHECK(got->value == option.value);
      CHECK(got->source == option.source);
      CHECK(got->name_used == option.name_used);
      CHECK(got->origin.describe() == option.origin.describe());
      CHECK(got->sensitive == option.sensitive);
      CHECK(got->known == option.known);
      CHECK(got->runtime_only == option.runtime_only);
      if (option.value && option.value->find("/srv/airflow") != std::string::npos) ++placeholders;
      CHECK((option.value && option.value->find("{AIRFLOW_HOME}") != std::string::npos) == false);
    }
    CHECK(placeholders > 3);  // defaults that read AIRFLOW_HOME were filled from the inputs

    std::vector<std::string> set;
    for (const ResolvedOption* option : config.set_options()) set.push_back(option->section + "." + option->key);
    std::sort(set.begin(), set.end());
    // Airflow 3 reads the old [webserver] name for [api] expose_config.
    const std::string expose = std::string(version) == "3.1.0" ? "api.expose_config" : "webserver.expose_config";
    std::vector<std::string> expected{"core.fernet_key", "core.load_examples", "made_up.thing", expose};
    std::sort(expected.begin(), expected.end());
    CHECK(set == expected);
  }
}
