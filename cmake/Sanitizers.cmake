add_library(airguard_sanitizers INTERFACE)
if(AIRGUARD_SANITIZE)
  target_compile_options(airguard_sanitizers INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(airguard_sanitizers INTERFACE -fsanitize=address,undefined)
endif()
