// server-notify.h: pullprintd's doors into lib/notify (the one notification path): when it tells
// users about their money and jobs. The words, the address and the "once" are lib/notify's.
//
//   after a hold            low balance of the payer (the reservation is the one change of the
//                           available money at submission)
//   after a print           the receipt (opt-in) and low balance (the capture at the printer's
//                           price)
//   the expiry timer        expired (per job expire_held_jobs expired); then it starts, on a
//                           thread of its own (Server::notifications), the expiry warnings and
//                           the retries of failed notifications
//   split jobs              approval requests and their outcomes (server-splits.cpp, web pages)
//
// Each call opens its own notification store on the ledger file (cheap, no migrations: the
// server's sites ran them), so any thread may call these. Failures are logged, never returned:
// a notification is never worth refusing a job or a release for.
#pragma once

#include <pappl/pappl.h>

#include <string>

#include "holding/holding.h"
#include "notify/notify.h"
#include "server/server.h"

namespace pp::server {

// Low balance for `job`'s payer after it was held (its price reserved).
void notify_after_hold(const Server& server, Site& site, const HeldJob& job);

// After a release's delivery: the owner's receipt when `job` printed, and low balance.
void notify_after_print(const Server& server, Site& site, const HeldJob& job);

// Tells `user` `text` about kind + subject through the one path (logged; sent once).
void notify_user(const Server& server, NoticeKind kind, const std::string& subject,
                 const std::string& user, const std::string& title, const std::string& text);

// The expiry timer's work: expires held jobs due at `now` on `site` (telling their owners).
// Returns expire_held_jobs's answer (how many jobs expired).
Result<int> expire_and_notify(const Server& server, Site& site, NotifyClock now);

// Whether the config turns notifications on (notify-command set, the keys valid): pullprintd
// then makes the task below.
bool notifications_wanted(const Config& config);

// The notification timer's work besides expiry (run_notify_timer): warns of jobs about to expire
// at `now` and retries failed notifications, on stores of its own. It runs notify-command, which
// may take up to its timeout each time, so pullprintd runs it as a BackgroundTask
// (Server::notifications) that the expiry timer starts, never on PAPPL's main thread.
void warn_and_retry_notifications(const Server& server, NotifyClock now);

}  // namespace pp::server
