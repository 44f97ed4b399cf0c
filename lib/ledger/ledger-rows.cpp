// ledger-rows.cpp: reading accounts, reservations and journal entries, and appending entries.
#include <cstring>
#include <stdexcept>

#include "ledger/ledger-chain.h"
#include "ledger/ledger-rows.h"
#include "ledger/ledger-sqlite.h"

namespace pp::ledger_detail {

const char* const kAccountColumns =
    "SELECT id, name, type, display_name, balance, reserved, credit_limit, unlimited, enabled,"
    "       created_at"
    "  FROM accounts";

const char* const kEntryColumns =
    "SELECT j.id, j.account_id, a.name, j.kind, j.amount, j.reservation_id, j.idempotency_key,"
    "       j.actor, j.note, j.created_at"
    "  FROM journal j JOIN accounts a ON a.id = j.account_id";

const char* const kReservationColumns =
    "SELECT r.id, r.account_id, a.name, r.amount, r.captured_amount, r.state, r.job_ref,"
    "       r.idempotency_key, r.created_at"
    "  FROM reservations r JOIN accounts a ON a.id = r.account_id";

Account account_from_row(SQLite::Statement& row) {
  Account account;
  account.id = row.getColumn(0).getInt64();
  account.name = row.getColumn(1).getString();
  account.type =
      row.getColumn(2).getString() == "shared" ? AccountType::kShared : AccountType::kPersonal;
  account.display_name = row.getColumn(3).getString();
  account.balance = row.getColumn(4).getInt64();
  account.reserved = row.getColumn(5).getInt64();
  account.credit_limit = row.getColumn(6).getInt64();
  account.unlimited = row.getColumn(7).getInt() != 0;
  account.enabled = row.getColumn(8).getInt() != 0;
  account.created_at = row.getColumn(9).getString();
  return account;
}

JournalEntry entry_from_row(SQLite::Statement& row) {
  JournalEntry entry;
  entry.id = row.getColumn(0).getInt64();
  entry.account_id = row.getColumn(1).getInt64();
  entry.account = row.getColumn(2).getString();
  // The schema's CHECK admits only known kinds; check() reports anything else.
  entry.kind = parse_entry_kind(row.getColumn(3).getString()).value_or(EntryKind::kAdjustment);
  entry.amount = row.getColumn(4).getInt64();
  if (!row.getColumn(5).isNull()) entry.reservation_id = row.getColumn(5).getInt64();
  entry.idempotency_key = row.getColumn(6).getString();
  entry.actor = row.getColumn(7).getString();
  entry.note = row.getColumn(8).getString();
  entry.created_at = row.getColumn(9).getString();
  return entry;
}

Reservation reservation_from_row(SQLite::Statement& row) {
  Reservation reservation;
  reservation.id = row.getColumn(0).getInt64();
  reservation.account_id = row.getColumn(1).getInt64();
  reservation.account = row.getColumn(2).getString();
  reservation.amount = row.getColumn(3).getInt64();
  reservation.captured_amount = row.getColumn(4).getInt64();
  reservation.state =
      parse_reservation_state(row.getColumn(5).getString()).value_or(ReservationState::kOpen);
  reservation.job_ref = row.getColumn(6).getString();
  reservation.idempotency_key = row.getColumn(7).getString();
  reservation.created_at = row.getColumn(8).getString();
  return reservation;
}

Status unknown_account(std::string_view name) {
  return Status(Code::kNotFound, "unknown account '" + std::string(name) + "'");
}

Result<Account> SqliteLedger::load_account(std::string_view name) {
  SQLite::Statement query(db_, std::string(kAccountColumns) + " WHERE name = ?");
  query.bind(1, std::string(name));
  if (!query.executeStep()) return unknown_account(name);
  return account_from_row(query);
}

Result<Account> SqliteLedger::load_account_by_id(std::int64_t id) {
  SQLite::Statement query(db_, std::string(kAccountColumns) + " WHERE id = ?");
  query.bind(1, id);
  if (!query.executeStep()) {
    return Status(Code::kNotFound, "unknown account id " + std::to_string(id));
  }
  return account_from_row(query);
}

Result<Reservation> SqliteLedger::load_reservation(std::int64_t id) {
  SQLite::Statement query(db_, std::string(kReservationColumns) + " WHERE r.id = ?");
  query.bind(1, id);
  if (!query.executeStep()) {
    return Status(Code::kNotFound, "unknown reservation " + std::to_string(id));
  }
  return reservation_from_row(query);
}

std::optional<JournalEntry> SqliteLedger::load_entry_by_key(std::string_view key) {
  SQLite::Statement query(db_, std::string(kEntryColumns) + " WHERE j.idempotency_key = ?");
  query.bind(1, std::string(key));
  if (!query.executeStep()) return std::nullopt;
  return entry_from_row(query);
}

JournalEntry SqliteLedger::load_entry(std::int64_t id) {
  SQLite::Statement query(db_, std::string(kEntryColumns) + " WHERE j.id = ?");
  query.bind(1, id);
  if (!query.executeStep()) throw std::runtime_error("journal entry vanished");
  return entry_from_row(query);
}

namespace {

// Whether an entry of this kind changes the balance (reserve and void only move holds).
bool moves_balance(EntryKind kind) {
  return kind != EntryKind::kReserve && kind != EntryKind::kVoid;
}

// Change of the account's `reserved` caused by an entry of this kind; capture also releases
// the hold, which close_reservation() applies itself because it knows the held amount.
std::int64_t reserved_delta(EntryKind kind, std::int64_t amount) {
  if (kind == EntryKind::kReserve) return amount;
  if (kind == EntryKind::kVoid) return -amount;
  return 0;
}

}  // namespace

JournalEntry SqliteLedger::append(std::int64_t account_id, EntryKind kind, std::int64_t amount,
                                  std::optional<std::int64_t> reservation_id, std::string_view key,
                                  std::string_view actor, std::string_view note) {
  // The write lock (BEGIN IMMEDIATE) is held, so "last entry + 1" cannot race.
  ChainHash previous = kChainStart;
  std::int64_t last_id = 0;
  SQLite::Statement last(db_, "SELECT id, hash FROM journal ORDER BY id DESC LIMIT 1");
  if (last.executeStep()) {
    last_id = last.getColumn(0).getInt64();
    const auto& hash = last.getColumn(1);
    if (hash.getBytes() == static_cast<int>(previous.size())) {
      std::memcpy(previous.data(), hash.getBlob(), previous.size());
    }
  }

  JournalEntry entry;
  entry.id = last_id + 1;
  entry.account_id = account_id;
  entry.kind = kind;
  entry.amount = amount;
  entry.reservation_id = reservation_id;
  entry.idempotency_key = key;
  entry.actor = actor;
  entry.note = note;
  entry.created_at = now_utc();
  ChainHash hash = chain_hash(previous, entry);

  SQLite::Statement insert(db_,
                           "INSERT INTO journal (id, account_id, kind, amount, reservation_id,"
                           "                     idempotency_key, actor, note, created_at, hash)"
                           " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  insert.bind(1, entry.id);
  insert.bind(2, account_id);
  insert.bind(3, std::string(entry_kind_name(kind)));
  insert.bind(4, amount);
  if (reservation_id) insert.bind(5, *reservation_id);  // else stays NULL
  insert.bind(6, entry.idempotency_key);
  insert.bind(7, entry.actor);
  insert.bind(8, entry.note);
  insert.bind(9, entry.created_at);
  insert.bind(10, hash.data(), static_cast<int>(hash.size()));
  insert.exec();

  SQLite::Statement update(db_,
                           "UPDATE accounts SET balance = balance + ?, reserved = reserved + ?"
                           " WHERE id = ?");
  update.bind(1, moves_balance(kind) ? amount : std::int64_t{0});
  update.bind(2, reserved_delta(kind, amount));
  update.bind(3, account_id);
  update.exec();

  return load_entry(entry.id);
}

}  // namespace pp::ledger_detail
