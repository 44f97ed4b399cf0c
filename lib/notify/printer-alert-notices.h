// printer-alert-notices.h: a printer's alerts told to the admins through the one notification
// path (notify.h), once per printer, alert, day and recipient.
//
// Why in notify/: the words and the "once" of every notification live here; the rules of what
// an alert is are printers/printer-alerts.h's. pullprintd's printer poll calls this after each
// reading (server/server-printer-watch.cpp).
#pragma once

#include <string>
#include <vector>

#include "notify/notify.h"
#include "printers/printer-alerts.h"

namespace pp {

// Tells each of `recipients` (addresses, printers/printer-alerts.h's alert_recipients) about each
// of `alerts` of printer `printer` (kind printer-alert, subject printer_alert_subject of `now`'s
// UTC day): recorded once, so a second reading the same day sends nothing. Returns how many
// notifications were sent now; the first failure to record one (the rest are still tried).
Result<int> notify_printer_alerts(Notifier& notifier, const std::string& printer,
                                  const std::vector<PrinterAlert>& alerts,
                                  const std::vector<std::string>& recipients, NotifyClock now);

}  // namespace pp
