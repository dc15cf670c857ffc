# Scans every airflow.cfg and compose/env file of the shared corpus with the real airguard binary
# (no crash, exit 0/1, no secret in the output). Skipped when AIRGUARD_SHARED_DIR has no corpus.
find_program(AIRGUARD_PYTHON3 python3)
if(AIRGUARD_PYTHON3 AND TARGET airguard)
  add_test(NAME "checks: corpus scan"
           COMMAND ${AIRGUARD_PYTHON3} ${CMAKE_CURRENT_LIST_DIR}/checks/corpus_scan.py --airguard $<TARGET_FILE:airguard>)
  set_tests_properties("checks: corpus scan" PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 1800)
endif()
