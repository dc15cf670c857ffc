# api: the real binary scans a fake Airflow server on 127.0.0.1 per scenario (golden cases under
# tests/golden/cases/api/ name their scenario with `# server:`).
add_executable(fake_airflow_server ${CMAKE_CURRENT_LIST_DIR}/api/fake_airflow_server.cpp
                                   ${PROJECT_SOURCE_DIR}/tests/unit/api/fake_airflow.cpp)
target_include_directories(fake_airflow_server PRIVATE ${PROJECT_SOURCE_DIR}/tests/unit/api)
target_link_libraries(fake_airflow_server PRIVATE PkgConfig::HTTPLIB OpenSSL::SSL OpenSSL::Crypto
                      nlohmann_json::nlohmann_json Threads::Threads airguard_sanitizers)

# The live API phase against hostile servers: oversized pages (peak memory), a slow-drip and a
# hanging server (the phase's deadline), redirects and refusals (an incomplete report that says
# why), a progress line on a terminal, and secrets in --api-url that no output repeats.
if(EXISTS /usr/bin/python3)
  foreach(hostile_case IN ITEMS big-pages slow-drip hanging redirect-elsewhere redirect-loop refuse-all progress-tty
                                url-secrets url-user-info)
    add_test(NAME "api:integration:hostile:${hostile_case}"
      COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/api/hostile_test.py
              $<TARGET_FILE:airguard> $<TARGET_FILE:fake_airflow_server> ${hostile_case})
    set_tests_properties("api:integration:hostile:${hostile_case}" PROPERTIES LABELS "api;integration" TIMEOUT 300)
  endforeach()
endif()
