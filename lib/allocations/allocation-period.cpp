// allocation-period.cpp: period arithmetic on std::chrono's civil calendar (UTC, no time zone).
#include "allocations/allocation-period.h"

#include <array>
#include <cstdio>

#include "util/utc-time.h"

namespace pp {

namespace {

using namespace std::chrono;

constexpr std::array<std::string_view, 4> kUnitNames = {"daily", "weekly", "monthly", "yearly"};

// Floor division (C++ '/' truncates towards zero).
std::int64_t floor_div(std::int64_t value, std::int64_t divisor) {
  std::int64_t quotient = value / divisor;
  return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? quotient - 1 : quotient;
}

}  // namespace

std::string_view period_unit_name(PeriodUnit unit) {
  return kUnitNames.at(static_cast<std::size_t>(unit));
}

std::optional<PeriodUnit> parse_period_unit(std::string_view name) {
  for (std::size_t i = 0; i < kUnitNames.size(); ++i) {
    if (kUnitNames[i] == name) return static_cast<PeriodUnit>(i);
  }
  return std::nullopt;
}

std::string date_text(sys_days day) {
  const year_month_day date(day);
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return text;
}

std::string Period::label() const {
  return date_text(floor<days>(start));
}

PeriodCalendar::PeriodCalendar(PeriodUnit unit, sys_days anchor) : unit_(unit), anchor_(anchor) {}

Period PeriodCalendar::at(std::int64_t index) const {
  const year_month_day anchor(anchor_);
  auto starting = [&](std::int64_t k) -> sys_days {
    switch (unit_) {
      case PeriodUnit::kDaily:
        return anchor_ + days(k);
      case PeriodUnit::kWeekly:
        return anchor_ + days(7 * k);
      case PeriodUnit::kMonthly:
        return sys_days(anchor + months(k));
      case PeriodUnit::kYearly:
        return sys_days(anchor + years(k));
    }
    return anchor_;
  };
  return Period{index, starting(index), starting(index + 1)};
}

Period PeriodCalendar::containing(UtcSeconds time) const {
  const sys_days day = floor<days>(time);
  std::int64_t index = 0;
  if (unit_ == PeriodUnit::kDaily || unit_ == PeriodUnit::kWeekly) {
    index = floor_div((day - anchor_).count(), unit_ == PeriodUnit::kDaily ? 1 : 7);
  } else {
    const year_month_day date(day), anchor(anchor_);
    std::int64_t month_count =
        (static_cast<int>(date.year()) - static_cast<int>(anchor.year())) * 12 +
        (static_cast<int>(static_cast<unsigned>(date.month())) -
         static_cast<int>(static_cast<unsigned>(anchor.month())));
    index = unit_ == PeriodUnit::kMonthly ? month_count : floor_div(month_count, 12);
  }
  // The estimate is at most one period late: step back until the period holds `time`.
  Period period = at(index);
  while (time < period.start) period = at(--index);
  while (time >= period.end) period = at(++index);
  return period;
}

std::optional<Period> PeriodCalendar::from_label(std::string_view label) const {
  Result<UtcSeconds> start = parse_utc_time(label, "period");
  if (!start.ok()) return std::nullopt;
  Period period = containing(*start);
  if (period.start != *start) return std::nullopt;
  return period;
}

Result<UtcSeconds> parse_utc_time(std::string_view text, std::string_view what) {
  if (auto time = parse_iso_utc(text); time && text.size() == 20) {
    return floor<seconds>(*time);
  }
  int y = 0;
  unsigned m = 0, d = 0;
  char rest = 0;
  const std::string terminated(text);
  if (text.size() == 10 &&
      std::sscanf(terminated.c_str(), "%4d-%2u-%2u%c", &y, &m, &d, &rest) == 3) {
    const year_month_day date{year(y), month(m), day(d)};
    if (date.ok()) return UtcSeconds(sys_days(date));
  }
  return Status(Code::kInvalidArgument, std::string(what) + " '" + std::string(text) +
                                            "' is not a date (YYYY-MM-DD) or a UTC time "
                                            "(YYYY-MM-DDTHH:MM:SSZ)");
}

}  // namespace pp
