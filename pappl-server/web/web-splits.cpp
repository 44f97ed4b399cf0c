// web-splits.cpp: split jobs on "My jobs" (/pullprint/jobs; the page itself is
// web/web.cpp). The same library calls as the IPP operations of server-splits.cpp:
//
//   - "Split a job's cost": a link per held job without a split to its split form
//     (/pullprint/split?job=ID, web/web-split.cpp: mode, payers, preview, send).
//   - "Split jobs": the owner's view of each split job, held or recent (SplitStore::progress):
//     every payer, what they take, the amount, the state, when they decided, and the deadline.
//   - "Approvals": the user's own pending requests (approval_requests in
//     lib/split-jobs/split-approvals.h): who asks, the job (title, pages, colour pages), what
//     they get, the amount, the deadline, a link to the request's own page
//     (/pullprint/approval?share=ID, web/web-approval.cpp), with Approve (reserves the amount at
//     once; a payer who cannot afford it gets the ledger's words, the request stays pending) and
//     Decline (the ratio rule: the owner covers, or with on-decline=cancel the split and the job
//     go).
//
// The payer is always the logged-in user: a form naming a request that is not theirs (someone
// else's, a cover share, one that does not exist) gets "No approval request N of yours." and
// changes nothing; the store refuses it anyway (kPermissionDenied). Every form carries PAPPL's
// CSRF field (web/web-form.h, start_form), checked by web/web.cpp before any action.
#include <chrono>
#include <cstdint>
#include <string>
#include <utility>

#include "holding/holding.h"
#include "pricing/pricing.h"
#include "printers/printers.h"
#include "server/server-request.h"
#include "server/server-splits.h"
#include "split-jobs/split-jobs.h"
#include "web/web-form.h"
#include "web/web.h"

namespace pp::server::web {
namespace {

// The time the split rules are applied at.
SplitClock now() {
  return std::chrono::system_clock::now();
}

// The split store's reference of a held job.
std::string job_ref_of(const HeldJob& job) {
  return JobRef::held(job.uuid).str();
}

// The outcome of an internal failure: logged in full, the user gets a short message.
WebOutcome store_failed(pappl_client_t* client, const Status& status) {
  papplLogClient(client, PAPPL_LOGLEVEL_ERROR, "My jobs (splits): %s", status.to_string().c_str());
  return {HTTP_STATUS_SERVER_ERROR, "The split store failed; please try again later."};
}

// One payer's row of a split job's table; a cover share names the payer it covers.
std::string share_row(const Share& share) {
  const std::string who = share.is_cover()
                              ? html(share.payer) + " (covers " + html(share.cover_of) + ")"
                              : html(share.payer);
  return "            <tr id=\"share-" + std::to_string(share.id) + "\" class=\"share-" +
         html(share_state_name(share.state)) + "\"><td>" + who + "</td><td>" +
         html(share.is_cover() ? "cover" : share.description) + "</td><td>" +
         html(format_money(share.amount, share.currency)) + "</td><td>" +
         html(share_state_name(share.state)) + "</td><td>" + html(when(share.decided_at)) +
         "</td></tr>\n";
}

// One split job: its request, progress and deadline, then a row per payer.
std::string split_block(const HeldJob& job, const Split& split) {
  const std::string id = std::to_string(job.id);
  std::string out = "          <p id=\"split-" + id + "\">Job " + id + " &ldquo;" +
                    html(job.title) + "&rdquo; (" + html(held_job_state_name(job.state)) +
                    "): <code>" + html(split.request) + "</code>, " +
                    html(format_money(split.price, split.currency)) + "; " +
                    html(split.progress()) + "; deadline " + html(when(split.deadline)) + ".</p>\n";
  out += "          <table class=\"list\" summary=\"Split of job " + id + "\">\n";
  out +=
      "            <thead><tr><th>Payer</th><th>Takes</th><th>Amount</th>"
      "<th>State</th><th>Decided</th></tr></thead>\n            <tbody>\n";
  for (const Share& share : split.shares) out += share_row(share);
  return out + "            </tbody>\n          </table>\n";
}

// The row of one held job without a split: the link to its split form.
std::string split_link_row(const HeldJob& job) {
  const std::string id = std::to_string(job.id);
  return "            <tr><td>" + id + "</td><td>" + html(job.title) + "</td><td>" +
         html(format_money(job.price_minor, job.currency)) + "</td><td><a class=\"btn\" href=\"" +
         html(std::string(kSplitPath) + "?job=" + id) + "\" id=\"split-link-" + id +
         "\">Share the cost</a></td></tr>\n";
}

// "No approval request N of yours.": the answer for anything but the user's own request.
WebOutcome not_yours(std::int64_t id) {
  return {HTTP_STATUS_OK, "No approval request " + std::to_string(id) + " of yours."};
}

// The answer to a refused approve/decline: the store's words, or not_yours for someone else's.
WebOutcome decision_refused(pappl_client_t* client, const Status& status, std::int64_t id,
                            bool approve) {
  switch (status.code()) {
    case Code::kNotFound:
    case Code::kPermissionDenied:
      return not_yours(id);
    case Code::kConflict:
    case Code::kInsufficientFunds:
      return {HTTP_STATUS_OK,
              std::string(approve ? "Not approved: " : "Not declined: ") + status.message() + "."};
    default:
      return store_failed(client, status);
  }
}

}  // namespace

Result<SplitView> load_split_view(Site& site, const std::vector<const HeldJob*>& jobs,
                                  const std::string& user) {
  SplitStore& splits = site.splits();
  SplitView view;
  for (const HeldJob* job : jobs) {
    Result<Split> split = splits.progress(job_ref_of(*job), user, false);
    if (split)
      view.splits.emplace(job->id, std::move(*split));
    else if (split.status().code() != Code::kNotFound)
      return split.status();
  }
  Result<std::vector<ApprovalRequest>> pending = approval_requests(site, user, now());
  if (!pending) return pending.status();
  view.approvals = std::move(*pending);
  return view;
}

void put_split_sections(pappl_client_t* client, const SplitView& view,
                        const std::vector<const HeldJob*>& held,
                        const std::vector<const HeldJob*>& recent) {
  std::vector<const HeldJob*> splittable;
  for (const HeldJob* job : held)
    if (!view.splits.contains(job->id)) splittable.push_back(job);
  if (!splittable.empty()) {
    put(client,
        "          <h2 class=\"title\">Split a job's cost</h2>\n"
        "          <p>Ask others to pay a part of a held job: one print shared by percentages, "
        "or each payer's own copies, pages or print options. Each payer approves or declines "
        "their part; you see each payer's amount before the requests are sent.</p>\n"
        "          <table class=\"list\" summary=\"Split a held job\">\n"
        "            <thead><tr><th>Job</th><th>Title</th><th>Estimate</th><th></th></tr>"
        "</thead>\n            <tbody>\n");
    for (const HeldJob* job : splittable) put(client, split_link_row(*job));
    put(client, "            </tbody>\n          </table>\n");
  }
  std::string blocks;
  for (const std::vector<const HeldJob*>* jobs : {&held, &recent}) {
    for (const HeldJob* job : *jobs) {
      auto split = view.splits.find(job->id);
      if (split != view.splits.end()) blocks += split_block(*job, split->second);
    }
  }
  if (!blocks.empty()) put(client, "          <h2 class=\"title\">Split jobs</h2>\n" + blocks);
}

void put_approvals(pappl_client_t* client, const SplitView& view) {
  put(client, "          <h2 class=\"title\">Approvals</h2>\n");
  if (view.approvals.empty()) {
    put(client, "          <p>Nobody asks you to pay for a job.</p>\n");
    return;
  }
  put(client, "          <p>Approving reserves the amount on your account at once.</p>\n");
  start_form(client, kJobsPath);
  put(client,
      "            <table class=\"list\" summary=\"Approvals\">\n"
      "              <thead><tr><th>Request</th><th>From</th><th>Job</th><th>Pages</th>"
      "<th>Colour pages</th><th>You get</th><th>Amount</th><th>Deadline</th><th></th></tr>"
      "</thead>\n              <tbody>\n");
  for (const ApprovalRequest& request : view.approvals) {
    const Share& share = request.share;
    const std::string id = std::to_string(share.id);
    const std::string pages = request.job_known ? std::to_string(request.pages) : "";
    const std::string color = request.job_known ? std::to_string(request.color_pages) : "";
    put(client, "              <tr id=\"approval-" + id + "\"><td><a href=\"" +
                    html(approval_href(share.id)) + "\" id=\"approval-link-" + id + "\">" + id +
                    "</a></td><td>" + html(share.owner) + "</td><td>" + html(share.title) +
                    "</td><td>" + pages + "</td><td>" + color + "</td><td id=\"approval-gets-" +
                    id + "\">" + html(request.payer_gets) + "</td><td id=\"approval-amount-" + id +
                    "\">" + html(format_money(share.amount, share.currency)) + "</td><td>" +
                    html(when(share.deadline)) +
                    "</td><td><button type=\"submit\" name=\"approve\" value=\"" + id +
                    "\">Approve</button> <button type=\"submit\" name=\"decline\" value=\"" + id +
                    "\">Decline</button></td></tr>\n");
  }
  put(client, "              </tbody>\n            </table>\n          </form>\n");
}

WebOutcome decide_from_form(pappl_client_t* client, Server& server, const std::string& user,
                            const char* share_field, bool approve) {
  const std::optional<std::int64_t> id = form_id(share_field ? share_field : "");
  if (!id)
    return {HTTP_STATUS_BAD_REQUEST, "No such approval request: " + std::string(share_field) + "."};
  Result<Site> site = open_operation_site(server);
  if (!site) return store_failed(client, site.status());
  const char* verb = approve ? "approve" : "decline";
  // The user's own request only (a cover share is the owner's, not a request to them).
  Result<Share> share = site->splits().get_share(*id);
  if (!share && share.status().code() != Code::kNotFound)
    return store_failed(client, share.status());
  if (!share || share->payer != user || share->is_cover()) {
    papplLogClient(client, PAPPL_LOGLEVEL_INFO, "%s may not %s share %lld (web): not theirs",
                   user.c_str(), verb, static_cast<long long>(*id));
    return not_yours(*id);
  }
  Status refused = Status::ok();
  if (approve) {
    Result<Share> approved = site->splits().approve(*id, user, now());
    if (!approved) refused = approved.status();
  } else {
    // The ratio cancel rule (the job goes too; a CUPS-door job is cancelled in cupsd) is
    // decline_share's.
    Result<Split> after = decline_share(*site, *id, user, now(), cancel_cups_job);
    if (!after) refused = after.status();
  }
  if (!refused.is_ok()) {
    papplLogClient(client, PAPPL_LOGLEVEL_INFO, "%s may not %s share %lld (web): %s", user.c_str(),
                   verb, static_cast<long long>(*id), refused.to_string().c_str());
    return decision_refused(client, refused, *id, approve);
  }
  Result<Split> split = site->splits().get_split(share->job_ref);
  const std::string progress = split ? split->progress() : std::string();
  const std::string amount = format_money(share->amount, share->currency);
  papplLogClient(client, PAPPL_LOGLEVEL_INFO, "%s %sd share %lld (web) of %s (%s).", user.c_str(),
                 verb, static_cast<long long>(*id), share->job_ref.c_str(), progress.c_str());
  split_notifier(server)(share->owner, user + " " + verb + "d their share (" + amount + ") of \"" +
                                           share->title + "\": " + progress);
  return {HTTP_STATUS_OK, std::string(approve ? "Approved" : "Declined") + " request " +
                              std::to_string(*id) + ": " + amount + " for " + share->description +
                              " of \"" + share->title + "\" (" + share->owner + "'s job)" +
                              (approve ? ", reserved on your account" : "") +
                              ". The split: " + progress + "."};
}

}  // namespace pp::server::web
