// server-background.h: work that pullprintd's timers start on a thread of their own.
//
// Why: PAPPL runs its timers on the main thread, which also accepts connections, and some timer
// work takes long: a directory sync reads a whole directory (50,000 users take seconds), an
// allocation run writes a ledger entry per member (minutes for a first run over a large group).
// A BackgroundTask runs its work on a worker thread when no run of it is going on, and never
// makes the timer wait. The work opens its own stores: a Site's connections belong to one thread.
#pragma once

#include <atomic>
#include <functional>
#include <thread>

namespace pp::server {

class BackgroundTask {
 public:
  explicit BackgroundTask(std::function<void()> work);
  // Waits for a running run to end (pullprintd's shutdown).
  ~BackgroundTask();
  BackgroundTask(const BackgroundTask&) = delete;
  BackgroundTask& operator=(const BackgroundTask&) = delete;

  // Starts a run unless one is going on; returns at once (the next tick tries again).
  void start_if_idle();

 private:
  std::function<void()> work_;
  std::thread worker_;
  std::atomic<bool> running_{false};
};

}  // namespace pp::server
