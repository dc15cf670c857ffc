# report: the cron wrapper end to end (real binary, history directory, webhook receiver on 127.0.0.1).
if(EXISTS /usr/bin/python3)
  add_test(NAME "report:integration:airguard-cron"
    COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/report/cron_test.py
            $<TARGET_FILE:airguard> ${PROJECT_SOURCE_DIR}/scripts/airguard-cron)
  set_tests_properties("report:integration:airguard-cron" PROPERTIES LABELS "report;integration" TIMEOUT 300)
endif()
# report: writes that fail are failures (full stdout, a full disk), and rewriting keeps mode and links.
if(EXISTS /usr/bin/python3)
  add_test(NAME "report:integration:reports reach their reader whole or the run fails"
    COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/report/writes_test.py
            $<TARGET_FILE:airguard> ${PROJECT_SOURCE_DIR}/examples/airflow3-insecure)
  set_tests_properties("report:integration:reports reach their reader whole or the run fails" PROPERTIES
    LABELS "report;integration" TIMEOUT 300)
endif()
