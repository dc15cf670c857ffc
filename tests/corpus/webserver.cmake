# webserver_config.py reader and checks over the shared corpus (skipped when AIRGUARD_SHARED_DIR has no corpus).
add_executable(webserver_corpus_check ${CMAKE_CURRENT_LIST_DIR}/webserver/corpus_check.cpp)
target_link_libraries(webserver_corpus_check PRIVATE airguard_engine airguard_warnings)
target_compile_definitions(webserver_corpus_check PRIVATE AIRGUARD_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
add_test(NAME "webserver: corpus read and checks"
         COMMAND webserver_corpus_check ${CMAKE_CURRENT_LIST_DIR}/webserver/expected-findings.tsv)
set_tests_properties("webserver: corpus read and checks" PROPERTIES SKIP_RETURN_CODE 77)
add_test(NAME "webserver: check examples" COMMAND webserver_corpus_check --examples)
