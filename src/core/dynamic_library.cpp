#include "core/dynamic_library.hpp"

#include <dlfcn.h>
#include <fmt/format.h>

#include <utility>

namespace airguard {

namespace {

std::string last_dl_error() {
  const char* text = dlerror();
  return text != nullptr ? std::string(text) : std::string("unknown error");
}

}  // namespace

Result<DynamicLibrary> DynamicLibrary::open(const std::string& soname) {
  dlerror();  // clear any earlier error
  void* handle = dlopen(soname.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    return make_error(soname, 0, fmt::format("could not load the shared library: {}", last_dl_error()));
  }
  return DynamicLibrary(handle, soname);
}

DynamicLibrary::DynamicLibrary(DynamicLibrary&& other) noexcept
    : handle_(std::exchange(other.handle_, nullptr)), soname_(std::move(other.soname_)) {}

DynamicLibrary& DynamicLibrary::operator=(DynamicLibrary&& other) noexcept {
  if (this != &other) {
    if (handle_ != nullptr) dlclose(handle_);
    handle_ = std::exchange(other.handle_, nullptr);
    soname_ = std::move(other.soname_);
  }
  return *this;
}

DynamicLibrary::~DynamicLibrary() {
  if (handle_ != nullptr) dlclose(handle_);
}

Result<void*> DynamicLibrary::symbol(const char* name) const {
  dlerror();
  void* address = dlsym(handle_, name);
  if (address == nullptr) {
    return make_error(soname_, 0, fmt::format("the shared library has no function {}: {}", name, last_dl_error()));
  }
  return address;
}

}  // namespace airguard
