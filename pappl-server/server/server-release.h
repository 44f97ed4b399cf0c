// server-release.h: the release terminal's operation (PullPrint-Release-Held-Jobs).
#pragma once

#include <pappl/pappl.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pricing/pricing.h"
#include "printers/printers.h"
#include "release/release.h"
#include "server/server-request.h"
#include "server/server.h"

namespace pp::server {

// The currency of the default price profile ("" when it cannot be read).
std::string site_currency(const Config& config);

// The release of held jobs to a printer, shared by PullPrint-Release-Held-Jobs and the web page
// (web/web.cpp): each caller renders the outcomes its own way.

// Checks the printer's state before anything is claimed (check_release_printer in
// release/release.h) and logs a refusal: the check when it can print now, else kConflict with
// the refusal for the user.
Result<PrinterCheck> check_printer_for_release(pappl_client_t* client,
                                               const ReleasePrinter& printer,
                                               const std::string& user);

// What became of one held job of a release.
struct ReleaseOutcome {
  std::int64_t id = 0;
  std::string title;           // "" when the job was not claimed (others learn nothing about it)
  bool sent = false;           // claimed (held -> releasing) and queued for the printer's worker
  std::string message;         // "Sending to Lab_A: EUR 0.61", or why it stays held
  std::optional<Price> price;  // the job's price on this printer, when claimed
  std::string hint;            // a cheaper printer, or ""
};

// Claims each job for `printer` (claim_release) and queues it for the printer's delivery worker;
// one outcome per job, in order. Call after check_printer_for_release() said the printer can
// print. Split parts the printer cannot do are given back at once (give_back_unsupported in
// release/release.h). Releases of others' jobs
// (operators) are logged with both names.
std::vector<ReleaseOutcome> release_jobs(pappl_client_t* client, Server& server, Site& site,
                                         const ReleasePrinter& printer,
                                         const std::vector<std::int64_t>& ids,
                                         const Releaser& releaser, const PrinterCheck& check);

// Answers PullPrint-Release-Held-Jobs for `who` (see server-release.cpp).
void release_held_jobs(pappl_client_t* client, Server& server, const ClientIdentity& who);

}  // namespace pp::server
