// site-check.h: `pullprint ledger check` as one call: the ledger's invariants, split shares
// against their reservations, prepaid cards against their top-ups, and the sum of every balance.
//
// Why here: the CLI and the console's ledger page (/pullprint/admin/ledger) show the same
// verdict; the checks span three stores of one site, so the function takes the Site.
#pragma once

#include <cstdint>

#include "ledger/ledger.h"
#include "site/site.h"
#include "util/status.h"

namespace pp {

// What check_site found: the ledger's check with the splits' ("split: ...") and the prepaid
// cards' ("prepaid: ...") violations added.
struct SiteCheck {
  LedgerCheck ledger;
  std::int64_t splits = 0;
  std::int64_t shares = 0;
  std::int64_t balance_sum = 0;  // the sum of every account's balance (minor units)
  bool ok() const { return ledger.ok(); }
};

// Runs every check on `site` (read-only); the site must have its splits and cards stores open.
Result<SiteCheck> check_site(Site& site);

}  // namespace pp
