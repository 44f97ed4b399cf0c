// notify.h: the one notification path of pullprint (issue 14): what is sent, to whom, once.
//
// Why one module: approval requests (split jobs), low balance, held jobs about to expire and
// expired, and receipts of printed jobs are all "tell a user something through notify-command".
// Doing that in one place gives each the same address rule (the directory's e-mail address),
// the same record that makes it happen once (NotifyStore: kind + subject), the same bounded
// retry of a failing command, and the same log line. The doors only say *when* (after a hold or
// a capture, on the timer, after a print); the words and the once are here.
//
// The flow of a notification: Notifier::notify() records it (NotifyStore::record: nothing when
// kind + subject is known: a timer run, a second process, a crash and a restart never make it
// twice), claims it (an attempt), runs notify-command, and marks it sent or leaves it pending.
// A failing command is logged (NotifyLog) and retried by the timer (run_notify_timer, on
// pullprintd's notification task, which its expiry timer starts, and `pullprint notify run`)
// until it has had `notify-attempts` tries (default 5), then it is marked failed and logged once
// more. A crash after the command ran and before it was marked sent repeats that one
// notification after the claim's lease (60 s): at least once up to the bound, never unbounded.
//
// Config keys:
//   notify-command        the program (and words) run per notification, the address last, the
//                         message on stdin (default empty = no notifications at all, nothing
//                         recorded); e.g. "/usr/sbin/sendmail -i"
//   notify-domain         user@domain for users whose e-mail address no directory gave
//   notify-attempts       tries of a failing command before it is given up (1..100, default 5)
//   low-balance-warning   available money under this (in the default profile's currency, e.g.
//                         "2.00") is told once per crossing (default empty = off)
//   expiry-warning        how long before a held job expires its owner is warned: seconds or
//                         "30m", "2h", "1d" (default 2h; 0 = no warning)
// Per user: receipts of printed jobs are opt-in (NotifyStore::set_receipts: the web page
// /pullprint/notifications, `pullprint notify receipts`).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "config/config.h"
#include "config/duration.h"  // parse_duration, for the duration keys
#include "job-store/job-store.h"
#include "ledger/ledger.h"
#include "notify/notify-store.h"
#include "people/people.h"
#include "util/status.h"

namespace pp {

using NotifyClock = std::chrono::system_clock::time_point;

struct NotifySettings {
  std::string command;  // notify-command; "" = off
  std::string domain;   // notify-domain
  int max_attempts = 5;
  std::optional<std::int64_t> low_balance_warning;  // minor units; nullopt = off
  std::string currency;                             // of the default price profile
  std::chrono::seconds expiry_warning = std::chrono::hours(2);

  bool enabled() const { return !command.empty(); }
};

// Reads the keys above; kInvalidArgument naming the key for a bad value.
Result<NotifySettings> notify_settings_from_config(const Config& config);

// Where a notification for `user` goes: their e-mail address from the people store (a directory
// sync fills it), else user@`domain` when that is set (a `user` that is an address already, with
// an @, as it is), else the login itself (for a
// notify-command that knows the site's users). Without a people store, or when the lookup
// fails, it falls back the same way: a notification is never worth refusing anything for.
std::string notification_address(std::string_view domain, PeopleStore* people,
                                 const std::string& user);

// Runs `command` (split into words) with `address` as its last argument and the message on its
// stdin: to an e-mail address a mail (To/Subject headers, then `body`), else `body` alone.
// Bounded in time (20 s). Ok when `command` is empty.
Status run_notify_command(const std::string& command, const std::string& address,
                          const std::string& title, const std::string& body);

// What became of one notify() call.
enum class NotifyOutcome {
  kOff,       // notify-command is not set: nothing recorded
  kKnown,     // kind + subject was recorded before: nothing sent now
  kSent,      // recorded and sent
  kRetrying,  // recorded, the command failed: the timer tries again
  kGivenUp,   // recorded, the command failed its last allowed attempt
  kSkipped,   // nothing to tell (the rule did not apply: not opted in, not below, ...)
};
std::string_view notify_outcome_name(NotifyOutcome outcome);

// A line for the door's log (papplLog, stderr): `error` for a failed command.
using NotifyLog = std::function<void(bool error, const std::string& line)>;

// The one path: records, claims, sends, logs. Holds references: the store (and the people
// store, which may be null: the address then falls back) outlive it. Not thread-safe beyond
// what the stores are; open one per thread kind as a Site.
class Notifier {
 public:
  Notifier(NotifySettings settings, NotifyStore& store, PeopleStore* people, NotifyLog log = {});

  // Tells `user` `title` / `body` about `kind` + `subject`, once (see the flow above).
  Result<NotifyOutcome> notify(NoticeKind kind, const std::string& subject, const std::string& user,
                               const std::string& title, const std::string& body, NotifyClock now);

  // Sends the pending notifications whose earlier attempt failed (at most `limit` per call).
  // Returns how many were sent now.
  Result<int> send_due(NotifyClock now, int limit = 100);

  const NotifySettings& settings() const { return settings_; }
  NotifyStore& store() { return store_; }

 private:
  // Claims `id` and runs the command; kKnown when another sender has it.
  Result<NotifyOutcome> send(std::int64_t id, NotifyClock now);

  NotifySettings settings_;
  NotifyStore& store_;
  PeopleStore* people_;
  NotifyLog log_;
};

// Who may read or change `owner`'s notification preferences: `signed_in` themself only (an
// admin changes them with the CLI on the server). kPermissionDenied "not yours" otherwise.
Status check_own_preferences(std::string_view signed_in, std::string_view owner);

// ---- the rules: when each kind is told (notify-rules.cpp) ----

// Low balance, after a reservation or a capture on `account`: when its available money is under
// low-balance-warning and was not at the last check, its holder is told once; when it is back
// at or above, the next fall is told again. Shared accounts and unlimited ones are not watched.
Result<NotifyOutcome> check_low_balance(Notifier& notifier, Ledger& ledger,
                                        const std::string& account, NotifyClock now);

// Warns the owner of every held job that expires within expiry-warning of `now` (and has not
// yet), once per job (subject: the job's uuid). Returns how many were told now.
Result<int> warn_expiring_jobs(Notifier& notifier, JobStore& jobs, NotifyClock now);

// Tells the owner that held `job` expired unreleased (once per job); for expire_held_jobs's
// callback.
Result<NotifyOutcome> notify_job_expired(Notifier& notifier, const HeldJob& job, NotifyClock now);

// A printed job, for its receipt.
struct Receipt {
  std::string job_ref;  // JobRef string: "pullprintd/<uuid>", "cups/<uuid>" (the subject)
  std::string owner;
  std::string title;
  std::optional<int> pages;  // unknown at the CUPS door's backend
  std::string printer;
  std::int64_t amount = 0;  // the price charged
  std::string currency;
};

// Sends `receipt` to its owner when they opted in (once per job); kSkipped otherwise.
Result<NotifyOutcome> send_receipt(Notifier& notifier, const Receipt& receipt, NotifyClock now);

// The timer's work besides expiry itself: expiry warnings, then retries of failed commands.
struct NotifyRunReport {
  int warned = 0;
  int retried = 0;
};
Result<NotifyRunReport> run_notify_timer(Notifier& notifier, JobStore& jobs, NotifyClock now);

}  // namespace pp
