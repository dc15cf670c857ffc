# Every dependency is a Debian 12 package; scripts/install-deps installs them.
find_package(yaml-cpp 0.7 CONFIG REQUIRED)
if(TARGET yaml-cpp AND NOT TARGET yaml-cpp::yaml-cpp)
  add_library(yaml-cpp::yaml-cpp ALIAS yaml-cpp)  # 0.7 exports a plain target; 0.8 the namespaced one
endif()
find_package(fmt 9 CONFIG REQUIRED)
find_package(CLI11 2.1 CONFIG REQUIRED)
find_package(nlohmann_json 3.11 CONFIG REQUIRED)
find_package(cereal 1.3 CONFIG REQUIRED)  # the binary forms of built-in data (core/binary_archive.hpp)
find_package(CURL 7.88 REQUIRED)
find_package(OpenSSL 3.0 REQUIRED)
# libcurl and the OpenSSL it uses are opened at run time, on first network access
# (core/dynamic_library.hpp): a file scan never maps them. Only their headers are used here.
add_library(airguard_net_headers INTERFACE)
target_include_directories(airguard_net_headers SYSTEM INTERFACE
  $<TARGET_PROPERTY:CURL::libcurl,INTERFACE_INCLUDE_DIRECTORIES> ${OPENSSL_INCLUDE_DIR})
target_link_libraries(airguard_net_headers INTERFACE ${CMAKE_DL_LIBS})
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)  # RE2 reports 0.0.0: no version constraint
find_package(ZLIB REQUIRED)  # deflated entries of zipped DAG bundles
if(AIRGUARD_TESTS)
  find_package(Catch2 2.13 CONFIG REQUIRED)
  pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
endif()
