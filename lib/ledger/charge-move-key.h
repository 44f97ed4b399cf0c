// charge-move-key.h: the idempotency keys of charging a held job to another account (the
// console's "Charge to another account", lib/holding/charge-held-job.h), beside job-ref.h where
// the jobs' own keys are made.
//
//   "charge-move:<job ref>:<from reservation id>:reserve"   the new payer's reservation
//   "charge-move:<job ref>:<from reservation id>:void"      the old payer's reservation voided
//   "charge-move:<job ref>:<from reservation id>:undo"      the new reservation voided again when
//                                                           the job left `held` meanwhile
//
// Why the old reservation's id: a job may move A -> B -> A, and each move must get keys of its
// own (the job's reserve_key()/void_key() are taken by its first reservation and its final void),
// while a retry of the same move (same job, same reservation it moves away from) makes the same
// keys and so moves no money twice. The held job's reference stays the reservation's job_ref, so
// the capture at the printer ("capture:<job ref>") and the statement still name the job. Stored
// in ledgers: keep them byte for byte.
#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ledger/job-ref.h"

namespace pp {

// The prefix of every such key.
inline constexpr std::string_view kChargeMoveKeyPrefix = "charge-move:";

// The three keys of moving `job`'s charge away from reservation `from_reservation_id`.
struct ChargeMoveKeys {
  std::string reserve;   // the new payer's reservation
  std::string void_old;  // the old reservation's void
  std::string undo;      // the new reservation's void when the move could not be committed
};

// The keys of one move.
inline ChargeMoveKeys charge_move_keys(const JobRef& job, std::int64_t from_reservation_id) {
  const std::string stem =
      std::string(kChargeMoveKeyPrefix) + job.str() + ":" + std::to_string(from_reservation_id);
  return ChargeMoveKeys{stem + ":reserve", stem + ":void", stem + ":undo"};
}

// The reservation a move's ":reserve" key moved away from; nullopt for any other key.
inline std::optional<std::int64_t> charge_move_origin(std::string_view reserve_key) {
  constexpr std::string_view kSuffix = ":reserve";
  if (reserve_key.substr(0, kChargeMoveKeyPrefix.size()) != kChargeMoveKeyPrefix ||
      reserve_key.size() < kChargeMoveKeyPrefix.size() + kSuffix.size() ||
      reserve_key.substr(reserve_key.size() - kSuffix.size()) != kSuffix)
    return std::nullopt;
  const std::string_view head = reserve_key.substr(0, reserve_key.size() - kSuffix.size());
  const std::size_t colon = head.rfind(':');
  if (colon == std::string_view::npos) return std::nullopt;
  std::int64_t id = 0;
  const std::string_view digits = head.substr(colon + 1);
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), id);
  if (digits.empty() || error != std::errc() || end != digits.data() + digits.size() || id <= 0)
    return std::nullopt;
  return id;
}

}  // namespace pp
