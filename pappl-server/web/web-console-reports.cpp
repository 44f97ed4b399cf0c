// web-console-reports.cpp: the console's reports (issue 15; the rules: lib/reports/report.h).
//
//   GET /pullprint/admin/reports?by=user|group|account|printer&from=YYYY-MM-DD&to=YYYY-MM-DD
//                                &period=day|week|month
//       the form (a GET: it changes nothing, so the URL of a report can be kept and shared),
//       the table with its totals row, three inline SVG charts (net money per period, per
//       printer, per department = group), links to the same report as CSV and as PDF
//   GET /pullprint/admin/reports.csv?by=...&from=...&to=...   stable columns (report-output.h)
//   GET /pullprint/admin/reports.pdf?by=...&from=...&to=...   the same report as a PDF (cairo)
// Defaults: by user, the last 30 days up to today (UTC), per day.
//
// Who: the `reports` action (admins; operators when operator-may has it). A scoped admin's
// reports cover their users' jobs on their printers, personal accounts only (report.h). A POST is
// refused (405): there is nothing to change here.
//
// Stable element ids: report-form, report-by, report-from, report-to, report-period, report-run;
// report-summary (report-jobs, report-pages, report-charged, report-refunded, report-net);
// report-table (rows class report-row with data-key; cells class c-jobs, c-pages, c-color,
// c-duplex, c-sheets, c-charged, c-refunded, c-net; money cells carry data-minor), report-totals
// (cells total-jobs, total-pages, total-color, total-duplex, total-sheets, total-charged,
// total-refunded, total-net, money with data-minor); chart-period, chart-printer, chart-group;
// report-csv, report-pdf; the dashboard panel: dashboard-reports, chart-dashboard-money,
// chart-dashboard-pages, dashboard-report-jobs, dashboard-report-pages, dashboard-report-net.
#include <chrono>
#include <optional>
#include <string>

#include "pricing/pricing.h"
#include "reports/report-output.h"
#include "reports/report-store.h"
#include "server/server-release.h"
#include "server/server-request.h"
#include "web/web-console.h"
#include "web/web-form.h"
#include "web/web.h"

namespace pp::server::web {
namespace {

constexpr const char* kTitle = "Reports";
constexpr std::int64_t kDefaultDays = 30;

std::int64_t today() {
  return std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now())
      .time_since_epoch()
      .count();
}

// The query of the request's fields, with the defaults; kInvalidArgument naming a bad field.
Result<ReportQuery> query_from_form(const Form& form) {
  ReportQuery query;
  if (const char* by = form.get("by"); by && *by) {
    const std::optional<ReportBy> parsed = parse_report_by(by);
    if (!parsed) return Status(Code::kInvalidArgument, "by: user, group, account or printer");
    query.by = *parsed;
  }
  if (const char* period = form.get("period"); period && *period) {
    const std::optional<ReportPeriod> parsed = parse_report_period(period);
    if (!parsed) return Status(Code::kInvalidArgument, "period: day, week or month");
    query.period = *parsed;
  }
  const char* from = form.get("from");
  const char* to = form.get("to");
  query.to = to && *to ? to : report_date(today());
  query.from = from && *from
                   ? from
                   : report_date(parse_report_date(query.to).value_or(today()) - kDefaultDays + 1);
  if (Status checked = check_report_query(query); !checked.is_ok()) return checked;
  return query;
}

// The report of `query` as `access` may see it (a scope: its users, its printers).
Result<Report> console_report(Server& server, const ConsoleAccess& access,
                              const ReportQuery& query) {
  Result<std::unique_ptr<ReportStore>> store = open_report_store(server.config);
  if (!store) return store.status();
  if (access.site_wide()) return run_report(**store, query);
  Result<Site> site = open_operation_site(server);
  if (!site) return site.status();
  PeopleStore& people = site->people();
  ReportScope scope;
  scope.covers_user = [&](const std::string& owner) {
    Result<bool> covered = access.covers_user(owner, people);
    return covered && *covered;  // a failed lookup hides the row rather than shows too much
  };
  scope.covers_printer = [&](const std::string& printer) { return access.covers_printer(printer); };
  scope.personal_accounts_only = true;
  return run_report(**store, query, scope);
}

std::string query_string(const ReportQuery& query) {
  return "by=" + std::string(report_by_name(query.by)) + "&from=" + query.from + "&to=" + query.to +
         "&period=" + std::string(report_period_name(query.period));
}

std::string money_cell(const char* id_or_class, bool is_id, std::int64_t minor,
                       const std::string& currency) {
  return std::string("<td ") + (is_id ? "id" : "class") + "=\"" + id_or_class + "\" data-minor=\"" +
         std::to_string(minor) + "\">" + html(format_money(minor, currency)) + "</td>";
}

std::string table_row(const ReportRow& row, const std::string& currency, bool totals) {
  auto cell = [&](const char* name, const std::string& text) {
    return std::string("<td ") + (totals ? "id=\"total-" : "class=\"c-") + name + "\">" +
           html(text) + "</td>";
  };
  auto money = [&](const char* name, std::int64_t minor) {
    const std::string id = (totals ? "total-" : "c-") + std::string(name);
    return money_cell(id.c_str(), totals, minor, currency);
  };
  std::string out = totals ? "            <tr id=\"report-totals\"><th>Total</th>"
                           : "            <tr class=\"report-row\" data-key=\"" + html(row.key) +
                                 "\"><td class=\"c-key\">" + html(row.key) + "</td>";
  out += cell("jobs", std::to_string(row.jobs)) + cell("pages", std::to_string(row.pages)) +
         cell("color", row.color_share() + " %") + cell("duplex", row.duplex_share() + " %") +
         cell("sheets", std::to_string(row.sheets)) + money("charged", row.charged) +
         money("refunded", row.refunded) + money("net", row.net());
  return out + "</tr>\n";
}

std::vector<ChartBar> money_bars(const std::vector<ReportRow>& rows, const std::string& currency) {
  std::vector<ChartBar> bars;
  for (const ReportRow& row : rows)
    bars.push_back(
        {row.key, std::max<std::int64_t>(row.net(), 0), format_money(row.net(), currency)});
  return bars;
}

std::string option(const char* value, std::string_view chosen) {
  return std::string("<option value=\"") + value + "\"" + (chosen == value ? " selected" : "") +
         ">" + value + "</option>";
}

void put_form(pappl_client_t* client, const ReportQuery& query) {
  std::string out = "          <form id=\"report-form\" method=\"GET\" action=\"" +
                    std::string(kConsoleReportsPath) +
                    "\">\n"
                    "          <p><label>By <select id=\"report-by\" name=\"by\">";
  for (const char* by : {"user", "group", "account", "printer"})
    out += option(by, report_by_name(query.by));
  out +=
      "</select></label>\n          <label>From <input id=\"report-from\" name=\"from\" "
      "type=\"date\" value=\"" +
      html(query.from) +
      "\"></label>\n          <label>To <input id=\"report-to\" name=\"to\" type=\"date\" "
      "value=\"" +
      html(query.to) +
      "\"></label>\n          <label>Per <select id=\"report-period\" "
      "name=\"period\">";
  for (const char* period : {"day", "week", "month"})
    out += option(period, report_period_name(query.period));
  out +=
      "</select></label>\n          <button id=\"report-run\" class=\"btn\" "
      "type=\"submit\">Show</button></p>\n          </form>\n";
  put(client, out);
}

void put_report(pappl_client_t* client, const Report& report, const std::string& currency) {
  const ReportRow& t = report.totals;
  const std::string query = html(query_string(report.query));
  put(client, "          <p id=\"report-summary\">" + html(report.query.from) + " to " +
                  html(report.query.to) + " (UTC): <span id=\"report-jobs\">" +
                  std::to_string(t.jobs) + "</span> jobs, <span id=\"report-pages\">" +
                  std::to_string(t.pages) + "</span> pages; charged <span id=\"report-charged\">" +
                  html(format_money(t.charged, currency)) +
                  "</span>, refunded <span id=\"report-refunded\">" +
                  html(format_money(t.refunded, currency)) +
                  "</span>, net <span "
                  "id=\"report-net\">" +
                  html(format_money(t.net(), currency)) + "</span>.</p>\n" +
                  "          <p><a id=\"report-csv\" class=\"btn\" href=\"" +
                  kConsoleReportsCsvPath + "?" + query +
                  "\">CSV</a> <a id=\"report-pdf\" "
                  "class=\"btn\" href=\"" +
                  kConsoleReportsPdfPath + "?" + query + "\">PDF</a></p>\n");
  std::string by(report_by_name(report.query.by));
  by[0] = static_cast<char>(by[0] - 'a' + 'A');
  std::string table =
      "          <div style=\"overflow-x:auto\"><table id=\"report-table\" class=\"list\">\n"
      "            <thead><tr><th>" +
      by +
      "</th><th>Jobs</th><th>Pages</th><th>Colour</th><th>Duplex</th><th>Sheets</th>"
      "<th>Charged</th><th>Refunded</th><th>Net</th></tr></thead>\n            <tbody>\n";
  for (const ReportRow& row : report.rows) table += table_row(row, currency, false);
  table += "            </tbody>\n            <tfoot>\n" + table_row(t, currency, true) +
           "            </tfoot>\n          </table></div>\n";
  put(client, table);
  put(client,
      "          <p class=\"pp-note\">Money is the journal's: charged = the captures in the range, "
      "refunded = the refunds in it, net = charged - refunded (what <code>pullprint ledger "
      "check</code> and the journal say for the same days). A job's pages count once per row; a "
      "split job counts in each paying account's row; a user in two groups counts in both "
      "(the totals count each job once). Jobs printed before the reports existed count with 0 "
      "pages.</p>\n");
  put(client,
      "          <h2 class=\"title\">Charts</h2>\n          " +
          report_chart_svg("chart-period",
                           "Net money per " + std::string(report_period_name(report.query.period)),
                           money_bars(report.by_period, currency)) +
          "\n          " +
          report_chart_svg("chart-printer", "Net money per printer",
                           money_bars(report.by_printer, currency)) +
          "\n          " +
          report_chart_svg("chart-group", "Net money per department (group)",
                           money_bars(report.by_group, currency)) +
          "\n");
}

bool reports_page(pappl_client_t* client, Server& server, const ConsoleAccess& access) {
  const Form form(client);
  Result<ReportQuery> query = query_from_form(form);
  if (!query)
    return console_error_page(client, HTTP_STATUS_BAD_REQUEST, kTitle, access,
                              query.status().message());
  Result<Report> report = console_report(server, access, *query);
  if (!report) return internal_error(client, kTitle, report.status());
  start_console_page(client, HTTP_STATUS_OK, kTitle, access, kConsoleReportsPath);
  if (!access.site_wide())
    put(client, "          <p id=\"report-scope\">Your scope: " + html(access.role_label()) +
                    ": its users' jobs on its printers.</p>\n");
  put_form(client, *query);
  put_report(client, *report, site_currency(server.config));
  end_page(client);
  return true;
}

Status write_out(pappl_client_t* client, const std::string& text) {
  if (httpWrite2(papplClientGetHTTP(client), text.data(), text.size()) < 0)
    return Status(Code::kIoError, "the client went away during the download");
  return Status::ok();
}

// The CSV or PDF of the request's report, as a download.
bool report_download(pappl_client_t* client, Server& server, const ConsoleAccess& access,
                     bool pdf) {
  const Form form(client);
  Result<ReportQuery> query = query_from_form(form);
  if (!query)
    return console_error_page(client, HTTP_STATUS_BAD_REQUEST, kTitle, access,
                              query.status().message());
  Result<Report> report = console_report(server, access, *query);
  if (!report) return internal_error(client, kTitle, report.status());
  const std::string currency = site_currency(server.config);
  std::string by(report_by_name(query->by));
  Result<std::string> body =
      pdf ? report_pdf(*report, "Print report by " + by, currency)
          : Result<std::string>(report_csv_header() + report_csv(*report, currency));
  if (!body) return internal_error(client, kTitle, body.status());
  // As My account's CSV: Content-Disposition rides on the Content-Type value (PAPPL 1.3 has no
  // field for it); the file name is made of checked dates and a word, nothing a user typed.
  const std::string type = std::string(pdf ? "application/pdf" : "text/csv; charset=utf-8") +
                           "\r\nContent-Disposition: attachment; filename=\"pullprint-report-" +
                           by + "-" + query->from + "-" + query->to + (pdf ? ".pdf" : ".csv") +
                           "\"\r\nCache-Control: no-store";
  papplClientRespond(client, HTTP_STATUS_OK, nullptr, type.c_str(), 0, 0);
  if (Status written = write_out(client, *body); !written.is_ok()) return false;
  httpWrite2(papplClientGetHTTP(client), "", 0);  // the end of the chunked body
  papplLogClient(client, PAPPL_LOGLEVEL_INFO, "Console: %s report by %s %s..%s for %s.",
                 pdf ? "PDF" : "CSV", by.c_str(), query->from.c_str(), query->to.c_str(),
                 access.user().c_str());
  return true;
}

// The resource callback of the three paths (`data`: the Server).
enum class Kind { kPage, kCsv, kPdf };
template <Kind kKind>
bool reports_resource(pappl_client_t* client, void* data) {
  Server& server = *static_cast<Server*>(data);
  const bool post = papplClientGetMethod(client) == HTTP_STATE_POST;
  const char* path = kKind == Kind::kPage  ? kConsoleReportsPath
                     : kKind == Kind::kCsv ? kConsoleReportsCsvPath
                                           : kConsoleReportsPdfPath;
  bool keep_open = true;
  const std::optional<ConsoleAccess> access =
      console_access(client, server, path, post, &keep_open);
  if (!access) return keep_open;
  if (post) {
    papplClientRespond(client, HTTP_STATUS_METHOD_NOT_ALLOWED, nullptr, nullptr, 0, 0);
    return false;  // its body is unread
  }
  if (!access->may(ConsoleAction::kReports))
    return console_refusal(client, *access, ConsoleAction::kReports, "");
  if (kKind == Kind::kPage) return reports_page(client, server, *access);
  return report_download(client, server, *access, kKind == Kind::kPdf);
}

}  // namespace

std::string reports_dashboard_panel(pappl_client_t* client, Server& server,
                                    const ConsoleAccess& access) {
  if (!access.may(ConsoleAction::kReports)) return "";
  std::string out =
      "          <section class=\"pp-panel\" id=\"dashboard-reports\">\n"
      "          <h2 class=\"title\">The last 30 days</h2>\n";
  ReportQuery query;
  query.by = ReportBy::kPrinter;
  query.to = report_date(today());
  query.from = report_date(today() - kDefaultDays + 1);
  Result<Report> report = console_report(server, access, query);
  if (!report) {
    papplLogClient(client, PAPPL_LOGLEVEL_ERROR, "Dashboard: the reports: %s",
                   report.status().to_string().c_str());
    return out + "          <p>The reports cannot be read just now.</p>\n          </section>\n";
  }
  const std::string currency = site_currency(server.config);
  std::vector<ChartBar> money = money_bars(report->by_period, currency), pages;
  for (const ReportRow& row : report->by_period)
    pages.push_back({row.key, row.pages, std::to_string(row.pages) + " pages"});
  const ReportRow& t = report->totals;
  out += "          <p><span id=\"dashboard-report-jobs\">" + std::to_string(t.jobs) +
         "</span> jobs, <span id=\"dashboard-report-pages\">" + std::to_string(t.pages) +
         "</span> pages, net <span id=\"dashboard-report-net\">" +
         html(format_money(t.net(), currency)) + "</span>. <a href=\"" +
         std::string(kConsoleReportsPath) + "\">Reports</a></p>\n          " +
         report_chart_svg("chart-dashboard-money", "Net money per day", money) + "\n          " +
         report_chart_svg("chart-dashboard-pages", "Pages per day", pages) +
         "\n          </section>\n";
  return out;
}

void add_console_report_pages(pappl_system_t* system, Server& server) {
  papplSystemAddResourceCallback(system, kConsoleReportsPath, "text/html",
                                 reports_resource<Kind::kPage>, &server);
  papplSystemAddResourceCallback(system, kConsoleReportsCsvPath, "text/csv",
                                 reports_resource<Kind::kCsv>, &server);
  papplSystemAddResourceCallback(system, kConsoleReportsPdfPath, "application/pdf",
                                 reports_resource<Kind::kPdf>, &server);
}

}  // namespace pp::server::web
