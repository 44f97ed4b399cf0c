// server-ops.cpp: pullprintd's vendor IPP operations on pullprint's held-job store.
//
//   PullPrint-Get-Held-Jobs (0x4B00)    the requesting user's held jobs (everybody's for admins
//                                       with my-jobs=false), with pages, prices and expiry;
//                                       printer-name adds each job's price on that printer,
//                                       pullprint-job-id (1setOf) asks for those jobs in any
//                                       state (operators: also others' jobs they released)
//   PullPrint-Release-Held-Jobs (0x4B02) see server-release.cpp
//   PullPrint-Cancel-Held-Job (0x4B01)  cancels one held job (pullprint-job-id): voids its
//                                       reservation and deletes its document
//   PullPrint-Split-Job .. PullPrint-Decline-Share (0x4B03..0x4B06)  see server-splits.cpp
//   PullPrint-Get-Account (0x4B07)      see server-accounts.cpp
//   PullPrint-Start-Card-Registration (0x4B09)  see server-card-register.cpp
//
// Held jobs are not PAPPL jobs (the IPP job completes at once, see README.md), so PAPPL's own
// Get-Jobs / Cancel-Job cannot show or cancel them. PAPPL hands these operations to the operation
// callback WITHOUT any authorization, so the identity is decided here, by the same rules as the
// auth callback (identify_client). Requests come from the network: every attribute we read is
// checked for its group, syntax, count and range, and answers are bounded (kMaxHeldJobs).
//
// Threads: PAPPL runs one thread per connection, so several operations may run at once. Each
// operation opens its own site (its own connections: SQLite WAL, busy timeout) instead of
// sharing the job threads' site, whose mutex is held during document analyses.
#include "server/server-ops.h"

#include <cups/cups.h>

#include <climits>
#include <ctime>
#include <limits>
#include <optional>
#include <string>
#include <variant>

#include "charging/payer.h"
#include "holding/holding.h"
#include "pricing/pricing.h"
#include "printers/printers.h"
#include "pullprint-ipp.h"
#include "release/release.h"
#include "server/server-accounts.h"
#include "server/server-card-register.h"
#include "server/server-prepaid.h"
#include "server/server-release.h"
#include "server/server-request.h"
#include "server/server-splits.h"
#include "server/server.h"
#include "split-jobs/split-cups.h"
#include "split-jobs/split-jobs.h"
#include "util/utc-time.h"

namespace pp::server {
namespace {

// What PullPrint-Get-Held-Jobs asks for.
struct ListRequest {
  bool all_users = false;   // my-jobs = false (admins only)
  bool all_states = false;  // which-jobs = all (else held jobs only)
  int limit = ipp::kMaxHeldJobs;
  std::optional<std::string> printer;  // printer-name: also price held jobs on this printer
  std::vector<int> job_ids;            // pullprint-job-id: just these jobs (any state)
};

// which-jobs: "held" (default) or "all"; whether all states are asked for.
IppResult<bool> read_which_jobs(ipp_t* request) {
  auto attr = operation_attribute(request, "which-jobs", IPP_TAG_KEYWORD);
  if (!attr) return attr.error();
  if (!*attr) return false;
  const char* keyword = ippGetString(**attr, 0, nullptr);
  const std::string which = keyword ? keyword : "";
  if (which != "held" && which != "all")
    return IppError{IPP_STATUS_ERROR_ATTRIBUTES_OR_VALUES, "Bad which-jobs: expected held or all."};
  return which == "all";
}

IppResult<ListRequest> parse_list_request(ipp_t* request) {
  ListRequest list;
  IppResult<std::optional<bool>> my_jobs = read_boolean(request, "my-jobs");
  if (!my_jobs) return my_jobs.error();
  IppResult<bool> all_states = read_which_jobs(request);
  if (!all_states) return all_states.error();
  IppResult<std::optional<int>> limit = read_integer(request, "limit", 1, ipp::kMaxHeldJobs);
  if (!limit) return limit.error();
  IppResult<std::optional<std::string>> printer = read_name(request, "printer-name", 127);
  if (!printer) return printer.error();
  IppResult<std::vector<int>> job_ids =
      read_integers(request, ipp::kHeldJobIdAttr, 1, INT_MAX, ipp::kMaxReleaseJobs);
  if (!job_ids) return job_ids.error();
  list.all_users = !my_jobs->value_or(true);
  list.all_states = *all_states;
  if (*limit) list.limit = **limit;
  list.printer = std::move(*printer);
  list.job_ids = std::move(*job_ids);
  return list;
}

// ISO 8601 UTC ("2026-01-31T12:00:00Z", the store's form) to time_t; 0 when malformed.
time_t time_of_iso_utc(const std::string& text) {
  return std::chrono::system_clock::to_time_t(
      parse_iso_utc(text).value_or(std::chrono::system_clock::from_time_t(0)));
}

// IPP's job-state for a held job's state, for clients that know only the standard values.
ipp_jstate_t ipp_job_state(HeldJobState state) {
  switch (state) {
    case HeldJobState::kHeld:
      return IPP_JSTATE_HELD;
    case HeldJobState::kReleasing:
      return IPP_JSTATE_PROCESSING;
    case HeldJobState::kPrinted:
      return IPP_JSTATE_COMPLETED;
    case HeldJobState::kCancelled:
      return IPP_JSTATE_CANCELED;
    case HeldJobState::kExpired:
    case HeldJobState::kFailed:
      return IPP_JSTATE_ABORTED;
  }
  return IPP_JSTATE_ABORTED;
}

// One job group of the Get-Held-Jobs response; split_note: the split's progress ("split: 1 of
// 2 approved, 1 pending") or "".
void add_job_group(ipp_t* response, const HeldJob& job, const std::string& split_note) {
  ippAddSeparator(response);
  const ipp_tag_t group = IPP_TAG_JOB;
  ippAddInteger(response, group, IPP_TAG_INTEGER, "job-id", ipp_int(job.id));
  ippAddString(response, group, IPP_TAG_URI, "job-uuid", nullptr, job.uuid.c_str());
  ippAddString(response, group, IPP_TAG_NAME, "job-name", nullptr, job.title.c_str());
  ippAddString(response, group, IPP_TAG_NAME, "job-originating-user-name", nullptr,
               job.owner.c_str());
  ippAddString(response, group, IPP_TAG_NAME, "pullprint-payer", nullptr, job.payer.c_str());
  ippAddInteger(response, group, IPP_TAG_ENUM, "job-state", ipp_job_state(job.state));
  ippAddString(response, group, IPP_TAG_KEYWORD, "pullprint-job-state", nullptr,
               std::string(held_job_state_name(job.state)).c_str());
  const std::string message = split_note.empty()
                                  ? held_job_state_message(job)
                                  : held_job_state_message(job) + " (" + split_note + ")";
  ippAddString(response, group, IPP_TAG_TEXT, "job-state-message", nullptr, message.c_str());
  if (!split_note.empty())
    ippAddString(response, group, IPP_TAG_TEXT, "pullprint-split-progress", nullptr,
                 split_note.c_str());
  ippAddInteger(response, group, IPP_TAG_INTEGER, "job-pages", job.pages);
  ippAddInteger(response, group, IPP_TAG_INTEGER, "pullprint-color-pages", job.color_pages);
  ippAddInteger(response, group, IPP_TAG_INTEGER, "job-impressions", ipp_int(job.impressions));
  ippAddInteger(response, group, IPP_TAG_INTEGER, "pullprint-price", ipp_int(job.price_minor));
  ippAddString(response, group, IPP_TAG_KEYWORD, "pullprint-currency", nullptr,
               job.currency.c_str());
  const std::int64_t charged = job.final_price_minor.value_or(job.price_minor);
  ippAddString(response, group, IPP_TAG_TEXT, "job-charge-info", nullptr,
               format_money(charged, job.currency).c_str());
  if (job.final_price_minor)
    ippAddInteger(response, group, IPP_TAG_INTEGER, "pullprint-final-price",
                  ipp_int(*job.final_price_minor));
  if (!job.printer.empty())
    ippAddString(response, group, IPP_TAG_NAME, "pullprint-printer", nullptr, job.printer.c_str());
  ippAddString(response, group, IPP_TAG_MIMETYPE, "document-format", nullptr, job.format.c_str());
  ippAddDate(response, group, "date-time-at-creation",
             ippTimeToDate(time_of_iso_utc(job.created_at)));
  ippAddDate(response, group, "pullprint-date-time-at-expiry",
             ippTimeToDate(time_of_iso_utc(job.expires_at)));
}

// The job's price on the printer a terminal stands at, and a hint when another is cheaper.
void add_printer_price(ipp_t* response, const Server& server, const HeldJob& job,
                       const ReleasePrinter& printer) {
  Result<Price> price = price_on_printer(job, printer, server.config);
  if (!price) return;
  ippAddInteger(response, IPP_TAG_JOB, IPP_TAG_INTEGER, "pullprint-printer-price",
                ipp_int(price->minor));
  const std::string hint = cheaper_printer_hint(job, printer, server.config);
  if (!hint.empty())
    ippAddString(response, IPP_TAG_JOB, IPP_TAG_TEXT, "pullprint-hint", nullptr, hint.c_str());
}

// The user's own account (when it exists) as operation attributes: what `pullprint status`
// shows as the balance.
void add_balance(ipp_t* response, const Server& server, Ledger& ledger, const std::string& user) {
  Result<Account> account = ledger.get_account(user);
  Result<PriceProfile> profile = price_profile_from_config(server.config, "default");
  if (!account || !profile) return;
  ippAddInteger(response, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "pullprint-balance",
                ipp_int(account->balance));
  ippAddInteger(response, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "pullprint-available",
                ipp_int(account->available()));
  ippAddString(response, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "pullprint-currency", nullptr,
               profile->currency.c_str());
}

// The jobs the pullprint backend holds in a cups-queue printer's CUPS queue (printed straight to
// that queue, priced by the filter): listed at the printer's terminal with their reserved price.
void add_cups_door_jobs(ipp_t* response, const Server& server, Site& site,
                        const ReleasePrinter& printer, std::string_view owner) {
  Result<std::vector<Delivery>> held = held_cups_jobs(site.deliveries(), owner, printer.cups_queue);
  if (!held) return;
  const std::string currency = site_currency(server.config);
  for (const Delivery& job : *held) {
    Result<Reservation> reservation = site.ledger().get_reservation(job.reservation_id);
    if (!reservation) continue;
    // A split job (lib/split-jobs/split-cups.h): its payers' price and how far the split is.
    const JobRef job_ref = JobRef::from_stored(job.job_ref);
    const std::int64_t price =
        cups_split_price(site.splits(), job_ref).value_or(reservation->amount);
    std::string message = "Held in CUPS queue " + job.cups_queue;
    if (std::string split = cups_split_progress(site.splits(), job_ref); !split.empty())
      message += " (" + split + ")";
    ippAddSeparator(response);
    const ipp_tag_t group = IPP_TAG_JOB;
    ippAddInteger(response, group, IPP_TAG_INTEGER, "job-id", ipp_int(job.cups_job_id.value_or(0)));
    ippAddString(response, group, IPP_TAG_NAME, ipp::kJobRefAttr, nullptr, job.job_ref.c_str());
    ippAddString(response, group, IPP_TAG_NAME, "job-name", nullptr, job.title.c_str());
    ippAddString(response, group, IPP_TAG_NAME, "job-originating-user-name", nullptr,
                 job.owner.c_str());
    ippAddString(response, group, IPP_TAG_KEYWORD, "pullprint-job-state", nullptr, "held");
    ippAddString(response, group, IPP_TAG_TEXT, "job-state-message", nullptr, message.c_str());
    ippAddInteger(response, group, IPP_TAG_INTEGER, "pullprint-price", ipp_int(price));
    ippAddInteger(response, group, IPP_TAG_INTEGER, "pullprint-printer-price", ipp_int(price));
    ippAddString(response, group, IPP_TAG_KEYWORD, "pullprint-currency", nullptr, currency.c_str());
  }
}

// The jobs named by pullprint-job-id that `who` may see, in any state: their own, split jobs of
// which they pay a part (and follow the part they released), and for admins and operators (who
// follow the jobs they released for others) anybody's. Others are left out.
Result<std::vector<HeldJob>> named_jobs(JobStore& store, SplitStore& splits,
                                        const std::vector<int>& ids, const ClientIdentity& who) {
  std::vector<HeldJob> jobs;
  for (int id : ids) {
    Result<HeldJob> job = store.get(id);
    if (!job && job.status().code() != Code::kNotFound) return job.status();
    if (job && may_see_held_job(splits, *job, who.user, who.admin || who.operator_))
      jobs.push_back(*job);
  }
  return jobs;
}

// The user's held jobs, then others' held jobs in which the user has a part to release.
Result<std::vector<HeldJob>> own_and_part_jobs(Site& site, const ListRequest& list,
                                               const ClientIdentity& who) {
  std::optional<HeldJobState> state;
  if (!list.all_states) state = HeldJobState::kHeld;
  Result<std::vector<HeldJob>> jobs =
      site.jobs().list(list.all_users ? std::string_view() : who.user, state);
  if (!jobs || list.all_users) return jobs;
  Result<std::vector<HeldJob>> parts = jobs_with_parts_of(site, who.user);
  if (!parts) return parts.status();
  jobs->insert(jobs->end(), parts->begin(), parts->end());
  return jobs;
}

void get_held_jobs(pappl_client_t* client, const Server& server, const ClientIdentity& who) {
  IppResult<ListRequest> parsed = parse_list_request(papplClientGetRequest(client));
  if (!parsed) return (void)respond_error(client, parsed.error());
  const ListRequest& list = *parsed;
  if (list.all_users && !who.admin)
    return (void)respond_error(
        client, {IPP_STATUS_ERROR_NOT_AUTHORIZED, "Only admins may list everybody's held jobs."});
  Result<Site> site = open_operation_site(server);
  if (!site) return (void)respond_internal(client, site.status());
  Result<std::vector<HeldJob>> jobs =
      list.job_ids.empty() ? own_and_part_jobs(*site, list, who)
                           : named_jobs(site->jobs(), site->splits(), list.job_ids, who);
  if (!jobs) return (void)respond_internal(client, jobs.status());
  papplClientRespondIPP(client, IPP_STATUS_OK, nullptr);
  ipp_t* response = papplClientGetResponse(client);
  add_balance(response, server, site->ledger(), who.user);
  std::optional<ReleasePrinter> printer;
  if (list.printer) {
    Result<ReleasePrinter> found = find_release_printer(server.config, *list.printer);
    if (found) printer = *found;
  }
  SplitStore& splits = site->splits();
  int count = 0;
  for (const HeldJob& job : *jobs) {
    if (count++ == list.limit) break;
    // A payer of someone else's split job sees their own part, not the others'.
    if (job.owner != who.user && !who.admin && !who.operator_) {
      add_job_group(response, payer_view(splits, job, who.user), "");
    } else {
      add_job_group(response, job, split_progress_message(splits, job));
    }
    // A split job costs its payers the split's price on any printer.
    const std::optional<std::int64_t> shared = split_price(splits, job, who.user);
    if (printer && job.state == HeldJobState::kHeld && shared)
      ippAddInteger(response, IPP_TAG_JOB, IPP_TAG_INTEGER, "pullprint-printer-price",
                    ipp_int(*shared));
    else if (printer && job.state == HeldJobState::kHeld)
      add_printer_price(response, server, job, *printer);
  }
  if (printer && !printer->cups_queue.empty() && list.job_ids.empty())
    add_cups_door_jobs(response, server, *site, *printer,
                       list.all_users ? std::string_view() : who.user);
}

// What a refused cancel tells the user: a non-admin learns nothing about others' jobs (a job that
// is not theirs and one that does not exist get the same answer).
Status cancel_refusal(const Status& status, std::int64_t id, const ClientIdentity& who) {
  const std::string job = "job " + std::to_string(id);
  switch (status.code()) {
    case Code::kNotFound:
      if (who.admin) return Status(Code::kNotFound, "No held " + job + ".");
      [[fallthrough]];
    case Code::kPermissionDenied:
      return Status(Code::kPermissionDenied, job + " is not a held job of " + who.user + ".");
    case Code::kConflict:
      return Status(Code::kConflict, status.message() + ".");
    default:
      return Status(Code::kInternal, status.message());
  }
}

void cancel_held(pappl_client_t* client, const Server& server, const ClientIdentity& who) {
  IppResult<int> id = read_held_job_id(papplClientGetRequest(client));
  if (!id) return (void)respond_error(client, id.error());
  Result<Site> site = open_operation_site(server);
  if (!site) return (void)respond_internal(client, site.status());
  // A split job's approved shares are given back at once (else the split timer does it).
  Status cancelled =
      cancel_job_and_split(*site, *id, who.user, who.admin, std::chrono::system_clock::now());
  if (!cancelled.is_ok()) {
    papplLogClient(client, PAPPL_LOGLEVEL_INFO, "Cancel of held job %d by %s refused: %s", *id,
                   who.user.c_str(), cancelled.to_string().c_str());
    return (void)respond_error(client, ipp_error(cancel_refusal(cancelled, *id, who)));
  }
  papplLogClient(client, PAPPL_LOGLEVEL_INFO, "Held job %d cancelled by %s.", *id,
                 who.user.c_str());
  papplClientRespondIPP(client, IPP_STATUS_OK, "Cancelled job %d; its reservation is voided.", *id);
}

}  // namespace

bool operation_callback(pappl_client_t* client, void* data) {
  const ipp_op_t op = papplClientGetOperation(client);
  if (op != ipp::kGetHeldJobs && op != ipp::kCancelHeldJob && op != ipp::kReleaseHeldJobs &&
      op != ipp::kGetAccount && op != ipp::kActivateCard && op != ipp::kStartCardRegistration &&
      !is_split_operation(op))
    return false;
  Server& server = *static_cast<Server*>(data);
  // As PAPPL does before calling the auth callback: no credentials over plain remote HTTP.
  http_t* http = papplClientGetHTTP(client);
  if (!httpIsEncrypted(http) && !httpAddrLocalhost(httpGetAddress(http)))
    return respond_http(client, HTTP_STATUS_UPGRADE_REQUIRED);
  auto identity = identify_client(client, server);
  if (auto* status = std::get_if<http_status_t>(&identity)) return respond_http(client, *status);
  const ClientIdentity& who = std::get<ClientIdentity>(identity);
  papplClientSetUsername(client, who.user.c_str());
  if (op == ipp::kGetHeldJobs)
    get_held_jobs(client, server, who);
  else if (op == ipp::kCancelHeldJob)
    cancel_held(client, server, who);
  else if (is_split_operation(op))
    split_operation(client, server, who);
  else if (op == ipp::kGetAccount)
    get_account(client, server, who);
  else if (op == ipp::kActivateCard)
    activate_card(client, server, who);
  else if (op == ipp::kStartCardRegistration)
    start_card_registration(client, server, who);
  else
    release_held_jobs(client, server, who);
  return true;
}

}  // namespace pp::server
