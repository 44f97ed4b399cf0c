// server-directory.cpp: the directory sync timer's worker (see server-directory.h).
#include "server/server-directory.h"

#include <chrono>

#include "directory/directory-sync.h"

namespace pp::server {

void sync_due_directories(const Config& config, pappl_system_t* system) {
  Result<std::vector<DirectoryConfig>> directories = directories_from_config(config);
  if (!directories) {
    papplLog(system, PAPPL_LOGLEVEL_ERROR, "Directory sync: %s",
             directories.status().to_string().c_str());
    return;
  }
  Result<std::unique_ptr<DirectoryStore>> store = open_directory_store(config);
  if (!store) {
    papplLog(system, PAPPL_LOGLEVEL_ERROR, "Directory sync: %s",
             store.status().to_string().c_str());
    return;
  }
  auto now = [] {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  };
  Result<std::vector<DirectoryConfig>> due = directories_due(*directories, **store, now());
  if (!due) {
    papplLog(system, PAPPL_LOGLEVEL_ERROR, "Directory sync: %s", due.status().to_string().c_str());
    return;
  }
  for (const DirectoryConfig& directory : *due) {
    Result<DirectoryPlan> plan = sync_directory(directory, **store, SyncOptions{false, now()});
    if (!plan) {
      papplLog(system, PAPPL_LOGLEVEL_ERROR, "Directory %s: sync failed, nothing changed: %s",
               directory.name.c_str(), plan.status().message().c_str());
      continue;
    }
    papplLog(system, plan->conflicts.empty() ? PAPPL_LOGLEVEL_INFO : PAPPL_LOGLEVEL_WARN,
             "Directory %s: %lld users read; %s%s", directory.name.c_str(),
             static_cast<long long>(plan->users_read), summary_text(summarize_plan(*plan)).c_str(),
             plan->conflicts.empty() ? ""
                                     : ("; " + std::to_string(plan->conflicts.size()) +
                                        " conflict(s): " + plan->conflicts.front())
                                           .c_str());
  }
}

bool directory_sync_wanted(const Config& config, pappl_system_t* system) {
  Result<std::vector<DirectoryConfig>> directories = directories_from_config(config);
  if (!directories) {
    papplLog(system, PAPPL_LOGLEVEL_ERROR, "Directory sync disabled: %s",
             directories.status().to_string().c_str());
    return false;
  }
  for (const DirectoryConfig& directory : *directories) {
    if (directory.sync_interval > 0) return true;
  }
  return false;
}

}  // namespace pp::server
