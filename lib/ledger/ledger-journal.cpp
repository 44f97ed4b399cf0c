// ledger-journal.cpp: idempotent replay, top-ups, adjustments and account history.
//
// Idempotency: a key names one money call forever. Its "parameters" are what moves money:
// the kind of call, the account, the amount and (for capture, void and refund) the
// reservation. actor, note and job_ref are descriptive and do not take part, so a retry from
// another process (the backend after pullprintd crashed) is still recognised as the same call.
#include "ledger/ledger-rows.h"
#include "ledger/ledger-sqlite.h"

namespace pp::ledger_detail {

Status check_amount(std::int64_t amount, AmountRule rule) {
  if (amount > kMaxAmount || amount < -kMaxAmount) {
    return Status(Code::kInvalidArgument, "amount " + std::to_string(amount) + " is out of range");
  }
  bool ok = rule == AmountRule::kPositive      ? amount > 0
            : rule == AmountRule::kNotNegative ? amount >= 0
                                               : amount != 0;
  if (ok) return Status::ok();
  const char* wanted = rule == AmountRule::kPositive      ? "positive"
                       : rule == AmountRule::kNotNegative ? "zero or positive"
                                                          : "non-zero";
  return Status(Code::kInvalidArgument,
                "amount must be " + std::string(wanted) + ", not " + std::to_string(amount));
}

namespace {

// "capture of -25 on account 'alice' (reservation 3)"
std::string describe(std::string_view kind, std::int64_t amount, std::string_view account,
                     std::optional<std::int64_t> reservation_id) {
  std::string text = std::string(kind) + " of " + std::to_string(amount) + " on account '" +
                     std::string(account) + "'";
  if (reservation_id) text += " (reservation " + std::to_string(*reservation_id) + ")";
  return text;
}

}  // namespace

Result<std::optional<JournalEntry>> SqliteLedger::replay(
    std::string_view key, EntryKind kind, std::int64_t account_id, std::int64_t amount,
    std::optional<std::int64_t> reservation_id) {
  std::optional<JournalEntry> found = load_entry_by_key(key);
  if (!found) return std::optional<JournalEntry>();
  // A reserve call cannot know its reservation id in advance; it is the entry's own.
  bool same_reservation = kind == EntryKind::kReserve || found->reservation_id == reservation_id;
  if (found->kind == kind && found->account_id == account_id && found->amount == amount &&
      same_reservation) {
    return found;
  }
  Result<Account> account = load_account_by_id(account_id);
  std::string this_call =
      describe(entry_kind_name(kind), amount, account.ok() ? account->name : "?", reservation_id);
  return Status(Code::kConflict,
                "idempotency key '" + std::string(key) + "' was already used for " +
                    describe(entry_kind_name(found->kind), found->amount, found->account,
                             found->reservation_id) +
                    " (entry " + std::to_string(found->id) + "), not for " + this_call);
}

Result<JournalEntry> SqliteLedger::simple_entry(std::string_view account, EntryKind kind,
                                                std::int64_t amount, std::string_view key,
                                                std::string_view actor, std::string_view note) {
  if (Status status = check_key(key); !status.is_ok()) return status;
  return write([&]() -> Result<JournalEntry> {
    Result<Account> found = load_account(account);
    if (!found.ok()) return found.status();
    auto prior = replay(key, kind, found->id, amount, std::nullopt);
    if (!prior.ok()) return prior.status();
    if (*prior) return **prior;
    return append(found->id, kind, amount, std::nullopt, key, actor, note);
  });
}

// Adds money to an account (cashier, online payment, admin).
Result<JournalEntry> SqliteLedger::top_up(std::string_view account, std::int64_t amount,
                                          std::string_view key, std::string_view actor,
                                          std::string_view note) {
  if (Status status = check_amount(amount, AmountRule::kPositive); !status.is_ok()) return status;
  return simple_entry(account, EntryKind::kTopUp, amount, key, actor, note);
}

// Corrects a balance up or down; the note should say why.
Result<JournalEntry> SqliteLedger::adjust(std::string_view account, std::int64_t signed_amount,
                                          std::string_view key, std::string_view actor,
                                          std::string_view note) {
  if (Status status = check_amount(signed_amount, AmountRule::kNonZero); !status.is_ok()) {
    return status;
  }
  return simple_entry(account, EntryKind::kAdjustment, signed_amount, key, actor, note);
}

// The newest `limit` entries of an account, newest first; limit <= 0 means all.
Result<std::vector<JournalEntry>> SqliteLedger::history(std::string_view account, int limit) {
  return read([&]() -> Result<std::vector<JournalEntry>> {
    Result<Account> found = load_account(account);
    if (!found.ok()) return found.status();
    SQLite::Statement query(
        db_, std::string(kEntryColumns) + " WHERE j.account_id = ? ORDER BY j.id DESC LIMIT ?");
    query.bind(1, found->id);
    query.bind(2, limit > 0 ? limit : -1);  // SQLite: LIMIT -1 is no limit
    std::vector<JournalEntry> entries;
    while (query.executeStep()) entries.push_back(entry_from_row(query));
    return entries;
  });
}

}  // namespace pp::ledger_detail
