// allocation-key.h: the one place that builds (and reads back) the idempotency keys of
// allocations, as ledger/job-ref.h does for jobs.
//
// An allocation applies once per allocation, period and account: its key names all three,
// "allocation/NAME/PERIOD/ACCOUNT" (PERIOD is the period's start date, so the keys of one
// allocation sort by period), and the expiry of a period's allocated money
// "allocation-expiry/NAME/PERIOD/ACCOUNT". The keys are stored in ledgers: never change them.
// Allocation names are [A-Za-z0-9._-] (checked by the parser), so the first '/' after the
// period ends the period and the rest is the account, whatever it holds.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace pp {

enum class AllocationStep { kGrant, kExpiry };

struct AllocationKey {
  AllocationStep step = AllocationStep::kGrant;
  std::string allocation;  // the [allocation NAME]
  std::string period;      // Period::label(), "2026-12-01"
  std::string account;

  // "allocation/students/2026-12-01/alice" or "allocation-expiry/...".
  std::string key() const;
  // The prefix shared by every key of one allocation and step ("allocation/students/").
  static std::string prefix(AllocationStep step, std::string_view allocation);
  // Reads a key back; nullopt for any other text.
  static std::optional<AllocationKey> parse(std::string_view key);
};

}  // namespace pp
