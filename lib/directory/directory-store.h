// directory-store.h: the ledger file's side of a directory sync: the current state a plan is
// made against, the plan applied in one transaction, and each directory's last sync.
//
// Why one store across tables that belong to others (people, groups, cards, accounts): a sync
// must be atomic (a directory that fails half-way changes nothing) and a rename must move the
// login in every table at once, so the writes share one transaction, which no single store's
// interface can give. They all live in the ledger file, which makes that one SQLite
// transaction.
//
// Contract for an implementation (SQLite here, on the ledger file; tables of 005-people.sql,
// 002-cards.sql, 001-initial.sql and 007-directories.sql):
//  - apply() takes the write lock first, reads the state, calls the planner and writes the
//    plan and the sync record in that same transaction: a concurrent writer cannot slip between
//    the read and the write, and an error anywhere leaves everything as it was.
//  - A rename changes the login in people, the personal account's name (the account row, so
//    its id, balance and journal stay), group_members, account_members and cards, in two steps
//    (through a temporary name) so that two users may swap logins.
//  - Nothing in the journal or the reservations is written: accounts are created with balance
//    0 and disabled or enabled, never deleted.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "directory/directory-plan.h"
#include "ledger/ledger.h"
#include "util/status.h"

namespace pp {

// One directory's last sync.
struct DirectorySyncRecord {
  std::string directory;
  std::int64_t last_attempt_at = 0;
  std::optional<std::int64_t> last_success_at;
  std::string outcome;  // "ok", "conflicts", "failed"
  std::int64_t users = 0;
  std::int64_t groups = 0;
  std::int64_t cards = 0;
  std::int64_t changes = 0;
  std::int64_t conflicts = 0;
  std::string last_error;
};

using DirectoryPlanner = std::function<DirectoryPlan(const DirectoryState&)>;

class DirectoryStore {
 public:
  virtual ~DirectoryStore() = default;

  // The state a plan for `directory` is made against (a read snapshot; for --dry-run).
  virtual Result<DirectoryState> load_state(std::string_view directory) = 0;

  // Reads the state under the write lock, makes the plan with `planner`, applies it and records
  // the sync (at plan.now), all in one transaction. Returns the plan applied.
  virtual Result<DirectoryPlan> apply(std::string_view directory,
                                      const DirectoryPlanner& planner) = 0;

  // Records a sync that failed before anything was applied (the directory did not answer).
  virtual Status record_failure(std::string_view directory, std::int64_t at,
                                std::string_view error) = 0;

  // Every directory's last sync, by name.
  virtual Result<std::vector<DirectorySyncRecord>> list_syncs() = 0;
};

// Opens the directory store of a config's site (its ledger file, Site::ledger_path_of), running
// the ledger file's migrations when needed. The doors use this; it picks the implementation
// beside Site::open.
Result<std::unique_ptr<DirectoryStore>> open_directory_store(const Config& config);

// Opens the SQLite directory store on the ledger file at `path` (see LedgerMigrations).
Result<std::unique_ptr<DirectoryStore>> open_sqlite_directory_store(
    const std::string& path, LedgerMigrations migrations = LedgerMigrations::kRun);

}  // namespace pp
