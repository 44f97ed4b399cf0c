// printers.h: the release printers of a site: where held jobs come out, at what price, and
// whether a printer can take a job right now.
//
// The admin defines each physical printer in a [printer NAME] section of pullprint.conf:
//
//   [printer Lab_Mono]
//   location = Library, ground floor
//   price-profile = Lab_Mono          # default: [price Lab_Mono] if it exists, else default
//   device-uri = socket://10.0.0.20   # or: cups-queue = Lab_Mono (a local queue with a driver)
//   enabled = yes
//
// Before a job is sent, its printer's state is queried (IPP Get-Printer-Attributes where the
// device speaks IPP, a TCP connect otherwise) with bounded timeouts, so a printer that is off
// never stalls a release.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/document.h"
#include "config/config.h"
#include "pricing/pricing.h"
#include "printers/printer-supplies.h"
#include "util/status.h"

namespace pp {

// One physical printer users release jobs to.
struct ReleasePrinter {
  std::string name;        // the NAME of [printer NAME]
  std::string location;    // free text shown to users ("Library, ground floor")
  std::string profile;     // price profile: the NAME of a [price NAME] section or "default"
  std::string device_uri;  // ipp://, ipps://, socket://, lpd:// or usb://; "" when cups_queue
  std::string cups_queue;  // a local CUPS queue (printers that need a driver); "" when device_uri
  bool enabled = true;     // disabled printers are listed but get no jobs
};

// Reads every [printer NAME] section. Keys: location, price-profile, device-uri, cups-queue,
// enabled; exactly one of device-uri and cups-queue. Unknown keys, a device URI with a scheme
// outside the allowed list, a price-profile without a [price NAME] section and a bad price
// section are errors (as in price sections, a typo must not send jobs or money astray).
// Printers come sorted by name.
Result<std::vector<ReleasePrinter>> release_printers_from_config(const Config& config);

// The release printer called `name`; kNotFound when the config has none of that name.
Result<ReleasePrinter> find_release_printer(const Config& config, std::string_view name);

// The device URI for messages and listings: user name and password replaced by "***", so
// credentials in a device URI never reach a log, a terminal or JSON output.
std::string redacted_device_uri(std::string_view uri);

// What a printer reports about itself (printer-state of RFC 8011).
enum class DeviceState {
  kUnknown,     // reachable, but the protocol has no status (socket://, lpd://) or not checked
  kIdle,        // 3
  kProcessing,  // 4
  kStopped,     // 5: needs attention (paper jam, out of toner, paused queue)
};

// "unknown", "idle", "processing", "stopped".
std::string_view device_state_name(DeviceState state);

// The job options a printer says it supports (its IPP *-supported attributes); an empty list:
// the printer did not say (socket, lpd, a folder), so any value is let through.
struct PrinterSupport {
  std::vector<std::string> sides;        // sides-supported
  std::vector<std::string> color_modes;  // print-color-mode-supported
  std::vector<std::string> media;        // media-supported (PWG names)
  std::vector<std::string> media_types;  // media-type-supported
};

struct PrinterState {
  bool reachable = false;  // false: the reason is in `message`
  DeviceState state = DeviceState::kUnknown;
  std::vector<std::string> state_reasons;  // printer-state-reasons, e.g. "media-empty-error"
  std::string message;                     // printer-state-message, or why it is unreachable
  bool accepting_jobs = true;              // printer-is-accepting-jobs (a rejecting CUPS queue)
  PrinterSupport supported;
  // Supplies (marker-* or printer-supply, printer-supplies.h) and the printer's own alerts
  // (printer-alert-description, else printer-alert), where the printer reports them (IPP only).
  std::vector<PrinterSupply> supplies;
  std::vector<std::string> device_alerts;

  // Whether a job may be sent now: reachable, accepting jobs and not stopped.
  bool can_print() const;
  // The first of a job's options (IPP names: sides, print-color-mode, media, media-type) the
  // printer says it cannot do, as "sides=two-sided-long-edge"; "" when it can (or did not say).
  // A job sent anyway would fail at the printer after its data went out.
  std::string unsupported_option(const std::map<std::string, std::string>& options) const;
};

// Queries the printer's state within about `timeout` (DNS look-ups and an ipps:// device that
// accepts the connection but never answers the TLS handshake aside: libcups's handshake limit,
// 10 s, applies there):
// ipp/ipps: Get-Printer-Attributes on the device; cups-queue: Get-Printer-Attributes for the
// queue on the local cupsd (CUPS_SERVER or the client default); socket/lpd: a TCP connect.
// An unreachable printer, a refused or timed-out connection or an IPP error is a state with
// reachable = false and the reason, not a failed Result; that is kept for a malformed printer.
// Uses the calling thread's libcups state: it turns off libcups password prompts on this thread
// (a printer asking for a password must not block a release on a terminal prompt).
Result<PrinterState> query_printer_state(const ReleasePrinter& printer,
                                         std::chrono::milliseconds timeout);

// How long a printer's state may take to come before a release (query_printer_state's budget),
// and how long a state found fit to print is relied on before a job is sent.
inline constexpr std::chrono::milliseconds kPrinterStateTimeout{3000};
inline constexpr std::chrono::seconds kPrinterStateFreshFor{5};

// A printer found fit to print: when, and what it said about itself (what it supports).
struct PrinterCheck {
  std::chrono::steady_clock::time_point at;
  PrinterState state;
};

// Whether `printer` can print now (PrinterState::can_print, within kPrinterStateTimeout): the
// check when it can; kConflict with the reason when it cannot ("media-empty-error: Out of
// paper", "stopped", why it is unreachable), kept so that every caller says the same.
Result<PrinterCheck> check_printer(const ReleasePrinter& printer);

// Whether a check made at `checked_at` is too old (kPrinterStateFreshFor) to send a job on.
bool printer_check_is_stale(std::chrono::steady_clock::time_point checked_at);

// Asks the local cupsd (CUPS_SERVER or the client default) to release CUPS job `job_id`, held
// by the pullprint backend, as `user` (cupsd's policy decides who may; pullprintd runs as root
// on the print server). kIoError with cupsd's message when it refuses or cannot be reached.
Status resume_cups_job(std::int64_t job_id, std::string_view user);

// Asks the local cupsd to cancel CUPS job `job_id` as `user` (a CUPS-door split job whose split
// was cancelled). A job cupsd no longer has, or has finished, is fine. kIoError otherwise.
Status cancel_cups_job(std::int64_t job_id, std::string_view user);

// Whether CUPS job `job_id` on the local cupsd may still print: true while pending, held,
// processing or stopped; false once cancelled, aborted or completed, or when cupsd no longer
// knows it. kIoError when cupsd cannot be asked.
Result<bool> cups_job_active(std::int64_t job_id);

// A job's price on one printer.
struct PrinterPrice {
  std::string printer;
  Price price;
};

// Where a job is cheapest, compared with the printer the user picked.
struct PrinterChoice {
  PrinterPrice cheapest;
  std::optional<PrinterPrice> given;  // the picked printer's price, when one was picked

  // "this job costs EUR 0.40 on Lab_Mono instead of EUR 1.20 on Lab_Colour", or "" when the
  // picked printer is already the cheapest (or none was picked).
  std::string hint() const;
};

// Prices an analysed job on every enabled printer (through quote_analysed, as at release) and
// returns the cheapest. Ties keep the printer named `given` (the user's pick), else the first
// in the list; printers priced in another currency than the pick (or the first) are skipped.
// kNotFound when there is no enabled printer or `given` is not one of them.
Result<PrinterChoice> cheapest_printer(const DocumentInfo& document,
                                       const std::map<std::string, std::string>& job_options,
                                       const std::vector<ReleasePrinter>& printers,
                                       const Config& config, std::string_view given = "");

}  // namespace pp
