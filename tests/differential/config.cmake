# Effective configuration against CPython's configparser with Airflow's lookup order (the oracle).
find_program(AIRGUARD_PYTHON3 NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
find_program(AIRGUARD_PYTHON3 NAMES python3)
add_executable(config_driver ${CMAKE_CURRENT_SOURCE_DIR}/config/config_driver.cpp)
target_link_libraries(config_driver PRIVATE airguard_app CLI11::CLI11 airguard_warnings)
add_test(NAME "config: differential against configparser"
  COMMAND ${AIRGUARD_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/config/config_diff.py
          $<TARGET_FILE:config_driver> ${PROJECT_SOURCE_DIR} 400)
