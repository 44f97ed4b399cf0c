// split-parts.h: releasing the parts of copies/pages/method splits (private to lib/holding).
//
// Each approved share of such a split is a part: a sub-job of the held job with the share's
// options (copies, page-ranges, colour mode, media, sides), printed through the wrapper backend
// under its own delivery reference (Share::part_ref: the share's reservation reference), so that
// the backend's capture and void keys are the share's own and a part is charged once however it
// is settled (backend, split store, an admin's review).
//
// While parts are on their way the held job is `releasing` (the one commit point, as for a
// whole job: two terminals, one wins; cancel and expiry leave it alone). When the last of them
// settled it is `held` again while its split is still open (parts waiting for approval or
// release), else `printed` (some part printed) or `cancelled`, and its document is deleted.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "release/release.h"

namespace pp {

// Claims what `releaser` may print of sub-job split `split` of `job` (state held; the caller
// checked the printer and the job): the owner (or an operator) every approved part, a payer
// their own. kNotFound for a user who is neither; kConflict when nothing is ready.
Result<std::vector<ClaimedRelease>> claim_split_parts(Site& site, const ReleasePrinter& printer,
                                                      const HeldJob& job, const Split& split,
                                                      const Releaser& releaser);

// After the backend ran for a part (`sent`: how handing it over went; its words tell the owner
// why when nothing was sent): the share is captured (printed), discarded (cancelled while
// printing), left approved (nothing sent: released again later; review: an admin decides), and
// the job is finished when no part is on its way any more. Returns the job after it.
Result<HeldJob> settle_split_part(Site& site, const ClaimedRelease& claim, const Status& sent);

// Takes a claimed part back unsent (its delivery row removed), with `message` for the job.
Status withdraw_split_part(Site& site, const ClaimedRelease& claim, std::string_view message);

// At start-up: the parts of a job left `releasing` by a crash, settled from their delivery rows
// (never begun: back; printed or voided: the share follows), then the job finished.
Status recover_split_parts(Site& site, const HeldJob& job, const Split& split);

// The held job of a sub-job split after its parts moved: nothing when a part is still on its
// way; else `from` -> held (split still open), printed or cancelled (split over: the document
// is deleted, the final price is what the printed parts cost). `message` for the owner.
Status finish_parts_job(Site& site, const HeldJob& job, HeldJobState from,
                        const std::string& message);

}  // namespace pp
