// report.cpp: a report's words, dates and buckets, and the counting (report.h's rules). Pure:
// no store, no clock.
#include "reports/report.h"

#include <algorithm>
#include <charconv>
#include <set>
#include <unordered_map>
#include <unordered_set>

namespace pp {
namespace {

// Days since 1970-01-01 of a civil date (Howard Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct Civil {
  std::int64_t year;
  unsigned month;
  unsigned day;
};

Civil civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2), m, d};
}

std::string two_digits(unsigned value) {
  return std::string(1, static_cast<char>('0' + value / 10)) + static_cast<char>('0' + value % 10);
}

// Percent with one decimal of part / whole.
std::string percent(std::int64_t part, std::int64_t whole) {
  if (whole <= 0) return "0.0";
  const std::int64_t tenths = (part * 1000 + whole / 2) / whole;
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10);
}

constexpr std::int64_t kMaxReportDays = 5 * 366;

}  // namespace

std::string_view report_by_name(ReportBy by) {
  switch (by) {
    case ReportBy::kUser:
      return "user";
    case ReportBy::kGroup:
      return "group";
    case ReportBy::kAccount:
      return "account";
    case ReportBy::kPrinter:
      return "printer";
  }
  return "user";
}

std::optional<ReportBy> parse_report_by(std::string_view text) {
  for (ReportBy by : {ReportBy::kUser, ReportBy::kGroup, ReportBy::kAccount, ReportBy::kPrinter})
    if (report_by_name(by) == text) return by;
  return std::nullopt;
}

std::string_view report_period_name(ReportPeriod period) {
  switch (period) {
    case ReportPeriod::kDay:
      return "day";
    case ReportPeriod::kWeek:
      return "week";
    case ReportPeriod::kMonth:
      return "month";
  }
  return "day";
}

std::optional<ReportPeriod> parse_report_period(std::string_view text) {
  for (ReportPeriod period : {ReportPeriod::kDay, ReportPeriod::kWeek, ReportPeriod::kMonth})
    if (report_period_name(period) == text) return period;
  return std::nullopt;
}

std::optional<std::int64_t> parse_report_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  int year = 0;
  unsigned month = 0, day = 0;
  std::from_chars(text.data(), text.data() + 4, year);
  std::from_chars(text.data() + 5, text.data() + 7, month);
  std::from_chars(text.data() + 8, text.data() + 10, day);
  if (year < 1970 || month < 1 || month > 12 || day < 1) return std::nullopt;
  const std::int64_t days = days_from_civil(year, month, day);
  const Civil back = civil_from_days(days);
  if (back.month != month || back.day != day) return std::nullopt;  // 2026-02-30
  return days;
}

std::string report_date(std::int64_t days) {
  const Civil c = civil_from_days(days);
  return std::to_string(c.year) + "-" + two_digits(c.month) + "-" + two_digits(c.day);
}

std::string report_bucket(std::string_view at, ReportPeriod period) {
  const std::string_view day = at.substr(0, 10);
  if (period == ReportPeriod::kMonth) return std::string(day.substr(0, 7));
  if (period == ReportPeriod::kDay) return std::string(day);
  const std::optional<std::int64_t> days = parse_report_date(day);
  if (!days) return std::string(day);
  // 1970-01-01 was a Thursday: Monday is 3 days before it.
  const std::int64_t since_monday = ((*days + 3) % 7 + 7) % 7;
  return report_date(*days - since_monday);
}

Status check_report_query(const ReportQuery& query) {
  const std::optional<std::int64_t> from = parse_report_date(query.from);
  if (!from) return Status(Code::kInvalidArgument, "from: not a date YYYY-MM-DD: " + query.from);
  const std::optional<std::int64_t> to = parse_report_date(query.to);
  if (!to) return Status(Code::kInvalidArgument, "to: not a date YYYY-MM-DD: " + query.to);
  if (*to < *from) return Status(Code::kInvalidArgument, "the range ends before it starts");
  if (*to - *from > kMaxReportDays)
    return Status(Code::kInvalidArgument, "a report covers at most five years");
  return Status::ok();
}

std::pair<std::string, std::string> report_time_range(const ReportQuery& query) {
  const std::int64_t to = parse_report_date(query.to).value_or(0);
  return {query.from + "T00:00:00", report_date(to + 1) + "T00:00:00"};
}

std::string ReportRow::color_share() const {
  return percent(color_pages, pages);
}
std::string ReportRow::duplex_share() const {
  return percent(duplex_pages, pages);
}

// The rows of one table (by user, by printer, ...) found by key without making a string: the
// counting loop sees each of ~500,000 charges of a year several times, so a lookup must not
// allocate (heterogeneous lookup by string_view) and each row is an index into a vector.
class RowTable {
 public:
  // The index of the row of `key`, made empty when new.
  std::size_t index_of(std::string_view key) {
    if (auto found = index_.find(key); found != index_.end()) return found->second;
    rows_.emplace_back().key = std::string(key);
    index_.emplace(rows_.back().key, rows_.size() - 1);
    return rows_.size() - 1;
  }
  ReportRow& operator[](std::size_t index) { return rows_[index]; }
  // The rows sorted by key.
  std::vector<ReportRow> sorted() const {
    std::vector<ReportRow> out = rows_;
    std::sort(out.begin(), out.end(),
              [](const ReportRow& a, const ReportRow& b) { return a.key < b.key; });
    return out;
  }
  const ReportRow* find(std::string_view key) const {
    auto found = index_.find(key);
    return found == index_.end() ? nullptr : &rows_[found->second];
  }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const {
      return std::hash<std::string_view>{}(text);
    }
  };
  std::unordered_map<std::string, std::size_t, Hash, std::equal_to<>> index_;
  std::vector<ReportRow> rows_;
};

// A day "YYYY-MM-DD..." as days since 1970-01-01, without checking more than the digits' places
// (journal times are written by the ledger); nullopt for anything else.
std::optional<std::int64_t> fast_day(std::string_view at) {
  if (at.size() < 10) return std::nullopt;
  auto digits = [&](std::size_t from, std::size_t count) {
    unsigned value = 0;
    for (std::size_t i = from; i < from + count; ++i) value = value * 10 + (at[i] - '0');
    return value;
  };
  return days_from_civil(digits(0, 4), digits(5, 2), digits(8, 2));
}

struct ReportBuilder::State {
  ReportQuery query;
  ReportGroups groups;
  ReportScope scope;
  RowTable rows, by_period, by_printer, by_group, owners;
  ReportRow totals;
  std::int64_t entries = 0;
  // Per owner (owners' index): its group rows and whether the scope covers it (-1: not asked).
  std::vector<std::vector<std::size_t>> owner_groups;
  std::vector<signed char> owner_covered;
  std::unordered_map<std::string, bool> printer_covered;
  // The bucket of the last charge's day (charges come in time order: most share the day).
  std::string last_day;
  std::string last_bucket;
  // A job's paper counts once per row. A split job's captures (ReportCharge::split_share) share
  // its delivery row (owner, printer, groups), so only the period and the account can differ
  // between them: each such job's first bucket and account, and (table, key, job) marks for the
  // later captures. Other jobs are captured once and need no memory.
  std::unordered_map<std::string, std::string> first_of;  // job -> "bucket\naccount"
  std::unordered_set<std::string> counted;
  bool repeat = false;  // the charge being added is a later capture of its job
  std::string first;    // and its job's first "bucket\naccount"
  bool finished = false;

  const std::string& bucket_of(std::string_view at) {
    const std::string_view day = at.substr(0, 10);
    if (day != last_day) {
      last_day = std::string(day);
      last_bucket = report_bucket(day, query.period);
    }
    return last_bucket;
  }

  std::size_t owner_index(const std::string& owner) {
    const std::size_t index = owners.index_of(owner);
    if (index >= owner_groups.size()) {
      owner_covered.resize(index + 1, -1);
      std::vector<std::size_t>& mine = owner_groups.emplace_back();
      for (const std::string& group : groups_of(owner)) mine.push_back(by_group.index_of(group));
    }
    return index;
  }

  bool in_scope(const ReportCharge& charge, std::size_t owner) {
    if (scope.personal_accounts_only && charge.shared_account) return false;
    if (scope.covers_user) {
      if (owner_covered[owner] < 0) owner_covered[owner] = scope.covers_user(charge.owner) ? 1 : 0;
      if (!owner_covered[owner]) return false;
    }
    if (scope.covers_printer) {
      auto [at, fresh] = printer_covered.try_emplace(charge.printer, false);
      if (fresh) at->second = scope.covers_printer(charge.printer);
      if (!at->second) return false;
    }
    return true;
  }

  void count(char table, ReportRow& row, const ReportCharge& charge) {
    if (charge.refund) {
      row.refunded += charge.amount;
      return;
    }
    row.charged += charge.amount;
    if (repeat) {
      // Only a period or an account row the job's first capture did not count.
      const std::size_t cut = first.find('\n');
      if (table == 'P' && row.key == first.substr(0, cut)) return;
      if (table == 'a' && row.key == first.substr(cut + 1)) return;
      if (table != 'P' && table != 'a') return;
      std::string mark;
      mark += table;
      mark += row.key;
      mark += '\n';
      mark += charge.job;
      if (!counted.insert(std::move(mark)).second) return;
    }
    row.jobs += 1;
    row.pages += charge.pages;
    row.color_pages += charge.color_pages;
    row.duplex_pages += charge.duplex ? charge.pages : 0;
    row.sheets += charge.sheets;
  }

  void count_in(char table, RowTable& into, std::string_view key, const ReportCharge& charge) {
    count(table, into[into.index_of(key)], charge);
  }

  const std::vector<std::string>& groups_of(const std::string& user) const {
    static const std::vector<std::string> none{"(no group)"};
    auto found = groups.find(user);
    return found == groups.end() || found->second.empty() ? none : found->second;
  }
};

ReportBuilder::ReportBuilder(ReportQuery query, ReportGroups groups, ReportScope scope)
    : state_(std::make_unique<State>()) {
  state_->query = std::move(query);
  state_->groups = std::move(groups);
  state_->scope = std::move(scope);
  state_->totals.key = "Total";
}

ReportBuilder::~ReportBuilder() = default;

void ReportBuilder::add(const ReportCharge& charge) {
  State& s = *state_;
  ++s.entries;
  const std::size_t owner = s.owner_index(charge.owner);
  if (!s.in_scope(charge, owner)) return;
  const std::string& bucket = s.bucket_of(charge.at);
  s.repeat = false;
  if (!charge.refund && charge.split_share) {
    auto [at, fresh] = s.first_of.try_emplace(charge.job);
    s.repeat = !fresh;
    if (fresh)
      at->second = bucket + '\n' + charge.account;
    else
      s.first = at->second;
  }
  const std::string_view printer = charge.printer.empty() ? "(unknown)" : charge.printer;
  const std::string_view owner_key = charge.owner.empty() ? "(unknown)" : charge.owner;
  s.count('T', s.totals, charge);
  s.count_in('P', s.by_period, bucket, charge);
  s.count_in('R', s.by_printer, printer, charge);
  for (std::size_t group : s.owner_groups[owner]) s.count('G', s.by_group[group], charge);
  switch (s.query.by) {
    case ReportBy::kUser:
      s.count_in('u', s.rows, owner_key, charge);
      break;
    case ReportBy::kAccount:
      s.count_in('a', s.rows, charge.account, charge);
      break;
    case ReportBy::kPrinter:
    case ReportBy::kGroup:
      break;  // the same as by_printer / by_group, copied in finish()
  }
}

Report ReportBuilder::finish() {
  State& s = *state_;
  Report report;
  report.query = s.query;
  report.totals = s.totals;
  report.entries = s.entries;
  report.by_printer = s.by_printer.sorted();
  report.by_group = s.by_group.sorted();
  switch (s.query.by) {
    case ReportBy::kPrinter:
      report.rows = report.by_printer;
      break;
    case ReportBy::kGroup:
      report.rows = report.by_group;
      break;
    default:
      report.rows = s.rows.sorted();
  }
  // Every bucket of the range, the empty ones too (a chart's gaps are days without prints).
  const std::optional<std::int64_t> from = parse_report_date(s.query.from);
  const std::optional<std::int64_t> to = parse_report_date(s.query.to);
  if (from && to) {
    std::string last;
    for (std::int64_t day = *from; day <= *to; ++day) {
      const std::string bucket = report_bucket(report_date(day), s.query.period);
      if (bucket == last) continue;
      last = bucket;
      const ReportRow* found = s.by_period.find(bucket);
      ReportRow row = found ? *found : ReportRow{};
      row.key = bucket;
      report.by_period.push_back(std::move(row));
    }
  }
  s.finished = true;
  return report;
}

}  // namespace pp
