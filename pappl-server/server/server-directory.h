// server-directory.h: pullprintd's directory sync timer: each [directory NAME] with a
// sync-interval is synced when its interval has passed since its last attempt.
//
// Why a thread of its own: a sync reads a whole directory (50,000 users take seconds) and PAPPL's
// timers run on its main thread, which also accepts connections. The timer only starts a worker
// thread when none is running (it never waits for a sync); the worker opens its own connection
// to the ledger file, syncs the directories that are due one after another, logs the outcome and
// ends. The sync's own write transaction is short (the directory is read before it starts).
#pragma once

#include <pappl/pappl.h>

#include <atomic>
#include <thread>

#include "config/config.h"

namespace pp::server {

class DirectorySyncer {
 public:
  DirectorySyncer(Config config, pappl_system_t* system);
  // Waits for a running sync to end.
  ~DirectorySyncer();
  DirectorySyncer(const DirectorySyncer&) = delete;
  DirectorySyncer& operator=(const DirectorySyncer&) = delete;

  // Starts a sync of the directories that are due, unless one is running; returns at once.
  void start_if_idle();

 private:
  void run();

  Config config_;
  pappl_system_t* system_;
  std::thread worker_;
  std::atomic<bool> running_{false};
};

// Whether any [directory NAME] has a sync-interval (pullprintd then adds the timer).
bool directory_sync_wanted(const Config& config, pappl_system_t* system);

}  // namespace pp::server
