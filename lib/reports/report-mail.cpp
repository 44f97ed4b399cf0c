// report-mail.cpp: the monthly report mail (report-mail.h) and its text (report-output.h).
#include "reports/report-mail.h"

#include <chrono>
#include <sstream>

#include "pricing/pricing.h"
#include "reports/report-output.h"

namespace pp {
namespace {

std::string padded(std::string text, std::size_t width) {
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text;
}

std::string summary_lines(const Report& report, std::string_view currency) {
  std::string text = padded(std::string(report_by_name(report.query.by)), 24) +
                     "  jobs   pages  colour%  duplex%  sheets  net\n";
  for (const ReportRow& row : report.rows)
    text += padded(row.key, 24) + "  " + padded(std::to_string(row.jobs), 5) + "  " +
            padded(std::to_string(row.pages), 6) + "  " + padded(row.color_share(), 7) + "  " +
            padded(row.duplex_share(), 7) + "  " + padded(std::to_string(row.sheets), 6) + "  " +
            format_money(row.net(), currency) + "\n";
  return text;
}

}  // namespace

std::string report_mail_body(const Report& by_user, const Report& by_printer,
                             std::string_view currency) {
  const ReportRow& t = by_user.totals;
  std::string text = "Print report " + by_user.query.from + " to " + by_user.query.to +
                     " (UTC)\n\nJobs: " + std::to_string(t.jobs) +
                     "\nPages: " + std::to_string(t.pages) + " (colour " + t.color_share() +
                     "%, duplex " + t.duplex_share() + "%)\nSheets: " + std::to_string(t.sheets) +
                     "\nCharged: " + format_money(t.charged, currency) +
                     "\nRefunded: " + format_money(t.refunded, currency) +
                     "\nNet: " + format_money(t.net(), currency) + "\n\nBy user\n";
  text += summary_lines(by_user, currency);
  text += "\nBy printer\n" + summary_lines(by_printer, currency);
  return text;
}

Result<std::vector<std::string>> report_mail_recipients(const Config& config) {
  std::string text = config.get_string("report-mail-to", "");
  for (char& c : text)
    if (c == ',') c = ' ';
  std::istringstream in(text);
  std::vector<std::string> recipients;
  for (std::string address; in >> address;) {
    const std::size_t at = address.find('@');
    if (at == 0 || at == std::string::npos || at + 1 == address.size() ||
        address.find_first_of("<>\"'\\;") != std::string::npos)
      return Status(Code::kInvalidArgument, "report-mail-to: not an address: " + address);
    recipients.push_back(address);
  }
  return recipients;
}

std::string previous_report_month(std::chrono::system_clock::time_point now) {
  const auto days = std::chrono::floor<std::chrono::days>(now);
  const std::chrono::year_month_day today{days};
  const std::chrono::year_month previous =
      std::chrono::year_month{today.year(), today.month()} - std::chrono::months{1};
  const int year = static_cast<int>(previous.year());
  const unsigned month = static_cast<unsigned>(previous.month());
  return std::to_string(year) + "-" + (month < 10 ? "0" : "") + std::to_string(month);
}

Result<ReportQuery> month_report_query(const std::string& month, ReportBy by) {
  const std::optional<std::int64_t> first = parse_report_date(month + "-01");
  if (month.size() != 7 || !first)
    return Status(Code::kInvalidArgument, "not a month YYYY-MM: " + month);
  std::int64_t last = *first + 27;
  while (report_date(last + 1).substr(0, 7) == month) ++last;
  ReportQuery query;
  query.by = by;
  query.from = report_date(*first);
  query.to = report_date(last);
  query.period = ReportPeriod::kDay;
  return query;
}

Result<int> mail_month_report(ReportStore& reports, Notifier& notifier,
                              const std::vector<std::string>& recipients, const std::string& month,
                              const std::string& currency,
                              std::chrono::system_clock::time_point now) {
  if (!notifier.settings().enabled() || recipients.empty()) return 0;
  Result<ReportQuery> user_query = month_report_query(month, ReportBy::kUser);
  if (!user_query) return user_query.status();
  Result<Report> by_user = run_report(reports, *user_query);
  if (!by_user) return by_user.status();
  ReportQuery printer_query = *user_query;
  printer_query.by = ReportBy::kPrinter;
  Result<Report> by_printer = run_report(reports, printer_query);
  if (!by_printer) return by_printer.status();
  const std::string body = report_mail_body(*by_user, *by_printer, currency);
  const std::int64_t seconds =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  int recorded = 0;
  for (const std::string& address : recipients) {
    // Recorded with the address itself (not a login's address): the admins' mailboxes.
    NewNotice notice{NoticeKind::kReport,
                     month + ":" + address,
                     address,
                     address,
                     "Print report " + month,
                     body};
    Result<std::optional<Notice>> fresh = notifier.store().record(notice, seconds);
    if (!fresh) return fresh.status();
    if (*fresh) ++recorded;
  }
  // The new ones are pending: the notification path sends them now (and retries a failure).
  if (recorded > 0) {
    Result<int> sent = notifier.send_due(now);
    if (!sent) return sent.status();
  }
  return recorded;
}

}  // namespace pp
