# api: the real binary scans a fake Airflow server on 127.0.0.1 per scenario (golden cases under
# tests/golden/cases/api/ name their scenario with `# server:`).
add_executable(fake_airflow_server ${CMAKE_CURRENT_LIST_DIR}/api/fake_airflow_server.cpp
                                   ${PROJECT_SOURCE_DIR}/tests/unit/api/fake_airflow.cpp)
target_include_directories(fake_airflow_server PRIVATE ${PROJECT_SOURCE_DIR}/tests/unit/api)
target_link_libraries(fake_airflow_server PRIVATE PkgConfig::HTTPLIB OpenSSL::SSL OpenSSL::Crypto
                      nlohmann_json::nlohmann_json Threads::Threads airguard_sanitizers)
