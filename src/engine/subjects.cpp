#include "engine/subjects.hpp"

#include <fmt/format.h>

namespace airguard {

bool glob_match(std::string_view pattern, std::string_view text) {
  // Iterative matcher with single-star backtracking: linear enough for variable names.
  std::size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

Fact option_fact(const ResolvedOption& option) {
  Fact fact;
  fact.key = fmt::format("{}.{}", option.section, option.key);
  fact.value = option.value;
  fact.is_set = option.is_set();
  fact.runtime_only = !option.value.has_value() && option.is_set();
  if (fact.runtime_only) fact.runtime_mechanism = option.name_used;
  fact.sensitive = option.sensitive;
  fact.origin = option.origin;
  return fact;
}

namespace {

bool has_config_sources(const Snapshot& snapshot) {
  return snapshot.cfg.has_value() || !snapshot.env.empty() || snapshot.helm.has_value();
}

std::pair<std::string, std::string> split_option_name(const std::string& name) {
  const std::size_t dot = name.rfind('.');
  if (dot == std::string::npos) return {std::string(), name};
  return {name.substr(0, dot), name.substr(dot + 1)};
}

std::vector<Fact> option_facts(const Snapshot& snapshot, const std::vector<std::string>& names) {
  for (const std::string& name : names) {
    const auto [section, key] = split_option_name(name);
    const ResolvedOption* option = snapshot.config.get(section, key);
    if (option != nullptr && option->known) return {option_fact(*option)};
  }
  return {};
}

std::vector<Fact> env_facts(const Snapshot& snapshot, const std::vector<std::string>& names) {
  std::vector<Fact> facts;
  for (const EnvVar& var : snapshot.env.vars()) {
    for (const std::string& pattern : names) {
      if (!glob_match(pattern, var.name)) continue;
      Fact fact;
      fact.key = var.name;
      if (var.value_from_reference) {
        fact.runtime_only = true;
        fact.runtime_mechanism = var.reference;
      } else {
        fact.value = var.value;
      }
      fact.origin = var.origin;
      fact.origin.name = var.name;
      facts.push_back(std::move(fact));
      break;
    }
  }
  return facts;
}

std::vector<Fact> webserver_facts(const Snapshot& snapshot, const std::vector<std::string>& names) {
  if (!snapshot.webserver) return {};
  for (const std::string& name : names) {
    std::vector<Fact> facts = snapshot.webserver->facts(name);  // plain names, nested paths, [*] wildcards
    if (!facts.empty()) return facts;
  }
  return {};
}

std::vector<Fact> helm_facts(const Snapshot& snapshot, const std::vector<std::string>& names) {
  if (!snapshot.helm) return {};
  for (const std::string& name : names) {
    std::vector<Fact> facts = snapshot.helm->facts(name);
    if (!facts.empty()) return facts;
  }
  return {};
}

}  // namespace

const std::vector<SubjectInfo>& subject_registry() {
  static const std::vector<SubjectInfo> registry = {
      {"option",
       "an Airflow option, `section.key`, as Airflow resolves it (environment, airflow.cfg, Helm config:, default)",
       SourceKind::cfg, has_config_sources, option_facts},
      {"env", "environment variables by name or `*` glob (env files, compose files, Helm env, the process)",
       SourceKind::env, [](const Snapshot& s) { return !s.env.empty(); }, env_facts},
      {"wsc", "a module-level setting of webserver_config.py", SourceKind::webserver_config,
       [](const Snapshot& s) { return s.webserver.has_value(); }, webserver_facts},
      {"helm", "a Helm value by dotted path, merged over the chart defaults", SourceKind::helm,
       [](const Snapshot& s) { return s.helm.has_value(); }, helm_facts},
  };
  return registry;
}

const SubjectInfo* find_subject(std::string_view kind) {
  for (const SubjectInfo& info : subject_registry()) {
    if (info.kind == kind) return &info;
  }
  return nullptr;
}

}  // namespace airguard
