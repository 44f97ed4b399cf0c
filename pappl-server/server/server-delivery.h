// server-delivery.h: pullprintd's delivery workers: one queue and one thread per release
// printer, so that a slow or stuck printer never delays another.
#pragma once

#include <pappl/pappl.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "release/release.h"

namespace pp::server {

struct Server;

class DeliveryWorkers {
 public:
  DeliveryWorkers(Server& server, BackendSettings backend);
  ~DeliveryWorkers();  // stop()
  DeliveryWorkers(const DeliveryWorkers&) = delete;
  DeliveryWorkers& operator=(const DeliveryWorkers&) = delete;

  // Queues a claimed job for its printer's worker (started on first use). `checked_at`: when
  // the printer's state was last found fit to print; the worker checks again before sending
  // when that is older than a few seconds.
  void enqueue(ClaimedRelease claim, std::chrono::steady_clock::time_point checked_at);

  // Lets each worker finish the job it is sending, gives queued jobs back to their owners
  // (held again, nothing charged) and joins the threads.
  void stop();

 private:
  struct Queued {
    ClaimedRelease claim;
    std::chrono::steady_clock::time_point checked_at;
  };
  struct Worker {
    std::deque<Queued> queue;
    std::thread thread;
  };

  void run(const std::string& printer);
  // Sends one job: recheck_before_send(), then deliver_release().
  void deliver(Site& site, const Queued& job);
  void give_back(Site& site, const Queued& job, const std::string& why);

  Server& server_;
  BackendSettings backend_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::map<std::string, Worker> workers_;  // by printer name
};

}  // namespace pp::server
