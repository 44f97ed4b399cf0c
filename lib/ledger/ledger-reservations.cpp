// ledger-reservations.cpp: two-phase charging: reserve, capture, void, refund.
//
// reserve() holds an estimate when a job is accepted, so a payer who cannot afford it learns at
// once; capture() charges the final price once the printer took the job (it may differ from
// the estimate and never fails for lack of funds: the pages are already printed); void()
// releases the hold when nothing reached the device. A reservation closes exactly once.
#include <algorithm>

#include "ledger/ledger-rows.h"
#include "ledger/ledger-sqlite.h"
#include "sqlite/rows.h"

namespace pp::ledger_detail {

namespace {

Status insufficient_funds(const Account& account, std::int64_t amount) {
  std::string message =
      "account '" + account.name + "' has " + std::to_string(account.available()) + " available";
  if (account.credit_limit > 0) {
    message += " (credit limit " + std::to_string(account.credit_limit) + ")";
  }
  return Status(Code::kInsufficientFunds, message + ", " + std::to_string(amount) + " needed");
}

bool can_afford(const Account& account, std::int64_t amount) {
  return account.unlimited || account.available() - amount >= -account.credit_limit;
}

Status already_closed(const Reservation& reservation) {
  return Status(Code::kConflict, "reservation " + std::to_string(reservation.id) + " is already " +
                                     std::string(reservation_state_name(reservation.state)));
}

}  // namespace

// Holds `amount` on the account for a job; kInsufficientFunds when it cannot be afforded,
// kPermissionDenied when the account is disabled.
Result<Reservation> SqliteLedger::reserve(std::string_view account, std::int64_t amount,
                                          std::string_view key, std::string_view job_ref,
                                          std::string_view actor) {
  if (Status status = check_amount(amount, AmountRule::kNotNegative); !status.is_ok()) {
    return status;
  }
  if (Status status = check_key(key); !status.is_ok()) return status;
  return write([&]() -> Result<Reservation> {
    Result<Account> found = load_account(account);
    if (!found.ok()) return found.status();
    auto prior = replay(key, EntryKind::kReserve, found->id, amount, std::nullopt);
    if (!prior.ok()) return prior.status();
    if (*prior) return load_reservation(*(*prior)->reservation_id);
    if (!found->enabled) {
      return Status(Code::kPermissionDenied, "account '" + found->name + "' is disabled");
    }
    if (!can_afford(*found, amount)) return insufficient_funds(*found, amount);

    SQLite::Statement insert(db_,
                             "INSERT INTO reservations (account_id, amount, job_ref,"
                             "                          idempotency_key, created_at)"
                             " VALUES (?, ?, ?, ?, ?)");
    sqlite::bind_values(insert, found->id, amount, std::string(job_ref), std::string(key),
                        now_utc());
    insert.exec();
    std::int64_t id = db_.getLastInsertRowid();
    append(found->id, EntryKind::kReserve, amount, id, key, actor, job_ref);
    return load_reservation(id);
  });
}

Result<JournalEntry> SqliteLedger::close_reservation(std::int64_t reservation_id, EntryKind kind,
                                                     std::int64_t amount, std::string_view key,
                                                     std::string_view actor,
                                                     std::string_view note) {
  if (Status status = check_key(key); !status.is_ok()) return status;
  bool capture = kind == EntryKind::kCapture;
  return write([&]() -> Result<JournalEntry> {
    Result<Reservation> held = load_reservation(reservation_id);
    if (!held.ok()) return held.status();
    // The journal records a capture as a debit and a void as the hold it releases.
    std::int64_t entry_amount = capture ? -amount : held->amount;
    auto prior = replay(key, kind, held->account_id, entry_amount, reservation_id);
    if (!prior.ok()) return prior.status();
    if (*prior) return **prior;
    if (held->state != ReservationState::kOpen) return already_closed(*held);

    SQLite::Statement close(db_,
                            "UPDATE reservations SET state = ?, captured_amount = ?, closed_at = ?"
                            " WHERE id = ?");
    sqlite::bind_values(close, capture ? "captured" : "voided", capture ? amount : std::int64_t{0},
                        now_utc(), reservation_id);
    close.exec();
    std::int64_t allocated_part = 0;
    if (capture) {  // a void's entry releases the hold itself (see append)
      // Printing spends allocated money first (origin rules in ledger.h).
      Result<Account> payer = load_account_by_id(held->account_id);
      if (!payer.ok()) return payer.status();
      allocated_part = -std::min(amount, payer->allocated);
      SQLite::Statement release(db_, "UPDATE accounts SET reserved = reserved - ? WHERE id = ?");
      release.bind(1, held->amount);
      release.bind(2, held->account_id);
      release.exec();
    }
    return append(held->account_id, kind, entry_amount, reservation_id, key, actor, note,
                  allocated_part);
  });
}

// Charges the final price of a reserved job, releasing its hold.
Result<JournalEntry> SqliteLedger::capture(std::int64_t reservation_id, std::int64_t amount,
                                           std::string_view key, std::string_view actor) {
  if (Status status = check_amount(amount, AmountRule::kNotNegative); !status.is_ok()) {
    return status;
  }
  return close_reservation(reservation_id, EntryKind::kCapture, amount, key, actor, "");
}

// Releases a hold without charging (nothing reached the printer, job cancelled or expired).
Result<JournalEntry> SqliteLedger::void_reservation(std::int64_t reservation_id,
                                                    std::string_view key, std::string_view actor,
                                                    std::string_view note) {
  return close_reservation(reservation_id, EntryKind::kVoid, 0, key, actor, note);
}

// Gives back up to what was captured, in one or several refunds.
Result<JournalEntry> SqliteLedger::refund(std::int64_t reservation_id, std::int64_t amount,
                                          std::string_view key, std::string_view actor,
                                          std::string_view note) {
  if (Status status = check_amount(amount, AmountRule::kPositive); !status.is_ok()) return status;
  if (Status status = check_key(key); !status.is_ok()) return status;
  return write([&]() -> Result<JournalEntry> {
    Result<Reservation> held = load_reservation(reservation_id);
    if (!held.ok()) return held.status();
    auto prior = replay(key, EntryKind::kRefund, held->account_id, amount, reservation_id);
    if (!prior.ok()) return prior.status();
    if (*prior) return **prior;
    if (held->state != ReservationState::kCaptured) {
      return Status(Code::kConflict, "reservation " + std::to_string(reservation_id) + " is " +
                                         std::string(reservation_state_name(held->state)) +
                                         "; only a captured reservation can be refunded");
    }
    SQLite::Statement refunded(
        db_,
        "SELECT coalesce(sum(CASE WHEN j.kind = 'refund' THEN j.amount END), 0),"
        "       coalesce(sum(CASE WHEN j.kind = 'refund' THEN ja.allocated END), 0),"
        "       coalesce(sum(CASE WHEN j.kind = 'capture' THEN ja.allocated END), 0)"
        "  FROM journal j LEFT JOIN journal_allocated ja ON ja.entry_id = j.id"
        " WHERE j.reservation_id = ?");
    refunded.bind(1, reservation_id);
    refunded.executeStep();
    std::int64_t left = held->captured_amount - refunded.getColumn(0).getInt64();
    if (amount > left) {
      return Status(Code::kConflict,
                    "refund of " + std::to_string(amount) + " exceeds the " + std::to_string(left) +
                        " still refundable on reservation " + std::to_string(reservation_id));
    }
    // Back to the origins the capture took it from: self-paid first (the last money spent).
    std::int64_t taken_allocated = -refunded.getColumn(2).getInt64();
    std::int64_t taken_self_paid = held->captured_amount - taken_allocated;
    std::int64_t refunded_allocated = refunded.getColumn(1).getInt64();
    std::int64_t refunded_self_paid = refunded.getColumn(0).getInt64() - refunded_allocated;
    std::int64_t self_paid_part =
        std::min(amount, std::max<std::int64_t>(0, taken_self_paid - refunded_self_paid));
    return append(held->account_id, EntryKind::kRefund, amount, reservation_id, key, actor, note,
                  amount - self_paid_part);
  });
}

// One reservation; kNotFound when unknown.
Result<Reservation> SqliteLedger::get_reservation(std::int64_t reservation_id) {
  return read([&] { return load_reservation(reservation_id); });
}

// The reservation made with idempotency key `key`, if any (e.g. to resume after a crash).
Result<std::optional<Reservation>> SqliteLedger::find_reservation_by_key(std::string_view key) {
  return read([&]() -> Result<std::optional<Reservation>> {
    SQLite::Statement query(db_, std::string(kReservationColumns) + " WHERE r.idempotency_key = ?");
    query.bind(1, std::string(key));
    if (!query.executeStep()) return std::optional<Reservation>();
    return std::optional<Reservation>(reservation_from_row(query));
  });
}

// Open reservations of jobs whose reference starts with the prefix, oldest first.
Result<std::vector<Reservation>> SqliteLedger::open_reservations(std::string_view job_ref_prefix) {
  return read([&]() -> Result<std::vector<Reservation>> {
    // substr() rather than LIKE: a prefix may hold '%' or '_'.
    SQLite::Statement query(db_, std::string(kReservationColumns) +
                                     " WHERE r.state = 'open' AND substr(r.job_ref, 1, ?) = ?"
                                     " ORDER BY r.id");
    query.bind(1, static_cast<std::int64_t>(job_ref_prefix.size()));
    query.bind(2, std::string(job_ref_prefix));
    std::vector<Reservation> reservations;
    while (query.executeStep()) reservations.push_back(reservation_from_row(query));
    return reservations;
  });
}

}  // namespace pp::ledger_detail
