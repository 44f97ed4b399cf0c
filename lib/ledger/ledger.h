// ledger.h: accounts and the append-only money journal, behind a store-neutral interface.
//
// Every change of money is a journal entry with an idempotency key: repeating a call with the
// same key and the same parameters returns the first result and changes nothing; the same key
// with different parameters is a kConflict. Balances are cached on the account row in the same
// transaction as the entry, and check() proves they equal the journal.
//
// Two-phase charging: reserve() holds an amount (available = balance - open reservations, and
// may not go below -credit_limit unless the account is unlimited); capture() turns a reservation
// into a debit at the final price; void_reservation() releases it.
//
// Money by origin: a balance holds allocated money (given by the site) and self-paid money apart
// (Account::allocated, Account::self_paid()). Each entry says in JournalEntry::allocated which
// part of its amount moved allocated money; the rules below are the same for every store.
//
// The embedded store is SQLite (open_sqlite_ledger); a site with several servers can provide
// another implementation of Ledger (e.g. PostgreSQL) without touching callers: Site::open
// (site/site.h) is the one place that picks it.
//
// Contract for an implementation (what the callers and `pullprint ledger check` rely on):
//  - Each money call is one transaction: the entry, the reservation row and the cached balance
//    change together or not at all; the availability check of reserve() and its insert are in
//    the same serialised write (SQLite: BEGIN IMMEDIATE; PostgreSQL: SERIALIZABLE, or a row
//    lock on the account taken before the check), so two processes never both spend the last
//    cent.
//  - Idempotency keys are unique across the whole journal, enforced by the store (a unique
//    index), not by a read before the write: a replay from another process or after a crash
//    must find the first entry.
//  - Several processes (pullprintd, filter, backend, CLI, PAM) use the store at once, each with
//    its own connection; a busy store waits (a bounded timeout, then kIoError), never fails at
//    once.
//  - The journal is append-only and hash-chained (ledger-chain.h); check() reads only.
//  - Origins (allocated vs self-paid), in the same transaction as the entry:
//     * allocate() moves only allocated money (entry.allocated = entry.amount); a rise is an
//       "allocation" entry, a fall (expiry) an "adjustment" entry; allocated money never goes
//       below 0. ensure_personal_account()'s initial balance is allocated money.
//     * top_up() and adjust() are self-paid (entry.allocated = 0): an adjustment corrects what
//       the user paid; allocated money is changed only by allocate().
//     * capture() spends allocated money first: entry.allocated = -min(price, allocated); the
//       rest is self-paid, which may go below 0 (credit limit, or a final price above the hold).
//     * refund() returns money to the origins its capture took it from, self-paid first (the
//       last money spent), then allocated, never more of either than the capture took.
//     * payout() pays a leaving user their self-paid money (an "adjustment" of -self_paid).
//     * reserve()/void_reservation() move no money: entry.allocated = 0.
//    check() proves sum(entry.allocated) per account = Account::allocated (>= 0), as it proves
//    the balance; self-paid = balance - allocated follows. The hash of an entry that moved
//    allocated money covers that part (JournalEntry::chain_version 2); every other entry,
//    including all written before origins existed, is hashed as before (version 1, allocated
//    0), so an existing ledger verifies unchanged.
//  - The ledger's schema migrations also create the tables of the stores that live beside it
//    (cards, deliveries, splits); an implementation keeps them in the same database, as the
//    other stores may read ledger rows (reservations) in their own checks.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/transfer-key.h"
#include "util/status.h"

namespace pp {

enum class AccountType { kPersonal, kShared };

struct Account {
  std::int64_t id = 0;
  std::string name;           // user name for personal accounts, e.g. "physics-dept" for shared
  AccountType type = AccountType::kPersonal;
  std::string display_name;
  std::int64_t balance = 0;   // minor units, journal sum
  std::int64_t reserved = 0;  // sum of open reservations
  std::int64_t credit_limit = 0;  // how far below zero `available` may go
  bool unlimited = false;
  bool enabled = true;
  std::string created_at;     // ISO 8601 UTC
  std::int64_t allocated = 0;  // the part of `balance` that the site allocated, >= 0

  std::int64_t available() const { return balance - reserved; }
  // The part of `balance` the user paid (top-ups, cards, adjustments); may be negative.
  std::int64_t self_paid() const { return balance - allocated; }
};

struct NewAccount {
  std::string name;
  AccountType type = AccountType::kPersonal;
  std::string display_name;
  std::int64_t credit_limit = 0;
  bool unlimited = false;
};

enum class EntryKind { kTopUp, kReserve, kCapture, kVoid, kRefund, kAdjustment, kAllocation };

std::string_view entry_kind_name(EntryKind kind);  // "top-up", "reserve", ...
// The kind an entry_kind_name() names; nullopt for any other text (e.g. from the network).
std::optional<EntryKind> parse_entry_kind(std::string_view name);

struct JournalEntry {
  std::int64_t id = 0;
  std::int64_t account_id = 0;
  std::string account;
  EntryKind kind = EntryKind::kTopUp;
  std::int64_t amount = 0;  // effect on the balance (capture negative); for reserve/void: held amount
  std::optional<std::int64_t> reservation_id;
  std::string idempotency_key;
  std::string actor;         // who did it: user, admin, "filter", "pullprintd"
  std::string note;
  std::string created_at;    // ISO 8601 UTC
  std::int64_t allocated = 0;  // the part of `amount` that moved allocated money
  int chain_version = 1;       // how it is hashed: 2 when allocated != 0 (covers it), else 1

  // The part of `amount` that moved self-paid money (0 for reserve and void, which move none).
  std::int64_t self_paid() const {
    return kind == EntryKind::kReserve || kind == EntryKind::kVoid ? 0 : amount - allocated;
  }
};

enum class ReservationState { kOpen, kCaptured, kVoided };

struct Reservation {
  std::int64_t id = 0;
  std::int64_t account_id = 0;
  std::string account;
  std::int64_t amount = 0;           // held
  std::int64_t captured_amount = 0;  // final price once captured
  ReservationState state = ReservationState::kOpen;
  std::string job_ref;               // e.g. "cups/Lab_A/42" or "pullprintd/17"
  std::string idempotency_key;
  std::string created_at;
};

// One entry of an account's history page (Ledger::history_page): the journal entry and, for an
// entry about a reservation (capture, refund), that reservation's job reference, so that a
// statement can name the job without another read per row.
struct HistoryEntry {
  JournalEntry entry;
  std::string job_ref;  // "" for entries without a reservation
};

// A shared account whose members may admit a user (Ledger::member_candidates): whether it names
// the user, and its "@GROUP" member entries (resolve_payer decides with its GroupCheck).
struct MemberCandidates {
  Account account;
  bool named = false;               // `user` is a member by name
  std::vector<std::string> groups;  // its "@GROUP" entries, sorted
};

// Which entries Ledger::journal_page returns (the console's journal): every filter that is set,
// newest first, a page at a time.
struct JournalFilter {
  std::string account;            // exact account name ("" = every account)
  std::optional<EntryKind> kind;  // one kind
  std::string from;               // YYYY-MM-DD: entries made on or after that day (UTC)
  std::string to;                 // YYYY-MM-DD: entries made on or before that day (UTC)
  std::string actor;              // exact
  std::string job_ref;            // entries about reservations of this job reference
  std::int64_t before_id = 0;     // only ids below this (<= 0: from the newest); the next page
  int limit = 50;                 // 1..1000
};
// Result of check(): empty violations means every invariant holds.
struct LedgerCheck {
  std::int64_t accounts = 0;
  std::int64_t entries = 0;
  std::int64_t open_reservations = 0;
  // Hash of the newest journal entry (hex, "" for an empty journal). An auditor who writes it
  // down can later prove that no entry up to that point was changed, even by someone who
  // recomputed the whole chain.
  std::string chain_head;
  std::vector<std::string> violations;
  bool ok() const { return violations.empty(); }
};

class Ledger {
 public:
  virtual ~Ledger() = default;

  // Accounts.
  virtual Result<Account> create_account(const NewAccount& account) = 0;
  virtual Result<Account> get_account(std::string_view name) = 0;
  virtual Result<std::vector<Account>> list_accounts() = 0;
  // Returns the personal account of `user`, creating it with `initial_balance` (an allocation
  // entry) on first use; safe to call concurrently from several processes.
  virtual Result<Account> ensure_personal_account(std::string_view user,
                                                  std::int64_t initial_balance) = 0;
  virtual Status set_credit_limit(std::string_view account, std::int64_t credit_limit,
                                  bool unlimited) = 0;
  // A disabled account cannot be charged (reserve() is kPermissionDenied); open reservations
  // may still be captured or voided, and top-ups still land.
  virtual Status set_enabled(std::string_view account, bool enabled) = 0;

  // Who may charge a shared account (job-account-id). The owner of a personal account always may.
  virtual Status add_member(std::string_view account, std::string_view user) = 0;
  virtual Status remove_member(std::string_view account, std::string_view user) = 0;
  virtual Result<bool> may_charge(std::string_view user, std::string_view account) = 0;
  virtual Result<std::vector<std::string>> members(std::string_view account) = 0;

  // Money movements; each is idempotent on `key`. The parameters compared on a repeated key are
  // the ones that move money: the call, the account, the amount and the reservation; actor,
  // note and job_ref are descriptive, so a retry from another process is still the same call.
  // Common failures: kInvalidArgument (empty key, amount of the wrong sign or beyond 10^12),
  // kNotFound (account or reservation, named in the message), kConflict (key reused for
  // something else, reservation not in the right state, refund beyond what is left).
  //
  // top_up: amount > 0. adjust: amount != 0, either sign.
  virtual Result<JournalEntry> top_up(std::string_view account, std::int64_t amount,
                                      std::string_view key, std::string_view actor,
                                      std::string_view note) = 0;
  virtual Result<JournalEntry> adjust(std::string_view account, std::int64_t signed_amount,
                                      std::string_view key, std::string_view actor,
                                      std::string_view note) = 0;
  // reserve: amount >= 0; kPermissionDenied for a disabled account, kInsufficientFunds when
  // available - amount < -credit_limit (and not unlimited).
  virtual Result<Reservation> reserve(std::string_view account, std::int64_t amount,
                                      std::string_view key, std::string_view job_ref,
                                      std::string_view actor) = 0;
  // capture: amount >= 0 is the final price and may differ from the reserved amount; it never
  // fails for lack of funds (the pages are printed). capture and void close an open
  // reservation exactly once.
  virtual Result<JournalEntry> capture(std::int64_t reservation_id, std::int64_t amount,
                                       std::string_view key, std::string_view actor) = 0;
  virtual Result<JournalEntry> void_reservation(std::int64_t reservation_id, std::string_view key,
                                                std::string_view actor,
                                                std::string_view note) = 0;
  // Gives back (part of) a captured reservation: amount > 0, in total at most the captured
  // amount.
  virtual Result<JournalEntry> refund(std::int64_t reservation_id, std::int64_t amount,
                                      std::string_view key, std::string_view actor,
                                      std::string_view note) = 0;

  // How allocate() changes the allocated part of a balance.
  struct AllocationChange {
    enum class Rule {
      kAdd,      // add `amount` (>= 0); with `cap`, allocated money stops at the cap
      kTopUpTo,  // raise allocated money to `amount` (>= 0); never lowers it (mode = reset)
      kExpire,   // take away allocated money, at most `amount` (what the expiring grant gave)
    };
    Rule rule = Rule::kAdd;
    std::int64_t amount = 0;
    std::optional<std::int64_t> cap;

    // The change of allocated money this asks for when the account holds `allocated`: the one
    // formula every implementation (and a dry run) uses.
    std::int64_t delta(std::int64_t allocated) const {
      switch (rule) {
        case Rule::kAdd:
          if (cap && *cap - allocated < amount) return *cap > allocated ? *cap - allocated : 0;
          return amount;
        case Rule::kTopUpTo:
          return amount > allocated ? amount - allocated : 0;
        case Rule::kExpire:
          return allocated > amount ? -amount : -allocated;
      }
      return 0;
    }
  };
  // Applies an allocation to the allocated money of `account`, computing the change from the
  // allocated part inside the transaction. Writes one entry even when nothing changes (an
  // "allocation" of 0), so that the key marks the period as done. Idempotent on `key`: a
  // repeated key on the same account returns the first entry whatever the amount (the state
  // it was computed from has moved on), on another account it is kConflict.
  virtual Result<JournalEntry> allocate(std::string_view account, const AllocationChange& change,
                                        std::string_view key, std::string_view actor,
                                        std::string_view note) = 0;
  // Pays out the self-paid money of `account` (a user leaving): an "adjustment" of
  // -self_paid, allocated money untouched. kConflict when the account has open reservations
  // or no self-paid money (> 0) to pay out. Idempotent on `key` (same account: first entry).
  virtual Result<JournalEntry> payout(std::string_view account, std::string_view key,
                                      std::string_view actor, std::string_view note) = 0;

  // The two entries of a credit transfer (transfer()).
  struct Transfer {
    JournalEntry out;  // the sender's debit ("adjustment", -amount)
    JournalEntry in;   // the recipient's credit ("adjustment", +amount)
  };
  // Moves `amount` (> 0) of the sender's self-paid money to the recipient's account in one
  // transaction: two "adjustment" entries of self-paid money (allocated 0) under `keys`
  // (transfer-key.h). Allocated money never moves: the site gave it to one person for their
  // printing. Refusals: kInvalidArgument (same account, amount, keys), kNotFound (an account),
  // kPermissionDenied (the sender's account is disabled), kInsufficientFunds (amount above the
  // sender's self-paid money or above what is available after open reservations: a transfer
  // never uses the credit limit). Idempotent on keys.out: the same transfer returns the first
  // entries, other parameters are kConflict.
  virtual Result<Transfer> transfer(std::string_view from, std::string_view to, std::int64_t amount,
                                    const TransferKeys& keys, std::string_view actor,
                                    std::string_view note) = 0;

  // Reading.
  virtual Result<Reservation> get_reservation(std::int64_t reservation_id) = 0;
  virtual Result<std::optional<Reservation>> find_reservation_by_key(std::string_view key) = 0;
  // Open reservations whose job reference starts with `job_ref_prefix` ("pullprintd/"), oldest
  // first: what a restarted server checks against its own records.
  virtual Result<std::vector<Reservation>> open_reservations(std::string_view job_ref_prefix) = 0;
  virtual Result<std::vector<JournalEntry>> history(std::string_view account, int limit) = 0;
  // One page of an account's history as a statement shows it: the entries that moved money
  // (every kind but reserve and void, which only hold it), newest first, with id < before_id
  // (before_id <= 0: from the newest), at most `limit` (1..1000, kInvalidArgument otherwise).
  // Keyset pagination served by an index on (account, id) of those entries
  // (009-history.sql): a page costs its own rows, never the journal's size. The next older page
  // starts before the last entry's id. kNotFound for an unknown account.
  virtual Result<std::vector<HistoryEntry>> history_page(std::string_view account,
                                                         std::int64_t before_id, int limit) = 0;
  // The shared accounts that may admit `user` as a payer: those naming the user as a member
  // and those with "@GROUP" members, by name (charging/payer.h's chargeable_accounts applies the
  // group rule). Read from the members' index, never from the list of every account.
  virtual Result<std::vector<MemberCandidates>> member_candidates(std::string_view user) = 0;
  // The entries whose idempotency key starts with `key_prefix`, in key order (allocation runs
  // find the periods already applied this way).
  virtual Result<std::vector<JournalEntry>> entries_with_key_prefix(
      std::string_view key_prefix) = 0;

  // One page of the whole journal as `filter` selects it, newest first, each entry with its
  // reservation's job reference. Keyset on the entry id (the next page starts before the last
  // entry's id); an account filter is served by journal_by_account, so its page costs its own
  // rows. kInvalidArgument for a bad date or limit; an unknown account gives an empty page.
  virtual Result<std::vector<HistoryEntry>> journal_page(const JournalFilter& filter) = 0;
  // Verifies every invariant of the store (balances equal journal, reservations consistent,
  // keys unique, journal untouched); read-only.
  virtual Result<LedgerCheck> check() = 0;
};

// Opens (creating if needed) the SQLite ledger at `path`: WAL, busy timeout, schema migrations.
Result<std::unique_ptr<Ledger>> open_sqlite_ledger(const std::string& path);

// The other SQLite stores in the ledger file (cards, deliveries, splits) have their tables made
// by the ledger's migrations. Opened alone (a test, a tool) a store runs them itself through a
// throwaway ledger (kRun); Site::open opens the ledger first and says so (kAlreadyRun), so that
// the migrations run once per site.
enum class LedgerMigrations { kRun, kAlreadyRun };

// The ledger file inside a state directory ("STATE_DIR/ledger.sqlite").
std::string ledger_path_in(std::string_view state_dir);

}  // namespace pp
