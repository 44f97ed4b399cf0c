// server-directory.h: pullprintd's directory sync timer: each [directory NAME] with a
// sync-interval is synced when its interval has passed since its last attempt.
//
// The timer runs sync_due_directories() as a BackgroundTask (server-background.h): a sync reads a
// whole directory, which takes seconds. It opens its own connection to the ledger file, syncs the
// directories that are due one after another and logs the outcome. The sync's own write
// transaction is short (the directory is read before it starts).
#pragma once

#include <pappl/pappl.h>

#include "config/config.h"

namespace pp::server {

// Syncs every [directory NAME] whose sync-interval has passed since its last attempt, logging
// each outcome; the work of the directory timer's BackgroundTask.
void sync_due_directories(const Config& config, pappl_system_t* system);

// Whether any [directory NAME] has a sync-interval (pullprintd then adds the timer).
bool directory_sync_wanted(const Config& config, pappl_system_t* system);

}  // namespace pp::server
