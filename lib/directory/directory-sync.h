// directory-sync.h: one sync of one directory, as `pullprint directory sync` and pullprintd's
// timer run it: read the directory whole, then plan and apply in one transaction (or only plan,
// for --dry-run), and record the outcome for `pullprint directory status`.
#pragma once

#include <cstdint>
#include <functional>

#include "directory/directory-plan.h"
#include "directory/directory-store.h"
#include "directory/directory.h"

namespace pp {

// Reads a directory whole; tests give their own snapshot.
using DirectoryReader = std::function<Result<DirectorySnapshot>(const DirectoryConfig&)>;

// The real reader: the bind password from bind-password-file, then LDAP (ldap-reader.h).
Result<DirectorySnapshot> read_directory_with_password(const DirectoryConfig& directory);

struct SyncOptions {
  bool dry_run = false;
  std::int64_t now = 0;  // unix seconds: the sync's time (--at, or the clock)
};

// Syncs `directory` into `store`. Returns the plan (applied unless dry_run). When the directory
// cannot be read, nothing is changed, the failure is recorded (not for a dry run) and returned.
// A plan with conflicts is applied and returned; the caller reports them as an error.
Result<DirectoryPlan> sync_directory(const DirectoryConfig& directory, DirectoryStore& store,
                                     const SyncOptions& options,
                                     const DirectoryReader& reader = read_directory_with_password);

// Directories whose sync-interval has passed since their last attempt, at `now`.
Result<std::vector<DirectoryConfig>> directories_due(
    const std::vector<DirectoryConfig>& directories, DirectoryStore& store, std::int64_t now);

}  // namespace pp
