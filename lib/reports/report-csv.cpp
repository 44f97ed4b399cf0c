// report-csv.cpp: a report as CSV at a stable URL (report-output.h): the columns never move, so
// that a spreadsheet or a script that reads them keeps working; amounts in major units.
#include "pricing/pricing.h"
#include "reports/report-output.h"
#include "statement/statement.h"  // csv_field: the one RFC 4180 quoting

namespace pp {
namespace {

// A text field: a leading = + - @ TAB or CR would make a spreadsheet run it as a formula.
std::string safe_text(std::string_view text) {
  if (!text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos)
    return csv_field("'" + std::string(text));
  return csv_field(text);
}

std::string csv_line(const Report& report, const ReportRow& row, std::string_view currency) {
  return std::string(report_by_name(report.query.by)) + "," + safe_text(row.key) + "," +
         std::to_string(row.jobs) + "," + std::to_string(row.pages) + "," +
         std::to_string(row.color_pages) + "," + row.color_share() + "," +
         std::to_string(row.duplex_pages) + "," + row.duplex_share() + "," +
         std::to_string(row.sheets) + "," + report_decimal(row.charged, currency) + "," +
         report_decimal(row.refunded, currency) + "," + report_decimal(row.net(), currency) + "," +
         safe_text(currency) + "," + report.query.from + "," + report.query.to + "\r\n";
}

}  // namespace

std::string report_decimal(std::int64_t minor, std::string_view currency) {
  const int decimals = currency_decimals(currency);
  std::int64_t scale = 1;
  for (int i = 0; i < decimals; ++i) scale *= 10;
  const std::int64_t magnitude = minor < 0 ? -minor : minor;
  std::string text = (minor < 0 ? "-" : "") + std::to_string(magnitude / scale);
  if (decimals > 0) {
    std::string fraction = std::to_string(magnitude % scale);
    text += "." + std::string(decimals - fraction.size(), '0') + fraction;
  }
  return text;
}

std::string report_csv_header() {
  return "by,key,jobs,pages,color_pages,color_share,duplex_pages,duplex_share,sheets,charged,"
         "refunded,net,currency,from,to\r\n";
}

std::string report_csv(const Report& report, std::string_view currency) {
  std::string text;
  for (const ReportRow& row : report.rows) text += csv_line(report, row, currency);
  return text + csv_line(report, report.totals, currency);
}

}  // namespace pp
