# Self-contained golden cases (tests/golden/cases/<area>/*.golden): command, exit status and the
# expected output in one file, run by run_golden.py against the real binary.
file(GLOB_RECURSE golden_case_files CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/cases/*.golden)
list(SORT golden_case_files)
foreach(case_file IN LISTS golden_case_files)
  file(RELATIVE_PATH case_name ${CMAKE_CURRENT_LIST_DIR}/cases ${case_file})
  string(REGEX REPLACE "\\.golden$" "" case_name "${case_name}")
  add_test(NAME "golden: ${case_name}"
    COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/run_golden.py $<TARGET_FILE:airguard> ${PROJECT_SOURCE_DIR} ${case_file}
            $<TARGET_FILE:fake_airflow_server>)
  set_tests_properties("golden: ${case_name}" PROPERTIES LABELS golden)
endforeach()
