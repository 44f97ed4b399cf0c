// server-delivery.cpp: pullprintd's delivery workers (server-delivery.h).
//
// Each worker owns its ledger, store and delivery-log connections (SQLite WAL, busy timeout):
// workers of different printers never wait for each other's database work, only for the
// write lock's short transactions. The wrapper backend runs as a child process with the
// document on its stdin; the worker blocks on it, which is why there is one worker per printer.
#include "server/server-delivery.h"
#include "server/server-background.h"
#include "server/server-notify.h"
#include "server/server-printer-watch.h"
#include "server/server-request.h"

#include "printers/printers.h"
#include "server/server.h"

namespace pp::server {

Server::~Server() {
  if (workers) workers->stop();
}

DeliveryWorkers::DeliveryWorkers(Server& server, BackendSettings backend)
    : server_(server), backend_(std::move(backend)) {}

DeliveryWorkers::~DeliveryWorkers() {
  stop();
}

void DeliveryWorkers::enqueue(ClaimedRelease claim,
                              std::chrono::steady_clock::time_point checked_at) {
  std::lock_guard lock(mutex_);
  const std::string printer = claim.printer.name;
  Worker& worker = workers_[printer];
  worker.queue.push_back({std::move(claim), checked_at});
  if (!worker.thread.joinable()) worker.thread = std::thread([this, printer] { run(printer); });
  wake_.notify_all();
}

void DeliveryWorkers::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
    wake_.notify_all();
  }
  for (auto& [name, worker] : workers_)
    if (worker.thread.joinable()) worker.thread.join();
}

void DeliveryWorkers::give_back(Site& site, const Queued& job, const std::string& why) {
  Status back = withdraw_release(site, job.claim, why);
  papplLog(server_.system, back.is_ok() ? PAPPL_LOGLEVEL_INFO : PAPPL_LOGLEVEL_ERROR,
           "Job %lld not sent to %s: %s%s", static_cast<long long>(job.claim.job.id),
           job.claim.printer.name.c_str(), why.c_str(),
           back.is_ok() ? "" : (" (and giving it back failed: " + back.to_string() + ")").c_str());
}

void DeliveryWorkers::deliver(Site& site, const Queued& job) {
  const ClaimedRelease& claim = job.claim;
  if (Status fit = recheck_before_send(claim, job.checked_at); !fit.is_ok())
    return give_back(site, job, fit.message());
  Result<HeldJob> after = deliver_release(site, backend_, claim);
  if (!after) {
    papplLog(server_.system, PAPPL_LOGLEVEL_ERROR, "Release of job %lld to %s failed: %s",
             static_cast<long long>(claim.job.id), claim.printer.name.c_str(),
             after.status().to_string().c_str());
    return;
  }
  papplLog(server_.system, PAPPL_LOGLEVEL_INFO, "Job %lld of %s released by %s to %s: %s (%s)",
           static_cast<long long>(after->id), after->owner.c_str(), after->released_by.c_str(),
           claim.printer.name.c_str(), std::string(held_job_state_name(after->state)).c_str(),
           after->message.c_str());
  notify_after_print(server_, site, *after);  // the receipt (opt-in) and low balance
}

void DeliveryWorkers::run(const std::string& printer) {
  Result<Site> site = open_operation_site(server_);
  for (;;) {
    Queued job;
    {
      std::unique_lock lock(mutex_);
      Worker& worker = workers_[printer];
      wake_.wait(lock, [&] { return stopping_ || !worker.queue.empty(); });
      if (worker.queue.empty()) return;  // stopping, nothing left
      job = std::move(worker.queue.front());
      worker.queue.pop_front();
    }
    if (!site) {
      papplLog(server_.system, PAPPL_LOGLEVEL_ERROR, "Delivery worker for %s: %s", printer.c_str(),
               site.status().to_string().c_str());
      continue;  // the job stays releasing; recover_releases() gives it back at the next start
    }
    bool stopping;
    {
      std::lock_guard lock(mutex_);
      stopping = stopping_;
    }
    if (stopping)
      give_back(*site, job,
                "pullprintd was stopped before the job was sent; it is still "
                "held and nothing was charged.");
    else
      deliver(*site, job);
  }
}

}  // namespace pp::server
