// server-timers.cpp: periodic work of pullprintd.
//
// Timer callbacks run on PAPPL's main thread with the system READ lock held: they must not call
// anything that takes the system write lock (no papplPrinter*/papplSystemSet*), only ledger and
// store work, on a Site of their own (Server::timers) so that they never wait for a job thread.
#include <algorithm>
#include <chrono>
#include <ctime>

#include "allocations/allocation-groups.h"
#include "delivery/delivery.h"
#include "holding/holding.h"
#include "printers/printers.h"
#include "release/release.h"
#include "server/server-background.h"
#include "server/server-directory.h"
#include "server/server-notify.h"
#include "server/server-prepaid.h"
#include "server/server-printer-watch.h"
#include "server/server-splits.h"
#include "server/server.h"
#include "util/utc-time.h"

namespace pp::server {
namespace {

// Closes the CUPS-door jobs that were cancelled (or aborted) in CUPS while the backend held them:
// their reservations are voided. Only when some release printer is a CUPS queue.
void sweep_cups_door(pappl_system_t* system, Server& server) {
  Result<std::vector<ReleasePrinter>> printers = release_printers_from_config(server.config);
  if (!printers || std::none_of(printers->begin(), printers->end(),
                                [](const ReleasePrinter& p) { return !p.cups_queue.empty(); }))
    return;
  Result<int> closed = sweep_gone_cups_jobs(*server.timers, cups_job_active);
  if (!closed)
    papplLog(system, PAPPL_LOGLEVEL_ERROR, "Sweeping cancelled CUPS jobs failed: %s",
             closed.status().to_string().c_str());
  else if (*closed > 0)
    papplLog(system, PAPPL_LOGLEVEL_INFO, "Voided %d CUPS job(s) cancelled while held.", *closed);
}

// Expires held jobs whose time is up (voids their reservations, deletes their documents) and
// finishes jobs a crash of another process left half cancelled.
bool expire_timer(pappl_system_t* system, void* data) {
  Server& server = *static_cast<Server*>(data);
  // Expiry with its notifications (expired); the warnings of jobs about to expire and the
  // retries run on the notification task's thread (they run notify-command).
  Result<int> expired = expire_and_notify(server, *server.timers, std::chrono::system_clock::now());
  if (server.notifications) server.notifications->start_if_idle();
  if (expired) {
    Result<int> reconciled = reconcile_held_jobs(*server.timers);
    if (!reconciled) expired = reconciled.status();
  }
  if (!expired)
    papplLog(system, PAPPL_LOGLEVEL_ERROR, "Expiring held jobs failed: %s",
             expired.status().to_string().c_str());
  else if (*expired > 0)
    papplLog(system, PAPPL_LOGLEVEL_INFO, "Expired %d held job(s).", *expired);
  sweep_cups_door(system, server);
  // Split jobs: expired shares, reminders, catching up (also at start-up: the first run).
  run_split_timer(system, server);
  credit_prepaid_cards_timer(system, server);  // prepaid cards a crash left uncredited
  // Web sessions that ended without a sign-out (idle, too old): their memory back.
  if (server.sessions) server.sessions->sweep(std::chrono::system_clock::now());
  return true;  // keep running
}

// How often the directory timer looks for a directory whose sync-interval has passed.
constexpr int kDirectoryTimerSeconds = 30;

// Starts a sync of the directories that are due on a worker thread (never waits for one).
bool directory_timer(pappl_system_t* /*system*/, void* data) {
  Server& server = *static_cast<Server*>(data);
  server.directories->start_if_idle();
  return true;  // keep running
}

// Applies the [allocation NAME] rules due by now: the work of `pullprint allocation run`, with
// the clock (run_allocations applies each period once, so an extra run changes nothing, and the
// first run after a downtime catches up). Runs as a BackgroundTask, on its own Site.
void run_due_allocations(const Config& config, pappl_system_t* system) {
  Result<AllocationRules> rules = parse_allocation_rules(config);
  if (!rules) {
    papplLog(system, PAPPL_LOGLEVEL_ERROR, "Allocations not applied: %s",
             rules.status().to_string().c_str());
    return;
  }
  if (rules->rules.empty()) return;
  Result<Site> site = Site::open(config, SiteStores{.people = true});
  if (!site) {
    papplLog(system, PAPPL_LOGLEVEL_ERROR, "Allocations not applied: %s",
             site.status().to_string().c_str());
    return;
  }
  AllocationRunOptions options;
  options.at = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  options.actor = "pullprintd";
  Result<AllocationRunReport> report =
      run_allocations(site->ledger(), *rules, site_group_members(*site), options);
  if (!report) {
    papplLog(system, PAPPL_LOGLEVEL_ERROR, "Applying allocations failed: %s",
             report.status().to_string().c_str());
    return;
  }
  for (const std::string& error : report->errors)
    papplLog(system, PAPPL_LOGLEVEL_ERROR, "Allocation failed: %s", error.c_str());
  for (const AllocationAction& action : report->actions)
    papplLog(system, PAPPL_LOGLEVEL_INFO, "Allocation %s: %s %+lld (allocated now %lld).",
             action.key.key().c_str(),
             action.key.step == AllocationStep::kGrant ? "granted" : "expired",
             static_cast<long long>(action.amount), static_cast<long long>(action.allocated));
}

// Starts an allocation run on a worker thread (never waits for one).
bool allocation_timer(pappl_system_t* /*system*/, void* data) {
  Server& server = *static_cast<Server*>(data);
  server.allocations->start_if_idle();
  return true;  // keep running
}

// Seconds between allocation runs: config key allocation-interval (default 300; 0 = only by
// command, `pullprint allocation run`).
Result<int> allocation_interval(const Config& config) {
  Result<std::int64_t> interval = config.get_int("allocation-interval", 300);
  if (!interval) return interval.status();
  if (*interval < 0 || *interval > 86400)
    return Status(Code::kInvalidArgument, "allocation-interval: expected 0..86400 seconds");
  return static_cast<int>(*interval);
}

}  // namespace

void add_timers(pappl_system_t* system, Server& server) {
  if (notifications_wanted(server.config)) {
    server.notifications = std::make_unique<BackgroundTask>(
        [&server] { warn_and_retry_notifications(server, std::chrono::system_clock::now()); });
  }
  papplSystemAddTimerCallback(system, 0, server.settings.expire_interval, expire_timer, &server);
  if (directory_sync_wanted(server.config, system)) {
    server.directories = std::make_unique<BackgroundTask>(
        [&server, system] { sync_due_directories(server.config, system); });
    // A start of 0 would first run after one interval: start now, so that a directory long due
    // (pullprintd was down) is synced at once.
    papplSystemAddTimerCallback(system, std::time(nullptr), kDirectoryTimerSeconds, directory_timer,
                                &server);
  }
  Result<int> interval = allocation_interval(server.config);
  if (!interval) {
    papplLog(system, PAPPL_LOGLEVEL_ERROR, "Allocations not applied: %s",
             interval.status().to_string().c_str());
  } else if (*interval > 0) {
    server.allocations = std::make_unique<BackgroundTask>(
        [&server, system] { run_due_allocations(server.config, system); });
    papplSystemAddTimerCallback(system, 0, *interval, allocation_timer, &server);
  }
  add_printer_poll(system, server);
  add_report_mail_timer(system, server);
}

}  // namespace pp::server
