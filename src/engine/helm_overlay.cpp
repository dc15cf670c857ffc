#include "engine/helm_overlay.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <set>

#include "core/text.hpp"
#include "sources/helm/helm_merge.hpp"
#include "sources/helm/helm_yaml.hpp"

namespace airguard {

namespace {

bool needs_quotes(const std::string& text) {
  if (text.empty()) return true;
  if (resolve_plain_scalar(text).kind != HelmNode::Kind::string) return true;
  if (text.front() == ' ' || text.back() == ' ') return true;
  if (std::string_view("-?:,[]{}#&*!|>'\"%@`").find(text.front()) != std::string_view::npos) return true;
  return text.find(": ") != std::string::npos || text.find(" #") != std::string::npos ||
         text.find('\n') != std::string::npos;
}

std::string scalar_text(const HelmNode& node) {
  if (node.is_null()) return "null";
  if (node.kind != HelmNode::Kind::string) return node.text;
  return needs_quotes(node.text) ? nlohmann::json(node.text).dump() : node.text;
}

void emit(const HelmNode& node, int indent, std::string& out);

void emit_entry_value(const HelmNode& value, int indent, std::string& out) {
  if (value.is_map() && !value.children.empty()) {
    out += "\n";
    emit(value, indent + 2, out);
  } else if (value.is_list() && !value.children.empty()) {
    out += "\n";
    emit(value, indent + 2, out);
  } else if (value.is_map()) {
    out += " {}\n";
  } else if (value.is_list()) {
    out += " []\n";
  } else {
    out += " " + scalar_text(value) + "\n";
  }
}

void emit(const HelmNode& node, int indent, std::string& out) {
  const std::string pad(static_cast<std::size_t>(indent), ' ');
  if (node.is_map()) {
    for (const auto& child : node.children) {
      out += pad + (needs_quotes(child.key) ? nlohmann::json(child.key).dump() : child.key) + ":";
      emit_entry_value(child, indent, out);
    }
  } else if (node.is_list()) {
    for (const auto& item : node.children) {
      if (item.is_map() && !item.children.empty()) {
        std::string nested;
        emit(item, indent + 2, nested);
        nested.replace(0, static_cast<std::size_t>(indent + 2), pad + "- ");
        out += nested;
      } else {
        out += pad + "- " + (item.is_scalar() ? scalar_text(item) : std::string(item.is_map() ? "{}" : "[]")) + "\n";
      }
    }
  }
}

struct SecretCommand {
  std::string name;
  std::string command;
};

std::string text_at(const HelmNode& root, std::initializer_list<std::string_view> path) {
  const HelmNode* node = &root;
  for (auto part : path) {
    node = node->find(part);
    if (node == nullptr) return {};
  }
  return node->is_scalar() && !node->is_null() ? node->text : std::string();
}

void add_command(std::vector<SecretCommand>& commands, const std::string& name, std::string command) {
  if (name.empty()) return;
  for (const auto& existing : commands) {
    if (existing.name == name) return;
  }
  commands.push_back({name, std::move(command)});
}

std::string generic(const std::string& name, const std::string& literals) {
  return fmt::format("kubectl create secret generic {} --namespace <NAMESPACE> {}", name, literals);
}

void collect_secret_refs(const HelmNode& node, std::vector<SecretCommand>& commands) {
  if (node.is_map()) {
    if (const HelmNode* ref = node.find("secretKeyRef"); ref != nullptr && ref->is_map()) {
      const std::string name = text_at(*ref, {"name"});
      const std::string key = text_at(*ref, {"key"});
      add_command(commands, name, generic(name, fmt::format("--from-literal={}='<VALUE>'", key)));
    }
    if (const HelmNode* tls = node.find("tls"); tls != nullptr && tls->is_map()) {
      const std::string name = text_at(*tls, {"secretName"});
      add_command(
          commands, name,
          fmt::format("kubectl create secret tls {} --namespace <NAMESPACE> --cert=<CERT_FILE> --key=<KEY_FILE>",
                      name));
    }
  }
  for (const auto& child : node.children) collect_secret_refs(child, commands);
}

std::vector<SecretCommand> secret_commands(const HelmNode& values) {
  std::vector<SecretCommand> commands;
  const std::string fernet = text_at(values, {"fernetKeySecretName"});
  add_command(commands, fernet,
              generic(fernet,
                      "--from-literal=fernet-key=\"$(python3 -c 'from cryptography.fernet import Fernet; "
                      "print(Fernet.generate_key().decode())')\""));
  for (const auto& [path, key] :
       std::vector<std::pair<std::string, std::string>>{{"webserverSecretKeySecretName", "webserver-secret-key"},
                                                        {"apiSecretKeySecretName", "api-secret-key"},
                                                        {"jwtSecretName", "jwt-secret"}}) {
    const std::string name = text_at(values, {path});
    add_command(
        commands, name,
        generic(name, fmt::format("--from-literal={}=\"$(python3 -c 'import secrets; print(secrets.token_hex(32))')\"",
                                  key)));
  }
  const std::string metadata = text_at(values, {"data", "metadataSecretName"});
  add_command(
      commands, metadata,
      generic(metadata,
              "--from-literal=connection='postgresql://<USER>:<PASSWORD>@<HOST>:5432/<DATABASE>?sslmode=verify-full'"));
  const std::string result_backend = text_at(values, {"data", "resultBackendSecretName"});
  add_command(
      commands, result_backend,
      generic(
          result_backend,
          "--from-literal=connection='db+postgresql://<USER>:<PASSWORD>@<HOST>:5432/<DATABASE>?sslmode=verify-full'"));
  const std::string broker = text_at(values, {"data", "brokerUrlSecretName"});
  add_command(commands, broker, generic(broker, "--from-literal=connection='rediss://:<PASSWORD>@<HOST>:6379/0'"));
  const std::string redis = text_at(values, {"redis", "passwordSecretName"});
  add_command(commands, redis, generic(redis, "--from-literal=password='<REDIS_PASSWORD>'"));
  const std::string flower = text_at(values, {"flower", "secretName"});
  add_command(commands, flower, generic(flower, "--from-literal=basicAuth='<USER>:<PASSWORD>'"));
  const std::string postgres = text_at(values, {"postgresql", "auth", "existingSecret"});
  add_command(
      commands, postgres,
      generic(postgres, "--from-literal=postgres-password='<POSTGRES_PASSWORD>' --from-literal=password='<PASSWORD>'"));
  const std::string git = text_at(values, {"dags", "gitSync", "sshKeySecret"});
  add_command(commands, git, generic(git, "--from-file=gitSshKey=<PRIVATE_KEY_FILE>"));
  collect_secret_refs(values, commands);
  return commands;
}

}  // namespace

std::string render_helm_overlay(const std::vector<Finding>& findings, const Snapshot& snapshot) {
  HelmNode overlay = make_map();
  std::set<std::string> fixed;
  std::vector<std::string> not_mergeable;
  const std::string nested = snapshot.helm ? snapshot.helm->nested_under : std::string();
  std::size_t count = 0;
  for (const Finding& finding : findings) {
    if (finding.source != SourceKind::helm || finding.suppressed) continue;
    const std::string& snippet = finding.remediation.snippet;
    if (trim(snippet).empty()) continue;
    auto parsed = parse_yaml_tree(snippet, "fix", 0);
    if (!parsed || !parsed->root.is_map() || parsed->root.children.empty()) {
      if (trim(snippet).rfind('#', 0) == 0 || !parsed)
        not_mergeable.push_back(fmt::format("{}: {}", finding.check_id, trim(snippet)));
      continue;
    }
    HelmNode root = std::move(parsed->root);
    if (!nested.empty() && root.find(nested) == nullptr) {
      HelmNode wrapper = make_map();
      wrapper.set(nested, std::move(root));
      root = std::move(wrapper);
    }
    merge_values(overlay, std::move(root));
    fixed.insert(finding.check_id);
    ++count;
  }
  if (count == 0 && not_mergeable.empty()) return {};
  std::string out;
  out += fmt::format("# Values overlay from airguard: fixes {} Helm finding(s) ({}).\n", count,
                     join({fixed.begin(), fixed.end()}, ", "));
  out += "# Apply it last, after your own values:\n";
  out += "#   helm upgrade <RELEASE> apache-airflow/airflow -f <your values.yaml> -f airguard-overlay.yaml\n";
  std::string body;
  emit(overlay, 0, body);
  out += body;
  for (const auto& note : not_mergeable) out += "# also: " + note + "\n";
  const HelmNode* scope = nested.empty() ? &overlay : overlay.find(nested);
  const auto commands = scope != nullptr ? secret_commands(*scope) : std::vector<SecretCommand>{};
  if (!commands.empty()) {
    out += "#\n# Create the Secrets it refers to before the upgrade (replace every <PLACEHOLDER>;\n";
    out += "# generate keys on the spot rather than pasting them into shell history):\n";
    for (const auto& command : commands) out += "#   " + command.command + "\n";
  }
  return out;
}

}  // namespace airguard
