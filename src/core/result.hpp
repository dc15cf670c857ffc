#pragma once
#include <cassert>
#include <utility>
#include <variant>

#include "core/diagnostic.hpp"

namespace airguard {

// A value or the diagnostic that explains why there is none. Errors are values (STYLE.md 4):
// anything a user can cause comes back as a Result, never as an exception.
template <typename T>
class Result {
 public:
  Result(T success) : state_(std::move(success)) {}       // NOLINT: implicit by design
  Result(Diagnostic error) : state_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return std::holds_alternative<T>(state_); }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<T>(state_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<T>(state_);
  }
  T&& value() && {
    assert(ok());
    return std::get<T>(std::move(state_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Diagnostic& error() const {
    assert(!ok());
    return std::get<Diagnostic>(state_);
  }

 private:
  std::variant<T, Diagnostic> state_;
};

}  // namespace airguard
