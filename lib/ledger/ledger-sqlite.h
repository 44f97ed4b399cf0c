// ledger-sqlite.h: the SQLite store behind pp::Ledger (private to lib/ledger).
//
// One SqliteLedger owns one connection. Every write runs in its own BEGIN IMMEDIATE
// transaction: SQLite then takes the database's single write lock up front (waiting up to the
// busy timeout), so read-check-write sequences such as "is there enough money? then hold it"
// cannot interleave with another process, and a transaction never has to be retried halfway.
// A mutex makes one instance usable from several threads; processes each open their own.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <optional>
#include <string>
#include <string_view>

#include "ledger/ledger.h"
#include "sqlite/connection.h"
#include "util/utc-time.h"  // now_utc(), the rows' time stamps

namespace pp::ledger_detail {

// Names stored in the database <-> enums (the names are part of the schema).
std::string_view account_type_name(AccountType type);
std::string_view reservation_state_name(ReservationState state);
std::optional<ReservationState> parse_reservation_state(std::string_view name);

// kInvalidArgument unless `value` is a usable name (non-empty, at most 256 bytes, no control
// characters); `what` names it in the message ("account name", "user").
Status check_name(std::string_view what, std::string_view value);
// kInvalidArgument for an empty idempotency key.
Status check_key(std::string_view key);

// Largest amount one call may move (10^12 minor units): far above any real top-up or job, far
// below where sums of many entries could overflow 64 bits.
inline constexpr std::int64_t kMaxAmount = 1'000'000'000'000;
enum class AmountRule { kPositive, kNotNegative, kNonZero };
// kInvalidArgument unless `amount` obeys `rule` and |amount| <= kMaxAmount.
Status check_amount(std::int64_t amount, AmountRule rule);

class SqliteLedger final : public Ledger {
 public:
  explicit SqliteLedger(const std::string& path);  // throws SQLite::Exception

  // Sets the connection pragmas and brings the schema up to date.
  Status initialize();

  Result<Account> create_account(const NewAccount& account) override;
  Result<Account> get_account(std::string_view name) override;
  Result<std::vector<Account>> list_accounts() override;
  Result<Account> ensure_personal_account(std::string_view user,
                                          std::int64_t initial_balance) override;
  Status set_credit_limit(std::string_view account, std::int64_t credit_limit,
                          bool unlimited) override;
  Status set_enabled(std::string_view account, bool enabled) override;

  Status add_member(std::string_view account, std::string_view user) override;
  Status remove_member(std::string_view account, std::string_view user) override;
  Result<bool> may_charge(std::string_view user, std::string_view account) override;
  Result<std::vector<std::string>> members(std::string_view account) override;

  Result<JournalEntry> top_up(std::string_view account, std::int64_t amount, std::string_view key,
                              std::string_view actor, std::string_view note) override;
  Result<JournalEntry> adjust(std::string_view account, std::int64_t signed_amount,
                              std::string_view key, std::string_view actor,
                              std::string_view note) override;
  Result<Reservation> reserve(std::string_view account, std::int64_t amount, std::string_view key,
                              std::string_view job_ref, std::string_view actor) override;
  Result<JournalEntry> capture(std::int64_t reservation_id, std::int64_t amount,
                               std::string_view key, std::string_view actor) override;
  Result<JournalEntry> void_reservation(std::int64_t reservation_id, std::string_view key,
                                        std::string_view actor, std::string_view note) override;
  Result<JournalEntry> refund(std::int64_t reservation_id, std::int64_t amount,
                              std::string_view key, std::string_view actor,
                              std::string_view note) override;
  Result<JournalEntry> allocate(std::string_view account, const AllocationChange& change,
                                std::string_view key, std::string_view actor,
                                std::string_view note) override;
  Result<JournalEntry> payout(std::string_view account, std::string_view key,
                              std::string_view actor, std::string_view note) override;

  Result<Transfer> transfer(std::string_view from, std::string_view to, std::int64_t amount,
                            const TransferKeys& keys, std::string_view actor,
                            std::string_view note) override;

  Result<Reservation> get_reservation(std::int64_t reservation_id) override;
  Result<std::optional<Reservation>> find_reservation_by_key(std::string_view key) override;
  Result<std::vector<Reservation>> open_reservations(std::string_view job_ref_prefix) override;
  Result<std::vector<JournalEntry>> history(std::string_view account, int limit) override;
  Result<std::vector<HistoryEntry>> history_page(std::string_view account, std::int64_t before_id,
                                                 int limit) override;
  Result<std::vector<MemberCandidates>> member_candidates(std::string_view user) override;
  Result<std::vector<JournalEntry>> entries_with_key_prefix(std::string_view key_prefix) override;
  Result<std::vector<HistoryEntry>> journal_page(const JournalFilter& filter) override;

  Result<LedgerCheck> check() override;

 private:
  Status initialize_once();  // throws SQLite::Exception

  // Write and read transactions (see sqlite/connection.h).
  template <typename F>
  auto write(F&& body) {
    return connection_.write(std::forward<F>(body));
  }
  template <typename F>
  auto read(F&& body) {
    return connection_.read(std::forward<F>(body));
  }

  // Row access; call only inside read() or write().
  Result<Account> load_account(std::string_view name);
  Result<Account> load_account_by_id(std::int64_t id);
  Result<Reservation> load_reservation(std::int64_t id);
  std::optional<JournalEntry> load_entry_by_key(std::string_view key);
  JournalEntry load_entry(std::int64_t id);

  // Appends one entry to the journal (hash-chained) and applies its effect to the cached
  // balance/reserved of its account, and `allocated` (the part of `amount` that moves
  // allocated money, see the origin rules in ledger.h) to its allocated part. Call only inside
  // write().
  JournalEntry append(std::int64_t account_id, EntryKind kind, std::int64_t amount,
                      std::optional<std::int64_t> reservation_id, std::string_view key,
                      std::string_view actor, std::string_view note, std::int64_t allocated = 0);

  // Idempotency of the calls whose amount is computed inside the transaction (allocate,
  // payout): the entry stored under `key` when it is on the same account, kConflict when on
  // another, std::nullopt if the key is new.
  Result<std::optional<JournalEntry>> replay_computed(std::string_view key,
                                                      std::int64_t account_id);

  // Idempotency: the entry already stored under `key` if it matches the call, kConflict if the
  // key was used for something else, std::nullopt if the key is new.
  Result<std::optional<JournalEntry>> replay(std::string_view key, EntryKind kind,
                                             std::int64_t account_id, std::int64_t amount,
                                             std::optional<std::int64_t> reservation_id);

  Result<JournalEntry> simple_entry(std::string_view account, EntryKind kind, std::int64_t amount,
                                    std::string_view key, std::string_view actor,
                                    std::string_view note);
  Result<JournalEntry> close_reservation(std::int64_t reservation_id, EntryKind kind,
                                         std::int64_t amount, std::string_view key,
                                         std::string_view actor, std::string_view note);

  sqlite::Connection connection_;
  SQLite::Database& db_ = connection_.db();
  std::string path_;
};

}  // namespace pp::ledger_detail
