#include <catch2/catch.hpp>
#include <cstring>

#include "core/dynamic_library.hpp"

using namespace airguard;

TEST_CASE("DynamicLibrary opens a library by soname and calls a function from it") {
  auto libc = DynamicLibrary::open("libc.so.6");
  REQUIRE(libc.ok());
  CHECK(libc->soname() == "libc.so.6");
  auto length = libc->function<std::size_t(const char*)>("strlen");
  REQUIRE(length.ok());
  CHECK((*length)("airflow") == 7);
}

TEST_CASE("DynamicLibrary names the library it could not open") {
  auto missing = DynamicLibrary::open("libairguard-does-not-exist.so.0");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().file == "libairguard-does-not-exist.so.0");
  CHECK_THAT(missing.error().message, Catch::Contains("could not load the shared library"));
}

TEST_CASE("DynamicLibrary names a function the library lacks") {
  auto libc = DynamicLibrary::open("libc.so.6");
  REQUIRE(libc.ok());
  auto absent = libc->function<int()>("airguard_no_such_function");
  REQUIRE_FALSE(absent.ok());
  CHECK_THAT(absent.error().message, Catch::Contains("has no function airguard_no_such_function"));
}

TEST_CASE("A moved DynamicLibrary keeps the library open") {
  auto opened = DynamicLibrary::open("libc.so.6");
  REQUIRE(opened.ok());
  DynamicLibrary moved = std::move(*opened);
  auto length = moved.function<std::size_t(const char*)>("strlen");
  REQUIRE(length.ok());
  CHECK((*length)("dag") == 3);
}
