# Every values file of the shared corpus (official and community charts) is scanned by the real
# binary: it may find things (exit 1) or refuse a file with a clear error (exit 2), but it must
# never crash. Skips (77) when the shared corpus is absent.
add_test(NAME "corpus: helm values scan without crashing"
         COMMAND ${CMAKE_COMMAND} -E env AIRGUARD=$<TARGET_FILE:airguard>
                 AIRGUARD_SHARED_DIR_DEFAULT=${PROJECT_SOURCE_DIR}/../shared
                 sh ${CMAKE_CURRENT_SOURCE_DIR}/helm/scan_corpus.sh)
set_tests_properties("corpus: helm values scan without crashing" PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 600)

# The official-chart files judged as rendered (no finding on names the chart writes, one finding per
# database-URL cause, provenance on every finding); prints the per-file table of docs/helm.md.
add_test(NAME "corpus: helm official values judged as rendered"
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/helm/rendered_test.py $<TARGET_FILE:airguard>
                 ${PROJECT_SOURCE_DIR}/../shared)
set_tests_properties("corpus: helm official values judged as rendered" PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 600)
