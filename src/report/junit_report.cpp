#include "report/junit_report.hpp"

#include <fmt/format.h>

#include <map>
#include <set>

#include "core/text.hpp"
#include "report/report_order.hpp"

namespace airguard {

namespace {

// The XSD wants a timestamp without a zone; a report without a time (golden mode) gets the epoch.
std::string junit_timestamp(const std::string& generated_at) {
  if (generated_at.size() < 19) return "1970-01-01T00:00:00";
  return generated_at.substr(0, 19);
}

struct TestCase {
  std::string name;
  std::string classname;
  std::string body;  // the <failure>/<skipped>/<error> element, or empty for a pass
};

std::string failure_text(const Finding& finding) {
  std::string text = fmt::format("{} [{}] {}\n", finding.check_id, to_string(finding.severity), finding.title);
  text += fmt::format("Where: {}\n", finding.location.describe());
  if (!finding.key.empty()) text += fmt::format("Key: {}\n", finding.key);
  if (!finding.evidence.empty()) text += fmt::format("Evidence: {}\n", finding.evidence);
  if (!finding.remediation.summary.empty()) {
    text += fmt::format("Fix: {}", finding.remediation.summary);
    if (!finding.remediation.target.empty()) text += fmt::format(" (in {})", finding.remediation.target);
    text += "\n";
  }
  if (!finding.remediation.snippet.empty()) text += finding.remediation.snippet + "\n";
  if (!finding.rationale.empty()) text += fmt::format("Why: {}\n", finding.rationale);
  return text;
}

std::string target_of(const Finding& finding, const std::string& scan_root) {
  std::string where = finding.location.file.empty() ? finding.location.describe()
                                                    : path_relative_to_root(finding.location.file, scan_root);
  if (!finding.location.file.empty() && finding.location.line > 0) where += fmt::format(":{}", finding.location.line);
  if (finding.key.empty()) return where;
  return where.empty() || where == finding.key ? finding.key : fmt::format("{} @ {}", finding.key, where);
}

}  // namespace

std::string xml_escape(std::string_view text, XmlContext context) {
  // A report must stay well-formed XML even if a file had broken UTF-8: such bytes become '?'.
  const bool valid_utf8 = is_valid_utf8(text);
  std::string escaped;
  escaped.reserve(text.size());
  for (char c : text) {
    if (!valid_utf8 && static_cast<unsigned char>(c) >= 0x80) {
      escaped.push_back('?');
      continue;
    }
    switch (c) {
      case '&':
        escaped += "&amp;";
        break;
      case '<':
        escaped += "&lt;";
        break;
      case '>':
        escaped += "&gt;";
        break;
      case '"':
        escaped += "&quot;";
        break;
      case '\'':
        escaped += "&apos;";
        break;
      // Attribute values would fold raw whitespace into spaces: keep line breaks as references.
      case '\n':
        escaped += context == XmlContext::attribute ? "&#10;" : "\n";
        break;
      case '\t':
        escaped += context == XmlContext::attribute ? "&#9;" : "\t";
        break;
      case '\r':
        escaped += "&#13;";
        break;
      default:
        // Control characters are not allowed in XML 1.0, even escaped.
        if (static_cast<unsigned char>(c) < 0x20) break;
        escaped.push_back(c);
    }
  }
  return escaped;
}

std::string render_junit(const ScanReport& report) {
  std::map<std::string, std::string> titles;  // every check that ran or produced a finding, by id
  for (const CheckInfo& check : report.checks) titles.emplace(check.id, check.title);
  std::map<std::string, std::vector<const Finding*>> findings_by_check;
  for (const Finding* finding : ordered_findings(report)) {
    titles.emplace(finding->check_id, finding->title);
    findings_by_check[finding->check_id].push_back(finding);
  }

  std::vector<TestCase> cases;
  std::size_t failures = 0;
  std::size_t skipped = 0;
  std::size_t errors = 0;
  for (const auto& [id, title] : titles) {
    const auto found = findings_by_check.find(id);
    if (found == findings_by_check.end()) {
      cases.push_back({fmt::format("{} {}", id, title), "airguard." + id, ""});
      continue;
    }
    for (const Finding* finding : found->second) {
      TestCase test{fmt::format("{} {} [{}]", id, finding->title, target_of(*finding, report.scan_root)),
                    "airguard." + id, ""};
      if (finding->suppressed) {
        test.body = fmt::format("<skipped message=\"{}\"/>", xml_escape("suppressed: " + finding->suppression_reason));
        ++skipped;
      } else {
        test.body =
            fmt::format("<failure message=\"{}\" type=\"{}\">{}</failure>",
                        xml_escape(finding->title + (finding->evidence.empty() ? "" : ": " + finding->evidence)),
                        to_string(finding->severity), xml_escape(failure_text(*finding), XmlContext::text));
        ++failures;
      }
      cases.push_back(std::move(test));
    }
  }
  for (const std::string& source : report.unavailable_sources) {
    cases.push_back({"source " + source, "airguard.sources",
                     fmt::format("<error message=\"{}\" type=\"source_unavailable\"/>",
                                 xml_escape("could not be read: " + source))});
    ++errors;
  }

  std::string system_err;
  for (const Diagnostic& diagnostic : report.diagnostics) system_err += diagnostic.format() + "\n";

  std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n";
  const std::string suite_name = report.scan_root.empty() ? "airguard" : "airguard " + report.scan_root;
  xml += fmt::format(
      "  <testsuite package=\"airguard\" id=\"0\" name=\"{}\" timestamp=\"{}\" hostname=\"localhost\" tests=\"{}\" "
      "failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{:.3f}\">\n",
      xml_escape(suite_name), junit_timestamp(report.generated_at), cases.size(), failures, errors, skipped,
      report.scan_seconds > 0 ? report.scan_seconds : 0.0);
  xml += "    <properties>\n";
  const std::vector<std::pair<std::string, std::string>> properties = {
      {"airflow_version", report.airflow_version},
      {"airflow_version_source", report.airflow_version_source},
      {"profile", report.profile},
      {"fail_on", report.fail_on},
      {"tool_version", report.tool_version},
      {"advisory_feed_date", report.advisory_feed_date}};
  for (const auto& [name, value] : properties) {
    xml += fmt::format("      <property name=\"{}\" value=\"{}\"/>\n", name, xml_escape(value));
  }
  xml += "    </properties>\n";
  for (const TestCase& test : cases) {
    if (test.body.empty()) {
      xml += fmt::format("    <testcase name=\"{}\" classname=\"{}\" time=\"0\"/>\n", xml_escape(test.name),
                         xml_escape(test.classname));
    } else {
      xml += fmt::format("    <testcase name=\"{}\" classname=\"{}\" time=\"0\">\n      {}\n    </testcase>\n",
                         xml_escape(test.name), xml_escape(test.classname), test.body);
    }
  }
  xml += "    <system-out/>\n";
  xml += system_err.empty()
             ? "    <system-err/>\n"
             : fmt::format("    <system-err>{}</system-err>\n", xml_escape(system_err, XmlContext::text));
  xml += "  </testsuite>\n</testsuites>\n";
  return xml;
}

}  // namespace airguard
