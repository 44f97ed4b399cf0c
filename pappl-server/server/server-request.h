// server-request.h: reading vendor-operation requests (untrusted input from the network) and
// answering them: shared by the vendor operations (server-ops, -release, -splits, -accounts.cpp),
// the web pages and the delivery workers.
#pragma once

#include <pappl/pappl.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "delivery/delivery.h"
#include "job-store/job-store.h"
#include "ledger/ledger.h"
#include "release/release.h"
#include "server/server.h"
#include "site/site.h"
#include "splits/splits.h"

namespace pp::server {

// A refusal: the IPP status and the status-message sent back.
struct IppError {
  ipp_status_t status;
  std::string message;
};

// Either a value read from a request or the refusal to answer with: what every request reader
// and parser of the vendor operations returns (failures of lib/ come as a Status and become an
// IppError once, through ipp_error()).
template <typename T>
class IppResult {
 public:
  IppResult(T value) : data_(std::move(value)) {}         // NOLINT: implicit by design
  IppResult(IppError error) : data_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return std::holds_alternative<T>(data_); }
  explicit operator bool() const { return ok(); }
  // Only valid when ok().
  T& value() & { return std::get<T>(data_); }
  const T& value() const& { return std::get<T>(data_); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  // Only valid when !ok().
  const IppError& error() const { return std::get<IppError>(data_); }

 private:
  std::variant<T, IppError> data_;
};

// The IPP status of a failure of lib/ (the one place a Code becomes an IPP status):
// kInvalidArgument -> client-error-attributes-or-values-not-supported, kNotFound -> not-found,
// kPermissionDenied -> not-authorized, kAlreadyExists / kConflict / kInsufficientFunds ->
// not-possible, anything else -> server-error-internal-error.
ipp_status_t ipp_status_for(Code code);
// A failure of lib/ as the answer: its IPP status and message; an internal one (ipp_status_for
// says server-error-internal-error) gets `internal_message` instead, its details are for the
// log.
IppError ipp_error(const Status& status,
                   std::string_view internal_message = "The held-job store failed.");

// The site, opened for one operation (each operation has its own connections: several client
// threads run at once, and the job threads' site is held during document analyses).
Result<Site> open_operation_site(const Server& server);

// The operation attribute `name` when sent: exactly one value of syntax `tag` (keyword also
// accepts name) in the operation group; an IppError otherwise. std::nullopt when absent.
IppResult<std::optional<ipp_attribute_t*>> operation_attribute(ipp_t* request, const char* name,
                                                               ipp_tag_t tag);
// Reads an optional boolean / integer in min..max / name (1..max_length bytes) operation
// attribute; std::nullopt when absent.
IppResult<std::optional<bool>> read_boolean(ipp_t* request, const char* name);
IppResult<std::optional<int>> read_integer(ipp_t* request, const char* name, int min, int max);
IppResult<std::optional<std::string>> read_name(ipp_t* request, const char* name,
                                                std::size_t max_length);
// Reads an optional 1setOf name (each 1..max_length bytes, at most max_count values); empty
// when absent.
IppResult<std::vector<std::string>> read_names(ipp_t* request, const char* name,
                                               std::size_t max_length, int max_count);
// Reads an optional 1setOf integer (each in min..max, at most max_count values); empty when
// absent.
IppResult<std::vector<int>> read_integers(ipp_t* request, const char* name, int min, int max,
                                          int max_count);
// A required attribute: its value, or client-error-bad-request "Missing NAME." when absent.
template <typename T>
IppResult<T> required(IppResult<std::optional<T>> read, const char* name) {
  if (!read) return read.error();
  if (!*read) return IppError{IPP_STATUS_ERROR_BAD_REQUEST, std::string("Missing ") + name + "."};
  return std::move(**read);
}

// The required held-job-id operation attribute (1..INT_MAX) of a request on one held job.
IppResult<int> read_held_job_id(ipp_t* request);

// IPP integers are 32-bit: amounts beyond that are clamped (no real job or balance comes close).
int ipp_int(std::int64_t value);

// Answers an HTTP-level refusal (401 makes libcups ask for a password, 426 asks for TLS).
bool respond_http(pappl_client_t* client, http_status_t status);
bool respond_error(pappl_client_t* client, const IppError& error);
// An internal failure: logged in full, the client gets a short message.
bool respond_internal(pappl_client_t* client, const Status& status);

}  // namespace pp::server
