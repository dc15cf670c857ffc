#include <fmt/format.h>

#include <cstdlib>

#include "engine/code_checks.hpp"
#include "engine/evaluator.hpp"
#include "sources/webserver/embedded_config.hpp"

namespace airguard {
namespace {

// Airflow's own default for [webserver] session_lifetime_minutes: the limit when a profile sets none.
constexpr double kAirflowDefaultSessionMinutes = 43200.0;

// AFH-WSC-018: PERMANENT_SESSION_LIFETIME is seconds (or a timedelta, which the reader turns into
// seconds) while the profile speaks in minutes, so the comparison needs a unit conversion.
std::vector<Finding> session_lifetime_too_long(const Snapshot& snapshot, const CheckDef& check,
                                               const Profile& profile) {
  if (!snapshot.webserver) return {};
  const WebserverSetting* setting = snapshot.webserver->get("PERMANENT_SESSION_LIFETIME");
  if (setting == nullptr || setting->fact.runtime_only || !setting->fact.value) return {};
  if (setting->fact.type != "int" && setting->fact.type != "float") return {};
  const double seconds = std::strtod(setting->fact.value->c_str(), nullptr);
  const double limit_minutes = profile.param_number("max_session_minutes").value_or(kAirflowDefaultSessionMinutes);
  if (seconds <= limit_minutes * 60.0) return {};

  Finding finding;
  finding.check_id = check.id;
  finding.severity = effective_severity(check, profile);
  finding.source = SourceKind::webserver_config;
  finding.key = "PERMANENT_SESSION_LIFETIME";
  finding.location = setting->fact.origin;
  finding.evidence = fmt::format("PERMANENT_SESSION_LIFETIME = {:g} minutes; the limit is {:g} minutes", seconds / 60.0,
                                 limit_minutes);
  finding.remediation.target = setting->fact.origin.describe();
  finding.remediation.snippet = fmt::format(
      "from datetime import timedelta\nPERMANENT_SESSION_LIFETIME = timedelta(minutes={:g})", limit_minutes);
  if (is_embedded_webserver_origin(setting->fact.origin)) {
    finding.remediation.snippet = embedded_fix_text(finding.remediation.snippet, setting->fact.origin);
  }
  return {finding};
}

}  // namespace

std::vector<CodeCheckEntry> webserver_code_checks() { return {{"AFH-WSC-018", session_lifetime_too_long}}; }

}  // namespace airguard
