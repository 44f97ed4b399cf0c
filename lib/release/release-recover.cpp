// release-recover.cpp: releases a crash interrupted, finished at start-up.
//
// A job in `releasing` with no delivery worker behind it (pullprintd was killed) is in one of
// four places, told apart by its delivery record: the backend never began (no record, or
// released: nothing was sent, the job goes back to held), it printed and captured (printed), it
// was in flight when the backend died too (reconcile_deliveries turns that into review, or
// printed when the capture had happened), or it is under review already.
#include "holding/holding.h"
#include "release/release.h"
#include "split-jobs/split-parts.h"

namespace pp {
namespace {

// Moves `job` to `to` with `message`; deletes the document unless the job is under review.
Status settle(JobStore& store, const HeldJob& job, HeldJobState to, const Delivery& delivery,
              const std::string& message) {
  ReleaseNote note{delivery.printer, delivery.released_by, std::nullopt, message};
  if (to == HeldJobState::kPrinted) note.final_price_minor = delivery.amount;
  if (Status noted = store.record_release(job.id, note); !noted.is_ok()) return noted;
  if (Status moved = store.transition(job.id, HeldJobState::kReleasing, to); !moved.is_ok())
    return moved;
  if (to == HeldJobState::kFailed) return Status::ok();
  return store.delete_document(job.id);
}

// A claim of the whole job, for withdraw_release().
ClaimedRelease whole_job(const HeldJob& job) {
  ClaimedRelease claim;
  claim.job = job;
  return claim;
}

Status recover_one(Site& site, const HeldJob& job) {
  JobStore& store = site.jobs();
  DeliveryLog& log = site.deliveries();
  if (Result<Split> split = site.splits().get_split(JobRef::held(job.uuid).str());
      split && split->mode != SplitMode::kRatio)
    return recover_split_parts(site, job, *split);
  Result<Delivery> delivery = log.get(JobRef::held(job.uuid).str());
  if (!delivery && delivery.status().code() != Code::kNotFound) return delivery.status();
  if (!delivery || delivery->state == DeliveryState::kReleased ||
      delivery->state == DeliveryState::kHeld)
    return withdraw_release(site, whole_job(job),
                            "The release was interrupted before the job was sent; it is still "
                            "held and nothing was charged.");
  switch (delivery->state) {
    case DeliveryState::kPrinted:
      return settle(store, job, HeldJobState::kPrinted, *delivery,
                    "Printed on " + delivery->printer);
    case DeliveryState::kVoided:
      return settle(store, job, HeldJobState::kCancelled, *delivery, "Cancelled while printing");
    case DeliveryState::kReview:
      return settle(store, job, HeldJobState::kFailed, *delivery,
                    "The release to " + delivery->printer +
                        " was interrupted while the job was being sent. An admin will check "
                        "whether it printed; nothing is charged until then.");
    default:
      return Status::ok();  // still in flight by a live backend: settled when it ends
  }
}

}  // namespace

Result<int> recover_releases(Site& site) {
  if (Result<int> fixed = reconcile_deliveries(site.ledger(), site.deliveries()); !fixed)
    return fixed.status();
  Result<std::vector<HeldJob>> jobs = site.jobs().list("", HeldJobState::kReleasing);
  if (!jobs) return jobs.status();
  int changed = 0;
  for (const HeldJob& job : *jobs) {
    if (Status recovered = recover_one(site, job); !recovered.is_ok()) return recovered;
    Result<HeldJob> after = site.jobs().get(job.id);
    if (after && after->state != HeldJobState::kReleasing) ++changed;
  }
  return changed;
}

}  // namespace pp
