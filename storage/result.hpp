// Result<T>: the error-as-value type used at every fallible seam of Lietvedis.
//
// A Result holds either a value or an Error {code, message}. The message is written for a
// person (it names the field, file or step that failed) and never contains case content:
// it may name ids, never names or notes. Codes are coarse and stable; the CLI maps them to
// exit codes and the UI to wording.
//
// WARNING: calling value() on a Result that holds an error is a programming bug; it throws
// std::logic_error rather than invoking undefined behaviour, so tests can catch it.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

namespace lietvedis {

enum class Errc {
  kIo,               // the operating system refused a read, write, open or sync
  kWrongPassphrase,  // the passphrase or recovery key does not unwrap the store key
  kTampered,         // authenticated decryption failed: data was altered, moved or replayed
  kNotAStore,        // the directory or file is not a Lietvedis store
  kCorrupt,          // the store opened but its structure is damaged
  kLocked,           // the store is locked; unlock it first
  kBusy,             // another writer holds the database
  kConstraint,       // a uniqueness or reference rule of the schema was violated
  kValidation,       // user input was rejected; the message names the field and the problem
  kNotPermitted,     // the acting user may not read or change this
  kNotFound,         // the requested record does not exist (or is not visible to the user)
  kConflict,         // the record changed underneath; reload and retry
  kProtocol,         // a malformed, oversized, replayed or unknown-version network message
  kNetwork,          // the server could not be reached or the connection dropped
  kUnsupported,      // a newer schema or protocol version than this build understands
  kInternal,         // a bug or an unexpected library failure
};

// Stable lower-case name of a code, for logs and JSON ("wrong_passphrase").
const char* ErrcName(Errc code);

struct Error {
  Errc code = Errc::kInternal;
  std::string message;
};

inline Error MakeError(Errc code, std::string message) {
  return Error{code, std::move(message)};
}

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    if (!ok()) throw std::logic_error("Result::value() on error: " + error().message);
    return std::get<0>(v_);
  }
  const T& value() const& {
    if (!ok()) throw std::logic_error("Result::value() on error: " + error().message);
    return std::get<0>(v_);
  }
  T&& value() && {
    if (!ok()) throw std::logic_error("Result::value() on error: " + error().message);
    return std::get<0>(std::move(v_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const {
    if (ok()) throw std::logic_error("Result::error() on a value");
    return std::get<1>(v_);
  }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT: implicit by design

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  void value() const {
    if (!ok_) throw std::logic_error("Result::value() on error: " + error_.message);
  }
  const Error& error() const {
    if (ok_) throw std::logic_error("Result::error() on a value");
    return error_;
  }

 private:
  Error error_;
  bool ok_ = true;
};

inline Result<void> Ok() {
  return Result<void>();
}

}  // namespace lietvedis

// Propagates an error from an expression returning Result<...>; evaluates to nothing.
#define LV_TRY(expr)                                         \
  do {                                                       \
    auto&& lv_try_result_ = (expr);                          \
    if (!lv_try_result_.ok()) return lv_try_result_.error(); \
  } while (0)

#define LV_CONCAT_INNER(a, b) a##b
#define LV_CONCAT(a, b) LV_CONCAT_INNER(a, b)
// LV_ASSIGN(auto x, Expr()): declares x from a Result's value or returns its error.
#define LV_ASSIGN(decl, expr) LV_ASSIGN_IMPL(LV_CONCAT(lv_assign_, __LINE__), decl, expr)
#define LV_ASSIGN_IMPL(tmp, decl, expr) \
  auto tmp = (expr);                    \
  if (!tmp.ok()) return tmp.error();    \
  decl = std::move(tmp).value()
