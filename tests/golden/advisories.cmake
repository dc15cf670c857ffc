# Golden tests of `airguard advisories check` (text and JSON) on a fixed feed and on the shipped one,
# run with the real binary.
file(GLOB advisories_golden_cases CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/advisories/cases/*.args)
foreach(case_file IN LISTS advisories_golden_cases)
  get_filename_component(case_name ${case_file} NAME_WE)
  add_test(NAME "advisories: golden ${case_name}"
    COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/advisories/run_golden.sh $<TARGET_FILE:airguard>
            ${CMAKE_CURRENT_SOURCE_DIR}/advisories/cases ${case_name})
  set_tests_properties("advisories: golden ${case_name}" PROPERTIES LABELS golden)
endforeach()
