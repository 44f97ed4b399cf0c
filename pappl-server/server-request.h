// server-request.h: reading vendor-operation requests (untrusted input from the network) and
// answering them: shared by server-ops.cpp and server-release.cpp.
#pragma once

#include <pappl/pappl.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "delivery/delivery.h"
#include "holding/release.h"
#include "ledger/ledger.h"
#include "server.h"
#include "site/site.h"
#include "splits/splits.h"
#include "store/job-store.h"

namespace pp::server {

// A refusal: the IPP status and the status-message sent back.
struct IppError {
  ipp_status_t status;
  std::string message;
};

// The site, opened for one operation (each operation has its own connections: several client
// threads run at once, and the job threads' site is held during document analyses).
Result<Site> open_operation_site(const Server& server);

// The operation attribute `name` when sent: exactly one value of syntax `tag` (keyword also
// accepts name) in the operation group; an IppError otherwise. std::nullopt when absent.
std::variant<std::optional<ipp_attribute_t*>, IppError> operation_attribute(ipp_t* request,
                                                                           const char* name,
                                                                           ipp_tag_t tag);
// Reads an optional boolean / integer in min..max / name (1..max_length bytes) operation
// attribute into `value`.
std::optional<IppError> read_boolean(ipp_t* request, const char* name, bool& value);
std::optional<IppError> read_integer(ipp_t* request, const char* name, int min, int max,
                                     std::optional<int>& value);
std::optional<IppError> read_name(ipp_t* request, const char* name, std::size_t max_length,
                                  std::optional<std::string>& value);
// Reads an optional 1setOf name (each 1..max_length bytes, at most max_count values).
std::optional<IppError> read_names(ipp_t* request, const char* name, std::size_t max_length,
                                   int max_count, std::vector<std::string>& values);
// Reads an optional 1setOf integer (each in min..max, at most max_count values).
std::optional<IppError> read_integers(ipp_t* request, const char* name, int min, int max,
                                      int max_count, std::vector<int>& values);

// IPP integers are 32-bit: amounts beyond that are clamped (no real job or balance comes close).
int ipp_int(std::int64_t value);

// Answers an HTTP-level refusal (401 makes libcups ask for a password, 426 asks for TLS).
bool respond_http(pappl_client_t* client, http_status_t status);
bool respond_error(pappl_client_t* client, const IppError& error);
// An internal failure: logged in full, the client gets a short message.
bool respond_internal(pappl_client_t* client, const Status& status);

}  // namespace pp::server
