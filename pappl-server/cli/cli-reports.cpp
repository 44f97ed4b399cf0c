// cli-reports.cpp: `pullprint report`: the console's reports (lib/reports/report.h) for scripts
// and for the admin on the server, and the monthly report mail by hand.
//
//   report [--by user|group|account|printer] [--from YYYY-MM-DD] [--to YYYY-MM-DD]
//          [--period day|week|month] [--csv]
//       the table (or the CSV of /pullprint/admin/reports.csv, same columns) of the range
//       (default: the last 30 days up to today, UTC); --period adds the per-period figures to the
//       table output
//   report --mail-month YYYY-MM [--at ISO-TIME]
//   report --mail-previous [--at ISO-TIME]
//       sends that month's (or the month before --at's, as pullprintd's timer does) summary to
//       report-mail-to through notify-command, once per address
#include <chrono>
#include <iostream>

#include "cli.h"
#include "notify/notify.h"
#include "pricing/pricing.h"
#include "reports/report-mail.h"
#include "reports/report-output.h"
#include "util/utc-time.h"

namespace pp::cli {
namespace {

struct ReportArgs {
  std::string by = "user";
  std::string from;
  std::string to;
  std::string period;
  bool csv = false;
  std::string mail_month;
  bool mail_previous = false;
  std::string at;  // ISO 8601 UTC; "" = now
};

std::chrono::system_clock::time_point now_or_at(const std::string& at) {
  if (at.empty()) return std::chrono::system_clock::now();
  const auto parsed = parse_iso_utc(at);
  if (!parsed)
    die(Status(Code::kInvalidArgument,
               "--at: expected an ISO 8601 UTC time such as 2027-01-17T08:00:00Z"));
  return *parsed;
}

std::unique_ptr<ReportStore> report_store(CliContext& context) {
  context.site();  // migrates the ledger file first
  Result<std::unique_ptr<ReportStore>> store =
      ReportStore::open(Site::ledger_path_of(context.config()), LedgerMigrations::kAlreadyRun);
  if (!store) die(store.status());
  return std::move(*store);
}

void print_row(const ReportRow& r, const std::string& currency) {
  std::cout << r.key << "\t" << r.jobs << "\t" << r.pages << "\t" << r.color_share() << "\t"
            << r.duplex_share() << "\t" << r.sheets << "\t" << format_money(r.charged, currency)
            << "\t" << format_money(r.refunded, currency) << "\t" << format_money(r.net(), currency)
            << "\n";
}

void print_rows(const std::vector<ReportRow>& rows, const ReportRow* totals,
                const std::string& currency) {
  for (const ReportRow& row : rows) print_row(row, currency);
  if (totals) print_row(*totals, currency);
}

void mail(CliContext& context, const ReportArgs& args) {
  const auto now = now_or_at(args.at);
  const std::string month = args.mail_previous ? previous_report_month(now) : args.mail_month;
  Result<std::vector<std::string>> recipients = report_mail_recipients(context.config());
  if (!recipients) die(recipients.status());
  Result<NotifySettings> settings = notify_settings_from_config(context.config());
  if (!settings) die(settings.status());
  Result<std::unique_ptr<NotifyStore>> notices = open_sqlite_notify_store(
      Site::ledger_path_of(context.config()), LedgerMigrations::kAlreadyRun);
  if (!notices) die(notices.status());
  std::unique_ptr<ReportStore> store = report_store(context);
  Notifier notifier(std::move(*settings), **notices, nullptr, [](bool error, const std::string& l) {
    (error ? std::cerr : std::cout) << (error ? "pullprint: " : "") << l << "\n";
  });
  Result<int> sent =
      mail_month_report(*store, notifier, *recipients, month, context.currency(), now);
  if (!sent) die(sent.status());
  std::cout << "report " << month << ": mailed to " << *sent << " new recipient(s) of "
            << recipients->size() << "\n";
}

void report(CliContext& context, const ReportArgs& args) {
  if (!args.mail_month.empty() || args.mail_previous) return mail(context, args);
  ReportQuery query;
  const std::optional<ReportBy> by = parse_report_by(args.by);
  if (!by) die(Status(Code::kInvalidArgument, "--by: user, group, account or printer"));
  query.by = *by;
  if (!args.period.empty()) {
    const std::optional<ReportPeriod> period = parse_report_period(args.period);
    if (!period) die(Status(Code::kInvalidArgument, "--period: day, week or month"));
    query.period = *period;
  }
  const std::int64_t today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now())
                                 .time_since_epoch()
                                 .count();
  query.to = args.to.empty() ? report_date(today) : args.to;
  query.from =
      args.from.empty() ? report_date(parse_report_date(query.to).value_or(today) - 29) : args.from;
  std::unique_ptr<ReportStore> store = report_store(context);
  Result<Report> result = run_report(*store, query);
  if (!result) die(result.status());
  const std::string currency = context.currency();
  if (args.csv) {
    std::cout << report_csv_header() << report_csv(*result, currency);
    return;
  }
  std::cout << report_by_name(query.by) << "\tjobs\tpages\tcolour%\tduplex%\tsheets\tcharged\t"
            << "refunded\tnet\n";
  print_rows(result->rows, &result->totals, currency);
  if (!args.period.empty()) {
    std::cout << "\n" << report_period_name(query.period) << "\n";
    print_rows(result->by_period, nullptr, currency);
  }
}

}  // namespace

void add_report_commands(CLI::App& app, CliContext& context) {
  auto args = std::make_shared<ReportArgs>();
  auto* cmd = app.add_subcommand("report", "Printed jobs and their money (the console's reports)");
  cmd->add_option("--by", args->by, "user, group, account or printer (default user)");
  cmd->add_option("--from", args->from, "First day YYYY-MM-DD (UTC; default 29 days before --to)");
  cmd->add_option("--to", args->to, "Last day YYYY-MM-DD (UTC; default today)");
  cmd->add_option("--period", args->period, "Also per day, week or month");
  cmd->add_flag("--csv", args->csv, "CSV (the columns of reports.csv)");
  cmd->add_option("--mail-month", args->mail_month, "Mail YYYY-MM's report to report-mail-to");
  cmd->add_flag("--mail-previous", args->mail_previous,
                "Mail the previous month's report (as pullprintd's timer does)");
  cmd->add_option("--at", args->at, "For the mail: as if it were this time (ISO 8601 UTC)");
  cmd->callback([&context, args] { report(context, *args); });
}

}  // namespace pp::cli
