# Every airflow.cfg of the shared corpus read as configparser reads it (skipped without the corpus).
find_program(AIRGUARD_PYTHON3 NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
find_program(AIRGUARD_PYTHON3 NAMES python3)
add_test(NAME "config: corpus of airflow.cfg files"
  COMMAND ${AIRGUARD_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/config/corpus_cfg.py
          $<TARGET_FILE:config_driver> ${PROJECT_SOURCE_DIR})
set_tests_properties("config: corpus of airflow.cfg files" PROPERTIES SKIP_RETURN_CODE 77)
