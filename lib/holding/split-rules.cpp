// split-rules.cpp: the split rules the doors used to apply themselves: a split asked for at
// submission or nothing (split_at_submission), a declined ratio split with on-decline=cancel
// taking its job along (decline_share), and who sees what of a split job (may_see_held_job,
// payer_view). pullprintd's IPP operations and its web page call these, so that both doors
// decide alike.
#include "holding/holding.h"
#include "holding/job-ref.h"
#include "holding/split-jobs.h"

namespace pp {

Result<Split> split_at_submission(Ledger& ledger, JobStore& store, const Config& config,
                                  const HeldJob& job, std::string_view request_text,
                                  SplitClock now) {
  Result<std::unique_ptr<SplitStore>> splits = open_site_split_store(config, ledger);
  Result<Split> split =
      splits ? split_held_job(ledger, store, **splits, config, job.id, job.owner, request_text, now)
             : Result<Split>(splits.status());
  if (split) return split;
  // The refusal below is the answer either way; a cancel that failed leaves a held job that
  // expires (and is voided) at the end of its job-lifetime, as any held job does.
  (void)cancel_held_job(ledger, store, job.id, job.owner, false);
  return Status(split.status().code(), "cannot split the job: " + split.status().message());
}

Result<Split> decline_share(Ledger& ledger, JobStore& store, SplitStore& splits,
                            std::int64_t share_id, std::string_view payer, SplitClock now) {
  Result<Split> after = splits.decline(share_id, payer, now);
  if (!after || after->state != SplitState::kCancelled) return after;
  // The ratio cancel rule: the job goes too. A failed cancel is not the payer's failure (their
  // decline is recorded); the job, whose split is cancelled, can no longer be released and
  // expires at the end of its job-lifetime.
  const std::string prefix = held_job_ref("");
  if (after->job_ref.rfind(prefix, 0) == 0) {
    if (Result<HeldJob> job = store.get_by_uuid(after->job_ref.substr(prefix.size())))
      (void)cancel_held_job(ledger, store, job->id, after->owner, true);
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
