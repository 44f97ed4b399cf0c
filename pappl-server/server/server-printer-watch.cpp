// server-printer-watch.cpp: reading the release printers on a worker thread; their alerts to
// the admins.
#include "server/server-printer-watch.h"

#include <ctime>

#include "notify/printer-alert-notices.h"
#include "printers/printers.h"
#include "server/server-background.h"
#include "server/server.h"
#include "site/site.h"

namespace pp::server {

void PrinterWatch::poll() {
  Result<std::vector<ReleasePrinter>> printers = release_printers_from_config(server_.config);
  if (!printers) {
    papplLog(server_.system, PAPPL_LOGLEVEL_ERROR, "Printer poll: %s",
             printers.status().to_string().c_str());
    return;
  }
  for (const ReleasePrinter& printer : *printers) {
    Result<PrinterState> state = query_printer_state(printer, kPrinterStateTimeout);
    if (!state) {
      PrinterState broken;
      broken.message = state.status().message();
      state = std::move(broken);
    }
    const auto now = std::chrono::system_clock::now();
    PrinterReading reading;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      auto previous = snapshot_.readings.find(printer.name);
      reading = next_reading(previous == snapshot_.readings.end() ? nullptr : &previous->second,
                             std::move(*state), now);
      snapshot_.readings[printer.name] = reading;
    }
    if (!reading.alerts.empty()) tell_admins(printer.name, reading);
  }
  std::lock_guard<std::mutex> lock(mutex_);
  ++snapshot_.runs;
  snapshot_.last_run = std::chrono::system_clock::now();
}

void PrinterWatch::tell_admins(const std::string& printer, const PrinterReading& reading) {
  const std::vector<std::string> recipients = alert_recipients(server_.config);
  if (recipients.empty()) return;
  Result<NotifySettings> settings = notify_settings_from_config(server_.config);
  if (!settings) {
    papplLog(server_.system, PAPPL_LOGLEVEL_ERROR, "Printer alerts not sent: %s",
             settings.status().to_string().c_str());
    return;
  }
  if (!settings->enabled()) return;
  Result<std::unique_ptr<NotifyStore>> store =
      open_sqlite_notify_store(Site::ledger_path_of(server_.config), LedgerMigrations::kAlreadyRun);
  if (!store) {
    papplLog(server_.system, PAPPL_LOGLEVEL_ERROR, "Printer alerts not sent: %s",
             store.status().to_string().c_str());
    return;
  }
  pappl_system_t* system = server_.system;
  Notifier notifier(
      std::move(*settings), **store, nullptr, [system](bool error, const std::string& line) {
        papplLog(system, error ? PAPPL_LOGLEVEL_ERROR : PAPPL_LOGLEVEL_INFO, "%s", line.c_str());
      });
  Result<int> sent =
      notify_printer_alerts(notifier, printer, reading.alerts, recipients, reading.at);
  if (!sent)
    papplLog(system, PAPPL_LOGLEVEL_ERROR, "Printer alerts of %s: %s", printer.c_str(),
             sent.status().to_string().c_str());
  else if (*sent > 0)
    papplLog(system, PAPPL_LOGLEVEL_INFO, "Printer %s: %d alert notification(s) sent.",
             printer.c_str(), *sent);
}

PrinterWatch::Snapshot PrinterWatch::snapshot() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return snapshot_;
}

namespace {

// Starts a poll on the worker thread unless one is going on (never waits).
bool printer_poll_timer(pappl_system_t* /*system*/, void* data) {
  static_cast<Server*>(data)->printer_poll->start_if_idle();
  return true;  // keep running
}

}  // namespace

void add_printer_poll(pappl_system_t* system, Server& server) {
  server.printer_watch = std::make_unique<PrinterWatch>(server);
  Result<std::chrono::seconds> interval = printer_poll_interval(server.config);
  if (!interval) {
    papplLog(system, PAPPL_LOGLEVEL_ERROR, "Printers not polled: %s",
             interval.status().to_string().c_str());
    return;
  }
  if (interval->count() == 0) return;
  PrinterWatch* watch = server.printer_watch.get();
  server.printer_poll = std::make_unique<BackgroundTask>([watch] { watch->poll(); });
  // Start now: the pages have a reading soon after start-up.
  papplSystemAddTimerCallback(system, std::time(nullptr), static_cast<int>(interval->count()),
                              printer_poll_timer, &server);
}

}  // namespace pp::server
