// split-check.cpp: check_splits, the shares against the ledger.
#include "splits/split-check.h"

#include "splits/split-store-sqlite.h"

namespace pp {

namespace {

std::string name_of(const Split& split, const Share& share) {
  return "split of job " + split.job_ref + ", share " + std::to_string(share.id) + " (" +
         share.key_name() + ", " + std::string(share_state_name(share.state)) + "): ";
}

std::string money(std::int64_t amount) {
  return std::to_string(amount);
}

// The reservation the share's reserve key holds, if any.
Result<std::optional<Reservation>> reservation_of(Ledger& ledger, const Share& share) {
  return ledger.find_reservation_by_key(share.part_ref().reserve_key());
}

Status check_share(Ledger& ledger, const Split& split, const Share& share,
                   std::vector<std::string>& violations) {
  const std::string name = name_of(split, share);
  Result<std::optional<Reservation>> held = reservation_of(ledger, share);
  if (!held) return held.status();
  const std::optional<Reservation>& reservation = *held;
  switch (share.state) {
    case ShareState::kPending: break;
    case ShareState::kApproved:
    case ShareState::kPrinted: {
      if (!reservation) {
        violations.push_back(name + "no reservation under " + share.part_ref().reserve_key());
        break;
      }
      if (share.reservation_id != reservation->id) {
        violations.push_back(name + "records reservation " +
                             (share.reservation_id ? std::to_string(*share.reservation_id) : "none") +
                             ", its key holds " + std::to_string(reservation->id));
      }
      if (reservation->account != share.payer)
        violations.push_back(name + "reservation is on account " + reservation->account);
      if (reservation->amount != share.amount) {
        violations.push_back(name + "reservation holds " + money(reservation->amount) +
                             ", the share is " + money(share.amount));
      }
      if (share.state == ShareState::kApproved &&
          reservation->state == ReservationState::kVoided) {
        violations.push_back(name + "reservation " + std::to_string(reservation->id) +
                             " is voided");
      }
      if (share.state == ShareState::kPrinted &&
          (reservation->state != ReservationState::kCaptured ||
           reservation->captured_amount != share.amount)) {
        violations.push_back(name + "expected reservation " + std::to_string(reservation->id) +
                             " captured at " + money(share.amount) + ", found it " +
                             (reservation->state == ReservationState::kOpen ? "open" : "not captured"));
      }
      break;
    }
    case ShareState::kDeclined:
    case ShareState::kExpired:
    case ShareState::kDiscarded:
      if (reservation && reservation->state == ReservationState::kOpen) {
        violations.push_back(name + "reservation " + std::to_string(reservation->id) +
                             " is still open");
      }
      if (reservation && reservation->state == ReservationState::kCaptured) {
        violations.push_back(name + "reservation " + std::to_string(reservation->id) +
                             " was captured");
      }
      break;
  }
  return Status::ok();
}

void check_sums(const Split& split, std::vector<std::string>& violations) {
  const std::string name = "split of job " + split.job_ref + ": ";
  std::int64_t parts = 0, paying = 0;
  bool pending = false;
  for (const Share& share : split.shares) {
    pending = pending || share.state == ShareState::kPending;
    if (share.state == ShareState::kApproved || share.state == ShareState::kPrinted)
      paying += share.amount;
    if (share.is_cover()) {
      const Share* covered = nullptr;
      for (const Share& other : split.shares) {
        if (!other.is_cover() && other.payer == share.cover_of) covered = &other;
      }
      if (!covered || (covered->state != ShareState::kDeclined &&
                       covered->state != ShareState::kExpired)) {
        violations.push_back(name + "cover share " + std::to_string(share.id) + " covers " +
                             share.cover_of + ", who did not decline or expire");
      } else if (covered->amount != share.amount) {
        violations.push_back(name + "cover share " + std::to_string(share.id) + " is " +
                             money(share.amount) + ", the share it covers " +
                             money(covered->amount));
      }
      continue;
    }
    parts += share.amount;
  }
  if (parts != split.price) {
    violations.push_back(name + "the parts sum to " + money(parts) + ", the price is " +
                         money(split.price));
  }
  if (split.mode == SplitMode::kRatio && split.state != SplitState::kCancelled && !pending &&
      paying != split.price) {
    violations.push_back(name + "approved and printed shares sum to " + money(paying) +
                         ", the price is " + money(split.price));
  }
}

}  // namespace

Result<SplitCheck> check_splits(SplitStore& store, Ledger& ledger) {
  Result<std::vector<Split>> splits = store.list_splits(std::nullopt);
  if (!splits) return splits.status();
  SplitCheck check;
  for (const Split& split : *splits) {
    ++check.splits;
    for (const Share& share : split.shares) {
      ++check.shares;
      if (Status status = check_share(ledger, split, share, check.violations); !status.is_ok())
        return status;
    }
    check_sums(split, check.violations);
  }
  return check;
}

}  // namespace pp
