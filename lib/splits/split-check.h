// split-check.h: proving that split shares and their ledger reservations agree.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ledger/ledger.h"
#include "splits/split-store.h"
#include "util/status.h"

namespace pp {

// Result of check_splits(): empty violations means every invariant holds.
struct SplitCheck {
  std::int64_t splits = 0;
  std::int64_t shares = 0;
  std::vector<std::string> violations;
  bool ok() const { return violations.empty(); }
};

// Read-only; for `pullprint ledger check`. Verifies:
//  - an approved share has its reservation (on the payer's account, under its reserve key, of
//    its amount), open or captured (a capture whose state change was interrupted);
//  - a printed share's reservation is captured at the share's amount;
//  - a declined, expired or discarded share has no open reservation under its key;
//  - the parts of a split sum to its price; in ratio mode a cover share takes over a declined
//    or expired share at its amount, and once nothing is pending in a split that is not
//    cancelled, the approved and printed shares (covers included) sum to the job's price.
Result<SplitCheck> check_splits(SplitStore& store, Ledger& ledger);

}  // namespace pp
