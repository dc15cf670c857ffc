// The credential detector: one RE2::Set pass over a file says which credential formats and which
// Airflow-shaped constructs occur; only then are positions located (RE2 per matching format) and,
// for the constructs that depend on names, a small Python lexer walks the file to see which name
// each string literal is bound to and inside which call it sits.
#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "core/redact.hpp"
#include "core/text.hpp"
#include "sources/dags/dag_scan.hpp"
#include "sources/dags/secret_rules.hpp"

namespace airguard {

namespace {

using namespace dag_rules;

constexpr std::string_view kAws = "AFH-DAG-001";
constexpr std::string_view kGoogle = "AFH-DAG-002";
constexpr std::string_view kAzure = "AFH-DAG-003";
constexpr std::string_view kPrivateKey = "AFH-DAG-004";
constexpr std::string_view kChat = "AFH-DAG-005";
constexpr std::string_view kService = "AFH-DAG-006";
constexpr std::string_view kJwt = "AFH-DAG-007";
constexpr std::string_view kUri = "AFH-DAG-008";
constexpr std::string_view kConnection = "AFH-DAG-009";
constexpr std::string_view kVariableSet = "AFH-DAG-010";
constexpr std::string_view kNamedLiteral = "AFH-DAG-011";
constexpr std::string_view kEnviron = "AFH-DAG-012";
constexpr std::string_view kPositional = "AFH-DAG-013";
constexpr std::string_view kWeak = "AFH-DAG-014";

// A credential format: the first capture group is the secret (what gets masked).
struct FormatRule {
  std::string_view check_id;
  std::string_view kind;
  std::string_view regex;
};

constexpr FormatRule kFormats[] = {
    {kAws, "AWS access key ID", R"(\b((?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16})\b)"},
    {kGoogle, "GCP service-account private key", R"re("private_key"\s*:\s*"(-----BEGIN[A-Z ]*PRIVATE KEY-----))re"},
    {kGoogle, "Google API key", R"(\b(AIza[0-9A-Za-z_\-]{35}))"},
    {kGoogle, "Google OAuth client secret", R"(\b(GOCSPX-[0-9A-Za-z_\-]{28}))"},
    {kAzure, "Azure storage account key", R"((?i)AccountKey=([A-Za-z0-9+/]{80,}={0,2}))"},
    {kAzure, "Azure shared access key", R"((?i)SharedAccessKey=([A-Za-z0-9+/]{40,}={0,2}))"},
    {kAzure, "Azure SAS token signature", R"([?&]sig=([A-Za-z0-9%+/]{30,}))"},
    {kPrivateKey, "private key block", R"((-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----))"},
    {kChat, "Slack token", R"(\b(xox[abposre]-[0-9A-Za-z\-]{10,}))"},
    {kChat, "Slack webhook URL", R"(hooks\.slack\.com/(?:services|workflows|triggers)/([A-Za-z0-9_/\-]{20,}))"},
    {kChat, "Discord webhook URL", R"(discord(?:app)?\.com/api/webhooks/([0-9]{5,}/[A-Za-z0-9_\-]{20,}))"},
    {kChat, "Microsoft Teams webhook URL",
     R"((?:\.webhook\.office\.com/webhookb2|outlook\.office(?:365)?\.com/webhook)/([A-Za-z0-9@/_\-]{20,}))"},
    {kChat, "Google Chat webhook URL", R"(chat\.googleapis\.com/v1/spaces/[A-Za-z0-9_\-]+/messages\?([^\s'"]{20,}))"},
    {kChat, "Telegram bot token", R"(api\.telegram\.org/bot([0-9]{6,12}:[A-Za-z0-9_\-]{30,}))"},
    {kChat, "Telegram bot token", R"(\b([0-9]{8,10}:AA[A-Za-z0-9_\-]{33}))"},
    {kService, "GitHub token", R"(\b((?:ghp|gho|ghu|ghs|ghr)_[0-9A-Za-z]{36}|github_pat_[0-9A-Za-z_]{22,}))"},
    {kService, "GitLab token", R"(\b(glpat-[0-9A-Za-z_\-]{20,}))"},
    {kService, "Stripe API key", R"(\b((?:sk|rk)_(?:live|test)_[0-9A-Za-z]{16,}|whsec_[0-9A-Za-z]{24,}))"},
    {kService, "SendGrid API key", R"(\b(SG\.[0-9A-Za-z_\-]{16,32}\.[0-9A-Za-z_\-]{16,64}))"},
    {kService, "Mailchimp API key", R"(\b([0-9a-f]{32}-us[0-9]{1,2})\b)"},
    {kService, "HubSpot private app token",
     R"(\b(pat-(?:na|eu|ap)[0-9]-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}))"},
    {kService, "Salesforce access token", R"(\b(00D[0-9A-Za-z]{12,15}![0-9A-Za-z._]{40,}))"},
    {kService, "Twilio API key", R"(\b(SK[0-9a-f]{32})\b)"},
    {kService, "OpenAI API key",
     R"(\b(sk-(?:proj|svcacct|admin)-[A-Za-z0-9_\-]{40,}|sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}))"},
    {kService, "Anthropic API key", R"(\b(sk-ant-[A-Za-z0-9_\-]{40,}))"},
    {kService, "npm token", R"(\b(npm_[A-Za-z0-9]{36}))"},
    {kService, "PyPI token", R"(\b(pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_\-]{50,}))"},
    {kService, "Shopify access token", R"(\b(shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}))"},
    {kService, "Mailgun API key", R"(\b(key-[0-9a-f]{32})\b)"},
    {kService, "Databricks token", R"(\b(dapi[0-9a-f]{32}))"},
    {kService, "Square access token", R"(\b(sq0(?:csp|atp)-[0-9A-Za-z_\-]{22,}))"},
    {kJwt, "JSON Web Token", R"(\b(eyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}))"},
    {kUri, "URI with a password", R"(\b[A-Za-z][A-Za-z0-9+.\-]{1,30}://[^\s/:@'"`]*:([^\s/@'"`]+)@)"},
};
constexpr std::size_t kFormatCount = std::size(kFormats);

// Constructs whose meaning depends on names: when one of these occurs, the lexer runs.
constexpr std::string_view kConstructPatterns[] = {
    R"((?i)(?:pass|pwd|secret|token|key|auth|cred|bearer|sig)[a-z0-9_\-]*['"]?\]?\s*[:=]\s*[rbuf]{0,2}['"])",
    R"(Variable\.set\s*\(|environ\s*(?:\[|\.setdefault|\.update)|putenv\s*\(|Connection\s*\(|\.login\s*\(|op_args)",
    R"(HTTP(?:Basic|Digest|Proxy)Auth\s*\(|auth\s*=\s*\(|(?:pymysql|MySQLdb)\.connect\s*\(|V1EnvVar\s*\()",
    R"((?i)(?:password|pwd|passwd)=[^\s'"{$%<(),]+[\s;'"&])",
    R"((?i)(?:getenv|environ\.get)\s*\(\s*['"][^'"]*(?:pass|pwd|secret|token|key)[^'"]*['"]\s*,\s*[rbuf]{0,2}['"])",
};

struct Engine {
  RE2::Options options;
  std::unique_ptr<RE2::Set> set;
  std::vector<std::unique_ptr<RE2>> formats;
  std::unique_ptr<RE2> dsn_password;
  bool ok = true;

  Engine() {
    options.set_encoding(RE2::Options::EncodingLatin1);  // byte-oriented: ASCII patterns, any input bytes
    options.set_log_errors(false);
    options.set_max_mem(64 << 20);
    set = std::make_unique<RE2::Set>(options, RE2::UNANCHORED);
    for (const FormatRule& rule : kFormats) {
      formats.push_back(std::make_unique<RE2>(rule.regex, options));
      ok = ok && formats.back()->ok() && set->Add(rule.regex, nullptr) >= 0;
    }
    for (std::string_view pattern : kConstructPatterns) ok = ok && set->Add(pattern, nullptr) >= 0;
    ok = ok && set->Compile();
    dsn_password = std::make_unique<RE2>(R"((?i)(?:^|[\s;&?])(?:password|pwd|passwd)=([^\s;&'"]+))", options);
  }
};

const Engine& engine() {
  static const Engine instance;
  return instance;
}

// A finding before it has a line number and evidence.
struct Candidate {
  std::string_view check_id;
  std::string kind;
  std::size_t begin = 0;  // the secret's bytes in the file
  std::size_t end = 0;
  std::string name;
  std::string fix;
  int priority = 0;       // lower wins when two candidates overlap: formats before names
  std::size_t order = 0;  // formats: index in kFormats (the more specific rule first); names: after all
};

std::string lower_snake(std::string_view name) {
  std::string out;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (c >= 'A' && c <= 'Z') {
      if (i > 0 && name[i - 1] >= 'a' && name[i - 1] <= 'z') out += '_';
      out += static_cast<char>(c - 'A' + 'a');
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      out += c;
    } else if (!out.empty() && out.back() != '_') {
      out += '_';
    }
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out;
}

// "mysql_password" -> "mysql"; "MLFLOW_TRACKING_PASSWORD" -> "mlflow_tracking"; "password" -> "".
std::string connection_id_from(std::string_view name) {
  std::vector<std::string> parts = split(lower_snake(name), '_');
  static constexpr std::string_view kSecretWords[] = {"password", "passwd",      "pwd", "pass", "pw",
                                                      "secret",   "token",       "key", "api",  "access",
                                                      "auth",     "credentials", "cred"};
  while (!parts.empty() && (parts.back().empty() || std::find(std::begin(kSecretWords), std::end(kSecretWords),
                                                              parts.back()) != std::end(kSecretWords))) {
    parts.pop_back();
  }
  return join(parts, "_");
}

std::string fix_for(std::string_view check_id, std::string_view kind, std::string_view name) {
  const std::string variable = name.empty() ? "my_secret" : lower_snake(name);
  std::string conn = connection_id_from(name);
  if (conn.empty()) conn = "my_conn";
  if (check_id == kAws) {
    return "from airflow.providers.amazon.aws.hooks.s3 import S3Hook\n"
           "hook = S3Hook(aws_conn_id=\"aws_default\")  # keys live in the aws_default connection";
  }
  if (check_id == kGoogle) {
    return "from airflow.providers.google.common.hooks.base_google import GoogleBaseHook\n"
           "hook = GoogleBaseHook(gcp_conn_id=\"google_cloud_default\")  # key in the connection's keyfile_dict";
  }
  if (check_id == kAzure) {
    return "from airflow.providers.microsoft.azure.hooks.wasb import WasbHook\n"
           "hook = WasbHook(wasb_conn_id=\"wasb_default\")  # key in the connection";
  }
  if (check_id == kPrivateKey) {
    return "from airflow.providers.ssh.hooks.ssh import SSHHook\n"
           "hook = SSHHook(ssh_conn_id=\"ssh_default\")  # private_key in the connection's extra";
  }
  if (check_id == kChat && kind.rfind("Slack webhook", 0) == 0) {
    return "from airflow.providers.slack.hooks.slack_webhook import SlackWebhookHook\n"
           "hook = SlackWebhookHook(slack_webhook_conn_id=\"slack_webhook\")";
  }
  if (check_id == kUri) {
    return "from airflow.hooks.base import BaseHook\n"
           "uri = BaseHook.get_connection(\"" +
           conn + "\").get_uri()  # AIRFLOW_CONN_" + to_upper(conn) + " in the secrets backend";
  }
  if (check_id == kEnviron) {
    return "# set " + std::string(name) +
           " in the deployment (Kubernetes Secret, env file), not in DAG code\n"
           "from airflow.models import Variable\nvalue = Variable.get(\"" +
           variable + "\")";
  }
  const bool password = kind.find("password") != std::string_view::npos || check_id == kConnection;
  if (password) {
    return "from airflow.hooks.base import BaseHook\n"
           "password = BaseHook.get_connection(\"" +
           conn + "\").password";
  }
  return "from airflow.models import Variable\n"
         "value = Variable.get(\"" +
         variable + "\")  # stored in the secrets backend";
}

bool is_identifier_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}

std::string_view last_component(std::string_view chain) {
  const std::size_t dot = chain.rfind('.');
  return dot == std::string_view::npos ? chain : chain.substr(dot + 1);
}

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

bool is_db_port(std::string_view text) {
  for (std::string_view port : {"5432", "3306", "1433", "1521", "27017", "6379", "5439", "9042", "8123", "50000"}) {
    if (text == port) return true;
  }
  return false;
}

// Walks Python source and reports, for every string literal, the name it is bound to and the
// call it sits in. Not a full tokenizer: enough of one to find strings, names, brackets,
// assignments and comments reliably; anything it does not understand it steps over.
class LiteralScanner {
 public:
  LiteralScanner(std::string_view text, std::vector<Candidate>& out) : text_(text), out_(out) {}

  void run();
  const std::vector<std::string_view>& secret_names() const { return secret_names_; }

 private:
  enum class Kind { none, name, string, number, assign, colon, comma, open, close, dot, other };
  struct Token {
    Kind kind = Kind::none;
    std::size_t begin = 0;  // for names: the start of the dotted chain
    std::size_t end = 0;
    std::size_t ident_begin = 0;
    char ch = 0;
    std::string_view content;  // strings: between the quotes
  };
  struct Literal {
    std::size_t begin = 0;
    std::string_view content;
    bool f_string = false;
  };
  struct Frame {
    char open = '(';
    std::string_view callee;
    std::string_view binding;
    int arg_index = 0;
    int sink_index = -1;  // positional argument that carries a password
    bool secret_reference = false;
    bool reader = false;
    bool connection = false;
    bool environ = false;
    bool variable_set = false;
    bool env_var = false;
    std::string_view first_string;  // argument 0, key= or name=, when a string
    int strings = 0;
    std::string_view only_string;
    bool db_port_seen = false;
    int strings_after_port = 0;
    Literal last_literal;
  };

  void push(Token token) {
    p2_ = p1_;
    p1_ = token;
  }
  void open_frame(char c, std::size_t at);
  void close_frame(char c, std::size_t at);
  void on_string(const Literal& literal, const Token& token);
  void evaluate(const Literal& literal, std::string_view name, std::string_view context_check);
  void emit(std::string_view check_id, std::string kind, const Literal& literal, std::string_view name,
            std::size_t begin, std::size_t end);
  std::string_view text_of(const Token& token) const { return text_.substr(token.begin, token.end - token.begin); }
  std::string_view ident_of(const Token& token) const {
    return text_.substr(token.ident_begin, token.end - token.ident_begin);
  }

  std::string_view text_;
  std::vector<Candidate>& out_;
  std::vector<Frame> frames_;
  Token p1_, p2_;
  std::string_view last_binding_;
  std::string_view last_context_;
  std::string_view subscript_string_;  // the single string of the last closed [...]
  std::string_view subscript_base_;    // the name chain before that [
  std::vector<std::string_view> secret_names_;
};

void LiteralScanner::open_frame(char c, std::size_t at) {
  Frame frame;
  frame.open = c;
  if (!frames_.empty()) {
    const Frame& parent = frames_.back();
    frame.secret_reference = parent.secret_reference;
    frame.connection = parent.connection;
    frame.environ = parent.environ && c == '{';
  }
  if (p1_.kind == Kind::assign && p2_.kind == Kind::name) frame.binding = ident_of(p2_);
  if (p1_.kind == Kind::colon && p2_.kind == Kind::string) frame.binding = p2_.content;
  if ((c == '(' || c == '[') && p1_.kind == Kind::name) frame.callee = text_of(p1_);
  if (c == '(' && p1_.kind == Kind::name) {
    const std::string_view last = last_component(frame.callee);
    if (last == "Secret" || last.rfind("V1Secret", 0) == 0 || last == "SecretKeySelector" || last == "V1EnvVarSource" ||
        last == "V1EnvFromSource") {
      frame.secret_reference = true;
    }
    if (ends_with(frame.callee, "Variable.get") || last == "get_connection" || last == "getenv" ||
        ends_with(frame.callee, "environ.get") || ends_with(frame.callee, "conf.get") || last == "get_secret" ||
        last == "get_variable" || last == "get_conn_value" || last == "getattr") {
      frame.reader = true;
    }
    if (ends_with(frame.callee, "Variable.set")) frame.variable_set = true;
    if (last == "Connection") frame.connection = true;
    if (ends_with(frame.callee, "environ.setdefault") || ends_with(frame.callee, "environ.update") ||
        last == "putenv") {
      frame.environ = true;
    }
    if (last == "V1EnvVar" || last == "EnvVar") frame.env_var = true;
    if (last == "login" || last == "HTTPBasicAuth" || last == "HTTPDigestAuth" || last == "HTTPProxyAuth") {
      frame.sink_index = 1;
    }
    if (ends_with(frame.callee, "pymysql.connect") || ends_with(frame.callee, "MySQLdb.connect")) frame.sink_index = 2;
  } else if (c == '(' && frame.binding == "auth") {
    frame.sink_index = 1;  // requests' auth=("user", "password")
  }
  frames_.push_back(frame);
  push(Token{Kind::open, at, at + 1, at, c, {}});
}

void LiteralScanner::close_frame(char c, std::size_t at) {
  if (!frames_.empty()) {
    Frame& frame = frames_.back();
    if (frame.open == '[') {
      subscript_string_ = frame.strings == 1 ? frame.only_string : std::string_view{};
      subscript_base_ = frame.callee;
      // Positional database credentials: op_args=["10.0.0.3", "5432", "db", "user", "password"].
      if (frame.binding == "op_args" && frame.db_port_seen && frame.strings_after_port >= 2) {
        const ValueClass value = classify_value(frame.last_literal.content);
        if (value == ValueClass::secret || value == ValueClass::weak) {
          emit(value == ValueClass::weak ? kWeak : kPositional,
               value == ValueClass::weak ? "well-known weak database password passed positionally in op_args"
                                         : "database password passed positionally in op_args",
               frame.last_literal, "op_args", frame.last_literal.begin,
               frame.last_literal.begin + frame.last_literal.content.size());
        }
      }
    }
    frames_.pop_back();
  }
  push(Token{Kind::close, at, at + 1, at, c, {}});
}

void LiteralScanner::emit(std::string_view check_id, std::string kind, const Literal& literal, std::string_view name,
                          std::size_t begin, std::size_t end) {
  (void)literal;
  Candidate candidate;
  candidate.check_id = check_id;
  candidate.fix = fix_for(check_id, kind, name);
  candidate.kind = std::move(kind);
  candidate.begin = begin;
  candidate.end = end;
  candidate.name = std::string(name);
  candidate.priority = 1;
  candidate.order = kFormatCount;
  out_.push_back(std::move(candidate));
}

void LiteralScanner::evaluate(const Literal& literal, std::string_view name, std::string_view context_check) {
  if (literal.f_string && literal.content.find('{') != std::string_view::npos) return;
  const NameClass name_class = classify_name(name);
  if (name_class == NameClass::none) return;
  const ValueClass value = classify_value(literal.content);
  if (value == ValueClass::placeholder || value == ValueClass::reference) return;
  if (value == ValueClass::secret && literal.content.find("://") != std::string_view::npos) return;  // the URI rule
  if (name_class == NameClass::broad && (value != ValueClass::secret || !looks_like_token(literal.content))) return;
  std::string kind = credential_kind(name);
  std::string_view check_id = context_check;
  if (value == ValueClass::weak) {
    check_id = kWeak;
    kind = "well-known weak " + kind;
  } else if (check_id.empty()) {
    if (name_class == NameClass::aws_key_id || name_class == NameClass::aws_secret_key) {
      check_id = kAws;
    } else if (name_class == NameClass::azure_key) {
      check_id = kAzure;
    } else {
      check_id = kNamedLiteral;
    }
  }
  if (check_id == kConnection) kind += " in Connection()";
  if (check_id == kVariableSet) kind += " stored with Variable.set()";
  if (check_id == kEnviron) kind += " written to os.environ";
  secret_names_.push_back(name);
  emit(check_id, std::move(kind), literal, name, literal.begin, literal.begin + literal.content.size());
}

void LiteralScanner::on_string(const Literal& literal, const Token& token) {
  Frame* top = frames_.empty() ? nullptr : &frames_.back();
  if (top != nullptr) {
    ++top->strings;
    top->only_string = literal.content;
    if (top->db_port_seen) ++top->strings_after_port;
    if (is_db_port(literal.content)) top->db_port_seen = true;
    top->last_literal = literal;
  }
  // Connection strings inside any literal: "host=db user=etl password=..." (libpq, ODBC PWD=).
  if (!literal.f_string && literal.content.size() >= 10 && (top == nullptr || !top->secret_reference)) {
    re2::StringPiece input(literal.content.data(), literal.content.size());
    re2::StringPiece value;
    while (RE2::FindAndConsume(&input, *engine().dsn_password, &value)) {
      const std::string_view secret(value.data(), value.size());
      const ValueClass value_class = classify_value(secret);
      if (value_class != ValueClass::secret && value_class != ValueClass::weak) continue;
      const std::size_t begin = literal.begin + static_cast<std::size_t>(secret.data() - literal.content.data());
      emit(value_class == ValueClass::weak ? kWeak : kUri,
           value_class == ValueClass::weak ? "well-known weak password in a connection string"
                                           : "password in a connection string",
           literal, "password", begin, begin + secret.size());
    }
  }
  if (top != nullptr && top->secret_reference) return;
  std::string_view name;
  std::string_view context;
  if (p1_.kind == Kind::string) {  // implicit concatenation continues the previous binding
    name = last_binding_;
    context = last_context_;
  } else if (p1_.kind == Kind::assign && p2_.kind == Kind::name) {
    name = ident_of(p2_);
    if (top != nullptr && top->open == '(') {
      if ((top->variable_set || top->env_var) && (name == "key" || name == "name")) {
        top->first_string = literal.content;
        return;
      }
      if ((top->variable_set || top->env_var) && name == "value") name = top->first_string;
      if (top->reader) return;
      if (top->connection) context = kConnection;
      if (top->variable_set) context = kVariableSet;
      if (top->environ) context = kEnviron;
    }
  } else if (p1_.kind == Kind::assign && p2_.kind == Kind::close && p2_.ch == ']') {
    name = subscript_string_;
    if (ends_with(subscript_base_, "environ")) context = kEnviron;
  } else if (p1_.kind == Kind::colon && top != nullptr && top->open == '{' && p2_.kind == Kind::string) {
    name = p2_.content;
    if (top->connection) context = kConnection;
    if (top->environ) context = kEnviron;
  } else if (top != nullptr && top->open == '(' && (p1_.kind == Kind::open || p1_.kind == Kind::comma)) {
    const int index = top->arg_index;
    if (index == 0) top->first_string = literal.content;
    if (top->reader) {
      // os.getenv("DB_PASSWORD", "literal"): a hard-coded fallback for a secret is still a leak.
      if (index == 1 && (last_component(top->callee) == "getenv" || ends_with(top->callee, "environ.get"))) {
        name = top->first_string;
      } else {
        return;
      }
    } else if ((top->variable_set || top->environ || top->env_var) && index == 1) {
      name = top->first_string;
      context = top->variable_set ? kVariableSet : (top->environ ? kEnviron : std::string_view{});
      if (top->variable_set && classify_name(name) == NameClass::none && looks_like_token(literal.content)) {
        name = "secret";  // Variable.set("x", "<generated-looking value>")
      }
    } else if (top->sink_index == index) {
      const ValueClass value = classify_value(literal.content);
      if (value == ValueClass::secret || value == ValueClass::weak) {
        const std::string callee(last_component(top->callee).empty() ? "auth" : last_component(top->callee));
        emit(
            value == ValueClass::weak ? kWeak : kPositional,
            (value == ValueClass::weak ? "well-known weak password passed to " : "password passed to ") + callee + "()",
            literal, "password", literal.begin, literal.begin + literal.content.size());
      }
      return;
    }
  }
  (void)token;
  last_binding_ = name;
  last_context_ = context;
  if (!name.empty()) evaluate(literal, name, context);
}

void LiteralScanner::run() {
  const std::size_t size = text_.size();
  std::size_t i = 0;
  while (i < size) {
    const char c = text_[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\\') {
      ++i;
      continue;
    }
    if (c == '#') {
      const std::size_t eol = text_.find('\n', i);
      i = eol == std::string_view::npos ? size : eol;
      continue;
    }
    // String literal, with an optional prefix of up to two letters (r, b, u, f and mixes).
    std::size_t quote = i;
    bool f_string = false;
    while (quote < size && quote - i < 2 && std::string_view("rRbBuUfF").find(text_[quote]) != std::string_view::npos) {
      if (text_[quote] == 'f' || text_[quote] == 'F') f_string = true;
      ++quote;
    }
    if (quote < size && (text_[quote] == '\'' || text_[quote] == '"') &&
        (quote == i || i == 0 || !is_identifier_char(text_[i - 1]))) {
      const char q = text_[quote];
      const bool triple = quote + 2 < size && text_[quote + 1] == q && text_[quote + 2] == q;
      const std::size_t content_begin = quote + (triple ? 3 : 1);
      std::size_t j = content_begin;
      std::size_t content_end = size;
      while (j < size) {
        const char d = text_[j];
        if (d == '\\') {
          j += 2;
          continue;
        }
        if (!triple && d == '\n') {  // unterminated: stop at the line end
          content_end = j;
          break;
        }
        if (d == q && (!triple || (j + 2 < size && text_[j + 1] == q && text_[j + 2] == q))) {
          content_end = j;
          j += triple ? 3 : 1;
          break;
        }
        ++j;
      }
      if (j > size) j = size;
      if (content_end > size) content_end = size;
      Literal literal;
      literal.begin = content_begin;
      literal.content = text_.substr(content_begin, content_end - content_begin);
      literal.f_string = f_string;
      Token token{Kind::string, i, j, i, q, literal.content};
      on_string(literal, token);
      push(token);
      i = j;
      continue;
    }
    if (is_identifier_char(c) && !(c >= '0' && c <= '9')) {
      std::size_t j = i;
      while (j < size && is_identifier_char(text_[j])) ++j;
      Token token{Kind::name, i, j, i, 0, {}};
      if (p1_.kind == Kind::dot && p2_.kind == Kind::name && p1_.begin == p2_.end) token.begin = p2_.begin;
      push(token);
      i = j;
      continue;
    }
    if (c >= '0' && c <= '9') {
      std::size_t j = i;
      while (j < size && (is_identifier_char(text_[j]) || text_[j] == '.')) ++j;
      if (!frames_.empty() && is_db_port(text_.substr(i, j - i))) frames_.back().db_port_seen = true;
      push(Token{Kind::number, i, j, i, c, {}});
      i = j;
      continue;
    }
    switch (c) {
      case '(':
      case '[':
      case '{':
        open_frame(c, i);
        ++i;
        continue;
      case ')':
      case ']':
      case '}':
        close_frame(c, i);
        ++i;
        continue;
      case ',':
        if (!frames_.empty()) ++frames_.back().arg_index;
        push(Token{Kind::comma, i, i + 1, i, c, {}});
        ++i;
        continue;
      case '.':
        push(Token{Kind::dot, i, i + 1, i, c, {}});
        ++i;
        continue;
      default:
        break;
    }
    // Operators: a lone "=" is an assignment or keyword argument, ":" a dict separator or
    // annotation; every other operator (==, <=, :=, +=, ->, ...) is just "other".
    std::size_t j = i + 1;
    while (j < size && std::string_view("=<>!+-*/%&|^~:@").find(text_[j]) != std::string_view::npos &&
           std::string_view("=<>!+-*/%&|^~:@").find(c) != std::string_view::npos && j - i < 3) {
      ++j;
    }
    Kind kind = Kind::other;
    if (j == i + 1 && c == '=') kind = Kind::assign;
    if (j == i + 1 && c == ':') kind = Kind::colon;
    push(Token{kind, i, j, i, c, {}});
    i = j;
  }
}

// Masks the secret spans that fall on one line and returns the trimmed, redacted line.
std::string evidence_line(std::string_view text, std::size_t line_begin, std::size_t line_end,
                          const std::vector<Candidate>& candidates) {
  std::vector<std::pair<std::size_t, std::size_t>> spans;
  for (const Candidate& candidate : candidates) {
    if (candidate.end <= line_begin || candidate.begin >= line_end) continue;
    spans.emplace_back(std::max(candidate.begin, line_begin),
                       std::min(std::max(candidate.end, candidate.begin + 1), line_end));
  }
  std::sort(spans.begin(), spans.end());
  std::string out;
  std::size_t at = line_begin;
  for (const auto& [begin, end] : spans) {
    if (begin < at) {
      at = std::max(at, end);
      continue;
    }
    out.append(text.substr(at, begin - at));
    out += kRedacted;
    at = end;
  }
  if (at < line_end) out.append(text.substr(at, line_end - at));
  // The same value elsewhere on the line (a user name equal to the password) is masked too.
  for (const Candidate& candidate : candidates) {
    if (candidate.end <= line_begin || candidate.begin >= line_end || candidate.end - candidate.begin < 3) continue;
    const std::string_view secret = text.substr(candidate.begin, std::min(candidate.end, line_end) - candidate.begin);
    for (std::size_t found = out.find(secret); found != std::string::npos; found = out.find(secret, found)) {
      const bool starts_word = found == 0 || !is_identifier_char(out[found - 1]);
      const bool ends_word = found + secret.size() >= out.size() || !is_identifier_char(out[found + secret.size()]);
      if (starts_word && ends_word) {
        out.replace(found, secret.size(), kRedacted);
        found += kRedacted.size();
      } else {
        found += secret.size();
      }
    }
  }
  std::string evidence = redact_secrets(trim(out));
  constexpr std::size_t kMaxEvidence = 200;
  if (evidence.size() > kMaxEvidence) {
    std::size_t cut = kMaxEvidence;
    while (cut > 0 && (static_cast<unsigned char>(evidence[cut]) & 0xC0u) == 0x80u) --cut;  // whole UTF-8 characters
    evidence.resize(cut);
    evidence += "...";
  }
  return evidence;
}

// "# airguard: ignore[AFH-DAG-011] rotated, test account" on the line.
bool suppression_for(std::string_view line, std::string_view check_id, std::string& reason) {
  constexpr std::string_view kMarker = "airguard: ignore[";
  const std::size_t marker = line.find(kMarker);
  if (marker == std::string_view::npos) return false;
  const std::size_t hash = line.rfind('#', marker);
  if (hash == std::string_view::npos) return false;
  const std::size_t close = line.find(']', marker);
  if (close == std::string_view::npos) return false;
  const std::string_view ids = line.substr(marker + kMarker.size(), close - marker - kMarker.size());
  bool listed = false;
  for (const std::string& id : split(ids, ',')) {
    const std::string_view trimmed = trim(id);
    if (trimmed == check_id || trimmed == "*") listed = true;
  }
  if (!listed) return false;
  reason = std::string(trim(line.substr(close + 1)));
  return true;
}

}  // namespace

std::vector<std::string_view> detector_patterns() {
  std::vector<std::string_view> patterns;
  for (const FormatRule& rule : kFormats) patterns.push_back(rule.regex);
  for (std::string_view pattern : kConstructPatterns) patterns.push_back(pattern);
  return patterns;
}

std::vector<DagSecret> detect_secrets(std::string_view text, std::string_view file,
                                      std::vector<std::string>* scrub_values) {
  const Engine& patterns = engine();
  std::vector<int> hits;
  RE2::Set::ErrorInfo error{};
  const re2::StringPiece input(text.data(), text.size());
  if (!patterns.ok) return {};
  if (!patterns.set->Match(input, &hits, &error)) {
    if (error.kind != RE2::Set::kOutOfMemory) return {};
    hits.clear();  // the DFA budget ran out: run every locate step instead
    for (std::size_t i = 0; i < kFormatCount + std::size(kConstructPatterns); ++i) hits.push_back(static_cast<int>(i));
  }
  std::vector<Candidate> named;
  std::vector<std::string_view> secret_names;
  const bool constructs =
      std::any_of(hits.begin(), hits.end(), [](int h) { return static_cast<std::size_t>(h) >= kFormatCount; });
  const bool uri = std::find(hits.begin(), hits.end(), static_cast<int>(kFormatCount - 1)) != hits.end();
  if (constructs || uri) {
    LiteralScanner scanner(text, named);
    scanner.run();
    secret_names = scanner.secret_names();
  }
  std::vector<Candidate> candidates;
  for (int hit : hits) {
    const auto index = static_cast<std::size_t>(hit);
    if (index >= kFormatCount) continue;
    const FormatRule& rule = kFormats[index];
    const RE2& regex = *patterns.formats[index];
    re2::StringPiece groups[2];
    std::size_t at = 0;
    while (at < text.size() && regex.Match(input, at, text.size(), RE2::UNANCHORED, groups, 2)) {
      const std::size_t match_end = static_cast<std::size_t>(groups[0].data() - text.data()) + groups[0].size();
      at = std::max(match_end, at + 1);
      const std::string_view secret(groups[1].data(), groups[1].size());
      const std::size_t begin = static_cast<std::size_t>(secret.data() - text.data());
      Candidate candidate;
      candidate.check_id = rule.check_id;
      candidate.kind = std::string(rule.kind);
      candidate.begin = begin;
      candidate.end = begin + secret.size();
      candidate.order = index;
      if (rule.check_id == kPrivateKey || index == 1) {
        // The whole block is the secret, up to its END line (or the end of the file).
        const std::size_t end_marker = text.find("-----END", candidate.end);
        const std::size_t close =
            end_marker == std::string_view::npos ? end_marker : text.find("-----", end_marker + 8);
        candidate.end = close == std::string_view::npos ? text.size() : close + 5;
      }
      if (rule.check_id == kUri) {
        if (secret.front() == '{' && secret.back() == '}') {
          // f"mysql://{user}:{password}@host": a leak only when the name holds a literal found above.
          const std::string_view placeholder = trim(secret.substr(1, secret.size() - 2));
          if (std::find(secret_names.begin(), secret_names.end(), placeholder) == secret_names.end()) continue;
          candidate.kind = "URI built with the hard-coded " + std::string(placeholder);
          candidate.name = std::string(placeholder);
        } else {
          const ValueClass value = classify_value(secret);
          if (value == ValueClass::placeholder || secret.find('{') != std::string_view::npos ||
              secret.find('%') != std::string_view::npos) {
            continue;
          }
          if (value == ValueClass::weak) {
            candidate.check_id = kWeak;
            candidate.kind = "well-known weak password in a URI";
          }
        }
        // The scheme is the connection id a reader would pick first.
        const std::size_t scheme_end = text.rfind("://", begin);
        std::size_t scheme_begin = scheme_end;
        while (scheme_begin > 0 && (std::isalnum(static_cast<unsigned char>(text[scheme_begin - 1])) != 0 ||
                                    text[scheme_begin - 1] == '+' || text[scheme_begin - 1] == '-')) {
          --scheme_begin;
        }
        std::string scheme(text.substr(scheme_begin, scheme_end - scheme_begin));
        scheme = scheme.substr(0, scheme.find('+'));
        candidate.fix = fix_for(candidate.check_id == kWeak ? kUri : kUri, candidate.kind, scheme + "_password");
      } else {
        if (is_placeholder(secret) && rule.check_id != kPrivateKey) continue;
        candidate.fix = fix_for(rule.check_id, rule.kind, {});
      }
      candidates.push_back(std::move(candidate));
    }
  }
  // Formats win over names for the same bytes: "AWS access key ID" says more than "key".
  for (Candidate& candidate : named) {
    const bool overlaps = std::any_of(candidates.begin(), candidates.end(), [&](const Candidate& other) {
      return other.priority == 0 && candidate.begin < std::max(other.end, other.begin + 1) &&
             other.begin < std::max(candidate.end, candidate.begin + 1);
    });
    if (!overlaps) candidates.push_back(std::move(candidate));
  }
  std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.order < b.order;
  });
  // One finding per secret: where two rules claim the same bytes, the more specific one stays.
  candidates.erase(std::unique(candidates.begin(), candidates.end(),
                               [](const Candidate& a, const Candidate& b) { return a.begin == b.begin; }),
                   candidates.end());

  std::vector<DagSecret> secrets;
  secrets.reserve(candidates.size());
  int line = 1;
  std::size_t line_begin = 0;
  std::size_t counted = 0;
  for (const Candidate& candidate : candidates) {
    for (std::size_t at = counted; at < candidate.begin; ++at) {
      if (text[at] == '\n') {
        ++line;
        line_begin = at + 1;
      }
    }
    counted = std::max(counted, candidate.begin);
    std::size_t line_end = text.find('\n', candidate.begin);
    if (line_end == std::string_view::npos) line_end = text.size();
    DagSecret secret;
    secret.check_id = std::string(candidate.check_id);
    secret.kind = candidate.kind;
    secret.file = std::string(file);
    secret.line = line;
    secret.column = static_cast<int>(candidate.begin - line_begin) + 1;
    secret.name = candidate.name;
    secret.fix = candidate.fix;
    secret.evidence = evidence_line(text, line_begin, line_end, candidates);
    secret.suppressed =
        suppression_for(text.substr(line_begin, line_end - line_begin), candidate.check_id, secret.suppression_reason);
    secrets.push_back(std::move(secret));
    const std::string_view value = text.substr(candidate.begin, candidate.end - candidate.begin);
    if (scrub_values != nullptr && candidate.check_id != kWeak && value.size() >= 8 && !is_weak_value(value)) {
      scrub_values->emplace_back(value);
    }
  }
  return secrets;
}

}  // namespace airguard
