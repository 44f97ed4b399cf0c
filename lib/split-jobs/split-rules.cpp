// split-rules.cpp: the split rules the doors used to apply themselves: a split asked for at
// submission or nothing (split_at_submission), a declined ratio split with on-decline=cancel
// taking its job along (decline_share), and who sees what of a split job (may_see_held_job,
// payer_view). pullprintd's IPP operations and its web page call these, so that both doors
// decide alike.
#include "holding/holding.h"
#include "ledger/job-ref.h"
#include "site/site.h"
#include "split-jobs/split-cups.h"
#include "split-jobs/split-jobs.h"

namespace pp {

Result<Split> split_at_submission(Site& site, const Config& config, const HeldJob& job,
                                  std::string_view request_text, SplitClock now) {
  Result<Split> split = split_held_job(site, config, job.id, job.owner, request_text, now);
  if (split) return split;
  // The refusal below is the answer either way; a cancel that failed leaves a held job that
  // expires (and is voided) at the end of its job-lifetime, as any held job does.
  (void)cancel_held_job(site, job.id, job.owner, false);
  return Status(split.status().code(), "cannot split the job: " + split.status().message());
}

Result<Split> decline_share(Site& site, std::int64_t share_id, std::string_view payer,
                            SplitClock now, const CupsJobCanceller& cancel_in_cups) {
  Result<Split> after = site.splits().decline(share_id, payer, now);
  if (!after || after->state != SplitState::kCancelled) return after;
  // The ratio cancel rule: the job goes too. A failed cancel is not the payer's failure (their
  // decline is recorded); the job, whose split is cancelled, can no longer be released and
  // expires at the end of its job-lifetime.
  if (std::optional<std::string> uuid = JobRef::from_stored(after->job_ref).held_uuid()) {
    if (Result<HeldJob> job = site.jobs().get_by_uuid(*uuid))
      (void)cancel_held_job(site, job->id, after->owner, true);
  } else if (JobRef::from_stored(after->job_ref).kind() == JobRef::Kind::kCups) {
    // Likewise: a failure is tried again by the split timer (run_cups_split_timers).
    (void)end_cancelled_cups_split(site, *after, cancel_in_cups);
  }
  return after;
}

bool may_see_held_job(SplitStore& splits, const HeldJob& job, std::string_view user,
                      bool acts_for_others) {
  return job.owner == user || acts_for_others || pays_part_of(splits, job, user);
}

HeldJob payer_view(SplitStore& splits, const HeldJob& job, std::string_view payer) {
  HeldJob view = job;
  view.message = payer_part_message(splits, job, payer);
  view.final_price_minor.reset();  // the whole job's, not this payer's
  return view;
}

}  // namespace pp
