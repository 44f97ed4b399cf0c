// allocation-period.h: the periods of an allocation (daily, weekly, monthly, yearly) in UTC.
//
// An allocation applies once per period, so a period needs a stable name (its idempotency key
// holds it) and arithmetic that never drifts: periods are counted from an anchor date (the
// allocation's `start`, else 1970-01-01; weeks from Monday 1970-01-05), each starting at
// 00:00 UTC. A monthly anchor on day 29-31 is refused by the parser (months without that day).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/status.h"

namespace pp {

enum class PeriodUnit { kDaily, kWeekly, kMonthly, kYearly };

// "daily", "weekly", "monthly", "yearly" <-> PeriodUnit.
std::string_view period_unit_name(PeriodUnit unit);
std::optional<PeriodUnit> parse_period_unit(std::string_view name);

using UtcSeconds = std::chrono::sys_seconds;

// One period: [start, end), and its number counted from the anchor (0 = the anchor's period).
struct Period {
  std::int64_t index = 0;
  UtcSeconds start;
  UtcSeconds end;
  // The start date, "2026-12-01": the period's name in keys and messages (sorts by time).
  std::string label() const;
};

// The calendar of one allocation.
class PeriodCalendar {
 public:
  PeriodCalendar(PeriodUnit unit, std::chrono::sys_days anchor);
  // The period containing `time`.
  Period containing(UtcSeconds time) const;
  // The period numbered `index`.
  Period at(std::int64_t index) const;
  // The period whose label() is `label`; nullopt when no period starts on that date.
  std::optional<Period> from_label(std::string_view label) const;

 private:
  PeriodUnit unit_;
  std::chrono::sys_days anchor_;
};

// Reads "YYYY-MM-DD" (a date, 00:00 UTC) or "YYYY-MM-DDTHH:MM:SSZ"; kInvalidArgument naming
// `what` otherwise.
Result<UtcSeconds> parse_utc_time(std::string_view text, std::string_view what);
// "YYYY-MM-DD" of a day.
std::string date_text(std::chrono::sys_days day);

}  // namespace pp
