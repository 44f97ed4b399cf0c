// server-printer-watch.h: pullprintd's poll of its release printers: each printer's last
// reading (state, reasons, supplies, alerts; since when it is unreachable) for the console's
// printers pages, and the alert e-mail to the admins.
//
// Why a poll off the main thread: asking a printer takes time and a printer that is off makes
// the question wait for its timeout (kPrinterStateTimeout per printer). A console page must not
// wait for that, so a BackgroundTask (server-background.h) reads every printer each
// `printer-poll-interval` (default 5m; 0 = never) and the pages show the last reading with its
// time, from memory.
#pragma once

#include <pappl/pappl.h>

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "printers/printer-alerts.h"

namespace pp::server {

struct Server;

class PrinterWatch {
 public:
  explicit PrinterWatch(Server& server) : server_(server) {}

  // Reads every release printer (one after the other, each bounded), keeps the readings and
  // tells the admins about their alerts (notify/printer-alert-notices.h). The BackgroundTask's
  // work: runs on its worker thread.
  void poll();

  // What the pages show: every printer's last reading, how many polls have ended and when the
  // last one did.
  struct Snapshot {
    std::map<std::string, PrinterReading> readings;  // by printer name
    int runs = 0;
    std::optional<std::chrono::system_clock::time_point> last_run;
  };
  Snapshot snapshot() const;

 private:
  // Sends the alerts of one reading; failures are logged.
  void tell_admins(const std::string& printer, const PrinterReading& reading);

  Server& server_;
  mutable std::mutex mutex_;  // guards snapshot_
  Snapshot snapshot_;
};

// Adds the poll's timer when printer-poll-interval is not 0 (a malformed value is logged and
// the poll is off).
void add_printer_poll(pappl_system_t* system, Server& server);

}  // namespace pp::server
