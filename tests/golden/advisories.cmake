# Golden tests of `airguard advisories check` (text and JSON) on a fixed feed and on the shipped one.
add_executable(advisories_cli ${CMAKE_CURRENT_SOURCE_DIR}/advisories/advisories_cli.cpp)
target_link_libraries(advisories_cli PRIVATE airguard_app CLI11::CLI11 airguard_warnings)
file(GLOB advisories_golden_cases CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/advisories/cases/*.args)
foreach(case_file IN LISTS advisories_golden_cases)
  get_filename_component(case_name ${case_file} NAME_WE)
  add_test(NAME "advisories: golden ${case_name}"
    COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/advisories/run_golden.sh $<TARGET_FILE:advisories_cli>
            ${CMAKE_CURRENT_SOURCE_DIR}/advisories/cases ${case_name})
endforeach()
