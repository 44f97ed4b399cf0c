// close-job.cpp: ending a held job without printing it: cancel, expiry, and finishing either
// after a crash.
//
// Three steps, each repeatable: (1) compare-and-set the state out of `held` (the commit point:
// a job that is cancelled or expired can no longer be released), (2) void the reservation under
// the job's one void key, (3) delete the document. finish_closed_job() runs (2) and (3) and is
// what cancel, expiry and reconcile_held_jobs() share.
#include <chrono>

#include "holding/holding.h"
#include "ledger/charge-move-key.h"

namespace pp {

namespace {

bool is_closed(HeldJobState state) {
  return state == HeldJobState::kCancelled || state == HeldJobState::kExpired;
}

// Voids the job's reservation if it is still open, then deletes its document.
Status finish_closed_job(Site& site, const HeldJob& job, std::string_view actor,
                         std::string_view note) {
  Ledger& ledger = site.ledger();
  JobStore& store = site.jobs();
  if (job.reservation_id) {
    Result<Reservation> reservation = ledger.get_reservation(*job.reservation_id);
    if (!reservation) return reservation.status();
    if (reservation->state == ReservationState::kOpen) {
      Result<JournalEntry> voided = ledger.void_reservation(
          *job.reservation_id, JobRef::held(job.uuid).void_key(), actor, note);
      if (!voided) return voided.status();
    }
  }
  return store.delete_document(job.id);
}

// Moves `job` from held to `to`; on kConflict reloads it so the caller sees who won.
Result<HeldJob> close_held(JobStore& store, std::int64_t id, HeldJobState to) {
  Status moved = store.transition(id, HeldJobState::kHeld, to);
  if (!moved.is_ok() && moved.code() != Code::kConflict) return moved;
  return store.get(id);
}

// Voids open "pullprintd/<uuid>" reservations that no stored job owns: hold_job reserves before
// it stores, so a crash in between leaves such a reservation. Only reservations older than
// min_age count: a younger one may belong to a hold_job still running (it stores its job within
// seconds of reserving), so this is safe to run at any time.
Result<int> void_reservations_without_job(Site& site, std::chrono::seconds min_age) {
  Ledger& ledger = site.ledger();
  JobStore& store = site.jobs();
  const std::string cutoff = iso_utc(std::chrono::system_clock::now() - min_age);
  Result<std::vector<Reservation>> open = ledger.open_reservations(kHeldJobRefPrefix);
  if (!open) return open.status();
  int voided = 0;
  for (const Reservation& reservation : *open) {
    if (reservation.created_at >= cutoff) continue;  // ISO 8601 UTC strings sort by time
    std::string uuid = JobRef::from_stored(reservation.job_ref).held_uuid().value_or("");
    Result<HeldJob> job = store.get_by_uuid(uuid);
    if (job.ok()) {
      // A charge to another account (charge-held-job.h) that stopped between its reservation
      // and its commit point: the job never took the new reservation.
      const std::optional<std::int64_t> from = charge_move_origin(reservation.idempotency_key);
      if (!from || job->reservation_id == reservation.id) continue;
      Result<JournalEntry> undone = ledger.void_reservation(
          reservation.id, charge_move_keys(JobRef::held(uuid), *from).undo, kHoldActor,
          "charge to another account interrupted before the job took it");
      if (!undone) return undone.status();
      voided++;
      continue;
    }
    if (job.status().code() != Code::kNotFound) return job.status();
    Result<JournalEntry> entry =
        ledger.void_reservation(reservation.id, JobRef::held(uuid).void_key(), kHoldActor,
                                "no held job behind this reservation (interrupted while holding)");
    if (!entry) return entry.status();
    voided++;
  }
  return voided;
}

}  // namespace

Status cancel_held_job(Site& site, std::int64_t job_id, std::string_view user, bool is_admin) {
  JobStore& store = site.jobs();
  Result<HeldJob> job = store.get(job_id);
  if (!job) return job.status();
  // Says nothing about the job (owner, title, state) to someone who may not see it.
  if (job->owner != user && !is_admin)
    return Status(Code::kPermissionDenied, "user " + std::string(user) +
                                               " may not cancel job " + std::to_string(job_id));
  Result<HeldJob> closed = close_held(store, job_id, HeldJobState::kCancelled);
  if (!closed) return closed.status();
  if (!is_closed(closed->state))
    return Status(Code::kConflict, "job " + std::to_string(job_id) + " is " +
                                       std::string(held_job_state_name(closed->state)) +
                                       " and can no longer be cancelled");
  // Also for a job already cancelled or expired: a repeated cancel finishes a crashed one.
  Status finished =
      finish_closed_job(site, *closed, user, "held job cancelled by " + std::string(user));
  if (!finished.is_ok()) return finished;
  if (closed->state == HeldJobState::kExpired)
    return Status(Code::kConflict, "job " + std::to_string(job_id) + " has expired");
  return Status::ok();
}

Result<int> expire_held_jobs(Site& site, std::string_view now_iso,
                             const ExpiredJobCallback& on_expired) {
  JobStore& store = site.jobs();
  Result<std::vector<HeldJob>> due = store.expired(now_iso);
  if (!due) return due.status();
  int expired = 0;
  Status first_error;
  for (const HeldJob& job : *due) {
    Status moved = store.transition(job.id, HeldJobState::kHeld, HeldJobState::kExpired);
    if (moved.code() == Code::kConflict) continue;  // released or cancelled meanwhile
    Status finished = moved.is_ok()
                          ? finish_closed_job(site, job, kHoldActor, "held job expired unreleased")
                          : moved;
    // One job that fails must not keep the others held forever: go on, report the first error
    // (the job is already expired; the next run or reconcile_held_jobs finishes it).
    if (finished.is_ok()) {
      expired++;
      if (on_expired) on_expired(job);
    } else if (first_error.is_ok())
      first_error = finished;
  }
  if (!first_error.is_ok()) return first_error;
  return expired;
}

Result<int> reconcile_held_jobs(Site& site, std::chrono::seconds orphan_reservation_age) {
  JobStore& store = site.jobs();
  int finished = 0;
  for (HeldJobState state : {HeldJobState::kCancelled, HeldJobState::kExpired}) {
    Result<std::vector<HeldJob>> jobs = store.list("", state);
    if (!jobs) return jobs.status();
    for (const HeldJob& job : *jobs) {
      // The void comes before the delete, so a job without its document is finished.
      if (job.document_path.empty()) continue;
      Status status =
          finish_closed_job(site, job, kHoldActor, "finishing a held job after a restart");
      if (!status.is_ok()) return status;
      finished++;
    }
  }
  Result<int> orphans_voided = void_reservations_without_job(site, orphan_reservation_age);
  if (!orphans_voided) return orphans_voided.status();
  finished += *orphans_voided;
  constexpr std::int64_t kOrphanAgeSeconds = 3600;  // older than any add() still running
  Result<int> orphans = store.remove_orphan_documents(kOrphanAgeSeconds);
  if (!orphans) return orphans.status();
  return finished;
}

}  // namespace pp
