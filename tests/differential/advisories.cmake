# PEP 440 versions and specifiers against Python's packaging (the oracle), over the shipped feed.
find_program(AIRGUARD_PYTHON3 NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
find_program(AIRGUARD_PYTHON3 NAMES python3)
add_executable(pep440_probe ${CMAKE_CURRENT_SOURCE_DIR}/advisories/pep440_probe.cpp)
target_link_libraries(pep440_probe PRIVATE airguard_advisories airguard_warnings)
add_test(NAME "advisories: pep440 differential against packaging"
  COMMAND ${AIRGUARD_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/advisories/pep440_diff.py
          $<TARGET_FILE:pep440_probe> ${PROJECT_SOURCE_DIR}/data/advisories/osv-airflow.json)
set_tests_properties("advisories: pep440 differential against packaging" PROPERTIES SKIP_RETURN_CODE 77)

# Not a test: the benchmark scripts/bench-advisories builds and runs.
add_executable(bench_advisories EXCLUDE_FROM_ALL ${CMAKE_CURRENT_SOURCE_DIR}/advisories/bench_advisories.cpp)
target_link_libraries(bench_advisories PRIVATE airguard_advisories airguard_warnings)
