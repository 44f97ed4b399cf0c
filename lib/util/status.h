// status.h: Status and Result<T>, the error results used by every pullprint module.
//
// Modelled on LevelDB's Status: a function that can fail returns a Status (or a Result<T> that holds
// either a value or a failed Status) instead of throwing. Exceptions from third-party libraries
// (qpdf, SQLiteCpp) are caught at the module boundary and turned into a Status with a clear message.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace pp {

// What kind of failure a Status reports; callers branch on this, people read the message.
enum class Code {
  kOk = 0,
  kInvalidArgument,    // bad option, bad config value, bad command-line input
  kNotFound,           // unknown account, user, reservation, file
  kAlreadyExists,      // account name taken
  kConflict,           // idempotency key reused with different parameters, wrong state
  kInsufficientFunds,  // reservation larger than what the account may spend
  kPermissionDenied,   // the user may not charge that account / see that job
  kUnsupportedFormat,  // document format we do not analyse
  kMalformedDocument,  // document that cannot be parsed
  kLimitExceeded,      // size, page, nesting, time or memory limit hit
  kIoError,            // file system, child process, database I/O
  kInternal,           // a bug: an invariant of our own was broken
};

// Returns a short stable name for a code ("insufficient-funds"), used in logs and JSON.
std::string_view code_name(Code code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // success
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status ok() { return Status(); }

  bool is_ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

  // "insufficient-funds: account alice has EUR 0.20 available, job costs EUR 0.84"
  std::string to_string() const;

 private:
  Code code_ = Code::kOk;
  std::string message_;
};

// `failure` with a second failure that happened while undoing what led to it appended to its
// message ("<failure>; <undoing>: <cleanup's message>"), so that neither is lost; `failure`
// unchanged when `cleanup` is ok. The code stays `failure`'s: it is what the caller branches on.
Status with_cleanup_failure(Status failure, const Status& cleanup, std::string_view undoing);

// Either a value or a failed Status. Constructing a Result from an ok Status is a bug.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : data_(std::move(status)) {}  // NOLINT: implicit by design
  Result(Code code, std::string message) : data_(Status(code, std::move(message))) {}

  bool ok() const { return std::holds_alternative<T>(data_); }
  explicit operator bool() const { return ok(); }

  // Only valid when ok().
  T& value() & { return std::get<T>(data_); }
  const T& value() const& { return std::get<T>(data_); }
  T&& value() && { return std::get<T>(std::move(data_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  // The failure; an ok Status when the Result holds a value.
  Status status() const { return ok() ? Status::ok() : std::get<Status>(data_); }

 private:
  std::variant<T, Status> data_;
};

}  // namespace pp
