// allocations.h: applying [allocation NAME] rules to the ledger, once per period.
//
// The one function run_allocations() is the timer's work in pullprintd and
// `pullprint allocation run [--at TIME] [--dry-run]`: the time is a parameter, so tests move it
// instead of sleeping. Exactly once comes from the ledger: each grant and expiry is one entry
// under a key from allocation-key.h (allocation, period, account), so a repeated or concurrent
// run adds nothing, and the keys already in the ledger say which periods are done.
//
// For each rule and each target (the shared `account`, else every member's personal account,
// created with 0 when missing; with allocation-combine = max only a user's largest allocation):
//  - the periods to apply run from the last one applied for that target (its expiry may be
//    due) to the period containing `at`, in order: a catch-up after downtime applies each
//    missed period once, also for mode = reset (each reset writes its entry; the result is the
//    latest one's). Without a key yet, a target starts at the period containing `at`, or with
//    `start` at the first period (a member: the period they joined in, not before `start`).
//  - a disabled account (a user who left) gets nothing.
//  - a member who joined after the start of their first period gets the allocation in that
//    period (not at the next one), pro rata of the time left when `prorate = yes`.
//  - a grant is Ledger::allocate(): reset tops the allocated money up to the amount (never
//    lowers it), add adds (the account's allocated money stops at `cap`); with
//    `expires = end-of-period` what is left of a period's grant (at most what it gave; for
//    reset the amount) is taken away once the period has ended, before the next period's
//    grant. Self-paid money is never touched. Allocated money is one amount per account, so
//    allocations funding one account meet there (README.md says how).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "allocations/allocation-key.h"
#include "allocations/allocation-rules.h"
#include "ledger/ledger.h"

namespace pp {

// A member of a group and when they joined (nullopt: since before any allocation).
struct GroupMember {
  std::string user;
  std::optional<UtcSeconds> since;
};

// The members of a group (the people store's members_of), kNotFound for an unknown group.
using GroupMembers = std::function<Result<std::vector<GroupMember>>(std::string_view group)>;

// One grant or expiry, done or (dry run) planned.
struct AllocationAction {
  AllocationKey key;           // allocation, period, account, step
  std::int64_t amount = 0;     // the entry's amount (planned: as the ledger would compute it)
  std::int64_t allocated = 0;  // the account's allocated money after it
  bool prorated = false;
  std::int64_t entry_id = 0;  // 0 in a dry run
};

struct AllocationRunReport {
  std::vector<AllocationAction> actions;  // in the order applied
  std::vector<std::string> errors;        // a target that failed; the others went on
};

struct AllocationRunOptions {
  UtcSeconds at;
  bool dry_run = false;  // compute and report, write nothing
  std::string actor = "pullprint";
};

// Applies every rule up to `at`. Fails only when nothing could be done (the ledger unreadable);
// a failing group or account is reported in `errors` and the rest is applied.
Result<AllocationRunReport> run_allocations(Ledger& ledger, const AllocationRules& rules,
                                            const GroupMembers& members_of,
                                            const AllocationRunOptions& options);

}  // namespace pp
