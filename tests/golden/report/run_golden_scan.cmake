# Runs one golden scan: cmake -DAIRGUARD=... -DFORMAT=... -DFIXTURES=... -DEXPECTED=... -P run_golden_scan.cmake
# With AIRGUARD_UPDATE_GOLDEN=1 in the environment it rewrites the expected file instead.
execute_process(
  COMMAND ${AIRGUARD} scan deploy --airflow-version 2.10.5 --no-advisories --profile default
          --deterministic --today 2025-11-22 --quiet --format ${FORMAT} ${EXTRA_ARGS}
  WORKING_DIRECTORY ${FIXTURES}
  OUTPUT_VARIABLE actual
  ERROR_VARIABLE errors
  RESULT_VARIABLE status)
if(NOT status EQUAL 1)  # with the baseline too: a new high finding
  message(FATAL_ERROR "airguard scan exited with ${status}, expected 1 (findings at or above high):\n${errors}")
endif()
if("$ENV{AIRGUARD_UPDATE_GOLDEN}" STREQUAL "1")
  file(WRITE ${EXPECTED} "${actual}")
  message(STATUS "updated ${EXPECTED}")
  return()
endif()
if(NOT EXISTS ${EXPECTED})
  message(FATAL_ERROR "missing golden file ${EXPECTED}: run scripts/update-golden")
endif()
file(READ ${EXPECTED} expected)
if(NOT actual STREQUAL expected)
  string(RANDOM LENGTH 8 suffix)
  set(actual_file "${CMAKE_CURRENT_BINARY_DIR}/golden-${FORMAT}-${suffix}.actual")
  file(WRITE ${actual_file} "${actual}")
  execute_process(COMMAND diff -u ${EXPECTED} ${actual_file} OUTPUT_VARIABLE difference)
  file(REMOVE ${actual_file})
  message(FATAL_ERROR "${FORMAT} output differs from ${EXPECTED} (scripts/update-golden regenerates it):\n${difference}")
endif()
