// status.cpp: names and formatting for Status.
#include "util/status.h"

namespace pp {

std::string_view code_name(Code code) {
  switch (code) {
    case Code::kOk: return "ok";
    case Code::kInvalidArgument: return "invalid-argument";
    case Code::kNotFound: return "not-found";
    case Code::kAlreadyExists: return "already-exists";
    case Code::kConflict: return "conflict";
    case Code::kInsufficientFunds: return "insufficient-funds";
    case Code::kPermissionDenied: return "permission-denied";
    case Code::kUnsupportedFormat: return "unsupported-format";
    case Code::kMalformedDocument: return "malformed-document";
    case Code::kLimitExceeded: return "limit-exceeded";
    case Code::kIoError: return "io-error";
    case Code::kInternal: return "internal";
  }
  return "unknown";
}

std::string Status::to_string() const {
  if (is_ok()) return "ok";
  std::string text(code_name(code_));
  if (!message_.empty()) text += ": " + message_;
  return text;
}

Status with_cleanup_failure(Status failure, const Status& cleanup, std::string_view undoing) {
  if (cleanup.is_ok()) return failure;
  return Status(failure.code(),
                failure.message() + "; " + std::string(undoing) + ": " + cleanup.message());
}

}  // namespace pp
