// printer-alert-notices.cpp: a printer's alerts as admin notifications (once a day each).
#include "notify/printer-alert-notices.h"

#include "util/utc-time.h"

namespace pp {

Result<int> notify_printer_alerts(Notifier& notifier, const std::string& printer,
                                  const std::vector<PrinterAlert>& alerts,
                                  const std::vector<std::string>& recipients, NotifyClock now) {
  const std::string day = iso_utc(now).substr(0, 10);
  int sent = 0;
  Status first_failure;
  for (const PrinterAlert& alert : alerts) {
    const std::string title = "Printer " + printer + ": " + alert.text;
    const std::string body = "Printer " + printer + " needs attention (" + iso_utc(now) + "):\n  " +
                             alert.text +
                             "\n\nThe console's printers page shows its state and supplies.";
    for (const std::string& recipient : recipients) {
      Result<NotifyOutcome> outcome = notifier.notify(
          NoticeKind::kPrinterAlert, printer_alert_subject(printer, alert.code, day, recipient),
          recipient, title, body, now);
      if (!outcome) {
        if (first_failure.is_ok()) first_failure = outcome.status();
        continue;
      }
      if (*outcome == NotifyOutcome::kSent) ++sent;
    }
  }
  if (!first_failure.is_ok()) return first_failure;
  return sent;
}

}  // namespace pp
