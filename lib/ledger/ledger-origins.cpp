// ledger-origins.cpp: the calls that move money by its origin: allocate() (allocated money
// only) and payout() (self-paid money only), and finding entries by key prefix.
//
// Both compute their amount from the account inside the write transaction (a reset tops up to
// a target, a payout pays what the user paid), so a retry with the same key cannot compare
// amounts as replay() does: the first entry stands (replay_computed). The origin rules
// themselves are written once, in ledger.h.
#include <algorithm>

#include "ledger/ledger-rows.h"
#include "ledger/ledger-sqlite.h"

namespace pp::ledger_detail {

namespace {

Status check_change(const Ledger::AllocationChange& change) {
  if (Status status = check_amount(change.amount, AmountRule::kNotNegative); !status.is_ok()) {
    return status;
  }
  if (change.cap) return check_amount(*change.cap, AmountRule::kNotNegative);
  return Status::ok();
}

}  // namespace

Result<std::optional<JournalEntry>> SqliteLedger::replay_computed(std::string_view key,
                                                                  std::int64_t account_id) {
  std::optional<JournalEntry> found = load_entry_by_key(key);
  if (!found || found->account_id == account_id) return found;
  Result<Account> account = load_account_by_id(account_id);
  return Status(Code::kConflict, "idempotency key '" + std::string(key) +
                                     "' was already used on account '" + found->account +
                                     "' (entry " + std::to_string(found->id) + "), not on '" +
                                     (account.ok() ? account->name : "?") + "'");
}

// Moves allocated money only: a rise is an "allocation" entry, a fall an "adjustment".
Result<JournalEntry> SqliteLedger::allocate(std::string_view account,
                                            const AllocationChange& change, std::string_view key,
                                            std::string_view actor, std::string_view note) {
  if (Status status = check_change(change); !status.is_ok()) return status;
  if (Status status = check_key(key); !status.is_ok()) return status;
  return write([&]() -> Result<JournalEntry> {
    Result<Account> found = load_account(account);
    if (!found.ok()) return found.status();
    auto prior = replay_computed(key, found->id);
    if (!prior.ok()) return prior.status();
    if (*prior) return **prior;
    std::int64_t delta = change.delta(found->allocated);
    EntryKind kind = delta >= 0 ? EntryKind::kAllocation : EntryKind::kAdjustment;
    return append(found->id, kind, delta, std::nullopt, key, actor, note, delta);
  });
}

// Pays out the self-paid part of a balance (a user leaving), leaving allocated money alone.
Result<JournalEntry> SqliteLedger::payout(std::string_view account, std::string_view key,
                                          std::string_view actor, std::string_view note) {
  if (Status status = check_key(key); !status.is_ok()) return status;
  return write([&]() -> Result<JournalEntry> {
    Result<Account> found = load_account(account);
    if (!found.ok()) return found.status();
    auto prior = replay_computed(key, found->id);
    if (!prior.ok()) return prior.status();
    if (*prior) return **prior;
    if (found->reserved != 0) {
      return Status(Code::kConflict, "account '" + found->name + "' has " +
                                         std::to_string(found->reserved) +
                                         " reserved for open jobs; settle them before a payout");
    }
    if (found->self_paid() <= 0) {
      return Status(Code::kConflict, "account '" + found->name + "' has no self-paid money to " +
                                         "pay out (self-paid " +
                                         std::to_string(found->self_paid()) + ")");
    }
    return append(found->id, EntryKind::kAdjustment, -found->self_paid(), std::nullopt, key, actor,
                  note, 0);
  });
}

// Entries whose key starts with the prefix, in key order.
Result<std::vector<JournalEntry>> SqliteLedger::entries_with_key_prefix(
    std::string_view key_prefix) {
  return read([&]() -> Result<std::vector<JournalEntry>> {
    // substr() rather than LIKE: a prefix may hold '%' or '_'; the lower bound lets SQLite
    // start in the keys' unique index instead of reading the whole journal.
    SQLite::Statement query(db_, std::string(kEntryColumns) +
                                     " WHERE j.idempotency_key >= ?"
                                     "   AND substr(j.idempotency_key, 1, ?) = ?"
                                     " ORDER BY j.idempotency_key");
    query.bind(1, std::string(key_prefix));
    query.bind(2, static_cast<std::int64_t>(key_prefix.size()));
    query.bind(3, std::string(key_prefix));
    std::vector<JournalEntry> entries;
    while (query.executeStep()) entries.push_back(entry_from_row(query));
    return entries;
  });
}

}  // namespace pp::ledger_detail
