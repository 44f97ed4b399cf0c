// server-report-mail.cpp: the monthly report mail on pullprintd's timer (lib/reports/
// report-mail.h). Every kReportMailSeconds the timer starts a BackgroundTask (a report reads a
// month of the journal: not on PAPPL's main thread) that mails the previous month's summary to
// every address of report-mail-to that has not had it; the notification store's kind + subject
// ("report", "YYYY-MM:address") makes that once, however often the timer runs and however many
// servers share the store.
#include <chrono>
#include <ctime>

#include "notify/notify.h"
#include "reports/report-mail.h"
#include "server/server-background.h"
#include "server/server-release.h"
#include "server/server.h"

namespace pp::server {
namespace {

constexpr int kReportMailSeconds = 600;

void mail_previous_month(const Config& config, pappl_system_t* system) {
  const auto now = std::chrono::system_clock::now();
  Result<std::vector<std::string>> recipients = report_mail_recipients(config);
  Result<NotifySettings> settings = notify_settings_from_config(config);
  Result<std::unique_ptr<NotifyStore>> notices =
      open_sqlite_notify_store(Site::ledger_path_of(config), LedgerMigrations::kAlreadyRun);
  Result<std::unique_ptr<ReportStore>> reports =
      ReportStore::open(Site::ledger_path_of(config), LedgerMigrations::kAlreadyRun);
  Status failed = !recipients ? recipients.status()
                  : !settings ? settings.status()
                  : !notices  ? notices.status()
                  : !reports  ? reports.status()
                              : Status::ok();
  if (!failed.is_ok()) {
    papplLog(system, PAPPL_LOGLEVEL_ERROR, "Monthly report not mailed: %s",
             failed.to_string().c_str());
    return;
  }
  Notifier notifier(
      std::move(*settings), **notices, nullptr, [system](bool error, const std::string& line) {
        papplLog(system, error ? PAPPL_LOGLEVEL_ERROR : PAPPL_LOGLEVEL_INFO, "%s", line.c_str());
      });
  const std::string month = previous_report_month(now);
  Result<int> mailed =
      mail_month_report(**reports, notifier, *recipients, month, site_currency(config), now);
  if (!mailed)
    papplLog(system, PAPPL_LOGLEVEL_ERROR, "Monthly report %s not mailed: %s", month.c_str(),
             mailed.status().to_string().c_str());
  else if (*mailed > 0)
    papplLog(system, PAPPL_LOGLEVEL_INFO, "Monthly report %s mailed to %d address(es).",
             month.c_str(), *mailed);
}

bool report_mail_timer(pappl_system_t* /*system*/, void* data) {
  Server& server = *static_cast<Server*>(data);
  server.report_mail->start_if_idle();
  return true;  // keep running
}

}  // namespace

void add_report_mail_timer(pappl_system_t* system, Server& server) {
  Result<std::vector<std::string>> recipients = report_mail_recipients(server.config);
  if (!recipients) {
    papplLog(system, PAPPL_LOGLEVEL_ERROR, "Monthly report mail off: %s",
             recipients.status().to_string().c_str());
    return;
  }
  if (recipients->empty()) return;
  server.report_mail = std::make_unique<BackgroundTask>(
      [&server, system] { mail_previous_month(server.config, system); });
  papplSystemAddTimerCallback(system, std::time(nullptr), kReportMailSeconds, report_mail_timer,
                              &server);
}

}  // namespace pp::server
