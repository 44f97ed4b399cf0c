// directory-sync.cpp: sync_directory(): read, plan, apply, record (see directory-sync.h).
#include "directory/directory-sync.h"

#include <algorithm>

#include "directory/ldap-reader.h"

namespace pp {

Result<DirectorySnapshot> read_directory_with_password(const DirectoryConfig& directory) {
  std::string password;
  if (!directory.bind_dn.empty()) {
    Result<std::string> read = read_bind_password(directory.bind_password_file);
    if (!read) {
      return Status(read.status().code(),
                    "directory " + directory.name + ": " + read.status().message());
    }
    password = std::move(*read);
  }
  return read_directory(directory, password);
}

Result<DirectoryPlan> sync_directory(const DirectoryConfig& directory, DirectoryStore& store,
                                     const SyncOptions& options, const DirectoryReader& reader) {
  Result<DirectorySnapshot> snapshot = reader(directory);
  if (!snapshot) {
    if (!options.dry_run) {
      Status recorded =
          store.record_failure(directory.name, options.now, snapshot.status().message());
      if (!recorded.is_ok())
        return with_cleanup_failure(snapshot.status(), recorded, "recording the failure");
    }
    return snapshot.status();
  }
  auto planner = [&](const DirectoryState& state) {
    return make_directory_plan(directory, *snapshot, state, options.now);
  };
  if (options.dry_run) {
    Result<DirectoryState> state = store.load_state(directory.name);
    if (!state) return state.status();
    return planner(*state);
  }
  Result<DirectoryPlan> applied = store.apply(directory.name, planner);
  if (!applied) {
    Status recorded = store.record_failure(
        directory.name, options.now, "applying the sync failed: " + applied.status().message());
    if (!recorded.is_ok())
      return with_cleanup_failure(applied.status(), recorded, "recording the failure");
  }
  return applied;
}

Result<std::vector<DirectoryConfig>> directories_due(
    const std::vector<DirectoryConfig>& directories, DirectoryStore& store, std::int64_t now) {
  Result<std::vector<DirectorySyncRecord>> records = store.list_syncs();
  if (!records) return records.status();
  std::vector<DirectoryConfig> due;
  for (const DirectoryConfig& directory : directories) {
    if (directory.sync_interval <= 0) continue;
    auto record = std::find_if(records->begin(), records->end(), [&](const DirectorySyncRecord& r) {
      return r.directory == directory.name;
    });
    if (record == records->end() || now - record->last_attempt_at >= directory.sync_interval)
      due.push_back(directory);
  }
  return due;
}

}  // namespace pp
