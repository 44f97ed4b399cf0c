// server-timers.cpp: periodic work of pullprintd.
//
// Timer callbacks run on PAPPL's main thread with the system READ lock held: they must not call
// anything that takes the system write lock (no papplPrinter*/papplSystemSet*), only ledger and
// store work, on handles of their own (Server::timers) so that they never wait for a job thread.
#include <ctime>

#include "holding/holding.h"
#include "server.h"

namespace pp::server {
namespace {

// Now as ISO 8601 UTC ("2026-01-31T12:00:00Z"), the store's time format.
std::string now_iso() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

// Expires held jobs whose time is up (voids their reservations, deletes their documents) and
// finishes jobs a crash of another process left half cancelled.
bool expire_timer(pappl_system_t* system, void* data) {
  Server& server = *static_cast<Server*>(data);
  Result<int> expired =
      expire_held_jobs(*server.timers.ledger, *server.timers.store, now_iso());
  if (expired) {
    Result<int> reconciled = reconcile_held_jobs(*server.timers.ledger, *server.timers.store);
    if (!reconciled) expired = reconciled.status();
  }
  if (!expired)
    papplLog(system, PAPPL_LOGLEVEL_ERROR, "Expiring held jobs failed: %s",
             expired.status().to_string().c_str());
  else if (*expired > 0)
    papplLog(system, PAPPL_LOGLEVEL_INFO, "Expired %d held job(s).", *expired);
  return true;  // keep running
}

}  // namespace

void add_timers(pappl_system_t* system, Server& server) {
  papplSystemAddTimerCallback(system, 0, server.settings.expire_interval, expire_timer, &server);
}

}  // namespace pp::server
