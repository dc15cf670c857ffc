# canary: secrets planted in every place a secret can live never reach stdout, stderr or a report
# (the real binary, every format, config, error paths, a REST API on 127.0.0.1 answering with them).
if(EXISTS /usr/bin/python3)
  add_test(NAME "security:integration:planted secrets never printed"
    COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/canary/canary_test.py $<TARGET_FILE:airguard>)
  set_tests_properties("security:integration:planted secrets never printed" PROPERTIES
    LABELS "security;integration" TIMEOUT 600)
endif()
