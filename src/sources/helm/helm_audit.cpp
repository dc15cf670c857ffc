#include "sources/helm/helm_audit.hpp"

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <charconv>

#include "core/redact.hpp"
#include "core/text.hpp"

// The Helm checks that need code: several paths at once, chart-version rules, lists of
// components. Each returns issues; the words (title, rationale, references) live in
// checks/helm/helm.yaml.
namespace airguard {

namespace {

bool truthy(const HelmNode* node) {
  if (node == nullptr || node->is_null()) return false;
  if (node->kind == HelmNode::Kind::boolean) return node->text == "true";
  if (node->is_scalar()) {
    const std::string lower = to_lower(node->text);
    return lower == "true" || lower == "yes" || lower == "1" || lower == "on";
  }
  return !node->children.empty();
}

bool explicitly_false(const HelmNode* node) {
  return node != nullptr && node->is_scalar() && !node->is_null() && !truthy(node);
}

std::string text_of(const HelmNode* node) {
  if (node == nullptr || node->is_null() || !node->is_scalar()) return {};
  return node->text;
}

bool present(const HelmNode* node) { return !text_of(node).empty(); }

// A value completed at deploy or run time: a Helm template, an envsubst `${VAR}`, or a Kubernetes
// dependent variable `$(VAR)` (expanded by the kubelet from the container's other variables).
bool filled_in_elsewhere(std::string_view value) {
  return value.find("{{") != std::string_view::npos || value.find("${") != std::string_view::npos ||
         value.find("$(") != std::string_view::npos;
}

// `yaml` is written from the chart's root; values nested under an umbrella key get that key.
std::string snippet(const HelmValues& values, const std::string& yaml) {
  if (values.nested_under.empty()) return yaml;
  std::string out = values.nested_under + ":\n";
  for (const auto& line : split(yaml, '\n')) {
    if (!line.empty()) out += "  " + line + "\n";
  }
  return out;
}

// A nested YAML snippet for "a.b.c" = value.
std::string path_snippet(const std::string& path, const std::string& value) {
  std::string out;
  const auto parts = split_values_path(path);
  for (std::size_t i = 0; i < parts.size(); ++i) {
    out += std::string(2 * i, ' ') + parts[i] + ":";
    out += i + 1 == parts.size() ? " " + value + "\n" : "\n";
  }
  return out;
}

HelmIssue issue_at(const HelmValues& values, const std::string& path, std::string evidence, std::string fix) {
  HelmIssue issue;
  issue.path = path;
  const HelmNode* node = values.node(path);
  if (node != nullptr) {
    issue.origin = values.origin_of(*node, path);
  } else {
    issue.origin.kind = SourceKind::helm;
    issue.origin.name = path;
  }
  issue.evidence = std::move(evidence);
  issue.fix_snippet = snippet(values, fix);
  issue.fix_target = values.fix_target(node);
  return issue;
}

std::string where_text(const HelmNode* node) {
  return node != nullptr && !node->is_default() ? "" : " (chart default)";
}

bool airflow3(const HelmValues& values) { return !values.airflow_version.empty() && values.airflow_version[0] >= '3'; }

bool chart_at_least(const HelmValues& values, int minor) {
  const std::string_view version = values.chart_version;
  if (version.substr(0, 2) != "1.") return true;
  int found = 0;
  const auto [end, error] = std::from_chars(version.data() + 2, version.data() + version.size(), found);
  if (error != std::errc() || end == version.data() + 2) return true;
  return found >= minor;
}

// --- users ----------------------------------------------------------------------------------

struct DefaultUser {
  std::string password_path;
  const HelmNode* password = nullptr;
  const HelmNode* username = nullptr;
  std::string fix;  // the values that turn the create-user job off for this chart version
};

// The create-user job (templates/jobs/create-user-job.yaml). Up to chart 1.18.0 (48ae6af196) it
// runs when `webserver.defaultUser.enabled`, with that map's fields. From 1.19.0 (f17d6ffb05) it
// runs when `webserver.defaultUser.enabled` or `createUserJob.enabled` (default true), and takes
// its fields from `webserver.defaultUser` when that map is set, else `createUserJob.defaultUser`
// (the default args in values.yaml); `createUserJob.defaultUser` has no `enabled` switch.
// On the 1.20 line a set webserver.defaultUser decides alone (below).
std::vector<DefaultUser> created_users(const HelmValues& values) {
  std::vector<DefaultUser> users;
  if (values.chart == HelmChart::community) {
    const HelmNode* list = values.node("airflow.users");
    if (list == nullptr || !list->is_list()) return users;
    for (std::size_t i = 0; i < list->children.size(); ++i) {
      const HelmNode& user = list->children[i];
      users.push_back(DefaultUser{fmt::format("airflow.users[{}].password", i), user.find("password"),
                                  user.find("username"),
                                  "airflow:\n  users: []   # create users through your identity provider, or from a "
                                  "Secret with usersTemplates\n"});
    }
    return users;
  }
  const HelmNode* legacy = values.node("webserver.defaultUser");
  const bool legacy_set = legacy != nullptr && legacy->is_map() && !legacy->children.empty();
  const bool legacy_on = legacy_set && truthy(legacy->find("enabled"));
  if (!chart_at_least(values, 19)) {
    if (legacy_on) {
      users.push_back(DefaultUser{"webserver.defaultUser.password", legacy->find("password"), legacy->find("username"),
                                  "webserver:\n  defaultUser:\n    enabled: false\n"});
    }
    return users;
  }
  // The 1.20 line (createUserJob.isEnabled in _helpers.yaml, from 0a307cce79 on main, 2026-02-18):
  // once webserver.defaultUser is set, its `enabled` alone decides.
  const bool runs = values.chart_version.rfind("1.20", 0) == 0 && legacy_set
                        ? legacy_on
                        : legacy_on || truthy(values.node("createUserJob.enabled"));
  if (!runs) return users;
  std::string fix = "createUserJob:\n  enabled: false\n";
  if (legacy_on) fix += "webserver:\n  defaultUser:\n    enabled: false\n";
  if (legacy_set) {
    // The job's args take every field from webserver.defaultUser once that map is set; a map with
    // neither user name nor password (`{enabled: false}` kept from an older chart) gives the
    // command empty credentials, so no account anyone can log in with.
    if (!present(legacy->find("username")) && !present(legacy->find("password"))) return users;
    users.push_back(
        DefaultUser{"webserver.defaultUser.password", legacy->find("password"), legacy->find("username"), fix});
  } else {
    const HelmNode* current = values.node("createUserJob.defaultUser");
    users.push_back(DefaultUser{"createUserJob.defaultUser.password",
                                current != nullptr ? current->find("password") : nullptr,
                                current != nullptr ? current->find("username") : nullptr, fix});
  }
  return users;
}

std::string user_fix(const DefaultUser& user) { return user.fix; }

std::vector<HelmIssue> default_user_weak(const HelmValues& values) {
  std::vector<HelmIssue> issues;
  for (const auto& user : created_users(values)) {
    const std::string password = text_of(user.password);
    if (!password.empty() && !is_published_or_placeholder_secret(password)) continue;
    issues.push_back(
        issue_at(values, user.password_path,
                 fmt::format("the chart creates Admin-capable user `{}` with {} password{}", text_of(user.username),
                             password.empty() ? "an empty" : "a published", where_text(user.password)),
                 user_fix(user)));
  }
  return issues;
}

std::vector<HelmIssue> default_user_literal(const HelmValues& values) {
  std::vector<HelmIssue> issues;
  for (const auto& user : created_users(values)) {
    const std::string password = text_of(user.password);
    if (password.empty() || is_published_or_placeholder_secret(password) || filled_in_elsewhere(password)) continue;
    issues.push_back(issue_at(values, user.password_path,
                              fmt::format("the chart creates user `{}` with a password written in the values ({})",
                                          text_of(user.username), std::string(kRedacted)),
                              user_fix(user)));
  }
  return issues;
}

// --- secret keys ----------------------------------------------------------------------------

struct SecretKeySpec {
  const char* value_path;
  const char* secret_name_path;  // "" for the community chart
  const char* secret_key;        // key inside the Kubernetes Secret
  const char* secret_suffix;     // suggested Secret name
};

std::vector<SecretKeySpec> secret_specs(const HelmValues& values) {
  if (values.chart == HelmChart::community) {
    return {{"airflow.fernetKey", "", "fernet-key", "airflow-fernet-key"},
            {"airflow.webserverSecretKey", "", "webserver-secret-key", "airflow-webserver-secret-key"}};
  }
  return {
      {"fernetKey", "fernetKeySecretName", "fernet-key", "airflow-fernet-key"},
      {"webserverSecretKey", "webserverSecretKeySecretName", "webserver-secret-key", "airflow-webserver-secret-key"},
      {"apiSecretKey", "apiSecretKeySecretName", "api-secret-key", "airflow-api-secret-key"},
      {"jwtSecret", "jwtSecretName", "jwt-secret", "airflow-jwt-secret"}};
}

std::string secret_fix(const HelmValues& values, const SecretKeySpec& spec) {
  if (values.chart == HelmChart::community) {
    const bool fernet = std::string_view(spec.value_path) == "airflow.fernetKey";
    return fmt::format(
        "airflow:\n  {}: \"\"\n  extraEnv:\n    - name: {}\n      valueFrom:\n        secretKeyRef:\n"
        "          name: {}\n          key: {}\n",
        fernet ? "fernetKey" : "webserverSecretKey",
        fernet ? "AIRFLOW__CORE__FERNET_KEY" : "AIRFLOW__WEBSERVER__SECRET_KEY", spec.secret_suffix, spec.secret_key);
  }
  return fmt::format("{}: null\n{}: {}\n", spec.value_path, spec.secret_name_path, spec.secret_suffix);
}

std::vector<HelmIssue> secret_keys_literal(const HelmValues& values) {
  std::vector<HelmIssue> issues;
  if (values.chart != HelmChart::official) return issues;  // the community chart's keys: AFH-HELM-027/028
  for (const auto& spec : secret_specs(values)) {
    const HelmNode* value = values.node(spec.value_path);
    if (!present(value)) continue;
    if (*spec.secret_name_path != '\0' && present(values.node(spec.secret_name_path))) continue;
    const std::string text = text_of(value);
    if (text.find("{{") != std::string::npos || text.find("${") != std::string::npos) continue;  // filled in elsewhere
    const bool weak = is_published_or_placeholder_secret(text);
    HelmIssue issue = issue_at(values, spec.value_path,
                               fmt::format("{} is written in the values{}{}", spec.value_path,
                                           weak ? " and is a published sample or placeholder" : "", where_text(value)),
                               secret_fix(values, spec));
    if (weak) issue.severity = Severity::critical;
    issues.push_back(std::move(issue));
  }
  return issues;
}

std::vector<HelmIssue> signing_keys_unset(const HelmValues& values) {
  std::vector<HelmIssue> issues;
  if (values.chart != HelmChart::official) return issues;
  std::vector<SecretKeySpec> specs;
  const bool three = airflow3(values);
  if (!three || !chart_at_least(values, 18))
    specs.push_back(
        {"webserverSecretKey", "webserverSecretKeySecretName", "webserver-secret-key", "airflow-webserver-secret-key"});
  if (three && chart_at_least(values, 18))
    specs.push_back({"apiSecretKey", "apiSecretKeySecretName", "api-secret-key", "airflow-api-secret-key"});
  if (three && chart_at_least(values, 17))
    specs.push_back({"jwtSecret", "jwtSecretName", "jwt-secret", "airflow-jwt-secret"});
  for (const auto& spec : specs) {
    if (present(values.node(spec.value_path)) || present(values.node(spec.secret_name_path))) continue;
    issues.push_back(issue_at(values, spec.secret_name_path,
                              fmt::format("neither {} nor {} is set: the chart renders a new random key on every "
                                          "`helm upgrade`",
                                          spec.value_path, spec.secret_name_path),
                              secret_fix(values, spec)));
  }
  return issues;
}

std::vector<HelmIssue> fernet_unset(const HelmValues& values) {
  std::vector<HelmIssue> issues;
  if (values.chart != HelmChart::official) return issues;
  if (present(values.node("fernetKey")) || present(values.node("fernetKeySecretName"))) return issues;
  issues.push_back(
      issue_at(values, "fernetKeySecretName",
               "neither fernetKey nor fernetKeySecretName is set: the chart generates the Fernet key in a "
               "Helm hook Secret that nobody backs up",
               secret_fix(values, {"fernetKey", "fernetKeySecretName", "fernet-key", "airflow-fernet-key"})));
  return issues;
}

// --- security contexts ----------------------------------------------------------------------

const std::vector<std::string>& airflow_components() {
  static const std::vector<std::string> components = {"scheduler", "webserver", "apiServer",
                                                      "workers",   "triggerer", "dagProcessor"};
  return components;
}

// The first value found for `field` in a security context, most specific first.
const HelmNode* context_field(const HelmValues& values, const std::string& component, bool container,
                              const std::string& field) {
  std::vector<std::string> paths;
  if (container) {
    paths = {fmt::format("{}.securityContexts.container.{}", component, field),
             fmt::format("securityContexts.containers.{}", field)};
  } else {
    paths = {fmt::format("{}.securityContexts.pod.{}", component, field),
             fmt::format("{}.securityContext.{}", component, field), fmt::format("securityContexts.pod.{}", field),
             fmt::format("securityContext.{}", field)};
  }
  for (const auto& path : paths) {
    if (const HelmNode* node = values.node(path); node != nullptr && !node->is_null()) return node;
  }
  return nullptr;
}

bool component_enabled(const HelmValues& values, const std::string& component) {
  const HelmNode* enabled = values.node(component + ".enabled");
  if (explicitly_false(enabled)) return false;
  if (component == "webserver" && airflow3(values) && chart_at_least(values, 17)) return false;
  if (component == "apiServer" && (!airflow3(values) || values.node("apiServer") == nullptr)) return false;
  if (component == "dagProcessor" && !airflow3(values) && !truthy(enabled)) return false;
  if (component == "workers" && text_of(values.node("executor")).find("Celery") == std::string::npos) return false;
  return true;
}

std::vector<HelmIssue> context_issues(const HelmValues& values, const std::string& what,
                                      bool (*bad)(const HelmValues&, const std::string&, std::string&),
                                      const std::string& fix) {
  std::vector<HelmIssue> issues;
  if (values.chart != HelmChart::official) return issues;
  std::vector<std::string> affected;
  std::string detail;
  for (const auto& component : airflow_components()) {
    if (!component_enabled(values, component)) continue;
    std::string why;
    if (bad(values, component, why)) {
      affected.push_back(component);
      if (detail.empty()) detail = why;
    }
  }
  if (affected.empty()) return issues;
  HelmIssue issue =
      issue_at(values, "securityContexts",
               fmt::format("{} for {}{}", what, join(affected, ", "), detail.empty() ? "" : " (" + detail + ")"), fix);
  issues.push_back(std::move(issue));
  return issues;
}

// The chart's pod security context helper (airflowPodSecurityContext in templates/_helpers.yaml,
// 1.15.0 ff7463b162 to 1.19.0 f17d6ffb05) renders `runAsUser: <uid>` (50000) and `fsGroup: <gid>`
// unless a securityContexts.pod / securityContext map replaces it; the official image's own user is
// 50000 as well. So a container runs as root only when a value says uid 0.
bool may_run_as_root(const HelmValues& values, const std::string& component, std::string& why) {
  const HelmNode* user = context_field(values, component, true, "runAsUser");
  if (user == nullptr) user = context_field(values, component, false, "runAsUser");
  const bool pod_context_replaced = context_field(values, component, false, "runAsNonRoot") != nullptr ||
                                    context_field(values, component, false, "fsGroup") != nullptr;
  const std::string uid = user != nullptr ? text_of(user) : pod_context_replaced ? "" : text_of(values.node("uid"));
  if (uid == "0" && !truthy(context_field(values, component, true, "runAsNonRoot")) &&
      !truthy(context_field(values, component, false, "runAsNonRoot"))) {
    why = user != nullptr ? "runAsUser 0" : "uid 0";
    return true;
  }
  return false;
}

bool writable_root(const HelmValues& values, const std::string& component, std::string& why) {
  if (truthy(context_field(values, component, true, "readOnlyRootFilesystem"))) return false;
  why = "readOnlyRootFilesystem is not true";
  return true;
}

bool no_seccomp(const HelmValues& values, const std::string& component, std::string& why) {
  const HelmNode* container = context_field(values, component, true, "seccompProfile");
  const HelmNode* pod = context_field(values, component, false, "seccompProfile");
  const HelmNode* profile = container != nullptr ? container : pod;
  if (profile != nullptr && profile->is_map()) {
    const std::string type = text_of(profile->find("type"));
    if (type == "RuntimeDefault" || type == "Localhost") return false;
    why = fmt::format("seccompProfile type {}", type.empty() ? "missing" : type);
    return true;
  }
  why = "no seccompProfile";
  return true;
}

// The container helper (containerSecurityContext) renders `allowPrivilegeEscalation: false` and
// drops every capability unless `<component>.securityContexts.container` or
// `securityContexts.containers` replaces it; a replacement that leaves the field out gets
// Kubernetes' default, which allows escalation.
bool escalation(const HelmValues& values, const std::string& component, std::string& why) {
  if (truthy(context_field(values, component, true, "privileged"))) {
    why = "privileged: true";
    return true;
  }
  const HelmNode* allow = context_field(values, component, true, "allowPrivilegeEscalation");
  if (truthy(allow)) {
    why = "allowPrivilegeEscalation: true";
    return true;
  }
  if (allow == nullptr) {
    for (const std::string& path :
         {fmt::format("{}.securityContexts.container", component), std::string("securityContexts.containers")}) {
      const HelmNode* replaced = values.node(path);
      if (replaced != nullptr && replaced->is_map() && !replaced->children.empty()) {
        why = fmt::format("{} replaces the chart's container context and leaves allowPrivilegeEscalation out", path);
        return true;
      }
    }
  }
  return false;
}

std::vector<HelmIssue> run_as_root(const HelmValues& values) {
  return context_issues(values, "containers run as root", may_run_as_root,
                        "uid: 50000\nsecurityContexts:\n  pod:\n    runAsNonRoot: true\n    runAsUser: 50000\n"
                        "  containers:\n    runAsNonRoot: true\n");
}
std::vector<HelmIssue> root_filesystem(const HelmValues& values) {
  return context_issues(values, "the root filesystem is writable", writable_root,
                        "securityContexts:\n  containers:\n    readOnlyRootFilesystem: true\n");
}
std::vector<HelmIssue> seccomp(const HelmValues& values) {
  return context_issues(values, "no seccomp profile", no_seccomp,
                        "securityContexts:\n  pod:\n    seccompProfile:\n      type: RuntimeDefault\n");
}
std::vector<HelmIssue> privilege_escalation(const HelmValues& values) {
  return context_issues(values, "privilege escalation is allowed", escalation,
                        "securityContexts:\n  containers:\n    allowPrivilegeEscalation: false\n    privileged: false\n"
                        "    capabilities:\n      drop: [ALL]\n");
}

// --- network exposure -----------------------------------------------------------------------

std::vector<HelmIssue> ingress_without_tls(const HelmValues& values) {
  std::vector<HelmIssue> issues;
  if (values.chart == HelmChart::community) {
    if (!truthy(values.node("ingress.enabled"))) return issues;
    for (const std::string name : {"web", "flower"}) {
      if (truthy(values.node("ingress." + name + ".tls.enabled"))) continue;
      issues.push_back(
          issue_at(values, "ingress." + name + ".tls.enabled", fmt::format("ingress.{} serves without TLS", name),
                   fmt::format("ingress:\n  {}:\n    tls:\n      enabled: true\n      secretName: airflow-{}-tls\n",
                               name, name)));
    }
    return issues;
  }
  const bool global = truthy(values.node("ingress.enabled"));
  for (const std::string name : {"web", "apiServer", "flower"}) {
    const HelmNode* enabled = values.node("ingress." + name + ".enabled");
    if (values.node("ingress." + name) == nullptr) continue;
    if (!(truthy(enabled) || (global && !explicitly_false(enabled)))) continue;
    if (name == "flower" && !truthy(values.node("flower.enabled"))) continue;
    const HelmNode* tls = values.node("ingress." + name + ".tls.enabled");
    if (truthy(tls)) continue;
    // A host-level TLS list also counts (ingress.web.hosts[].tls.enabled).
    bool host_tls = false;
    if (const HelmNode* hosts = values.node("ingress." + name + ".hosts"); hosts != nullptr && hosts->is_list()) {
      for (const auto& host : hosts->children) {
        if (host.is_map() && host.find("tls") != nullptr && truthy(host.find("tls")->find("enabled"))) host_tls = true;
      }
    }
    if (host_tls) continue;
    issues.push_back(
        issue_at(values, "ingress." + name + ".tls.enabled", fmt::format("ingress.{} is enabled without TLS", name),
                 fmt::format("ingress:\n  {}:\n    tls:\n      enabled: true\n      secretName: airflow-{}-tls\n", name,
                             to_lower(name))));
  }
  return issues;
}

std::vector<HelmIssue> exposed_services(const HelmValues& values) {
  std::vector<HelmIssue> issues;
  std::vector<std::pair<std::string, Severity>> services;
  if (values.chart == HelmChart::community) {
    services = {{"web", Severity::high}, {"flower", Severity::high}};
  } else {
    services = {{"webserver", Severity::high}, {"apiServer", Severity::high}, {"flower", Severity::high},
                {"workers", Severity::high},   {"triggerer", Severity::high}, {"dagProcessor", Severity::high},
                {"statsd", Severity::medium},  {"redis", Severity::high},     {"pgbouncer", Severity::high}};
  }
  for (const auto& [component, severity] : services) {
    const std::string path = component + ".service.type";
    const std::string type = text_of(values.node(path));
    if (type != "LoadBalancer" && type != "NodePort") continue;
    const HelmNode* ranges = values.node(component + ".service.loadBalancerSourceRanges");
    const bool restricted =
        type == "LoadBalancer" && ranges != nullptr && ranges->is_list() && !ranges->children.empty();
    HelmIssue issue = issue_at(values, path,
                               fmt::format("{} is exposed outside the cluster as a {} Service{}", component, type,
                                           restricted ? " (source ranges restricted)" : ""),
                               path_snippet(path, "ClusterIP   # publish through an Ingress with TLS instead"));
    issue.severity = restricted ? Severity::low : severity;
    issues.push_back(std::move(issue));
  }
  return issues;
}

std::vector<HelmIssue> token_automount(const HelmValues& values) {
  std::vector<HelmIssue> issues;
  if (values.chart != HelmChart::official) return issues;
  // These never call the Kubernetes API themselves (the scheduler, workers and triggerer may).
  for (const std::string component : {"webserver", "apiServer", "flower", "statsd", "pgbouncer", "redis",
                                      "dagProcessor", "createUserJob", "migrateDatabaseJob"}) {
    const std::string path = component + ".serviceAccount.automountServiceAccountToken";
    const HelmNode* node = values.node(path);
    if (node == nullptr || !truthy(node)) continue;
    if (!component_enabled(values, component) && component != "createUserJob" && component != "migrateDatabaseJob")
      continue;
    if (component == "createUserJob" && created_users(values).empty()) continue;  // the job does not run
    if ((component == "flower" || component == "pgbouncer") && !truthy(values.node(component + ".enabled"))) continue;
    // With a Kubernetes executor the webserver (Airflow 2) / API server (Airflow 3) read task
    // pods' logs through the Kubernetes API with this token: templates/rbac/
    // pod-log-reader-rolebinding.yaml (1.19.0 f17d6ffb05) binds each when rbac.create and its own
    // allowPodLogReading (the webserver's flag stands in where a chart has no apiServer one).
    if ((component == "webserver" || component == "apiServer") &&
        text_of(values.node("executor")).find("Kubernetes") != std::string::npos &&
        truthy(values.node("rbac.create"))) {
      const HelmNode* own = values.node(component + ".allowPodLogReading");
      if (truthy(own != nullptr ? own : values.node("webserver.allowPodLogReading"))) continue;
    }
    if (component == "redis" && (!truthy(values.node("redis.enabled")) ||
                                 text_of(values.node("executor")).find("Celery") == std::string::npos)) {
      continue;
    }
    issues.push_back(issue_at(
        values, path, fmt::format("{} mounts a Kubernetes API token it does not need{}", component, where_text(node)),
        path_snippet(path, "false")));
  }
  return issues;
}

// --- images ---------------------------------------------------------------------------------

std::vector<HelmIssue> unpinned_images(const HelmValues& values) {
  std::vector<HelmIssue> issues;
  if (values.chart == HelmChart::community) {
    const std::string tag = text_of(values.node("airflow.image.tag"));
    if (tag == "latest" || tag.rfind("latest-", 0) == 0) {
      HelmIssue issue = issue_at(values, "airflow.image.tag", fmt::format("airflow.image.tag is `{}`", tag),
                                 "airflow:\n  image:\n    tag: \"2.10.5-python3.12\"   # a fixed release\n");
      issue.severity = Severity::medium;
      issues.push_back(std::move(issue));
    }
    return issues;
  }
  const HelmNode* tag_node = values.node("images.airflow.tag");
  std::string tag = text_of(tag_node);
  std::string tag_path = "images.airflow.tag";
  if (tag.empty()) {
    tag = text_of(values.node("defaultAirflowTag"));
    tag_path = "defaultAirflowTag";
  }
  const bool digest = present(values.node("images.airflow.digest")) || present(values.node("defaultAirflowDigest"));
  const bool latest = tag == "latest" || tag.rfind("latest-", 0) == 0 || tag.empty();
  if (latest && !digest) {
    HelmIssue issue =
        issue_at(values, tag_path, fmt::format("the Airflow image tag is `{}`", tag.empty() ? "(empty)" : tag),
                 "images:\n  airflow:\n    tag: \"3.1.7\"   # a fixed release\n"
                 "    digest: \"sha256:<digest of that image>\"\n");
    issue.severity = Severity::medium;
    issues.push_back(std::move(issue));
  } else if (!digest) {
    issues.push_back(issue_at(values, "images.airflow.digest",
                              fmt::format("the Airflow image is pulled by tag `{}` without a digest", tag),
                              "images:\n  airflow:\n    digest: \"sha256:<digest of the image you tested>\"\n"));
  }
  for (const std::string other : {"gitSync", "pgbouncer", "redis", "statsd", "flower"}) {
    const std::string path = fmt::format("images.{}.tag", other);
    const std::string other_tag = text_of(values.node(path));
    if (other_tag == "latest") {
      HelmIssue issue = issue_at(values, path, fmt::format("images.{} uses the tag `latest`", other),
                                 path_snippet(path, "\"<a fixed version>\""));
      issue.severity = Severity::medium;
      issues.push_back(std::move(issue));
    }
  }
  return issues;
}

// --- plaintext secrets in environment -------------------------------------------------------

// RE2, not std::regex: libstdc++'s std::regex recurses once per character of a value and
// overflows the stack on a long one.
bool secret_like_name(std::string_view name) {
  static const RE2 pattern(
      R"((?i)(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIAL|FERNET|SQL_ALCHEMY_CONN|BROKER_URL|RESULT_BACKEND|^AIRFLOW_CONN_))");
  return RE2::PartialMatch(re2::StringPiece(name.data(), name.size()), pattern);
}

bool uri_with_password(std::string_view value) {
  static const RE2 pattern(R"(^[A-Za-z][A-Za-z0-9+.-]*://[^/:@\s]*:[^@\s]+@)");
  return RE2::PartialMatch(re2::StringPiece(value.data(), value.size()), pattern);
}

bool url_valued_name(std::string_view name) {
  static const RE2 pattern(R"((?i)(^AIRFLOW_CONN_|SQL_ALCHEMY_CONN|BROKER_URL|RESULT_BACKEND))");
  return RE2::PartialMatch(re2::StringPiece(name.data(), name.size()), pattern);
}

// A value that names a file (a mounted key, a credentials JSON) is where the secret is, not the secret.
bool looks_like_file_path(std::string_view value) {
  static const RE2 pattern(R"(^(/|~/|\./)[A-Za-z0-9._~/-]*$)");
  return RE2::FullMatch(re2::StringPiece(value.data(), value.size()), pattern);
}

std::vector<HelmIssue> plaintext_env_secrets(const HelmValues& values) {
  std::vector<HelmIssue> issues;
  for (const auto& var : values.env) {
    if (var.value_from_reference || var.value.empty()) continue;
    // Only what the user wrote in env lists: the chart's own secret-backed variables are judged elsewhere.
    const std::string& path = var.origin.name;
    const bool from_env_list = path.find("env[") != std::string::npos || path.find("extraEnv[") != std::string::npos ||
                               path.rfind("airflow.config.", 0) == 0 ||
                               path.find("airflow.config.") != std::string::npos;
    if (!from_env_list) continue;
    if (!secret_like_name(var.name) && !uri_with_password(var.value)) continue;
    // A URL-valued variable (a connection, the database, the broker) is a secret only with a
    // password in it: `kubernetes://` is not.
    if (url_valued_name(var.name) && var.value.find("://") != std::string::npos && !uri_with_password(var.value))
      continue;
    if (filled_in_elsewhere(var.value)) continue;
    if (looks_like_file_path(var.value)) continue;  // GOOGLE_APPLICATION_CREDENTIALS=/var/secrets/key.json
    HelmIssue issue;
    issue.path = path;
    issue.origin = var.origin;
    issue.evidence = fmt::format("{} is set to a literal value in the values ({})", var.name, std::string(kRedacted));
    const std::string list = values.chart == HelmChart::community ? "airflow:\n  extraEnv:\n" : "extraEnv: |\n";
    const std::string indent = values.chart == HelmChart::community ? "    " : "  ";
    issue.fix_snippet =
        snippet(values, fmt::format("{}{}- name: {}\n{}  valueFrom:\n{}    secretKeyRef:\n{}      name: "
                                    "airflow-extra-env\n{}      key: {}\n",
                                    list, indent, var.name, indent, indent, indent, indent, to_lower(var.name)));
    issue.fix_target =
        var.origin.line > 0 ? fmt::format("{}:{}", var.origin.file, var.origin.line) : var.origin.describe();
    issues.push_back(std::move(issue));
  }
  if (const HelmNode* extra = values.node("extraSecrets"); extra != nullptr && extra->is_map()) {
    for (const auto& secret : extra->children) {
      if (!secret.is_map()) continue;
      for (const char* field : {"stringData", "data"}) {
        const HelmNode* data = secret.find(field);
        if (data == nullptr || data->is_null() || (data->is_scalar() && data->text.empty())) continue;
        if (data->is_scalar() && data->text.find("{{") != std::string::npos) continue;
        const std::string path = fmt::format("extraSecrets.{}.{}", secret.key, field);
        issues.push_back(issue_at(values, path,
                                  fmt::format("extraSecrets `{}` carries its {} in the values", secret.key, field),
                                  fmt::format("extraSecrets: {{}}   # create `{}` with kubectl or an external secret "
                                              "operator instead\n",
                                              secret.key)));
      }
    }
  }
  return issues;
}

std::vector<HelmIssue> duplicate_keys(const HelmValues& values) {
  std::vector<HelmIssue> issues;
  for (const auto& duplicate : values.duplicates) {
    HelmIssue issue;
    issue.path = duplicate.path;
    issue.origin.kind = SourceKind::helm;
    issue.origin.name = duplicate.path;
    if (duplicate.file_index >= 0 && static_cast<std::size_t>(duplicate.file_index) < values.files.size()) {
      issue.origin.file = values.files[static_cast<std::size_t>(duplicate.file_index)];
    }
    issue.origin.line = duplicate.line;
    issue.evidence = fmt::format("`{}` is written at lines {} and {}; Helm silently keeps line {}", duplicate.path,
                                 duplicate.first_line, duplicate.line, duplicate.line);
    issue.fix_snippet = fmt::format("# delete one of the two `{}` entries", duplicate.path);
    issue.fix_target = fmt::format("{}:{}", issue.origin.file, duplicate.first_line);
    issues.push_back(std::move(issue));
  }
  return issues;
}

}  // namespace

bool is_published_or_placeholder_secret(std::string_view value) {
  const std::string lower = to_lower(trim(value));
  static const std::vector<std::string> exact = {"admin",
                                                 "airflow",
                                                 "postgres",
                                                 "password",
                                                 "pass",
                                                 "pwd",
                                                 "root",
                                                 "secret",
                                                 "changeme",
                                                 "insecure",
                                                 "default",
                                                 "test",
                                                 "example",
                                                 "temporary_key",
                                                 "this is unsafe!",
                                                 "your_fernet_key",
                                                 "your-fernet-key",
                                                 "fernet_key",
                                                 "secret_key",
                                                 "your_secret_key",
                                                 "your-secret-key",
                                                 "mysecretkey",
                                                 "my_secret_key",
                                                 "supersecret",
                                                 "123456",
                                                 "7t512uxssmbokpwimfhivb8jk6lfmsavx4mo6arehnc=",
                                                 "46bkjoqylppoexq0ohdzninlepkff87wfwlbfzqddho="};
  if (std::find(exact.begin(), exact.end(), lower) != exact.end()) return true;
  for (const char* marker : {"change_me", "change-me", "changeme", "your-generated", "your_generated", "replace_me",
                             "replace-me", "placeholder", "xxxx", "<", "unsafe"}) {
    if (lower.find(marker) != std::string::npos) return true;
  }
  return false;
}

const std::vector<HelmAuditCheck>& helm_audit_checks() {
  static const std::vector<HelmAuditCheck> checks = {
      {"AFH-HELM-001", default_user_weak},    {"AFH-HELM-002", default_user_literal},
      {"AFH-HELM-003", secret_keys_literal},  {"AFH-HELM-004", signing_keys_unset},
      {"AFH-HELM-005", fernet_unset},         {"AFH-HELM-014", run_as_root},
      {"AFH-HELM-015", root_filesystem},      {"AFH-HELM-016", seccomp},
      {"AFH-HELM-017", privilege_escalation}, {"AFH-HELM-018", ingress_without_tls},
      {"AFH-HELM-019", exposed_services},     {"AFH-HELM-020", token_automount},
      {"AFH-HELM-021", unpinned_images},      {"AFH-HELM-022", plaintext_env_secrets},
      {"AFH-HELM-030", duplicate_keys},
  };
  return checks;
}

}  // namespace airguard
