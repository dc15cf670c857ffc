# DAG credential scan over the shared corpus (skipped when AIRGUARD_SHARED_DIR has no corpus).
add_executable(dags_corpus_check ${CMAKE_CURRENT_LIST_DIR}/dags/corpus_check.cpp)
target_link_libraries(dags_corpus_check PRIVATE airguard_dags airguard_warnings)
target_compile_definitions(dags_corpus_check PRIVATE AIRGUARD_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
add_test(NAME "dags: corpus recall and false alarms"
         COMMAND dags_corpus_check ${CMAKE_CURRENT_LIST_DIR}/dags/expected-leaky.tsv)
set_tests_properties("dags: corpus recall and false alarms" PROPERTIES SKIP_RETURN_CODE 77)

# The driver scripts/bench-dags times (a benchmark, not a test).
add_executable(dags_bench_scan ${CMAKE_CURRENT_LIST_DIR}/dags/bench_scan.cpp)
target_link_libraries(dags_bench_scan PRIVATE airguard_dags airguard_warnings)
