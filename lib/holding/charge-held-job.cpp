// charge-held-job.cpp: moving a held job's reservation to another account (charge-held-job.h:
// reserve on the new, compare-and-set in the job store, void the old; keys from
// ledger/charge-move-key.h).
#include "holding/charge-held-job.h"

#include <algorithm>
#include <vector>

#include "ledger/charge-move-key.h"
#include "ledger/job-ref.h"

namespace pp {
namespace {

// Whether the job's owner may charge `account`: their own, or a shared account that admits them
// (payer.h's rule, the same as a job-account-id at submission).
Result<bool> owner_may_charge(Ledger& ledger, const HeldJob& job, const std::string& account,
                              const GroupCheck& in_group) {
  if (account == job.owner) return true;
  Result<std::vector<Account>> accounts = chargeable_accounts(ledger, job.owner, in_group);
  if (!accounts) return accounts.status();
  return std::any_of(accounts->begin(), accounts->end(),
                     [&](const Account& candidate) { return candidate.name == account; });
}

// A retry after the commit point: the job holds the move's reservation; the reservation it
// moved away from is voided if a crash left it open.
Status finish_move(Ledger& ledger, const HeldJob& job, const std::string& actor) {
  if (!job.reservation_id) return Status::ok();
  Result<Reservation> current = ledger.get_reservation(*job.reservation_id);
  if (!current) return current.status();
  const std::optional<std::int64_t> from = charge_move_origin(current->idempotency_key);
  if (!from) return Status::ok();  // the job's first reservation: nothing was moved
  Result<Reservation> old = ledger.get_reservation(*from);
  if (!old) return old.status();
  if (old->state != ReservationState::kOpen) return Status::ok();
  Result<JournalEntry> voided = ledger.void_reservation(
      *from, charge_move_keys(JobRef::held(job.uuid), *from).void_old, actor,
      "held job " + std::to_string(job.id) + " charged to " + job.payer + " instead");
  return voided.status();
}

}  // namespace

Result<HeldJob> charge_held_job_to(Site& site, std::int64_t job_id, const ChargeTarget& target,
                                   const GroupCheck& in_group) {
  JobStore& store = site.jobs();
  Ledger& ledger = site.ledger();
  Result<HeldJob> job = store.get(job_id);
  if (!job) return job.status();
  const std::string name = "job " + std::to_string(job_id);
  if (job->payer == target.account) {
    if (Status finished = finish_move(ledger, *job, target.actor); !finished.is_ok())
      return finished;
    return job;
  }
  if (job->state != HeldJobState::kHeld)
    return Status(Code::kConflict,
                  name + " is " + std::string(held_job_state_name(job->state)) + ", not held");
  const JobRef ref = JobRef::held(job->uuid);
  Result<Split> split = site.splits().get_split(ref.str());
  if (split) return Status(Code::kConflict, name + " has a split: its payers pay their parts");
  if (split.status().code() != Code::kNotFound) return split.status();
  if (!job->reservation_id) return Status(Code::kConflict, name + " holds no reservation");
  Result<Account> account = ledger.get_account(target.account);
  if (!account) return account.status();
  if (!target.any_account) {
    Result<bool> allowed = owner_may_charge(ledger, *job, target.account, in_group);
    if (!allowed) return allowed.status();
    if (!*allowed)
      return Status(Code::kPermissionDenied,
                    job->owner + " may not charge account " + target.account);
  }
  Result<Reservation> old = ledger.get_reservation(*job->reservation_id);
  if (!old) return old.status();
  if (old->state != ReservationState::kOpen)
    return Status(Code::kConflict, name + "'s reservation is no longer open");

  // (1) the new account holds the price, or nothing changes.
  const ChargeMoveKeys keys = charge_move_keys(ref, old->id);
  Result<Reservation> reserved =
      ledger.reserve(target.account, old->amount, keys.reserve, ref.str(), target.actor);
  if (!reserved) return reserved.status();
  if (reserved->state != ReservationState::kOpen)  // this very move was undone before
    return Status(Code::kConflict, "an earlier charge of " + name + " to " + target.account +
                                       " was undone; release or cancel the job instead");
  // (2) the commit point.
  if (Status moved = store.change_payer(job_id, old->id, target.account, reserved->id);
      !moved.is_ok()) {
    Result<JournalEntry> undone = ledger.void_reservation(
        reserved->id, keys.undo, target.actor, name + " could not be charged to " + target.account);
    return with_cleanup_failure(moved, undone.status(), "voiding the new reservation");
  }
  // (3) the old account's money is free again.
  Result<JournalEntry> voided = ledger.void_reservation(
      old->id, keys.void_old, target.actor,
      "held " + name + " charged to " + target.account + " instead by " + target.actor);
  if (!voided) return voided.status();
  return store.get(job_id);
}

}  // namespace pp
