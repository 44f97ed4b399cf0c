// web-console.cpp: what every console page shares (web-console.h): the table of pages and who
// opens each, the access check, the console's layout with its navigation bar, refusals, and
// the audit of changes.
//
// Why a navigation bar of our own: PAPPL's header bar is the system's (its links are the same
// for everybody), while the console shows each person the pages their role opens, no more: an
// operator who may only top up sees Dashboard and Accounts.
#include <cstdlib>
#include <string>

#include "console/console-audit.h"
#include "server/server.h"
#include "web/web-console.h"
#include "web/web-form.h"
#include "web/web.h"

namespace pp::server::web {
namespace {

using A = ConsoleAction;

// Whether `access` opens `page`.
bool opens(const ConsoleAccess& access, const ConsolePage& page) {
  if (!access.any()) return false;
  if (page.opened_by.size() == 0) return true;
  for (ConsoleAction action : page.opened_by)
    if (access.may(action)) return true;
  return false;
}

std::string nav_bar(const ConsoleAccess& access, std::string_view current) {
  std::string out = "          <nav class=\"pp-console-nav\" id=\"console-nav\">";
  for (const ConsolePage& page : console_pages()) {
    if (!*page.nav || !opens(access, page)) continue;
    const bool active = current == page.path;
    out += "<a href=\"" + std::string(page.path) + "\"" + (active ? " class=\"active\"" : "") +
           ">" + page.nav + "</a>";
  }
  out += "<a href=\"" + std::string(kJobsPath) + "\">My jobs</a></nav>\n";
  out += "          <p class=\"pp-console-who\">Signed in as <strong>" + html(access.user()) +
         "</strong> (" + html(access.role_label()) + ").</p>\n";
  return out;
}

}  // namespace

const std::vector<ConsolePage>& console_pages() {
  static const std::vector<ConsolePage> pages = {
      {kConsolePath, "Dashboard", {}},
      {kConsoleAccountsPath, "Accounts", {A::kAccounts}},
      {kConsoleAccountPath, "", {A::kAccounts}},
      {kConsoleReceiptPath, "", {A::kTopUp}},
      {kConsoleRefundsPath, "Refunds", {A::kRefund}},
      {kConsoleJobsPath, "Jobs", {A::kJobs}},
      {kConsoleReviewPath, "Review", {A::kReview}},
      {kConsolePrintersPath, "Printers", {A::kPrinters}},
      {kConsolePrinterPath, "", {A::kPrinters}},
      {kReleaseSheetPath, "", {A::kPrinters}},
      {kConsoleCardsPath, "Cards", {A::kCards}},
      {kConsoleAllocationsPath, "Allocations", {A::kAllocations}},
      {kConsoleDirectoriesPath, "Directories", {A::kDirectories}},
      {kConsoleLedgerPath, "Ledger", {A::kLedger}},
      {kConsoleAuditPath, "Audit", {A::kAudit}},
      {kConsoleReportsPath, "Reports", {A::kReports}},
      {kConsoleReportsCsvPath, "", {A::kReports}},
      {kConsoleReportsPdfPath, "", {A::kReports}},
  };
  return pages;
}

const ConsolePage& console_page(std::string_view path) {
  for (const ConsolePage& page : console_pages())
    if (path == page.path) return page;
  std::fprintf(stderr, "pullprintd: %.*s is not in console_pages()\n",
               static_cast<int>(path.size()), path.data());
  std::abort();
}

std::optional<ConsoleAccess> console_access(pappl_client_t* client, Server& server,
                                            std::string_view path, bool post, bool* keep_open) {
  const ConsolePage& page = console_page(path);
  const std::optional<std::string> user = signed_in_user(client, post, keep_open);
  if (!user) return std::nullopt;
  ConsoleAccess access = console_access_of(client, server, *user);
  if (opens(access, page)) return access;
  papplLogClient(client, PAPPL_LOGLEVEL_INFO, "Console page %s refused to %s (%s).", page.path,
                 user->c_str(), access.role_label().c_str());
  if (post) {
    { const Form unread(client); }  // read the body away: libcups answers it cleanly then
    *keep_open = true;
  }
  error_page(client, HTTP_STATUS_FORBIDDEN, "Not allowed",
             access.any() ? "Your role (" + access.role_label() + ") does not open this page."
                          : "This page is for the print desk and the admins only.");
  return std::nullopt;
}

void start_console_page(pappl_client_t* client, http_status_t status, const char* title,
                        const ConsoleAccess& access, std::string_view path) {
  start_page(client, status, title);
  put(client, nav_bar(access, path));
}

bool console_error_page(pappl_client_t* client, http_status_t status, const char* title,
                        const ConsoleAccess& access, const std::string& message) {
  start_console_page(client, status, title, access, "");
  put(client, console_banner(message, false) + "          <p><a class=\"btn\" href=\"" +
                  std::string(kConsolePath) + "\">Back to the dashboard</a></p>\n");
  end_page(client);
  return true;
}

bool console_refusal(pappl_client_t* client, const ConsoleAccess& access, ConsoleAction action,
                     const std::string& subject) {
  const std::string what(console_action_name(action));
  papplLogClient(client, PAPPL_LOGLEVEL_WARN, "Console: %s (%s) may not %s %s.",
                 access.user().c_str(), access.role_label().c_str(), what.c_str(), subject.c_str());
  return console_error_page(client, HTTP_STATUS_FORBIDDEN, "Not allowed", access,
                            "You (" + access.role_label() + ") may not " + what +
                                (subject.empty() ? "" : " on " + subject) + ": nothing was done.");
}

std::string console_banner(const std::string& message, bool ok) {
  return std::string("          <div class=\"") + (ok ? "pp-ok" : "banner") + "\" id=\"outcome\">" +
         html(message) + "</div>\n";
}

Status audit_change(pappl_client_t* client, Server& server, const ConsoleAccess& access,
                    ConsoleAction action, const std::string& subject, const std::string& detail) {
  const std::string what(console_action_name(action));
  papplLogClient(client, PAPPL_LOGLEVEL_INFO, "Console: %s (%s) %s %s: %s", access.user().c_str(),
                 access.role_label().c_str(), what.c_str(), subject.c_str(), detail.c_str());
  Result<std::unique_ptr<AuditLog>> log = open_audit_log(server.config);
  Status recorded =
      log ? record_console_change(**log, access, action, subject, detail) : log.status();
  if (!recorded.is_ok())
    papplLogClient(client, PAPPL_LOGLEVEL_ERROR, "Console audit not recorded (%s %s): %s",
                   what.c_str(), subject.c_str(), recorded.to_string().c_str());
  return recorded;
}

std::string console_link(const ConsoleAccess& access) {
  if (!access.any()) return "";
  return "          <p><a class=\"btn\" id=\"administration\" href=\"" + std::string(kConsolePath) +
         "\">Administration</a>: the " + (access.is_admin() ? "admins'" : "print desk's") +
         " console.</p>\n";
}

void add_console_pages(pappl_system_t* system, Server& server) {
  add_console_dashboard(system, server);
  add_console_account_pages(system, server);
  add_console_job_pages(system, server);
  add_console_printer_pages(system, server);
  add_console_store_pages(system, server);
  add_console_report_pages(system, server);
}

}  // namespace pp::server::web
