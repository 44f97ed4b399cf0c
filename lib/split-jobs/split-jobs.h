// split-jobs.h: held jobs split among payers (issue 5): the wiring of lib/splits into the held
// store and the release, so that pullprintd and the CLI stay thin.
//
//  - split_held_job(): a held job's owner asks for a split (job attribute `pullprint-split` at
//    submission, PullPrint-Split-Job after it): the request is parsed and priced on the job's
//    stored analysis and options with the default profile (the same price the job was held at;
//    the split price is what the payers pay, whatever printer it is released to), the split is
//    created, the job's own reservation is voided (the shares replace it) and the owner's own
//    share, when the owner is a payer, is approved at once.
//  - the release (release-claim.cpp / release-deliver.cpp): a split job is released like any
//    job, but only once its split is settled (ratio: nothing pending); claim_release() refuses
//    with "waiting for approvals: 1 of 2 approved, 1 pending" before. The wrapper backend
//    captures a zero "carrier" reservation (its key "reserve:pullprintd/<uuid>:split-print");
//    when the job printed, every approved share (covers included) is captured instead.
//    copies / pages / method splits: each approved share is a part, a sub-job with the share's
//    options (pages: a PDF of just the payer's pages) released on its own, by the owner (all
//    approved parts) or by its payer (their own); see split-parts.h. A declined or expired part
//    is never printed; the document is deleted once no part is left to print.
//  - run_split_timers(): expiry, reminders, and catching up (shares of a printed job not yet
//    captured after a crash; splits of jobs cancelled or expired meanwhile), on pullprintd's
//    timer and at start-up.
//  - notify_payer(): a line for the log plus the configured `notify-command` (sent by lib/notify,
//    the one notification path; pullprintd records approvals there too, server-notify.h).
//
// Config keys: split-deadline (seconds, default 172800 = 48 h: the default and longest
// deadline; the split job is then kept until a job-lifetime after its deadline),
// split-on-decline (owner-covers | cancel),
// split-reminder (seconds before the deadline, default 14400 = 4 h; 0 = no reminders),
// notify-command (default empty = off; e.g. "/usr/sbin/sendmail -i"), notify-domain (the
// payers' mail domain, To: payer@domain, for payers whose e-mail address no directory gave).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "delivery/delivery.h"
#include "job-store/job-store.h"
#include "ledger/ledger.h"
#include "site/site.h"
#include "splits/splits.h"
#include "util/status.h"

namespace pp {

struct SplitSettings {
  std::chrono::seconds deadline = std::chrono::hours(48);
  OnDecline on_decline = OnDecline::kOwnerCovers;
  std::chrono::seconds reminder_lead = std::chrono::hours(4);
  std::string notify_command;
  std::string notify_domain;
};
Result<SplitSettings> split_settings_from_config(const Config& config);

// Splits held job `job_id` of `user` by `request_text` (see above). kNotFound for a job that is
// not the user's (others learn nothing), kConflict for a job that is not held or already split
// otherwise, kInvalidArgument with the parser's words for a bad request, the payer check's
// refusal for a payer without an account; pages mode needs a PDF (kConflict otherwise: other
// formats cannot be cut into parts here).
// On failure nothing is left behind (the job keeps its own reservation).
Result<Split> split_held_job(Site& site, const Config& config, std::int64_t job_id,
                             std::string_view user, std::string_view request_text, SplitClock now);

// What split_held_job() would make of `request_text`, without making it (the web's Preview):
// the same checks in the same order (the job, the request, the price, the deadline, each payer's
// account), then each payer's part as price_split() prices it and the deadline the split would
// get at `now`. split_held_job() runs this first and files exactly this quote, so a preview's
// amounts are the shares' amounts. kAlreadyExists for a job split already. Changes nothing.
struct SplitPreview {
  HeldJob job;                                     // the owner's held job
  SplitRequest request;                            // parsed
  std::string request_text;                        // canonical (format_split_request)
  SplitQuote quote;                                // one part per payer, in the request's order
  std::string deadline;                            // ISO 8601 UTC
  OnDecline on_decline = OnDecline::kOwnerCovers;  // the request's, else the site's
  OnDecline site_on_decline = OnDecline::kOwnerCovers;
  std::chrono::seconds site_deadline{0};
};
Result<SplitPreview> preview_split(Site& site, const Config& config, std::int64_t job_id,
                                   std::string_view user, std::string_view request_text,
                                   SplitClock now);

// Who is told what: payer (or owner) and the text.
using SplitNotifier = std::function<void(const std::string& user, const std::string& text)>;

// Tells every pending payer of `split` what they are asked (describe_share()).
void notify_pending_payers(const Split& split, const SplitNotifier& notify);

// Where a notification for `user` goes: their e-mail address from the people store (a directory
// sync fills it), else user@notify-domain when that is set, else the login itself (for a
// notify-command that knows the site's users). A lookup that fails falls back the same way: a
// notification is never worth refusing a split for.
std::string notification_address(const SplitSettings& settings, PeopleStore& people,
                                 const std::string& user);

// Runs the configured notify-command for `user` with `text`, the address
// (notification_address) as its last argument; to an e-mail address it is a mail (To/Subject
// headers first). Ok when notify-command is off.
Status notify_payer(const SplitSettings& settings, PeopleStore& people, const std::string& user,
                    const std::string& subject, const std::string& text);

// The rule for a split asked for at submission (the job attribute pullprint-split): held `job`
// is split at once by its owner (split_held_job, on the site's split store); a split that cannot
// be made cancels the job (its reservation voided, its document deleted: nothing is left
// behind) and fails with the split's code and "cannot split the job: why".
Result<Split> split_at_submission(Site& site, const Config& config, const HeldJob& job,
                                  std::string_view request_text, SplitClock now);

// Cancels CUPS job `cups_job_id` of `owner` in the local cupsd (cancel_cups_job in
// printers/printers.h; tests pass a stand-in). Empty: cupsd is not asked.
using CupsJobCanceller = std::function<Status(std::int64_t cups_job_id, std::string_view owner)>;

// `payer` declines their share `share_id` (SplitStore::decline); when that cancels the split
// (a ratio split with on-decline=cancel) its job is cancelled too, as its owner would: a held
// job by cancel_held_job, a CUPS-door job by end_cancelled_cups_split (split-cups.h: its money
// voided, the CUPS job cancelled through `cancel_in_cups`). Returns the split after it.
Result<Split> decline_share(Site& site, std::int64_t share_id, std::string_view payer,
                            SplitClock now, const CupsJobCanceller& cancel_in_cups = {});

// Whether `user` may follow held job `job` in any state: their own, a split job of which they
// pay a part, or anybody's for those who act for others (`acts_for_others`: admins, and operators
// who follow the jobs they released). Others are told nothing about it.
bool may_see_held_job(SplitStore& splits, const HeldJob& job, std::string_view user,
                      bool acts_for_others);

// What a payer (not the owner) is shown of someone else's split job: the job with its message
// replaced by their own part's (payer_part_message) and without the whole job's final price.
HeldJob payer_view(SplitStore& splits, const HeldJob& job, std::string_view payer);

// The timer's work: expire_due, reminders, catching up. A split job under review (its print
// failed half way, state failed) follows the admin's decision in the site's delivery log:
// charged -> its shares are captured, voided -> its split is cancelled. CUPS-door split jobs
// are caught up by run_cups_split_timers (split-cups.h; `cancel_in_cups` cancels the CUPS job of
// a cancelled split). Returns lines for the log.
Result<std::vector<std::string>> run_split_timers(Site& site, const SplitSettings& settings,
                                                  const SplitNotifier& notify, SplitClock now,
                                                  const CupsJobCanceller& cancel_in_cups = {});

// The release of a split job (release-claim.cpp): nullopt when the job has no split; else the
// reservation the wrapper backend captures (the zero carrier), or kConflict "waiting for
// approvals: ..." / "the split of job N was cancelled" / "not supported yet" for sub-job modes.
struct SplitClaim {
  std::int64_t carrier_reservation_id = 0;
  std::int64_t price = 0;  // what the shares sum to
  std::string currency;
};
Result<std::optional<SplitClaim>> claim_split_job(Site& site, const HeldJob& job);

// After the job printed (release-deliver.cpp and the timer's catch-up): captures every
// releasable share; returns the split after it and the per-payer amounts text
// ("alice EUR 0.50, bob EUR 0.50").
Result<std::string> capture_split_print(SplitStore& splits, const HeldJob& job,
                                        std::string_view actor, SplitClock now);

// The same for the split of any job (`job_ref`: a held job's or a CUPS-door job's).
Result<std::string> capture_split_shares(SplitStore& splits, const std::string& job_ref,
                                         std::string_view actor, SplitClock now);

// Whether ratio split `split` of the job people know as `name` ("job 7") may print now: ok, or
// kConflict "waiting for approvals: 1 of 2 approved, 1 pending", "the split of job 7 was
// cancelled", "... is closed", or "not supported yet" for the sub-job modes. One rule for both
// doors' releases (claim_split_job, release_cups_job).
Status check_ratio_split_ready(const Split& split, const std::string& name);

// The owner's one-line view for job-state-message: "split: 2 of 3 approved, 1 pending", or ""
// when the job has no split.
std::string split_progress_message(SplitStore& splits, const HeldJob& job);

// What a split job costs its payers (the price it is released at, on any printer); nullopt for
// a job without an open split. With `user` (copies/pages/method): what `user` would release
// now, the approved parts not printed yet (the owner's all of them, a payer's their own).
std::optional<std::int64_t> split_price(SplitStore& splits, const HeldJob& job,
                                        std::string_view user = {});

// The owner (or an admin) cancelled the job: its split is cancelled at once (approved shares
// voided); ok for a job without a split.
Status cancel_job_split(SplitStore& splits, const HeldJob& job, SplitClock now);

// Cancels held job `job_id` for `user` (cancel_held_job: the owner or an admin), then its split
// at once. kConflict while a part of it is under review (data reached a printer, then it
// failed): voiding that part's reservation before the admin decides would lose the charge of a
// part that may have printed.
Status cancel_job_and_split(Site& site, std::int64_t job_id, std::string_view user, bool is_admin,
                            SplitClock now);

// Held jobs of others in which `payer` has an approved part to release themselves (what a
// payer's terminal lists besides their own jobs).
Result<std::vector<HeldJob>> jobs_with_parts_of(Site& site, std::string_view payer);

// What a payer (not the owner) is shown of someone else's split job: their own part only,
// "Your part (2 copies, EUR 1.60): approved" or, once printed, "Printed your part (2 copies):
// EUR 1.60"; "" when `user` has no share of it.
std::string payer_part_message(SplitStore& splits, const HeldJob& job, std::string_view user);

// Whether `user` pays a share (not a cover) of `job`'s split.
bool pays_part_of(SplitStore& splits, const HeldJob& job, std::string_view user);

}  // namespace pp
