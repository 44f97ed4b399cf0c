// report.h: the console's reports (issue 15): printed jobs and their money, by user (the job's
// owner), group (the people store's groups), account (the account charged) or printer, over a
// date range, with the same figures per day, week or month (UTC).
//
// Why the money comes from the journal: a manager holds a report next to `pullprint ledger
// check` and the journal, and they must agree to the cent. So a report adds up the journal's
// capture entries (charged) and refund entries (refunded) whose time falls in the range; net =
// charged - refunded. Pages come from the delivery row of the job (013-reports.sql: written at the
// release); rows from before that migration count their job and money with 0 pages.
//
// Counting rules (build_report):
//  - jobs, pages, colour pages, sheets and duplex pages count once per job and row, on the job's
//    captures in the range (a refund moves money, not pages). A split job (several paying
//    accounts) counts once for its owner and its printer; by account, it counts in each paying
//    account's row, with that account's money. The totals row counts each job once.
//  - by group: a user in two groups counts in both groups' rows; a user in none in "(no group)".
//    The totals row counts each job once, so the rows may add up to more than the totals.
//  - a scope (a department's or building's admin, console-access.h) keeps only its users' jobs on
//    its printers, charged to personal accounts (shared accounts belong to the site).
//
// Where: ReportStore (report-store.h) streams the charges of a range (the SQLite implementation
// reads the ledger file; a PostgreSQL site implements the same interface); build_report() is
// pure and does the counting; report-csv.cpp, report-pdf.cpp and report-chart.cpp write it.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace pp {

enum class ReportBy { kUser, kGroup, kAccount, kPrinter };
enum class ReportPeriod { kDay, kWeek, kMonth };

// "user", "group", "account", "printer" / "day", "week", "month".
std::string_view report_by_name(ReportBy by);
std::optional<ReportBy> parse_report_by(std::string_view text);
std::string_view report_period_name(ReportPeriod period);
std::optional<ReportPeriod> parse_report_period(std::string_view text);

// A calendar day "YYYY-MM-DD" (UTC) as days since 1970-01-01; nullopt unless a valid date.
std::optional<std::int64_t> parse_report_date(std::string_view text);
// Days since 1970-01-01 as "YYYY-MM-DD".
std::string report_date(std::int64_t days);
// The bucket of a journal time ("2026-12-05T10:00:00.000Z") in `period`: the day
// "2026-12-05", the week by its Monday "2026-11-30", the month "2026-12".
std::string report_bucket(std::string_view at, ReportPeriod period);

// One capture or refund entry of the journal with its job (ReportStore::for_each_charge).
struct ReportCharge {
  std::int64_t entry_id = 0;
  std::string at;           // the entry's time, ISO 8601 UTC
  bool refund = false;      // a refund entry; else a capture
  std::int64_t amount = 0;  // what was charged (a capture's amount negated) or refunded: >= 0
  std::string account;      // the account charged or refunded
  bool shared_account = false;
  std::string job;      // the job (its delivery row's reference; a split share: its job's)
  std::string owner;    // who printed it (the personal account's name when nothing says)
  std::string printer;  // "" when nothing says
  std::int64_t pages = 0;
  std::int64_t color_pages = 0;
  std::int64_t sheets = 0;
  bool duplex = false;
  // A ratio split's share: its job has other captures (the other payers'), so the builder
  // remembers the job to count its paper once per row. Any other job is captured once.
  bool split_share = false;
};

// A report's question.
struct ReportQuery {
  ReportBy by = ReportBy::kUser;
  std::string from;                          // first day, "YYYY-MM-DD" (UTC), inclusive
  std::string to;                            // last day, inclusive
  ReportPeriod period = ReportPeriod::kDay;  // the buckets of the per-period figures
};

// Checks a query's dates (valid, from <= to, at most 5 years); kInvalidArgument saying which.
Status check_report_query(const ReportQuery& query);
// The journal times of the query's range: [from 00:00, day after `to` 00:00) as ISO 8601 UTC.
std::pair<std::string, std::string> report_time_range(const ReportQuery& query);

// One row of a report (or the totals).
struct ReportRow {
  std::string key;  // the user, group, account, printer, or the period's bucket
  std::int64_t jobs = 0;
  std::int64_t pages = 0;
  std::int64_t color_pages = 0;
  std::int64_t duplex_pages = 0;  // pages of two-sided jobs
  std::int64_t sheets = 0;
  std::int64_t charged = 0;   // minor units
  std::int64_t refunded = 0;  // minor units
  std::int64_t net() const { return charged - refunded; }
  // Shares in percent, one decimal ("12.5"); "0.0" without pages.
  std::string color_share() const;
  std::string duplex_share() const;
};

// A report: the rows by the query's `by` (by key), the totals, and the same figures per period,
// per printer and per group (the charts).
struct Report {
  ReportQuery query;
  std::vector<ReportRow> rows;        // by key
  ReportRow totals;                   // key "Total"
  std::vector<ReportRow> by_period;   // every bucket of the range, in time order (empty ones too)
  std::vector<ReportRow> by_printer;  // by key
  std::vector<ReportRow> by_group;    // by key
  std::int64_t entries = 0;           // journal entries read
};

// Who a scoped report covers (nullptr functions: everybody / every printer).
struct ReportScope {
  std::function<bool(const std::string& owner)> covers_user;
  std::function<bool(const std::string& printer)> covers_printer;
  bool personal_accounts_only = false;
};

// The groups of each user (the people store's): for by-group rows and the group chart.
using ReportGroups = std::map<std::string, std::vector<std::string>, std::less<>>;

// Counts charges into a report (the rules at the top); feed every charge of the range, then
// finish(). Pure: the unit tests feed it by hand.
class ReportBuilder {
 public:
  ReportBuilder(ReportQuery query, ReportGroups groups, ReportScope scope);
  ~ReportBuilder();
  ReportBuilder(const ReportBuilder&) = delete;
  ReportBuilder& operator=(const ReportBuilder&) = delete;

  // Counts one charge (skipped when outside the scope).
  void add(const ReportCharge& charge);
  // The report (once).
  Report finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace pp
