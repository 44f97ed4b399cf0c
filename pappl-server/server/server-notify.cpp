// server-notify.cpp: pullprintd's calls into lib/notify (server-notify.h).
#include "server/server-notify.h"

#include <memory>

#include "pricing/pricing.h"
#include "util/utc-time.h"

namespace pp::server {
namespace {

// The notification store and settings for one call; nullopt (and logged) when notifications
// are off or the store cannot be opened.
struct NotifyContext {
  std::unique_ptr<NotifyStore> store;
  std::optional<Notifier> notifier;
};

NotifyLog server_log(const Server& server) {
  pappl_system_t* system = server.system;
  return [system](bool error, const std::string& line) {
    papplLog(system, error ? PAPPL_LOGLEVEL_ERROR : PAPPL_LOGLEVEL_INFO, "%s", line.c_str());
  };
}

// Opens what one notification needs; `people` may be null (the address then falls back).
bool open_context(const Server& server, PeopleStore* people, NotifyContext& context) {
  Result<NotifySettings> settings = notify_settings_from_config(server.config);
  if (!settings) {
    papplLog(server.system, PAPPL_LOGLEVEL_ERROR, "Notifications off: %s",
             settings.status().to_string().c_str());
    return false;
  }
  if (!settings->enabled()) return false;
  Result<std::unique_ptr<NotifyStore>> store =
      open_sqlite_notify_store(Site::ledger_path_of(server.config), LedgerMigrations::kAlreadyRun);
  if (!store) {
    papplLog(server.system, PAPPL_LOGLEVEL_ERROR, "Notification store: %s",
             store.status().to_string().c_str());
    return false;
  }
  context.store = std::move(*store);
  context.notifier.emplace(std::move(*settings), *context.store, people, server_log(server));
  return true;
}

void log_failure(const Server& server, const char* what, const Status& status) {
  papplLog(server.system, PAPPL_LOGLEVEL_ERROR, "Notification (%s) failed: %s", what,
           status.to_string().c_str());
}

PeopleStore* people_of(const Server& server) {
  return server.people ? &server.people->people() : nullptr;
}

}  // namespace

void notify_after_hold(const Server& server, Site& site, const HeldJob& job) {
  NotifyContext context;
  if (!open_context(server, people_of(server), context)) return;
  Result<NotifyOutcome> low = check_low_balance(*context.notifier, site.ledger(), job.payer,
                                                std::chrono::system_clock::now());
  if (!low) log_failure(server, "low balance", low.status());
}

void notify_after_print(const Server& server, Site& site, const HeldJob& job) {
  if (job.state != HeldJobState::kPrinted) return;
  NotifyContext context;
  if (!open_context(server, people_of(server), context)) return;
  const NotifyClock now = std::chrono::system_clock::now();
  Receipt receipt;
  receipt.job_ref = JobRef::held(job.uuid).str();
  receipt.owner = job.owner;
  receipt.title = job.title;
  receipt.pages = job.pages;
  receipt.printer = job.printer;
  receipt.amount = job.final_price_minor.value_or(job.price_minor);
  receipt.currency = job.currency;
  Result<NotifyOutcome> sent = send_receipt(*context.notifier, receipt, now);
  if (!sent)
    log_failure(server, "receipt", sent.status());
  else if (*sent == NotifyOutcome::kSkipped)
    papplLog(server.system, PAPPL_LOGLEVEL_INFO, "No receipt for job %lld: %s has receipts off.",
             static_cast<long long>(job.id), job.owner.c_str());
  Result<NotifyOutcome> low = check_low_balance(*context.notifier, site.ledger(), job.payer, now);
  if (!low) log_failure(server, "low balance", low.status());
}

void notify_user(const Server& server, NoticeKind kind, const std::string& subject,
                 const std::string& user, const std::string& title, const std::string& text) {
  NotifyContext context;
  if (!open_context(server, people_of(server), context)) return;
  Result<NotifyOutcome> sent =
      context.notifier->notify(kind, subject, user, title, text, std::chrono::system_clock::now());
  if (!sent) log_failure(server, std::string(notice_kind_name(kind)).c_str(), sent.status());
}

Result<int> expire_and_notify(const Server& server, Site& site, NotifyClock now) {
  NotifyContext context;
  const bool notifying = open_context(server, people_of(server), context);
  ExpiredJobCallback on_expired;
  if (notifying) {
    on_expired = [&](const HeldJob& job) {
      Result<NotifyOutcome> told = notify_job_expired(*context.notifier, job, now);
      if (!told) log_failure(server, "expired", told.status());
    };
  }
  return expire_held_jobs(site, iso_utc(now), on_expired);
}

bool notifications_wanted(const Config& config) {
  Result<NotifySettings> settings = notify_settings_from_config(config);
  return settings && settings->enabled();
}

void warn_and_retry_notifications(const Server& server, NotifyClock now) {
  NotifyContext context;
  if (!open_context(server, people_of(server), context)) return;
  // A site of this thread's own: a Site's connections belong to one thread.
  Result<Site> site = Site::open(server.config, SiteStores{.jobs = true});
  if (!site) {
    log_failure(server, "timer", site.status());
    return;
  }
  Result<NotifyRunReport> report = run_notify_timer(*context.notifier, site->jobs(), now);
  if (!report)
    log_failure(server, "timer", report.status());
  else if (report->warned > 0 || report->retried > 0)
    papplLog(server.system, PAPPL_LOGLEVEL_INFO,
             "Notifications: %d expiry warning(s), %d retried and sent.", report->warned,
             report->retried);
}

}  // namespace pp::server
