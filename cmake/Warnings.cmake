# Warnings travel on an INTERFACE target so that only our own code gets them.
add_library(airguard_warnings INTERFACE)
target_compile_options(airguard_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Woverloaded-virtual -Wconversion -Wsign-conversion -Wnull-dereference -Wdouble-promotion
  -Wformat=2 -Wimplicit-fallthrough)
if(AIRGUARD_DEV)
  target_compile_options(airguard_warnings INTERFACE -Werror)
endif()
