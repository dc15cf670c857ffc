# helm_render: the official chart judged as it renders (templates cited in the test), on charts
# 1.15.0 and 1.19.0 for Airflow 2 and 3, plus a hardened 1.19.0 values file that must scan clean.
if(EXISTS /usr/bin/python3)
  add_test(NAME "helm:integration:chart renders judged as rendered"
    COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/helm_render/render_truth_test.py $<TARGET_FILE:airguard>)
  set_tests_properties("helm:integration:chart renders judged as rendered" PROPERTIES
    LABELS "helm;integration" TIMEOUT 600)
endif()
