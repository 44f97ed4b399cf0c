// server-release.cpp: PullPrint-Release-Held-Jobs (0x4B02), the release terminal's operation.
//
//   printer-name        (name, required)   the release printer, a [printer NAME] of the config
//   pullprint-job-id    (1setOf integer)   the jobs to release; absent: all of the user's held
//                                          jobs (an operator's own, never everybody's)
//
// The printer's state is checked first: a printer that is off, stopped or refusing jobs gets
// client-error-not-possible with the reason, and every job stays held with nothing charged. Then
// each job is claimed (priced for this printer, held -> releasing) and queued for the printer's
// delivery worker; the answer comes at once, one job group per job with its state (releasing, or
// why not), its price on this printer and a hint when another printer is cheaper. The terminal
// follows the jobs with PullPrint-Get-Held-Jobs (which-jobs=all) until they are printed.
//
// Users release only their own jobs: another user's job gets the same answer as a job that does
// not exist. Operators (config `operators`) and admins may release others' jobs; each such
// release is logged with both names and recorded as released_by.
#include <climits>
#include <string>
#include <vector>

#include "holding/release.h"
#include "pricing/pricing.h"
#include "printers/printers.h"
#include "pullprint-ipp.h"
#include "server-delivery.h"
#include "server-release.h"
#include "server-request.h"

namespace pp::server {
namespace {

constexpr auto kStateTimeout = std::chrono::milliseconds(3000);

// What the terminal asked for.
struct ReleaseRequest {
  std::string printer;
  std::vector<int> job_ids;  // empty: all of the user's held jobs
};

std::variant<ReleaseRequest, IppError> parse_release_request(ipp_t* request) {
  std::optional<std::string> printer;
  ReleaseRequest release;
  if (auto error = read_name(request, "printer-name", 127, printer)) return *error;
  if (!printer)
    return IppError{IPP_STATUS_ERROR_BAD_REQUEST, "Missing printer-name (the release printer)."};
  release.printer = *printer;
  if (auto error = read_integers(request, ipp::kHeldJobIdAttr, 1, INT_MAX, ipp::kMaxReleaseJobs,
                                 release.job_ids))
    return *error;
  return release;
}

// One job group of the answer.
void add_release_group(ipp_t* response, std::int64_t id, const std::string& title,
                       const std::string& state, const std::string& message,
                       std::optional<Price> price, const std::string& hint) {
  ippAddSeparator(response);
  ippAddInteger(response, IPP_TAG_JOB, IPP_TAG_INTEGER, "job-id", ipp_int(id));
  if (!title.empty())
    ippAddString(response, IPP_TAG_JOB, IPP_TAG_NAME, "job-name", nullptr, title.c_str());
  ippAddString(response, IPP_TAG_JOB, IPP_TAG_KEYWORD, "pullprint-job-state", nullptr,
               state.c_str());
  ippAddString(response, IPP_TAG_JOB, IPP_TAG_TEXT, "job-state-message", nullptr,
               message.c_str());
  if (price) {
    ippAddInteger(response, IPP_TAG_JOB, IPP_TAG_INTEGER, "pullprint-printer-price",
                  ipp_int(price->minor));
    ippAddString(response, IPP_TAG_JOB, IPP_TAG_KEYWORD, "pullprint-currency", nullptr,
                 price->currency.c_str());
  }
  if (!hint.empty())
    ippAddString(response, IPP_TAG_JOB, IPP_TAG_TEXT, "pullprint-hint", nullptr, hint.c_str());
}

// Why a job could not be claimed, in words for the user at the terminal.
std::string claim_refusal(const Status& status, int id) {
  switch (status.code()) {
    case Code::kNotFound: return "No held job " + std::to_string(id) + " of yours.";
    case Code::kConflict: return "Not released: " + status.message() + ".";
    default: return "Not released: the held-job store failed.";
  }
}

// The jobs to release: those asked for, or all of the user's held jobs.
Result<std::vector<std::int64_t>> jobs_to_release(JobStore& store, const ReleaseRequest& request,
                                                  const ClientIdentity& who) {
  std::vector<std::int64_t> ids(request.job_ids.begin(), request.job_ids.end());
  if (!ids.empty()) return ids;
  Result<std::vector<HeldJob>> jobs = releasable_jobs(store, who.user);
  if (!jobs) return jobs.status();
  for (const HeldJob& job : *jobs) ids.push_back(job.id);
  return ids;
}

}  // namespace

void release_held_jobs(pappl_client_t* client, Server& server, const ClientIdentity& who) {
  auto parsed = parse_release_request(papplClientGetRequest(client));
  if (auto* error = std::get_if<IppError>(&parsed)) return (void)respond_error(client, *error);
  const ReleaseRequest request = std::get<ReleaseRequest>(parsed);
  Result<ReleasePrinter> printer = find_release_printer(server.config, request.printer);
  if (!printer)
    return (void)respond_error(client, {IPP_STATUS_ERROR_NOT_FOUND,
                                        "No release printer " + request.printer + "."});
  // Before anything is claimed: a printer that cannot print now keeps every job held.
  Result<PrinterState> state = query_printer_state(*printer, kStateTimeout);
  const auto checked_at = std::chrono::steady_clock::now();
  if (!state || !state->can_print()) {
    const std::string reason = !state ? state.status().message()
                               : !state->message.empty() ? state->message
                                                         : std::string(device_state_name(state->state));
    papplLogClient(client, PAPPL_LOGLEVEL_INFO, "Release by %s to %s refused: %s",
                   who.user.c_str(), printer->name.c_str(), reason.c_str());
    return (void)respond_error(
        client, {IPP_STATUS_ERROR_NOT_POSSIBLE,
                 "Printer " + printer->name + " is not available (" + reason +
                     "). Your jobs stay held and nothing was charged; try another printer."});
  }
  Result<OperationHandles> handles = open_operation_handles(server);
  if (!handles) return (void)respond_internal(client, handles.status());
  Result<std::vector<std::int64_t>> ids = jobs_to_release(*handles->store, request, who);
  if (!ids) return (void)respond_internal(client, ids.status());

  papplClientRespondIPP(client, IPP_STATUS_OK, ids->empty() ? "You have no held jobs." : nullptr);
  ipp_t* response = papplClientGetResponse(client);
  const Releaser releaser{who.user, who.operator_};
  for (std::int64_t id : *ids) {
    Result<ClaimedRelease> claim = claim_release(*handles->store, *handles->deliveries,
                                                 server.config, *printer, id, releaser);
    if (!claim) {
      add_release_group(response, id, "", "held", claim_refusal(claim.status(), static_cast<int>(id)),
                        std::nullopt, "");
      continue;
    }
    if (claim->job.owner != who.user)
      papplLogClient(client, PAPPL_LOGLEVEL_INFO, "Operator %s released job %lld of %s to %s.",
                     who.user.c_str(), static_cast<long long>(id), claim->job.owner.c_str(),
                     printer->name.c_str());
    add_release_group(response, id, claim->job.title, "releasing",
                      "Sending to " + printer->name + ": " +
                          format_money(claim->price_minor, claim->currency),
                      Price{claim->price_minor, claim->currency}, claim->hint);
    server.workers->enqueue(std::move(*claim), checked_at);
  }
}

}  // namespace pp::server
