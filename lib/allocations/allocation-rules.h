// allocation-rules.h: the [allocation NAME] sections of pullprint.conf.
//
// Allocations give money to users or accounts each period (issue 13 §2): a school's EUR 5 a
// month per student, a department's budget. They are configuration, read the same way by the
// pullprint CLI and pullprintd's timer, so that `pullprint allocation run` and the timer do the
// same work. The rules of applying them are in allocations.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "allocations/allocation-period.h"
#include "config/config.h"
#include "util/status.h"

namespace pp {

enum class AllocationMode { kReset, kAdd };
enum class AllocationCombine { kSum, kMax };
enum class AllocationExpiry { kNever, kEndOfPeriod };

// One [allocation NAME] section.
struct AllocationRule {
  std::string name;
  std::string group;               // members of this group ...
  std::vector<std::string> users;  // ... or these users (exactly one of the two)
  std::int64_t amount = 0;         // minor units per period (> 0)
  PeriodUnit period = PeriodUnit::kMonthly;
  std::optional<UtcSeconds> start;  // no period before it; also the periods' anchor
  AllocationMode mode = AllocationMode::kReset;
  std::optional<std::int64_t> cap;  // mode add: allocated money stops here
  std::string account;              // fund this shared account instead of each member's own
  AllocationExpiry expires = AllocationExpiry::kNever;
  bool prorate = false;  // a member joining mid-period gets the part left

  PeriodCalendar calendar() const;
};

struct AllocationRules {
  std::vector<AllocationRule> rules;  // sorted by name
  // A user in several allocations to their own account: each applies (sum) or only the one
  // with the largest amount (max; ties: first by name). Top-level key `allocation-combine`.
  AllocationCombine combine = AllocationCombine::kSum;
};

// Reads every [allocation NAME] section (keys allocation.NAME.*) and allocation-combine;
// kInvalidArgument naming the key for anything malformed or unknown.
Result<AllocationRules> parse_allocation_rules(const Config& config);

std::string_view allocation_mode_name(AllocationMode mode);
std::string_view allocation_combine_name(AllocationCombine combine);

}  // namespace pp
