// ledger-rows.cpp: reading accounts, reservations and journal entries, and appending entries.
#include <cstring>
#include <stdexcept>

#include "ledger/ledger-chain.h"
#include "ledger/ledger-rows.h"
#include "ledger/ledger-sqlite.h"
#include "sqlite/rows.h"

namespace pp::ledger_detail {

const char* const kAccountColumns =
    "SELECT id, name, type, display_name, balance, reserved, credit_limit, unlimited, enabled,"
    "       created_at, coalesce((SELECT allocated FROM account_allocated"
    "                             WHERE account_id = accounts.id), 0)"
    "  FROM accounts";

const char* const kEntryColumns =
    "SELECT j.id, j.account_id, a.name, j.kind, j.amount, j.reservation_id, j.idempotency_key,"
    "       j.actor, j.note, j.created_at, coalesce(ja.allocated, 0),"
    "       (ja.entry_id IS NOT NULL) + 1"
    "  FROM journal j JOIN accounts a ON a.id = j.account_id"
    "  LEFT JOIN journal_allocated ja ON ja.entry_id = j.id";

const char* const kReservationColumns =
    "SELECT r.id, r.account_id, a.name, r.amount, r.captured_amount, r.state, r.job_ref,"
    "       r.idempotency_key, r.created_at"
    "  FROM reservations r JOIN accounts a ON a.id = r.account_id";

Account account_from_row(SQLite::Statement& row) {
  Account account;
  std::string type;
  sqlite::read_columns(row, account.id, account.name, type, account.display_name, account.balance,
                       account.reserved, account.credit_limit, account.unlimited, account.enabled,
                       account.created_at, account.allocated);
  account.type = type == "shared" ? AccountType::kShared : AccountType::kPersonal;
  return account;
}

JournalEntry entry_from_row(SQLite::Statement& row) {
  JournalEntry entry;
  std::string kind;
  sqlite::read_columns(row, entry.id, entry.account_id, entry.account, kind, entry.amount,
                       entry.reservation_id, entry.idempotency_key, entry.actor, entry.note,
                       entry.created_at, entry.allocated, entry.chain_version);
  // The schema's CHECK admits only known kinds; check() reports anything else.
  entry.kind = parse_entry_kind(kind).value_or(EntryKind::kAdjustment);
  return entry;
}

Reservation reservation_from_row(SQLite::Statement& row) {
  Reservation reservation;
  std::string state;
  sqlite::read_columns(row, reservation.id, reservation.account_id, reservation.account,
                       reservation.amount, reservation.captured_amount, state, reservation.job_ref,
                       reservation.idempotency_key, reservation.created_at);
  reservation.state = parse_reservation_state(state).value_or(ReservationState::kOpen);
  return reservation;
}

Status unknown_account(std::string_view name) {
  return Status(Code::kNotFound, "unknown account '" + std::string(name) + "'");
}

Result<Account> SqliteLedger::load_account(std::string_view name) {
  auto found = sqlite::query_one(db_, std::string(kAccountColumns) + " WHERE name = ?",
                                 account_from_row, std::string(name));
  if (!found) return unknown_account(name);
  return *found;
}

Result<Account> SqliteLedger::load_account_by_id(std::int64_t id) {
  auto found =
      sqlite::query_one(db_, std::string(kAccountColumns) + " WHERE id = ?", account_from_row, id);
  if (!found) return Status(Code::kNotFound, "unknown account id " + std::to_string(id));
  return *found;
}

Result<Reservation> SqliteLedger::load_reservation(std::int64_t id) {
  auto found = sqlite::query_one(db_, std::string(kReservationColumns) + " WHERE r.id = ?",
                                 reservation_from_row, id);
  if (!found) return Status(Code::kNotFound, "unknown reservation " + std::to_string(id));
  return *found;
}

std::optional<JournalEntry> SqliteLedger::load_entry_by_key(std::string_view key) {
  return sqlite::query_one(db_, std::string(kEntryColumns) + " WHERE j.idempotency_key = ?",
                           entry_from_row, std::string(key));
}

JournalEntry SqliteLedger::load_entry(std::int64_t id) {
  auto found =
      sqlite::query_one(db_, std::string(kEntryColumns) + " WHERE j.id = ?", entry_from_row, id);
  if (!found) throw std::runtime_error("journal entry vanished");
  return *found;
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
                                  std::string_view actor, std::string_view note,
                                  std::int64_t allocated) {
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
  entry.allocated = moves_balance(kind) ? allocated : 0;
  entry.chain_version = entry.allocated != 0 ? 2 : 1;  // 008-origins.sql
  ChainHash hash = chain_hash(previous, entry);

  SQLite::Statement insert(db_,
                           "INSERT INTO journal (id, account_id, kind, amount, reservation_id,"
                           "                     idempotency_key, actor, note, created_at, hash)"
                           " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  sqlite::bind_values(insert, entry.id, account_id, std::string(entry_kind_name(kind)), amount);
  if (reservation_id) insert.bind(5, *reservation_id);  // else stays NULL
  insert.bind(6, entry.idempotency_key);
  insert.bind(7, entry.actor);
  insert.bind(8, entry.note);
  insert.bind(9, entry.created_at);
  insert.bind(10, hash.data(), static_cast<int>(hash.size()));
  insert.exec();
  if (entry.allocated != 0) {
    SQLite::Statement part(db_,
                           "INSERT INTO journal_allocated (entry_id, allocated) VALUES (?, ?)");
    sqlite::bind_values(part, entry.id, entry.allocated);
    part.exec();
    // Two statements, not an upsert: SQLite checks the CHECK (>= 0) on the row to be inserted.
    SQLite::Statement row(db_,
                          "INSERT OR IGNORE INTO account_allocated (account_id, allocated)"
                          " VALUES (?, 0)");
    row.bind(1, account_id);
    row.exec();
    SQLite::Statement cached(
        db_, "UPDATE account_allocated SET allocated = allocated + ? WHERE account_id = ?");
    sqlite::bind_values(cached, entry.allocated, account_id);
    cached.exec();
  }

  SQLite::Statement update(db_,
                           "UPDATE accounts SET balance = balance + ?, reserved = reserved + ?"
                           " WHERE id = ?");
  sqlite::bind_values(update, moves_balance(kind) ? amount : std::int64_t{0},
                      reserved_delta(kind, amount), account_id);
  update.exec();

  return load_entry(entry.id);
}

}  // namespace pp::ledger_detail
