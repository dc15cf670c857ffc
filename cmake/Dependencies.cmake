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
find_package(BZip2 REQUIRED)  # bzip2 entries of zipped DAG bundles
find_package(LibLZMA REQUIRED)  # LZMA entries of zipped DAG bundles

# The libraries airguard links, as targets that are either Debian's shared libraries or, with
# AIRGUARD_STATIC_DEPS (the release preset), their static archives plus a static C++ runtime.
# A whole-process scan is only a few milliseconds, and mapping and relocating each shared
# library at start-up is a visible part of that; libc stays shared, libcurl is opened on demand.
option(AIRGUARD_STATIC_DEPS "Link yaml-cpp, RE2, fmt, zlib, bzip2, lzma and the C++ runtime statically" OFF)
foreach(dep yaml re2 fmt zlib bzip2 lzma)
  add_library(airguard_${dep} INTERFACE)
endforeach()
if(AIRGUARD_STATIC_DEPS)
  find_library(AIRGUARD_YAML_CPP_ARCHIVE libyaml-cpp.a REQUIRED)
  find_library(AIRGUARD_RE2_ARCHIVE libre2.a REQUIRED)
  find_library(AIRGUARD_ZLIB_ARCHIVE libz.a REQUIRED)
  find_library(AIRGUARD_BZIP2_ARCHIVE libbz2.a REQUIRED)
  find_library(AIRGUARD_LZMA_ARCHIVE liblzma.a REQUIRED)
  target_include_directories(airguard_yaml SYSTEM INTERFACE $<TARGET_PROPERTY:yaml-cpp::yaml-cpp,INTERFACE_INCLUDE_DIRECTORIES>)
  target_link_libraries(airguard_yaml INTERFACE ${AIRGUARD_YAML_CPP_ARCHIVE})
  target_include_directories(airguard_re2 SYSTEM INTERFACE ${RE2_INCLUDE_DIRS})
  target_link_libraries(airguard_re2 INTERFACE ${AIRGUARD_RE2_ARCHIVE} Threads::Threads)
  target_link_libraries(airguard_fmt INTERFACE fmt::fmt-header-only)
  target_include_directories(airguard_zlib SYSTEM INTERFACE ${ZLIB_INCLUDE_DIRS})
  target_link_libraries(airguard_zlib INTERFACE ${AIRGUARD_ZLIB_ARCHIVE})
  target_include_directories(airguard_bzip2 SYSTEM INTERFACE ${BZIP2_INCLUDE_DIRS})
  target_link_libraries(airguard_bzip2 INTERFACE ${AIRGUARD_BZIP2_ARCHIVE})
  target_include_directories(airguard_lzma SYSTEM INTERFACE ${LIBLZMA_INCLUDE_DIRS})
  target_link_libraries(airguard_lzma INTERFACE ${AIRGUARD_LZMA_ARCHIVE} Threads::Threads)
  add_link_options(-static-libstdc++ -static-libgcc)
else()
  target_link_libraries(airguard_yaml INTERFACE yaml-cpp::yaml-cpp)
  target_link_libraries(airguard_re2 INTERFACE PkgConfig::RE2)
  target_link_libraries(airguard_fmt INTERFACE fmt::fmt)
  target_link_libraries(airguard_zlib INTERFACE ZLIB::ZLIB)
  target_link_libraries(airguard_bzip2 INTERFACE BZip2::BZip2)
  target_link_libraries(airguard_lzma INTERFACE LibLZMA::LibLZMA)
endif()
if(AIRGUARD_TESTS)
  find_package(Catch2 2.13 CONFIG REQUIRED)
  pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
endif()
