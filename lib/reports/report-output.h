// report-output.h: a report (report.h) as a manager takes it away: CSV (stable columns, RFC
// 4180, formula-safe text), an inline SVG bar chart for the pages, a PDF (cairo: title, period,
// table, one chart) and the plain-text summary the monthly mail carries. One file per form:
// report-csv.cpp, report-chart.cpp, report-pdf.cpp, report-mail.cpp.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "reports/report.h"
#include "util/status.h"

namespace pp {

// "-0.40" for -40 minor units of `currency` (its decimals): what a spreadsheet adds up.
std::string report_decimal(std::int64_t minor, std::string_view currency);

// The CSV header, stable: by,key,jobs,pages,color_pages,color_share,duplex_pages,duplex_share,
// sheets,charged,refunded,net,currency,from,to.
std::string report_csv_header();
// The rows then the totals row (key "Total"), CRLF lines; keys quoted and kept from being read
// as formulas (a leading = + - @ TAB CR gets a ').
std::string report_csv(const Report& report, std::string_view currency);

// One bar of a chart.
struct ChartBar {
  std::string label;
  std::int64_t value = 0;  // minor units or pages: the bars' heights, relative
  std::string value_text;  // what the bar's title says ("EUR 12.40")
};
// An inline SVG bar chart (no script): `id` on the <svg>, a <title>, one <rect> per bar with a
// <title> of its label and value, labels under the bars (every n-th one when there are many).
// Everything escaped.
std::string report_chart_svg(std::string_view id, std::string_view title,
                             const std::vector<ChartBar>& bars);

// The report as a PDF (A4 landscape, one page per 30 rows): title, period, the table with the
// totals, and a bar chart of money by the report's rows. `title` e.g. "Print report by printer".
Result<std::string> report_pdf(const Report& report, std::string_view title,
                               std::string_view currency);

// The monthly mail's text: the month, the totals, then by user and by printer.
std::string report_mail_body(const Report& by_user, const Report& by_printer,
                             std::string_view currency);

}  // namespace pp
