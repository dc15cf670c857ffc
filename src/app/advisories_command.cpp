#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "advisories/feed.hpp"
#include "advisories/pep440.hpp"
#include "app/commands.hpp"
#include "app/scan.hpp"
#include "core/exit_codes.hpp"

// `airguard advisories check NAME==VERSION` answers "is this version affected?" from the feed;
// `airguard advisories update` refreshes the local cache; `airguard advisories info` shows the feed in use.
namespace airguard {
namespace {

struct AdvisoriesOptions {
  std::string requirement;
  std::string format = "text";
  std::optional<std::string> advisories;
  std::string url;
  std::optional<std::string> ca_cert;
};

void print_diagnostics(const Diagnostics& diagnostics) {
  for (const auto& d : diagnostics) std::fprintf(stderr, "airguard: %s\n", d.format().c_str());
}

int fail(const Diagnostic& error) {
  std::fprintf(stderr, "airguard: %s\n", error.format().c_str());
  return static_cast<int>(ExitCode::usage_or_input);
}

int run_check(const AdvisoriesOptions& options) {
  auto separator = options.requirement.find("==");
  if (separator == std::string::npos || separator == 0) {
    return fail(make_error("", 0, fmt::format("expected NAME==VERSION, got '{}'", options.requirement),
                           "for example: airguard advisories check apache-airflow==2.9.1"));
  }
  std::string name = normalize_package_name(options.requirement.substr(0, separator));
  auto version = parse_version(options.requirement.substr(separator + 2));
  if (!version) {
    return fail(
        make_error("", 0, fmt::format("'{}' is not a PEP 440 version", options.requirement.substr(separator + 2))));
  }
  Diagnostics diagnostics;
  auto feed = resolve_feed(options.advisories, advisory_cache_dir(), diagnostics);
  print_diagnostics(diagnostics);
  if (!feed) return fail(feed.error());
  auto matches = feed->database->query(name, *version);

  if (options.format == "json") {
    nlohmann::ordered_json out;
    out["package"] = name;
    out["version"] = version->text();
    out["advisories"] = nlohmann::ordered_json::array();
    for (const auto& match : matches) {
      out["advisories"].push_back({{"id", match.id},
                                   {"aliases", match.aliases},
                                   {"severity", std::string(to_string(match.severity.level))},
                                   {"fixed", match.fixed}});
    }
    std::cout << out.dump(2) << "\n";
  } else {
    std::cout << fmt::format(
        "{} {}: {}\n", name, version->text(),
        matches.empty() ? "no known advisories"
                        : fmt::format("{} known {}", matches.size(), matches.size() == 1 ? "advisory" : "advisories"));
    for (const auto& match : matches) {
      std::string aliases;
      for (const auto& alias : match.aliases) aliases += (aliases.empty() ? "" : ", ") + alias;
      std::string fixed;
      for (const auto& f : match.fixed) fixed += (fixed.empty() ? "" : ", ") + f;
      std::cout << fmt::format("  {:<8} {}{}\n", to_string(match.severity.level), match.id,
                               aliases.empty() ? "" : " (" + aliases + ")");
      std::cout << fmt::format("           {}\n", match.summary);
      std::cout << fmt::format("           {}; severity: {}\n", fixed.empty() ? "no fix listed" : "fixed in " + fixed,
                               match.severity.basis);
    }
    if (!matches.empty()) {
      UpgradeAdvice advice = feed->database->smallest_fix(name, *version, matches);
      if (!advice.version)
        std::cout << "No known version fixes all of them.\n";
      else if (advice.major_upgrade)
        std::cout << fmt::format("Smallest fix: {} (a major upgrade)\n", *advice.version);
      else
        std::cout << fmt::format("Smallest fix: {}\n", *advice.version);
    }
    std::cout << fmt::format("Feed: {}, newest record {}, {} records\n", feed->source, feed->date, feed->records);
  }
  return matches.empty() ? static_cast<int>(ExitCode::ok) : static_cast<int>(ExitCode::findings);
}

int run_update(const AdvisoriesOptions& options) {
  if (options.ca_cert) {
    if (auto problem = check_input_file(*options.ca_cert)) return fail(*problem);
  }
  FeedUpdateOptions update;
  update.url = options.url;
  update.ca_file = options.ca_cert;
  auto result = update_feed_cache(update);
  if (!result) {
    std::fprintf(stderr, "airguard: %s\n", result.error().format().c_str());
    std::fprintf(stderr, "airguard: the advisory cache was left unchanged\n");
    return static_cast<int>(ExitCode::source_unavailable);
  }
  std::cout << fmt::format("{}: {} records, newest {} ({})\n", result->changed ? "updated" : "not modified",
                           result->records, result->date, result->source);
  return static_cast<int>(ExitCode::ok);
}

int run_info(const AdvisoriesOptions& options) {
  Diagnostics diagnostics;
  auto feed = resolve_feed(options.advisories, advisory_cache_dir(), diagnostics);
  print_diagnostics(diagnostics);
  if (!feed) return fail(feed.error());
  std::cout << fmt::format("source:   {}\nkind:     {}\ndate:     {}\nrecords:  {} ({} live)\npackages: {}\n",
                           feed->source, feed->kind, feed->date, feed->records, feed->database->live_records(),
                           feed->database->packages().size());
  return static_cast<int>(ExitCode::ok);
}

}  // namespace

CommandHandle add_advisories_command(CLI::App& root) {
  auto options = std::make_shared<AdvisoriesOptions>();
  CLI::App* command = root.add_subcommand("advisories", "Query and refresh the security advisory feed (OSV)");
  command->require_subcommand(1);

  CLI::App* check = command->add_subcommand("check", "Is NAME==VERSION affected by a known advisory? (exit 1 if so)");
  check->add_option("requirement", options->requirement, "package and version, e.g. apache-airflow==2.9.1")->required();
  check->add_option("--format", options->format, "text or json")->check(CLI::IsMember({"text", "json"}));
  check->add_option("--advisories", options->advisories,
                    "OSV feed to use: a directory of JSON records, a JSON file, or an http(s) URL");

  CLI::App* update = command->add_subcommand("update", "Refresh the local advisory cache over HTTPS");
  update->add_option("--url", options->url,
                     "OSV-compatible JSON feed URL (default: osv.dev's query API for every known Airflow package)");
  update->add_option("--ca-cert", options->ca_cert, "PEM file of certificate authorities to trust for --url");

  CLI::App* info = command->add_subcommand("info", "Show which advisory feed a scan would use");
  info->add_option("--advisories", options->advisories, "OSV feed to describe instead of the default");

  CommandHandle handle;
  handle.app = command;
  handle.run = [options, check, update, info]() {
    if (check->parsed()) return run_check(*options);
    if (update->parsed()) return run_update(*options);
    if (info->parsed()) return run_info(*options);
    return static_cast<int>(ExitCode::usage_or_input);
  };
  return handle;
}

}  // namespace airguard
