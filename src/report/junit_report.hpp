#pragma once
#include <string>

#include "report/report.hpp"

namespace airguard {

// JUnit XML (`--format junit`) for CI test tabs, valid against the Ant JUnit XSD: one test suite
// per scan, a test case per check and target. A finding is a <failure> carrying the evidence,
// the location and the fix; a suppressed finding is <skipped> with its reason; a check with no
// finding passes; an unreadable source is an <error>.
std::string render_junit(const ScanReport& report);

enum class XmlContext { attribute, text };

// Escapes text for an XML attribute value or element content and drops the control characters
// XML 1.0 cannot carry.
std::string xml_escape(std::string_view text, XmlContext context = XmlContext::attribute);

}  // namespace airguard
