// split-cups.h: split jobs of the CUPS door (issue 13 §5): `lp -o pullprint-split=...` on a
// CUPS queue with the pullprint-cost filter and the wrapper backend.
//
// Why here and not in the filter: the split of a CUPS job follows the same rules as pullprintd's
// (lib/splits for syntax, validation, money and share states; split-jobs.h for approvals,
// reminders, deadlines and the timers), so the filter and the backend stay thin doors and the
// two doors cannot drift apart.
//
// The way of a CUPS-door split job (reference JobRef::cups(...), "cups/<job-uuid>"):
//  1. the filter prices the document for the queue's printer (quote_document: the printer's
//     price) and calls split_cups_job(): the split is recorded with the shares of that price,
//     the owner's own share approved, and a zero "carrier" reservation is made on the owner's
//     account under the job's own key ("reserve:cups/<uuid>": what the backend looks for) instead
//     of the whole price. Payers are notified by the filter (notify_pending_payers).
//  2. the backend holds the job (exit status 3) as every CUPS-door job; payers approve or decline
//     their shares through pullprintd (`pullprint approvals`, `pullprint approve --share N`);
//     pullprintd's split timer expires, reminds and catches up as for its own split jobs.
//  3. release_cups_job() refuses the release until the split is settled (check_ratio_split_ready:
//     nothing pending, not cancelled); then the owner releases it at a terminal as any CUPS job.
//  4. the backend prints it, captures the carrier (0) and then settle_cups_split() captures every
//     approved share (covers included) at its amount, each under its own key
//     ("capture:split:cups/<uuid>:<payer>"): captured once, whoever gets there first (the
//     backend, or the timer catching up after a crash or an admin's review decision).
//  5. a split cancelled (a decline with on-decline=cancel, an expiry under it, an owner who
//     cannot cover) ends the job: end_cancelled_cups_split() cancels the CUPS job in cupsd and
//     voids its delivery and carrier; approved shares were voided by the split store. It never
//     prints (the release is refused, the backend refuses a voided job).
//
// Only ratio splits are filed here: a CUPS job is one print of one document with one set of
// options, and cupsd prints it once. copies, pages and method splits print a sub-job per payer
// (their own copies, pages or options) that is released on its own: they need pullprintd, which
// holds the document and can print parts; the filter refuses them with that reason.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "charging/quote.h"
#include "config/config.h"
#include "delivery/delivery.h"
#include "ledger/job-ref.h"
#include "site/site.h"
#include "split-jobs/split-jobs.h"
#include "splits/splits.h"
#include "util/status.h"

namespace pp {

// The ledger actor of the filter's entries.
inline constexpr const char* kCupsFilterActor = "pullprint-cost";

// What the filter knows of the CUPS job.
struct CupsSplitJob {
  JobRef job_ref;     // JobRef::cups(options, queue, job id)
  std::string owner;  // the CUPS job's user
  std::string title;
  std::map<std::string, std::string> options;  // the job's options, as quoted
};

// The split a CUPS job was filed as.
struct FiledCupsSplit {
  Split split;                              // after the owner's own approval
  std::int64_t carrier_reservation_id = 0;  // the zero reservation the backend holds the job on
  // false when the split was there already: cupsd runs the filters again when a held job is
  // released, and the second run must neither split again nor notify the payers again.
  bool created = false;
};

// Whether the CUPS door can print a split of `mode`: ok for ratio; kConflict with the reason
// for copies, pages and method (one print per payer: pullprintd's parts).
Status check_cups_split_mode(SplitMode mode);

// Files CUPS job `job` as the split `request_text` asks for, at the price `quote` (the queue's
// printer's price) - see above. kInvalidArgument with the parser's words for a bad request,
// kConflict for a mode the CUPS door cannot print or a job whose split was cancelled, the payer
// check's refusal for a payer without an account, kAlreadyExists for another request on the
// same job. A failure leaves nothing behind (a split made before the carrier failed is
// cancelled again).
Result<FiledCupsSplit> split_cups_job(Site& site, const Config& config, const CupsSplitJob& job,
                                      const Quote& quote, std::string_view request_text,
                                      SplitClock now);

// After a CUPS-door job's delivery settled (`delivery`, as finish_delivery or an admin's review
// left it): printed -> every approved share captured (returns "alice EUR 0.50, bob EUR 0.50");
// voided -> the split cancelled (approved shares voided). "" for anything else, for a job
// without a split and for references that are not CUPS jobs (pullprintd settles its own).
Result<std::string> settle_cups_split(Site& site, const Delivery& delivery, std::string_view actor,
                                      SplitClock now);

// A cancelled split of a CUPS-door job ends the job: while the backend holds it, the CUPS job
// is cancelled in cupsd (`cancel_in_cups`, when set; a failure does not stop the rest) and its
// delivery and carrier reservation voided; before the backend held it, the carrier is voided
// (the backend then refuses the job). Returns whether it changed anything.
Result<bool> end_cancelled_cups_split(Site& site, const Split& split,
                                      const CupsJobCanceller& cancel_in_cups);

// The split timer's part for CUPS-door jobs (run_split_timers calls it after the expiry and the
// reminders, which cover every split alike): open splits whose job printed or was voided
// meanwhile are settled (settle_cups_split: a backend that crashed after its capture, an
// admin's review decision, a job cancelled in cupsd and swept), open splits without a carrier
// ten minutes after filing (a filter that died half way) are cancelled, cancelled ones end
// their job (end_cancelled_cups_split). Returns lines for the log.
Result<std::vector<std::string>> run_cups_split_timers(Site& site,
                                                       const CupsJobCanceller& cancel_in_cups,
                                                       SplitClock now);

// What a CUPS-door split job costs its payers (the shares' sum; its delivery and carrier say 0),
// for the terminal's list; nullopt for a job without an open split.
std::optional<std::int64_t> cups_split_price(SplitStore& splits, const JobRef& job_ref);

// The owner's one-line view of a CUPS-door job's split ("split: 1 of 2 approved, 1 pending",
// "split cancelled"); "" when the job has no split.
std::string cups_split_progress(SplitStore& splits, const JobRef& job_ref);

}  // namespace pp
