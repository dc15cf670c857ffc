add_library(airguard_sanitizers INTERFACE)
if(AIRGUARD_SANITIZE OR AIRGUARD_FUZZ)
  target_compile_options(airguard_sanitizers INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(airguard_sanitizers INTERFACE -fsanitize=address,undefined)
endif()
# AIRGUARD_FUZZ (the fuzz preset): our libraries carry libFuzzer's coverage instrumentation; the
# fuzz targets alone link libFuzzer itself (tests/fuzz/CMakeLists.txt). libFuzzer ships with clang.
if(AIRGUARD_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "AIRGUARD_FUZZ needs clang and its libFuzzer (Debian packages clang, libclang-rt-14-dev): "
                        "configure with the fuzz preset")
  endif()
  target_compile_options(airguard_sanitizers INTERFACE -fsanitize=fuzzer-no-link)
endif()
