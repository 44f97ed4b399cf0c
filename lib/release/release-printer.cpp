// release-printer.cpp: the printer rules of a release: a printer that cannot print now keeps
// every job held, and a part the printer says it cannot do goes back before any data goes out.
//
// They were the doors' own (pullprintd's Release-Held-Jobs, its web page, its delivery
// workers); here they are one rule each, whatever door asks.
#include "release/release.h"

namespace pp {

Result<PrinterCheck> check_release_printer(const ReleasePrinter& printer) {
  Result<PrinterCheck> check = check_printer(printer);
  if (check) return check;
  return Status(check.status().code(),
                "Printer " + printer.name + " is not available (" + check.status().message() +
                    "). Your jobs stay held and nothing was charged; try another printer.");
}

Status recheck_before_send(const ClaimedRelease& claim,
                           std::chrono::steady_clock::time_point checked_at) {
  if (!printer_check_is_stale(checked_at)) return Status::ok();
  Result<PrinterCheck> check = check_printer(claim.printer);
  if (check) return Status::ok();
  return Status(check.status().code(), "Not printed: " + claim.printer.name +
                                           " is not available (" + check.status().message() +
                                           "). The job is still held and nothing was charged.");
}

std::vector<std::string> give_back_unsupported(Site& site, const ReleasePrinter& printer,
                                               const PrinterState& state,
                                               std::vector<ClaimedRelease>& claims) {
  std::vector<std::string> refused;
  std::vector<ClaimedRelease> sendable;
  for (ClaimedRelease& claim : claims) {
    const std::string option = claim.part ? state.unsupported_option(claim.print_options()) : "";
    if (option.empty()) {
      sendable.push_back(std::move(claim));
      continue;
    }
    const std::string what = claim.part ? claim.part->payer + "'s part" : "the job";
    const std::string why =
        printer.name + " cannot print " + what + " (" + option + "); release it at another printer";
    // Not sent either way: a part whose give-back failed stays releasing, and
    // recover_releases() gives it back at the next start.
    (void)withdraw_release(site, claim, "Not released: " + why + ".");
    refused.push_back(why);
  }
  claims = std::move(sendable);
  return refused;
}

}  // namespace pp
