#pragma once
#include <string>

#include "core/result.hpp"

namespace airguard {

// A shared library opened at run time (dlopen), for dependencies only some commands need. libcurl
// pulls in about twenty-five libraries whose loading costs more than a whole file scan, so the
// network code opens it on first use instead of linking it (core/http_client.cpp).
class DynamicLibrary {
 public:
  // Opens a library by soname ("libcurl.so.4"), searched as the dynamic linker searches.
  static Result<DynamicLibrary> open(const std::string& soname);

  DynamicLibrary(DynamicLibrary&& other) noexcept;
  DynamicLibrary& operator=(DynamicLibrary&& other) noexcept;
  DynamicLibrary(const DynamicLibrary&) = delete;
  DynamicLibrary& operator=(const DynamicLibrary&) = delete;
  ~DynamicLibrary();

  const std::string& soname() const { return soname_; }

  // The address of a function by name, typed by the caller; an error when the library lacks it.
  template <typename Function>
  Result<Function*> function(const char* name) const {
    auto address = symbol(name);
    if (!address) return address.error();
    return reinterpret_cast<Function*>(*address);
  }

 private:
  DynamicLibrary(void* handle, std::string soname) : handle_(handle), soname_(std::move(soname)) {}
  Result<void*> symbol(const char* name) const;

  void* handle_ = nullptr;
  std::string soname_;
};

}  // namespace airguard
