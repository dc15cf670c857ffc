# report: the real binary scans tests/fixtures/report/deploy and each machine format is compared
# with tests/golden/report/scan.*. Regenerate with scripts/update-golden.
set(report_golden_formats json sarif junit markdown prometheus)
set(report_golden_files scan.json scan.sarif scan.junit.xml scan.md scan.prom)
foreach(format golden IN ZIP_LISTS report_golden_formats report_golden_files)
  add_test(NAME "report:golden:scan ${format}"
    COMMAND ${CMAKE_COMMAND} -DAIRGUARD=$<TARGET_FILE:airguard> -DFORMAT=${format}
            -DFIXTURES=${PROJECT_SOURCE_DIR}/tests/fixtures/report
            -DEXPECTED=${CMAKE_CURRENT_LIST_DIR}/report/${golden}
            -P ${CMAKE_CURRENT_LIST_DIR}/report/run_golden_scan.cmake)
  set_tests_properties("report:golden:scan ${format}" PROPERTIES LABELS "report;golden")
endforeach()

# The same scan compared with an earlier report (--baseline): moved lines stay unchanged, one
# finding is new and one fixed.
foreach(format golden IN ZIP_LISTS report_golden_formats report_golden_files)
  if(format STREQUAL "json" OR format STREQUAL "markdown" OR format STREQUAL "sarif")
    string(REPLACE "scan." "scan-baseline." golden ${golden})
    add_test(NAME "report:golden:scan --baseline ${format}"
      COMMAND ${CMAKE_COMMAND} -DAIRGUARD=$<TARGET_FILE:airguard> -DFORMAT=${format}
              -DFIXTURES=${PROJECT_SOURCE_DIR}/tests/fixtures/report -DEXTRA_ARGS=--baseline=previous-report.json
              -DEXPECTED=${CMAKE_CURRENT_LIST_DIR}/report/${golden}
              -P ${CMAKE_CURRENT_LIST_DIR}/report/run_golden_scan.cmake)
    set_tests_properties("report:golden:scan --baseline ${format}" PROPERTIES LABELS "report;golden")
  endif()
endforeach()

# The golden outputs of the real binary are valid documents of their formats.
find_program(REPORT_XMLLINT xmllint)
if(EXISTS /usr/bin/python3)
  foreach(stem scan scan-baseline)
    add_test(NAME "report:golden:${stem}.sarif validates against SARIF 2.1.0"
      COMMAND /usr/bin/python3 -m jsonschema -i ${CMAKE_CURRENT_LIST_DIR}/report/${stem}.sarif
              ${PROJECT_SOURCE_DIR}/tests/fixtures/report/sarif-schema-2.1.0.json)
    add_test(NAME "report:golden:${stem}.json validates against report-v1"
      COMMAND /usr/bin/python3 -m jsonschema -i ${CMAKE_CURRENT_LIST_DIR}/report/${stem}.json
              ${PROJECT_SOURCE_DIR}/data/schemas/report-v1.json)
    set_tests_properties("report:golden:${stem}.sarif validates against SARIF 2.1.0"
      "report:golden:${stem}.json validates against report-v1" PROPERTIES LABELS "report")
  endforeach()
endif()
if(REPORT_XMLLINT)
  add_test(NAME "report:golden:scan.junit.xml validates against the JUnit XSD"
    COMMAND ${REPORT_XMLLINT} --noout --schema ${PROJECT_SOURCE_DIR}/tests/fixtures/report/junit.xsd
            ${CMAKE_CURRENT_LIST_DIR}/report/scan.junit.xml)
  set_tests_properties("report:golden:scan.junit.xml validates against the JUnit XSD" PROPERTIES LABELS "report")
endif()
