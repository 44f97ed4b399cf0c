// split-timers.cpp: the periodic side of split jobs: expiry of pending shares, reminders before
// the deadline, catching up after a crash, and notifying payers (see split-jobs.h; the sending is
// lib/notify's, the one notification path).
#include "holding/holding.h"
#include "notify/notify.h"
#include "split-jobs/split-cups.h"
#include "split-jobs/split-jobs.h"
#include "split-jobs/split-parts.h"

namespace pp {
namespace {

// "pullprintd/<uuid>" -> "<uuid>"; "" when the reference is not a held job's.
std::string uuid_of(const std::string& job_ref) {
  return JobRef::from_stored(job_ref).held_uuid().value_or("");
}

// A copies/pages/method split: parts whose delivery was settled without the split store
// following (an admin's review decision, a crash after the backend's capture) follow now; a job
// whose split is over (the last pending part expired or was declined) is finished.
void catch_up_parts(Site& site, const HeldJob& job, SplitClock now,
                    std::vector<std::string>& lines) {
  SplitStore& splits = site.splits();
  DeliveryLog& log = site.deliveries();
  if (job.state != HeldJobState::kHeld) return;  // releasing: its delivery worker settles it
  Result<Split> split = splits.get_split(JobRef::held(job.uuid).str());
  if (!split) return;
  for (const Share& share : split->shares) {
    if (share.state != ShareState::kApproved) continue;
    Result<Delivery> delivery = log.get(share.part_ref().str());
    if (!delivery) continue;
    if (delivery->state == DeliveryState::kPrinted &&
        splits.capture_share(share.id, kHoldActor, now))
      lines.push_back("captured " + share.payer + "'s part of job " + std::to_string(job.id));
    else if (delivery->state == DeliveryState::kVoided &&
             splits.void_share(share.id, kHoldActor, now))
      lines.push_back("discarded " + share.payer + "'s part of job " + std::to_string(job.id));
  }
  Result<Split> after = splits.get_split(JobRef::held(job.uuid).str());
  if (after && after->state != SplitState::kOpen &&
      finish_parts_job(site, job, HeldJobState::kHeld, "").is_ok())
    lines.push_back("finished split job " + std::to_string(job.id) + ": " + after->progress());
}

}  // namespace

std::string notification_address(const SplitSettings& settings, PeopleStore& people,
                                 const std::string& user) {
  return pp::notification_address(settings.notify_domain, &people, user);
}

Status notify_payer(const SplitSettings& settings, PeopleStore& people, const std::string& user,
                    const std::string& subject, const std::string& text) {
  if (settings.notify_command.empty()) return Status::ok();
  return run_notify_command(settings.notify_command, notification_address(settings, people, user),
                            subject, text);
}

Result<std::vector<std::string>> run_split_timers(Site& site, const SplitSettings& settings,
                                                  const SplitNotifier& notify, SplitClock now,
                                                  const CupsJobCanceller& cancel_in_cups) {
  Ledger& ledger = site.ledger();
  JobStore& store = site.jobs();
  SplitStore& splits = site.splits();
  DeliveryLog& deliveries = site.deliveries();
  std::vector<std::string> log;
  Result<std::vector<ExpiredSplit>> expired = splits.expire_due(now);
  if (!expired) return expired.status();
  for (const ExpiredSplit& done : *expired) {
    const Split& split = done.split;
    log.push_back("split of " + split.job_ref + ": " + std::to_string(done.expired.size()) +
                  " share(s) expired; " +
                  (split.state == SplitState::kCancelled ? std::string("split cancelled")
                                                         : split.progress()));
    notify(split.owner, "Your split job \"" + split.title + "\" (" + split.job_ref + "): " +
                            (split.state == SplitState::kCancelled
                                 ? std::string("cancelled, a payer did not approve in time")
                                 : split.progress()));
  }
  if (settings.reminder_lead.count() > 0) {
    Result<std::vector<Share>> due = splits.reminders_due(now, settings.reminder_lead);
    if (!due) return due.status();
    for (const Share& share : *due) {
      notify(share.payer, "Reminder: " + describe_share(share));
      if (Status marked = splits.mark_reminded(share.id, now); !marked.is_ok()) return marked;
      log.push_back("reminded " + share.payer + " of share " + std::to_string(share.id));
    }
  }
  // Catching up: the job printed but its shares were not captured (a crash after the backend
  // settled), or the job ended without printing (cancelled, expired, the split cancelled).
  Result<std::vector<Split>> open = splits.list_splits(SplitState::kOpen);
  if (!open) return open.status();
  Result<std::vector<Split>> cancelled = splits.list_splits(SplitState::kCancelled);
  if (!cancelled) return cancelled.status();
  Result<std::vector<Split>> closed = splits.list_splits(SplitState::kClosed);
  if (!closed) return closed.status();
  for (const std::vector<Split>* some : {&*open, &*closed}) {
    for (const Split& split : *some) {
      if (split.mode == SplitMode::kRatio) continue;
      if (Result<HeldJob> job = store.get_by_uuid(uuid_of(split.job_ref)); job)
        catch_up_parts(site, *job, now, log);
    }
  }
  for (const Split& split : *open) {
    const std::string uuid = uuid_of(split.job_ref);
    if (uuid.empty()) continue;
    Result<HeldJob> job = store.get_by_uuid(uuid);
    if (!job) continue;
    std::optional<DeliveryState> reviewed;
    if (job->state == HeldJobState::kFailed) {
      if (Result<Delivery> delivery = deliveries.get(split.job_ref); delivery)
        reviewed = delivery->state;
    }
    if (split.mode == SplitMode::kRatio &&
        (job->state == HeldJobState::kPrinted || reviewed == DeliveryState::kPrinted)) {
      Result<std::string> captured = capture_split_print(splits, *job, kHoldActor, now);
      if (captured)
        log.push_back("captured the shares of printed job " + std::to_string(job->id) + ": " +
                      *captured);
    } else if (job->state == HeldJobState::kCancelled || job->state == HeldJobState::kExpired ||
               reviewed == DeliveryState::kVoided) {
      if (splits.cancel_split(split.job_ref, split.owner, true, now))
        log.push_back("cancelled the split of ended job " + std::to_string(job->id));
    }
  }
  for (const Split& split : *cancelled) {
    const std::string uuid = uuid_of(split.job_ref);
    if (uuid.empty()) continue;
    Result<HeldJob> job = store.get_by_uuid(uuid);
    if (!job) continue;
    if (job->state == HeldJobState::kHeld) {
      // The ratio cancel rule (on-decline=cancel) or the owner gave up: the job goes too.
      if (cancel_held_job(site, job->id, split.owner, true).is_ok())
        log.push_back("cancelled job " + std::to_string(job->id) + ": its split was cancelled");
    }
    // The zero carrier reservation of an earlier, unprinted release.
    Result<Reservation> carrier = ledger.reserve(
        job->owner, 0, JobRef::held(uuid).split_carrier_reserve_key(), split.job_ref, kHoldActor);
    if (carrier && carrier->state == ReservationState::kOpen &&
        job->state != HeldJobState::kReleasing)
      // A failed void is tried again at the next tick: the carrier stays open and is found here.
      (void)ledger.void_reservation(carrier->id, JobRef::held(uuid).split_carrier_void_key(),
                                    kHoldActor, "the split job ended");
  }
  Result<std::vector<std::string>> cups = run_cups_split_timers(site, cancel_in_cups, now);
  if (!cups) return cups.status();
  log.insert(log.end(), cups->begin(), cups->end());
  return log;
}

}  // namespace pp
