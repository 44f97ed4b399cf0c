// release-preview.h: what releasing a user's held jobs to one printer would do, before anything
// is claimed: each job's price there and whether the user's rights let it print (grey instead
// of colour, or refused with the reason), as claim_release() will decide.
//
// Why: the QR release page (web/web-release.cpp) shows a user at a printer their jobs priced for
// THAT printer, and says before the button which of them will not print there and why. The
// decision is claim_release()'s (rights/rights.h: allowed-users, color-users with the printer's
// color-fallback, max-pages; a split job at its split's price, never grey), read here without
// changing anything, so that the page and the release agree.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "job-store/job-store.h"
#include "pricing/pricing.h"
#include "printers/printers.h"
#include "rights/rights.h"
#include "site/site.h"
#include "util/status.h"

namespace pp {

// One job as it would be released to a printer.
struct ReleasePreview {
  std::int64_t job_id = 0;
  bool may_print = true;       // false: claim_release would refuse it (`refusal` says why)
  std::string refusal;         // "alice may not print colour on Lab_A; try Lab_Mono", or ""
  std::optional<Price> price;  // what the user pays there (a split job: their share)
  bool grey = false;           // printed grey (no colour right, color-fallback = mono)
  std::string note;            // why it prints grey, or ""
  std::string hint;            // a cheaper printer for the job, or ""
};

// The preview of each of `jobs` (the user's releasable jobs: releasable_jobs in release.h, a
// payer's part as payer_view shows it) on `printer` for `user`, in order. A disabled printer
// refuses every job. Failures to read the configuration or the stores are the Result's.
Result<std::vector<ReleasePreview>> preview_release(Site& site, const Config& config,
                                                    const ReleasePrinter& printer,
                                                    const std::vector<HeldJob>& jobs,
                                                    std::string_view user);

// Shared with claim_release (release-claim.cpp):
// What a held job prints, as the rights count it.
Result<JobPrint> held_job_print(const HeldJob& job);
// The job's price on `printer` printed grey (its colour pages priced as grey).
Result<Price> grey_price_on_printer(const HeldJob& job, const ReleasePrinter& printer,
                                    const Config& config);

}  // namespace pp
