// printer-alerts.h: what of a printer's state the admins are told about, once a day, and the
// last reading of each printer that the console shows.
//
// Why here: the console's printers page, its dashboard panel and the alert e-mail must agree on
// what an alert is. The rules:
//  - a stopped printer is an alert ("stopped");
//  - a printer-state-reasons keyword is an alert when its severity is "-error", or when it is
//    one of the faults that stop printing whatever severity the printer gives it (media-jam,
//    door-open, cover-open, media-empty, media-needed, toner-empty, marker-supply-empty,
//    marker-waste-full, ...); "-report" and "-warning" of other reasons are not (toner-low is
//    told by the supply levels instead, once);
//  - a supply at or below its low level (printer-supplies.h) is an alert ("supply-low:NAME");
//  - an unreachable printer is shown ("unreachable since ...") but not mailed: a printer that is
//    switched off at night is not a fault.
// Each alert is mailed once per printer, alert, day and recipient (the notification's subject,
// NotifyStore's kind + subject), to `alert-mail-to` (default: `report-mail-to`; empty: none).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "printers/printers.h"
#include "util/status.h"

namespace pp {

// One thing about a printer the admins should know.
struct PrinterAlert {
  std::string code;  // stable: "stopped", "media-jam", "supply-low:Black Toner"
  std::string text;  // for people: "Black Toner is at 5 % (low level 10 %)"

  bool operator==(const PrinterAlert&) const = default;
};

// Whether a printer-state-reasons keyword (with its severity suffix) is an alert (rules above).
bool is_alert_reason(std::string_view reason);

// The alerts in `state` (rules above), stopped first, then reasons, then supplies. An
// unreachable state has none.
std::vector<PrinterAlert> printer_alerts(const PrinterState& state);

// The subject that makes an alert mail once: "PRINTER:CODE:YYYY-MM-DD:RECIPIENT" (`day` UTC).
std::string printer_alert_subject(std::string_view printer, std::string_view code,
                                  std::string_view day, std::string_view recipient);

// Where alerts go: the addresses of `alert-mail-to` (commas and/or spaces), else those of
// `report-mail-to`; an empty list (no alerts) when neither is set or alert-mail-to is set empty.
std::vector<std::string> alert_recipients(const Config& config);

// How often pullprintd reads its printers: `printer-poll-interval` (config/duration.h: "5m",
// "30s"; default 5m; 0 = never). kInvalidArgument for a malformed value.
Result<std::chrono::seconds> printer_poll_interval(const Config& config);

// The last reading of one printer, as pullprintd's poll keeps it.
struct PrinterReading {
  PrinterState state;
  std::chrono::system_clock::time_point at;  // when it was read
  // Since when the printer has been unreachable (the first failed reading in a row); nullopt
  // while it answers.
  std::optional<std::chrono::system_clock::time_point> unreachable_since;
  std::vector<PrinterAlert> alerts;  // printer_alerts(state)
};

// The reading after `previous` (nullptr for the first): `state` read at `now`, keeping the start
// of an unreachable spell.
PrinterReading next_reading(const PrinterReading* previous, PrinterState state,
                            std::chrono::system_clock::time_point now);

}  // namespace pp
