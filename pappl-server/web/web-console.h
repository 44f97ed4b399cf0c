// web-console.h: the print desk's and the admins' console (/pullprint/admin/...): its pages'
// routes, who may open each (one table: kConsolePages), the access check every console page
// makes first, the console's page layout (its own navigation bar), the audit of every change,
// and the dashboard's panels, each written by its area's file:
//
//   web/web-console.cpp             access, layout, audit, the table below
//   web/web-console-dashboard.cpp   /pullprint/admin: the panels of the areas
//   web/web-console-accounts.cpp    accounts, desk top-up and receipts, refunds
//   web/web-console-jobs.cpp        everybody's jobs, the review queue
//   web/web-console-printers.cpp    printers, supplies, alerts, release sheets
//   web/web-console-stores.cpp      cards, allocations, directories, the ledger, the audit log
//   web/web-console-reports.cpp     reports (table, charts, PDF, CSV)
//
// Who: lib/console/console-access.h decides (admins everything; operators the actions of
// `operator-may`; [admin-scope NAME] limits a role to some users and printers). A page checks
// with console_access() before anything else: not signed in → the sign-in form (303); signed in
// without any of the page's actions → 403, logged. A form checks the CSRF field (web-form.h)
// and the action it performs (ConsoleAccess::may) and the subject (covers_user / covers_account /
// covers_printer) before it changes anything, then records the change (audit_change).
// Internal to pullprintd.
#pragma once

#include <pappl/pappl.h>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "console/console-access.h"
#include "server/server.h"

namespace pp::server::web {

// --- routes
inline constexpr const char* kConsolePath = "/pullprint/admin";  // the dashboard
inline constexpr const char* kConsoleAccountsPath = "/pullprint/admin/accounts";
inline constexpr const char* kConsoleAccountPath = "/pullprint/admin/account";  // ?name=ACCOUNT
inline constexpr const char* kConsoleReceiptPath = "/pullprint/admin/receipt";  // ?receipt=NUMBER
inline constexpr const char* kConsoleRefundsPath = "/pullprint/admin/refunds";
inline constexpr const char* kConsoleJobsPath = "/pullprint/admin/jobs";
inline constexpr const char* kConsoleReviewPath = "/pullprint/admin/review";
inline constexpr const char* kConsolePrintersPath = "/pullprint/admin/printers";
inline constexpr const char* kConsolePrinterPath = "/pullprint/admin/printer";  // ?name=PRINTER
inline constexpr const char* kConsoleCardsPath = "/pullprint/admin/cards";
inline constexpr const char* kConsoleAllocationsPath = "/pullprint/admin/allocations";
inline constexpr const char* kConsoleDirectoriesPath = "/pullprint/admin/directories";
inline constexpr const char* kConsoleLedgerPath = "/pullprint/admin/ledger";
inline constexpr const char* kConsoleAuditPath = "/pullprint/admin/audit";
inline constexpr const char* kConsoleReportsPath = "/pullprint/admin/reports";
inline constexpr const char* kConsoleReportsCsvPath = "/pullprint/admin/reports.csv";
inline constexpr const char* kConsoleReportsPdfPath = "/pullprint/admin/reports.pdf";
// (The release sheet, kReleaseSheetPath in web.h, is a console page too: `printers`.)

// One console page: its route, its name in the console's navigation bar ("" = not in the bar),
// and the actions any of which opens it (empty = any console role).
struct ConsolePage {
  const char* path;
  const char* nav;
  std::vector<ConsoleAction> opened_by;  // not an initializer_list: its array would dangle
};
// Every console page, in the navigation bar's order. The tests read this list's routes from
// the pages (web-console-browser.sh): a page missing here is a page nobody checked.
const std::vector<ConsolePage>& console_pages();
// The entry of `path` in console_pages(); abort() for a path that is not there (a programming
// error, found by the first test that opens the page).
const ConsolePage& console_page(std::string_view path);

// --- access
// The signed-in user of a console page and what they may do: signed_in_user (web.h), then
// console_access_of (server.h). Returns nullopt after answering: the sign-in form (GET) or 403
// (POST) without a session, 403 (an error page, logged) for a person who may not open the page
// `path` (console_page(path).opened_by). The resource callback then returns *keep_open.
std::optional<ConsoleAccess> console_access(pappl_client_t* client, Server& server,
                                            std::string_view path, bool post, bool* keep_open);

// --- layout
// The response header, the page header, the console's navigation bar (the pages this person may
// open; `path` marked as the current one) and <h1>title</h1>. Close with end_page (web.h).
void start_console_page(pappl_client_t* client, http_status_t status, const char* title,
                        const ConsoleAccess& access, std::string_view path);
// A whole console page for a refusal or a failure: the message, a link to the dashboard.
bool console_error_page(pappl_client_t* client, http_status_t status, const char* title,
                        const ConsoleAccess& access, const std::string& message);
// 403 for an action the person may not take or a subject outside their scope: logged with who
// tried what, then console_error_page. Returns true (the connection stays usable).
bool console_refusal(pappl_client_t* client, const ConsoleAccess& access, ConsoleAction action,
                     const std::string& subject);
// A banner above a page's content (a form's outcome): `ok` green, else red. Escaped here.
std::string console_banner(const std::string& message, bool ok);

// --- audit
// Records a change the person made (console/console-audit.h) and logs it; a failure to record is
// logged as an error (the change itself has happened and is not undone) and returned.
Status audit_change(pappl_client_t* client, Server& server, const ConsoleAccess& access,
                    ConsoleAction action, const std::string& subject, const std::string& detail);

// The "Console" link for pages a console user sees (the landing page, My jobs): "" for users
// who have no console.
std::string console_link(const ConsoleAccess& access);

// --- the dashboard's panels (each area's file): a <section> of HTML, "" when the person may
// not see that area. A panel that cannot read its store says so inside the panel (logged):
// one broken store does not take the dashboard down.
std::string accounts_dashboard_panel(pappl_client_t* client, Server& server,
                                     const ConsoleAccess& access);  // refund requests waiting
std::string jobs_dashboard_panel(pappl_client_t* client, Server& server,
                                 const ConsoleAccess& access);  // held, under review
std::string printers_dashboard_panel(pappl_client_t* client, Server& server,
                                     const ConsoleAccess& access);  // state, alerts
std::string reports_dashboard_panel(pappl_client_t* client, Server& server,
                                    const ConsoleAccess& access);  // 30 days: pages, money
std::string stores_dashboard_panel(pappl_client_t* client, Server& server,
                                   const ConsoleAccess& access);  // last sync, allocation runs
std::string audit_dashboard_panel(pappl_client_t* client, Server& server,
                                  const ConsoleAccess& access);  // recent events

// --- each area's pages (added by add_console_pages)
void add_console_dashboard(pappl_system_t* system, Server& server);
void add_console_account_pages(pappl_system_t* system, Server& server);
void add_console_job_pages(pappl_system_t* system, Server& server);
void add_console_printer_pages(pappl_system_t* system, Server& server);
void add_console_store_pages(pappl_system_t* system, Server& server);
void add_console_report_pages(pappl_system_t* system, Server& server);
// All of the above.
void add_console_pages(pappl_system_t* system, Server& server);

}  // namespace pp::server::web
