# helm: the real binary on values with keys the chart does not read (AFH-HELM-031) and the chart
# version it infers from version-specific keys.
if(EXISTS /usr/bin/python3)
  add_test(NAME "helm:e2e: unknown values keys are reported at their line and the chart is inferred from them"
    COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/helm/unknown_keys_test.py $<TARGET_FILE:airguard> ${PROJECT_SOURCE_DIR})
  set_tests_properties("helm:e2e: unknown values keys are reported at their line and the chart is inferred from them"
    PROPERTIES LABELS integration TIMEOUT 300)
endif()
