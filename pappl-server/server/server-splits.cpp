// server-splits.cpp: split jobs in pullprintd (issue 5; the rules are in
// lib/split-jobs/split-jobs.h and lib/splits).
//
//   PullPrint-Split-Job (0x4B03)      the owner splits one of their held jobs:
//                                     pullprint-job-id + pullprint-split (the request syntax of
//                                     lib/splits/split-request.h)
//   PullPrint-Get-Approvals (0x4B04)  the requesting user's own pending shares: one job group
//                                     each with pullprint-job-id, job-name, the owner who asks
//                                     (job-originating-user-name), pullprint-share-id,
//                                     pullprint-amount + pullprint-currency, pullprint-share
//                                     (what they get), pullprint-deadline and the whole request
//                                     as job-state-message
//   PullPrint-Approve-Share (0x4B05)  the requesting user approves / declines their share of
//   PullPrint-Decline-Share (0x4B06)  job pullprint-job-id (reserved at once on approval; a
//                                     payer who cannot afford it gets the ledger's words)
//
// A split job printed to a CUPS queue (lib/split-jobs/split-cups.h) has no pullprintd job id:
// Get-Approvals lists its shares with pullprint-job-id 0, and Approve/Decline-Share take
// pullprint-share-id instead of pullprint-job-id.
//
// Nobody acts for somebody else: the payer is always the authenticated user, and a job on which
// the user has no share gets the same answer as a job that does not exist.
#include "server/server-splits.h"

#include <climits>
#include <cstdint>
#include <cstdio>
#include <string>
#include <variant>

#include "charging/payer.h"
#include "holding/holding.h"
#include "pricing/pricing.h"
#include "printers/printers.h"
#include "pullprint-ipp.h"
#include "server/server-notify.h"
#include "server/server-request.h"
#include "split-jobs/split-jobs.h"

namespace pp::server {
namespace {

SplitClock now() {
  return std::chrono::system_clock::now();
}

// What an approval notification is about, for its once: the user and the text (the texts
// name the share or the job and its state, so the same words to the same user are the same
// notification): "alice:9f86d081884c7d65".
std::string approval_subject(const std::string& user, const std::string& text) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;  // FNV-1a, 64 bits
  for (unsigned char c : text) hash = (hash ^ c) * 0x100000001b3ULL;
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
  return user + ":" + hex;
}

// Logs the notification and sends it through the one notification path (lib/notify: recorded
// once, notify-command, retried by the timer when it fails).
void notify(const Server& server, const std::string& user, const std::string& text) {
  papplLog(server.system, PAPPL_LOGLEVEL_INFO, "Notify %s: %s", user.c_str(), text.c_str());
  notify_user(server, NoticeKind::kApproval, approval_subject(user, text), user,
              "pullprint: a print job to share", text);
}

}  // namespace

SplitNotifier split_notifier(const Server& server) {
  return
      [&server](const std::string& user, const std::string& text) { notify(server, user, text); };
}

namespace {

// An IPP answer for a failure of the split rules: ipp_error() with the rules' words.
IppError split_error(const Status& status) {
  return ipp_error(Status(status.code(), status.message() + "."), "The split store failed.");
}

void split_job(pappl_client_t* client, Server& server, const ClientIdentity& who, Site& site) {
  ipp_t* request = papplClientGetRequest(client);
  IppResult<int> id = read_held_job_id(request);
  if (!id) return (void)respond_error(client, id.error());
  IppResult<std::string> text =
      required(read_name(request, ipp::kSplitAttr, kMaxSplitRequestBytes), ipp::kSplitAttr);
  if (!text) return (void)respond_error(client, text.error());
  Result<Split> split = split_held_job(site, server.config, *id, who.user, *text, now());
  if (!split) {
    papplLogClient(client, PAPPL_LOGLEVEL_INFO, "Split of job %d by %s refused: %s", *id,
                   who.user.c_str(), split.status().to_string().c_str());
    return (void)respond_error(client, split_error(split.status()));
  }
  papplLogClient(client, PAPPL_LOGLEVEL_INFO, "Job %d split by %s: %s", *id, who.user.c_str(),
                 split->request.c_str());
  notify_pending_payers(*split, split_notifier(server));
  papplClientRespondIPP(client, IPP_STATUS_OK, "Job %d is split (%s): %s, deadline %s.", *id,
                        split->request.c_str(), split->progress().c_str(), split->deadline.c_str());
}

void get_approvals(pappl_client_t* client, Site& site, const ClientIdentity& who) {
  Result<std::vector<Share>> pending = site.splits().pending_for(who.user, now());
  if (!pending) return (void)respond_internal(client, pending.status());
  papplClientRespondIPP(client, IPP_STATUS_OK, nullptr);
  ipp_t* response = papplClientGetResponse(client);
  int count = 0;
  for (const Share& share : *pending) {
    if (count++ == ipp::kMaxHeldJobs) break;
    // A CUPS-door split job (lib/split-jobs/split-cups.h) has no held job: job id 0, the
    // payer answers by share id.
    std::int64_t job_id = 0;
    if (JobRef::from_stored(share.job_ref).kind() != JobRef::Kind::kCups) {
      const std::string uuid = share.job_ref.substr(share.job_ref.find('/') + 1);
      Result<HeldJob> job = site.jobs().get_by_uuid(uuid);
      if (!job) continue;
      job_id = job->id;
    }
    ippAddSeparator(response);
    const ipp_tag_t group = IPP_TAG_JOB;
    ippAddInteger(response, group, IPP_TAG_INTEGER, ipp::kHeldJobIdAttr, ipp_int(job_id));
    ippAddInteger(response, group, IPP_TAG_INTEGER, ipp::kShareIdAttr, ipp_int(share.id));
    ippAddString(response, group, IPP_TAG_NAME, "job-name", nullptr, share.title.c_str());
    ippAddString(response, group, IPP_TAG_NAME, "job-originating-user-name", nullptr,
                 share.owner.c_str());
    ippAddInteger(response, group, IPP_TAG_INTEGER, "pullprint-amount", ipp_int(share.amount));
    ippAddString(response, group, IPP_TAG_KEYWORD, "pullprint-currency", nullptr,
                 share.currency.c_str());
    ippAddString(response, group, IPP_TAG_TEXT, "pullprint-share", nullptr,
                 share.description.c_str());
    ippAddString(response, group, IPP_TAG_TEXT, "pullprint-deadline", nullptr,
                 share.deadline.c_str());
    ippAddString(response, group, IPP_TAG_TEXT, "job-state-message", nullptr,
                 describe_share(share).c_str());
  }
}

// The user's own (payer, not cover) share of job `id`; kNotFound for anything else.
Result<Share> own_share(Site& site, int id, const std::string& user) {
  const Status none(Code::kNotFound, "no request to " + user + " for job " + std::to_string(id));
  Result<HeldJob> job = site.jobs().get(id);
  if (!job) return job.status().code() == Code::kNotFound ? none : job.status();
  Result<Split> split = site.splits().get_split(JobRef::held(job->uuid).str());
  if (!split) return split.status().code() == Code::kNotFound ? none : split.status();
  for (const Share& share : split->shares)
    if (share.payer == user && !share.is_cover()) return share;
  return none;
}

// The user's own (payer, not cover) share `share_id` of a CUPS-door split job, with the job's
// name for the answers ("CUPS job cups/<uuid>"); kNotFound for anything else.
Result<Share> own_cups_share(Site& site, int share_id, const std::string& user) {
  const Status none(Code::kNotFound, "no share " + std::to_string(share_id) + " of " + user);
  Result<Share> share = site.splits().get_share(share_id);
  if (!share) return share.status().code() == Code::kNotFound ? none : share.status();
  if (share->payer != user || share->is_cover() ||
      JobRef::from_stored(share->job_ref).kind() != JobRef::Kind::kCups)
    return none;
  return share;
}

void decide(pappl_client_t* client, Server& server, const ClientIdentity& who, Site& site,
            bool approve) {
  ipp_t* request = papplClientGetRequest(client);
  // By held job id, or (a CUPS-door split job, which pullprintd does not hold) by share id.
  std::string job_name;
  Result<Share> share = Status(Code::kInternal, "no share named");
  if (ippFindAttribute(request, ipp::kShareIdAttr, IPP_TAG_ZERO)) {
    IppResult<int> share_id =
        required(read_integer(request, ipp::kShareIdAttr, 1, INT_MAX), ipp::kShareIdAttr);
    if (!share_id) return (void)respond_error(client, share_id.error());
    share = own_cups_share(site, *share_id, who.user);
    if (share) job_name = "CUPS job " + share->job_ref;
  } else {
    IppResult<int> id = read_held_job_id(request);
    if (!id) return (void)respond_error(client, id.error());
    share = own_share(site, *id, who.user);
    job_name = "job " + std::to_string(*id);
  }
  if (!share) return (void)respond_error(client, split_error(share.status()));
  const char* verb = approve ? "approve" : "decline";
  if (approve) {
    Result<Share> approved = site.splits().approve(share->id, who.user, now());
    if (!approved) {
      papplLogClient(client, PAPPL_LOGLEVEL_INFO, "%s may not %s share %lld: %s", who.user.c_str(),
                     verb, static_cast<long long>(share->id),
                     approved.status().to_string().c_str());
      return (void)respond_error(client, split_error(approved.status()));
    }
  } else {
    // The ratio cancel rule (the job goes too: a CUPS-door job cancelled in cupsd) is
    // decline_share's.
    Result<Split> after = decline_share(site, share->id, who.user, now(), cancel_cups_job);
    if (!after) return (void)respond_error(client, split_error(after.status()));
  }
  Result<Split> split = site.splits().get_split(share->job_ref);
  const std::string progress =
      split ? (split->state == SplitState::kCancelled ? std::string("split cancelled")
                                                      : split->progress())
            : std::string();
  papplLogClient(client, PAPPL_LOGLEVEL_INFO, "%s %sd share %lld of %s (%s).", who.user.c_str(),
                 verb, static_cast<long long>(share->id), job_name.c_str(), progress.c_str());
  notify(server, share->owner,
         who.user + " " + verb + "d their share (" + format_money(share->amount, share->currency) +
             ") of \"" + share->title + "\" (" + job_name + "): " + progress);
  papplClientRespondIPP(client, IPP_STATUS_OK, "%s your share of %s (%s): %s.",
                        approve ? "Approved" : "Declined", job_name.c_str(),
                        format_money(share->amount, share->currency).c_str(), progress.c_str());
}

}  // namespace

bool is_split_operation(ipp_op_t op) {
  return op == ipp::kSplitJob || op == ipp::kGetApprovals || op == ipp::kApproveShare ||
         op == ipp::kDeclineShare;
}

void split_operation(pappl_client_t* client, Server& server, const ClientIdentity& who) {
  Result<Site> site = open_operation_site(server);
  if (!site) return (void)respond_internal(client, site.status());
  const ipp_op_t op = papplClientGetOperation(client);
  if (op == ipp::kSplitJob)
    split_job(client, server, who, *site);
  else if (op == ipp::kGetApprovals)
    get_approvals(client, *site, who);
  else
    decide(client, server, who, *site, op == ipp::kApproveShare);
}

Status split_at_submission_locked(Server& server, Site& site, const HeldJob& job,
                                  const std::string& request_text) {
  Result<Split> split = pp::split_at_submission(site, server.config, job, request_text, now());
  if (!split) return split.status();
  notify_pending_payers(*split, split_notifier(server));
  return Status::ok();
}

void run_split_timer(pappl_system_t* system, Server& server) {
  Result<SplitSettings> settings = split_settings_from_config(server.config);
  Site& site = *server.timers;
  Result<std::vector<std::string>> done =
      settings ? run_split_timers(site, *settings, split_notifier(server), now(), cancel_cups_job)
               : Result<std::vector<std::string>>(settings.status());
  if (!done) {
    papplLog(system, PAPPL_LOGLEVEL_ERROR, "Split timer failed: %s",
             done.status().to_string().c_str());
    return;
  }
  for (const std::string& line : *done)
    papplLog(system, PAPPL_LOGLEVEL_INFO, "Splits: %s", line.c_str());
}

}  // namespace pp::server
