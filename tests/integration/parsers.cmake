# parsers: the real binary on hostile inputs built at test time (tens of thousands of keys, 16 MB
# files, a webserver_config.py embedded in Helm values, JSON nested a million deep, FIFOs), each
# bounded in time and peak memory.
if(EXISTS /usr/bin/python3)
  foreach(case env_40k helm_40k_keys helm_120k_duplicate_keys cfg_60k_keys requirements_150k_pins
          requirements_16mb webserver_config_16mb helm_webserver_config_16mb
          helm_webserver_config_template_16mb osv_nested_deep ca_cert_fifo advisories_update_ca_cert_fifo
          folder_fifo_airflow_cfg osv_invalid_json_line baseline_invalid_json_line)
    add_test(NAME "parsers:hostile:${case}"
      COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/parsers/hostile_inputs_test.py $<TARGET_FILE:airguard> ${case})
    set_tests_properties("parsers:hostile:${case}" PROPERTIES LABELS "parsers;integration" TIMEOUT 400)
    if(AIRGUARD_SANITIZE)
      # ASan's shadow memory and checks cost about three times the time and memory: the bounds
      # say so openly rather than the cases being made smaller.
      set_tests_properties("parsers:hostile:${case}" PROPERTIES
        ENVIRONMENT "AIRGUARD_HOSTILE_SECONDS=60;AIRGUARD_HOSTILE_MIB=1200")
    endif()
  endforeach()
endif()
