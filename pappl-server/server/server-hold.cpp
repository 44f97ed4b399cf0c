// server-hold.cpp: every document the queue receives goes into pullprint's held-job store.
//
// The driver does not print: print_file_callback (PDF), the JPEG and PostScript filters and the
// end of a raster job (server-raster.cpp) hand the document to lib/holding's hold_job, which
// analyses it in a child process (PostScript as the PDF Ghostscript makes of it), prices it,
// reserves the price on the payer and stores it as held. The PAPPL job
// then COMPLETES with a message saying what it costs and that it waits for release; a refused job
// is ABORTED with the reason. Why held jobs do not stay inside PAPPL: see README.md.
//
// What the owner sees through IPP (Get-Job-Attributes / Get-Jobs): job-state-message carries the
// price ("Waiting for release: 4 pages (1 colour), EUR 1.60") and job-impressions the counted
// impressions. PWG 5100.16's job-charge-info cannot be set: PAPPL 1.3.1 has no call that adds an
// attribute to a job (job->attrs is private; papplJobSetImpressions / SetMessage / SetReasons are
// the only setters), so the message is the human-readable charge info. Refusals name the
// PWG 5100.16 account reason in the message ("... (account-limit-reached)") because
// papplJobSetReasons accepts only PAPPL's fixed job-state-reasons bits, which have no account
// reasons.
#include <cups/cups.h>

#include <cstdio>

#include "charging/payer.h"
#include "holding/holding.h"
#include "server/server-notify.h"
#include "server/server-splits.h"
#include "server/server.h"
#include "splits/split-request.h"

namespace pp::server {
namespace {

// The text form of a job attribute ("1-3,5" for page-ranges), copied at once: PAPPL returns the
// pointer after releasing the job's lock.
std::optional<std::string> attribute_text(pappl_job_t* job, const char* name) {
  ipp_attribute_t* attr = papplJobGetAttribute(job, name);
  if (!attr) return std::nullopt;
  char buffer[1024];
  ippAttributeString(attr, buffer, sizeof(buffer));
  return std::string(buffer);
}

// A job attribute's first string value, copied at once (ippAttributeString would escape it).
std::optional<std::string> attribute_string(pappl_job_t* job, const char* name) {
  ipp_attribute_t* attr = papplJobGetAttribute(job, name);
  const char* value = attr ? ippGetString(attr, 0, nullptr) : nullptr;
  if (!value) return std::nullopt;
  return std::string(value);
}

// The job's name; one created without a name (PAPPL's "Untitled": Create-Job without job-name)
// takes the name of its document, when Send-Document supplied one (server-job-name.cpp).
std::string job_title(pappl_job_t* job) {
  const char* name = papplJobGetName(job);
  std::string title = name ? name : "";
  if (title.empty() || title == kUntitled)
    if (std::optional<std::string> document = attribute_string(job, kDocumentNameAttribute))
      return *document;
  return title;
}

// The PWG media name of a media-col (media-size-name, else the size's dimensions).
std::optional<std::string> media_col_name(pappl_job_t* job) {
  ipp_attribute_t* attr = papplJobGetAttribute(job, "media-col");
  ipp_t* col = attr ? ippGetCollection(attr, 0) : nullptr;
  if (!col) return std::nullopt;
  if (ipp_attribute_t* name = ippFindAttribute(col, "media-size-name", IPP_TAG_ZERO))
    return std::string(ippGetString(name, 0, nullptr));
  ipp_attribute_t* size = ippFindAttribute(col, "media-size", IPP_TAG_BEGIN_COLLECTION);
  ipp_t* dims = size ? ippGetCollection(size, 0) : nullptr;
  if (!dims) return std::nullopt;
  ipp_attribute_t* x = ippFindAttribute(dims, "x-dimension", IPP_TAG_INTEGER);
  ipp_attribute_t* y = ippFindAttribute(dims, "y-dimension", IPP_TAG_INTEGER);
  if (!x || !y) return std::nullopt;
  pwg_media_t* pwg = pwgMediaForSize(ippGetInteger(x, 0), ippGetInteger(y, 0));
  if (!pwg) return std::nullopt;
  return std::string(pwg->pwg);
}

// The job options that change the price, as the pricing engine names them.
std::map<std::string, std::string> job_options(pappl_job_t* job) {
  std::map<std::string, std::string> options;
  for (const char* name : {"copies", "sides", "number-up", "page-ranges", "print-color-mode"}) {
    if (std::optional<std::string> value = attribute_text(job, name)) options[name] = *value;
  }
  if (std::optional<std::string> media = attribute_text(job, "media"))
    options["media"] = *media;
  else if (std::optional<std::string> col_media = media_col_name(job))
    options["media"] = *col_media;
  return options;
}

// Everything hold_job needs to know about the PAPPL job.
HoldRequest hold_request(const Server& server, pappl_job_t* job, const std::string& path) {
  HoldRequest request;
  request.document_path = path;
  const char* user = papplJobGetUsername(job);
  request.owner = user ? user : "";
  request.account_id = attribute_text(job, "job-account-id");
  request.options = job_options(job);
  request.title = job_title(job);
  request.origin = "ipp/" + server.settings.queue + "/" + std::to_string(papplJobGetID(job));
  request.uuid = attribute_text(job, "job-uuid").value_or("");
  return request;
}

// How a refusal is told to the client: the closest job-state-reasons bit PAPPL has and, for the
// account refusals of PWG 5100.16, the registered reason keyword to name in the message.
struct Refusal {
  pappl_jreason_t reasons = PAPPL_JREASON_ABORTED_BY_SYSTEM;
  const char* account_reason = nullptr;  // "account-limit-reached", ... or none
};

// Maps hold_job's status to the refusal reasons (PWG 5100.16 section 5.3 account reasons).
Refusal refusal_for(const Status& status) {
  switch (status.code()) {
    case Code::kInsufficientFunds:
      return {PAPPL_JREASON_ABORTED_BY_SYSTEM, "account-limit-reached"};
    case Code::kPermissionDenied:
      // The ledger refuses a disabled account; the payer choice refuses a foreign account.
      if (status.message().find("disabled") != std::string::npos)
        return {PAPPL_JREASON_ABORTED_BY_SYSTEM, "account-closed"};
      return {PAPPL_JREASON_ABORTED_BY_SYSTEM, "account-authorization-failed"};
    case Code::kNotFound:  // job-account-id names no account
      return {PAPPL_JREASON_ABORTED_BY_SYSTEM, "account-authorization-failed"};
    case Code::kMalformedDocument:
    case Code::kUnsupportedFormat:
      return {PAPPL_JREASON_DOCUMENT_FORMAT_ERROR, nullptr};
    case Code::kLimitExceeded:
      return {PAPPL_JREASON_DOCUMENT_UNPRINTABLE_ERROR, nullptr};
    default:
      return {PAPPL_JREASON_ABORTED_BY_SYSTEM, nullptr};
  }
}

// Aborts the PAPPL job's processing with a message that says why (and the PWG account reason).
void refuse(pappl_job_t* job, const Status& status) {
  const Refusal refusal = refusal_for(status);
  papplLogJob(job, PAPPL_LOGLEVEL_INFO, "Refused: %s", status.to_string().c_str());
  papplJobSetReasons(job, refusal.reasons, PAPPL_JREASON_NONE);
  if (refusal.account_reason)
    papplJobSetMessage(job, "Refused: %s (%s)", status.message().c_str(), refusal.account_reason);
  else
    papplJobSetMessage(job, "Refused: %s", status.message().c_str());
}

}  // namespace

Status open_holding(Server& server) {
  Result<Site> jobs = Site::open(server.config, kServerSiteStores);
  if (!jobs) return jobs.status();
  Result<Site> timers = Site::open(server.config, kServerSiteStores);
  if (!timers) return timers.status();
  server.jobs.emplace(std::move(*jobs));
  server.timers.emplace(std::move(*timers));
  // Finish what a crash may have left half done (cancelled/expired jobs, orphaned spool files).
  Result<int> reconciled = reconcile_held_jobs(*server.jobs);
  if (!reconciled) return reconciled.status();
  if (*reconciled > 0)
    std::fprintf(stderr, "pullprintd: finished %d interrupted held job(s)\n", *reconciled);
  return Status::ok();
}

bool hold_document(Server& server, pappl_job_t* job, const std::string& path) {
  const HoldRequest request = hold_request(server, job, path);
  if (request.owner.empty()) {
    papplJobSetReasons(job, PAPPL_JREASON_ABORTED_BY_SYSTEM, PAPPL_JREASON_NONE);
    papplJobSetMessage(
        job, "Refused: the job has no owner (requesting-user-name) (account-info-needed)");
    return false;
  }
  // A split asked for at submission (job attribute pullprint-split: PAPPL keeps every job
  // attribute a client sends; several values are joined with ','): made once the job is held;
  // a split that cannot be made refuses the job and leaves nothing behind (lib's rule).
  const std::optional<std::string> split = attribute_text(job, kSplitAttribute);
  Result<HeldJob> held = [&] {
    std::lock_guard lock(server.hold_mutex);
    Result<HeldJob> kept = hold_job(*server.jobs, server.config, request);
    if (!kept || !split) return kept;
    Status made = split_at_submission_locked(server, *server.jobs, *kept, *split);
    return made.is_ok() ? kept : Result<HeldJob>(made);
  }();
  if (!held) {
    refuse(job, held.status());
    return false;
  }
  notify_after_hold(server, *server.jobs, *held);  // low balance after the reservation
  const std::string message =
      held_job_message(*held) + (split ? " (split: waiting for approvals)" : "");
  papplLogJob(job, PAPPL_LOGLEVEL_INFO, "Held as pullprint job %lld for %s: %s",
              static_cast<long long>(held->id), request.owner.c_str(), message.c_str());
  papplJobSetMessage(job, "%s", message.c_str());
  // job-impressions: what the owner will be charged for (PAPPL reports it in Get-Job-Attributes).
  papplJobSetImpressions(job, static_cast<int>(held->impressions));
  return true;
}

bool print_file_callback(pappl_job_t* job, pappl_pr_options_t* /*options*/,
                         pappl_device_t* /*device*/) {
  const char* path = papplJobGetFilename(job);
  if (!path) {
    papplJobSetMessage(job, "Refused: the job has no document");
    return false;
  }
  return hold_document(current_server(), job, path);
}

bool hold_filter_callback(pappl_job_t* job, pappl_device_t* /*device*/, void* data) {
  const char* path = papplJobGetFilename(job);
  if (!path) {
    papplJobSetMessage(job, "Refused: the job has no document");
    return false;
  }
  papplJobSetImpressions(job, 1);
  return hold_document(*static_cast<Server*>(data), job, path);
}

}  // namespace pp::server
