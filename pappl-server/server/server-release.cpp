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
//   pullprint-job-ref   (1setOf name)      CUPS-door jobs the backend holds in the printer's
//                                          CUPS queue (cups-queue printers): released in the
//                                          delivery log, then Release-Job to the local cupsd
//
// Users release only their own jobs: another user's job gets the same answer as a job that does
// not exist. Operators (config `operators`) and admins may release others' jobs; each such
// release is logged with both names and recorded as released_by.
//
// The printer check (check_printer_for_release) and the per-job loop (release_jobs) are shared with
// the user's web page (web/web.cpp), which renders the same outcomes as HTML.
#include <climits>
#include <string>
#include <vector>

#include "pricing/pricing.h"
#include "printers/printers.h"
#include "pullprint-ipp.h"
#include "release/release.h"
#include "server/server-delivery.h"
#include "server/server-release.h"
#include "server/server-request.h"
#include "split-jobs/split-cups.h"
#include "split-jobs/split-jobs.h"

namespace pp::server {
namespace {

// What the terminal asked for.
struct ReleaseRequest {
  std::string printer;
  std::vector<int> job_ids;           // empty (and no job_refs): all of the user's held jobs
  std::vector<std::string> job_refs;  // CUPS-door jobs the backend holds ("cups/<uuid>")
};

IppResult<ReleaseRequest> parse_release_request(ipp_t* request) {
  IppResult<std::optional<std::string>> printer = read_name(request, "printer-name", 127);
  if (!printer) return printer.error();
  if (!*printer)
    return IppError{IPP_STATUS_ERROR_BAD_REQUEST, "Missing printer-name (the release printer)."};
  IppResult<std::vector<int>> job_ids =
      read_integers(request, ipp::kHeldJobIdAttr, 1, INT_MAX, ipp::kMaxReleaseJobs);
  if (!job_ids) return job_ids.error();
  IppResult<std::vector<std::string>> job_refs =
      read_names(request, ipp::kJobRefAttr, 255, ipp::kMaxReleaseJobs);
  if (!job_refs) return job_refs.error();
  return ReleaseRequest{**printer, std::move(*job_ids), std::move(*job_refs)};
}

// What every job group of the answer says after the job's identity: its title (when the
// user may know it), its state and why.
void add_job_outcome(ipp_t* response, const std::string& title, const std::string& state,
                     const std::string& message) {
  if (!title.empty())
    ippAddString(response, IPP_TAG_JOB, IPP_TAG_NAME, "job-name", nullptr, title.c_str());
  ippAddString(response, IPP_TAG_JOB, IPP_TAG_KEYWORD, "pullprint-job-state", nullptr,
               state.c_str());
  ippAddString(response, IPP_TAG_JOB, IPP_TAG_TEXT, "job-state-message", nullptr, message.c_str());
}

// One job group of the answer.
void add_release_group(ipp_t* response, std::int64_t id, const std::string& title,
                       const std::string& state, const std::string& message,
                       std::optional<Price> price, const std::string& hint) {
  ippAddSeparator(response);
  ippAddInteger(response, IPP_TAG_JOB, IPP_TAG_INTEGER, "job-id", ipp_int(id));
  add_job_outcome(response, title, state, message);
  if (price) {
    ippAddInteger(response, IPP_TAG_JOB, IPP_TAG_INTEGER, "pullprint-printer-price",
                  ipp_int(price->minor));
    ippAddString(response, IPP_TAG_JOB, IPP_TAG_KEYWORD, "pullprint-currency", nullptr,
                 price->currency.c_str());
  }
  if (!hint.empty())
    ippAddString(response, IPP_TAG_JOB, IPP_TAG_TEXT, "pullprint-hint", nullptr, hint.c_str());
}

// One CUPS-door job group of the answer.
void add_cups_group(ipp_t* response, const std::string& job_ref, const std::string& title,
                    const std::string& state, const std::string& message) {
  ippAddSeparator(response);
  ippAddString(response, IPP_TAG_JOB, IPP_TAG_NAME, ipp::kJobRefAttr, nullptr, job_ref.c_str());
  add_job_outcome(response, title, state, message);
}

// Why a job could not be claimed, in words for the user at the terminal.
std::string claim_refusal(const Status& status, int id) {
  switch (status.code()) {
    case Code::kNotFound:
      return "No held job " + std::to_string(id) + " of yours.";
    case Code::kConflict:
    case Code::kPermissionDenied:  // the user's rights on the printer (lib/rights): why, and where
      return "Not released: " + status.message() + ".";
    default:
      return "Not released: the held-job store failed.";
  }
}

// The CUPS-door jobs to release: those asked for, or (when nothing was named) all of the user's
// jobs the backend holds in the printer's CUPS queue.
Result<std::vector<std::string>> cups_jobs_to_release(DeliveryLog& log,
                                                      const ReleaseRequest& request,
                                                      const ReleasePrinter& printer,
                                                      const ClientIdentity& who) {
  if (!request.job_refs.empty() || !request.job_ids.empty() || printer.cups_queue.empty())
    return request.job_refs;
  Result<std::vector<Delivery>> held = held_cups_jobs(log, who.user, printer.cups_queue);
  if (!held) return held.status();
  std::vector<std::string> refs;
  for (const Delivery& delivery : *held) refs.push_back(delivery.job_ref);
  return refs;
}

// Releases one CUPS-door job: authorised in the delivery log, then released in cupsd, whose
// backend run prints and captures it.
void release_cups_door_job(pappl_client_t* client, ipp_t* response, Site& site,
                           const Config& config, const ReleasePrinter& printer,
                           const std::string& job_ref, const ClientIdentity& who,
                           const std::string& currency) {
  Result<Delivery> released =
      release_cups_job(site, config, job_ref, printer, Releaser{who.user, who.operator_});
  if (!released) {
    add_cups_group(response, job_ref, "", "held",
                   released.status().code() == Code::kNotFound
                       ? "No job " + job_ref + " of yours is held in " + printer.cups_queue + "."
                       : "Not released: " + released.status().message() + ".");
    return;
  }
  Status resumed = resume_cups_job(released->cups_job_id.value_or(0), released->owner);
  if (!resumed.is_ok()) {
    // cupsd did not take it: the job goes back to held (a failed withdraw is logged, the
    // delivery stays released and an admin sees it in `pullprint deliveries`).
    if (Status withdrawn = site.deliveries().withdraw(job_ref); !withdrawn.is_ok())
      papplLogClient(client, PAPPL_LOGLEVEL_ERROR, "CUPS job %s not withdrawn: %s", job_ref.c_str(),
                     withdrawn.to_string().c_str());
    add_cups_group(response, job_ref, released->title, "held",
                   "Not released: " + resumed.message() + ".");
    return;
  }
  if (released->owner != who.user)
    papplLogClient(client, PAPPL_LOGLEVEL_INFO, "Operator %s released CUPS job %s of %s to %s.",
                   who.user.c_str(), job_ref.c_str(), released->owner.c_str(),
                   printer.name.c_str());
  // A split job's delivery carries 0: its payers' price is the split's.
  const std::int64_t price =
      cups_split_price(site.splits(), JobRef::from_stored(job_ref)).value_or(released->amount);
  add_cups_group(
      response, job_ref, released->title, "releasing",
      "Released in CUPS queue " + printer.cups_queue + ": " + format_money(price, currency));
}

// The jobs to release: those asked for, or all of the user's held jobs.
Result<std::vector<std::int64_t>> jobs_to_release(Site& site, const ReleaseRequest& request,
                                                  const ClientIdentity& who) {
  std::vector<std::int64_t> ids(request.job_ids.begin(), request.job_ids.end());
  if (!ids.empty() || !request.job_refs.empty()) return ids;
  Result<std::vector<HeldJob>> jobs = releasable_jobs(site, who.user);
  if (!jobs) return jobs.status();
  for (const HeldJob& job : *jobs) ids.push_back(job.id);
  return ids;
}

}  // namespace

std::string site_currency(const Config& config) {
  Result<PriceProfile> profile = price_profile_from_config(config, "default");
  return profile ? profile->currency : "";
}

Result<PrinterCheck> check_printer_for_release(pappl_client_t* client,
                                               const ReleasePrinter& printer,
                                               const std::string& user) {
  Result<PrinterCheck> check = check_release_printer(printer);
  if (!check)
    papplLogClient(client, PAPPL_LOGLEVEL_INFO, "Release by %s to %s refused: %s", user.c_str(),
                   printer.name.c_str(), check.status().message().c_str());
  return check;
}

std::vector<ReleaseOutcome> release_jobs(pappl_client_t* client, Server& server, Site& site,
                                         const ReleasePrinter& printer,
                                         const std::vector<std::int64_t>& ids,
                                         const Releaser& releaser, const PrinterCheck& check) {
  std::vector<ReleaseOutcome> outcomes;
  for (std::int64_t id : ids) {
    ReleaseOutcome outcome;
    outcome.id = id;
    Result<std::vector<ClaimedRelease>> claims =
        claim_release(site, server.config, printer, id, releaser);
    if (!claims) {
      outcome.message = claim_refusal(claims.status(), static_cast<int>(id));
      outcomes.push_back(std::move(outcome));
      continue;
    }
    std::string refused;
    for (const std::string& why : give_back_unsupported(site, printer, check.state, *claims))
      refused += (refused.empty() ? "" : "; ") + why;
    if (claims->empty()) {
      outcome.message = "Not released: " + refused + ".";
      outcomes.push_back(std::move(outcome));
      continue;
    }
    const ClaimedRelease& first = claims->front();
    if (first.job.owner != releaser.user && releaser.may_release_others && !first.part)
      papplLogClient(client, PAPPL_LOGLEVEL_INFO, "Operator %s released job %lld of %s to %s.",
                     releaser.user.c_str(), static_cast<long long>(id), first.job.owner.c_str(),
                     printer.name.c_str());
    outcome.title = first.job.title;
    outcome.sent = true;
    outcome.price = Price{0, first.currency};
    std::string parts;
    for (const ClaimedRelease& claim : *claims) {
      outcome.price->minor += claim.price_minor;
      if (claim.part)
        parts += (parts.empty() ? "" : ", ") + claim.part->payer + "'s part (" +
                 claim.part->description + ")";
    }
    outcome.message = "Sending " + (parts.empty() ? std::string() : parts + " ") + "to " +
                      printer.name + ": " + format_money(outcome.price->minor, first.currency) +
                      (first.grey ? " (" + first.grey_note + ")" : "") +
                      (refused.empty() ? "" : "; not released: " + refused);
    outcome.hint = first.hint;
    for (ClaimedRelease& claim : *claims) server.workers->enqueue(std::move(claim), check.at);
    outcomes.push_back(std::move(outcome));
  }
  return outcomes;
}

void release_held_jobs(pappl_client_t* client, Server& server, const ClientIdentity& who) {
  IppResult<ReleaseRequest> parsed = parse_release_request(papplClientGetRequest(client));
  if (!parsed) return (void)respond_error(client, parsed.error());
  const ReleaseRequest& request = *parsed;
  Result<ReleasePrinter> printer = find_release_printer(server.config, request.printer);
  if (!printer && printer.status().code() == Code::kNotFound)
    return (void)respond_error(
        client, {IPP_STATUS_ERROR_NOT_FOUND, "No release printer " + request.printer + "."});
  if (!printer) return (void)respond_internal(client, printer.status());
  // Before anything is claimed: a printer that cannot print now keeps every job held.
  Result<PrinterCheck> check = check_printer_for_release(client, *printer, who.user);
  if (!check) return (void)respond_error(client, ipp_error(check.status()));
  Result<Site> site = open_operation_site(server);
  if (!site) return (void)respond_internal(client, site.status());
  Result<std::vector<std::int64_t>> ids = jobs_to_release(*site, request, who);
  if (!ids) return (void)respond_internal(client, ids.status());
  Result<std::vector<std::string>> refs =
      cups_jobs_to_release(site->deliveries(), request, *printer, who);
  if (!refs) return (void)respond_internal(client, refs.status());

  papplClientRespondIPP(client, IPP_STATUS_OK,
                        ids->empty() && refs->empty() ? "You have no held jobs." : nullptr);
  ipp_t* response = papplClientGetResponse(client);
  const std::string currency = site_currency(server.config);
  for (const std::string& job_ref : *refs)
    release_cups_door_job(client, response, *site, server.config, *printer, job_ref, who, currency);
  for (const ReleaseOutcome& outcome : release_jobs(client, server, *site, *printer, *ids,
                                                    Releaser{who.user, who.operator_}, *check))
    add_release_group(response, outcome.id, outcome.title, outcome.sent ? "releasing" : "held",
                      outcome.message, outcome.price, outcome.hint);
}

}  // namespace pp::server
