// web-console-dashboard.cpp: the console's first page (/pullprint/admin): one panel per area,
// each written by its area's file (web-console.h), so that the dashboard shows what the areas
// themselves know, the same way: pages and money over the last 30 days, the printers' state and
// alerts, jobs waiting for review, refund requests, the last directory sync and allocation runs,
// and the recent events of the console's audit log.
//
// Every console role opens it; each panel shows only what the person's role opens (a panel of
// an area they may not see is left out).
#include <string>

#include "console/console-audit.h"
#include "server/server.h"
#include "web/web-console.h"
#include "web/web.h"

namespace pp::server::web {
namespace {

constexpr const char* kTitle = "Administration";
constexpr int kRecentEvents = 10;

bool dashboard_resource(pappl_client_t* client, void* data) {
  Server& server = *static_cast<Server*>(data);
  if (papplClientGetMethod(client) != HTTP_STATE_GET) {
    papplClientRespond(client, HTTP_STATUS_BAD_REQUEST, nullptr, nullptr, 0, 0);
    return false;  // no forms here; the unread body: close the connection
  }
  bool keep_open = true;
  const std::optional<ConsoleAccess> access =
      console_access(client, server, kConsolePath, false, &keep_open);
  if (!access) return keep_open;
  start_console_page(client, HTTP_STATUS_OK, kTitle, *access, kConsolePath);
  put(client, reports_dashboard_panel(client, server, *access));
  put(client, printers_dashboard_panel(client, server, *access));
  put(client, jobs_dashboard_panel(client, server, *access));
  put(client, accounts_dashboard_panel(client, server, *access));
  put(client, stores_dashboard_panel(client, server, *access));
  put(client, audit_dashboard_panel(client, server, *access));
  end_page(client);
  return true;
}

}  // namespace

std::string audit_dashboard_panel(pappl_client_t* client, Server& server,
                                  const ConsoleAccess& access) {
  AuditFilter filter;
  filter.limit = kRecentEvents;
  if (!access.may(ConsoleAction::kAudit)) filter.actor = access.user();  // one's own changes
  std::string out =
      "          <section class=\"pp-panel\" id=\"recent-events\">\n"
      "          <h2 class=\"title\">Recent events</h2>\n";
  Result<std::unique_ptr<AuditLog>> log = open_audit_log(server.config);
  Result<std::vector<AuditRecord>> records =
      log ? (*log)->list(filter) : Result<std::vector<AuditRecord>>(log.status());
  if (!records) {
    papplLogClient(client, PAPPL_LOGLEVEL_ERROR, "Dashboard: the audit log: %s",
                   records.status().to_string().c_str());
    return out + "          <p>The audit log cannot be read just now.</p>\n          </section>\n";
  }
  if (records->empty()) return out + "          <p>No changes yet.</p>\n          </section>\n";
  out +=
      "          <table class=\"list\" summary=\"Recent events\">\n"
      "            <thead><tr><th>When</th><th>Who</th><th>Role</th><th>Action</th>"
      "<th>On</th><th>What</th></tr></thead>\n            <tbody>\n";
  for (const AuditRecord& r : *records)
    out += "            <tr><td>" + html(when(r.at)) + "</td><td>" + html(r.actor) + "</td><td>" +
           html(r.role) + "</td><td>" + html(r.action) + "</td><td>" + html(r.subject) +
           "</td><td>" + html(r.detail) + "</td></tr>\n";
  out += "            </tbody>\n          </table>\n";
  if (access.may(ConsoleAction::kAudit))
    out += "          <p><a href=\"" + std::string(kConsoleAuditPath) +
           "\">The whole audit log</a></p>\n";
  return out + "          </section>\n";
}

void add_console_dashboard(pappl_system_t* system, Server& server) {
  papplSystemAddResourceCallback(system, kConsolePath, "text/html", dashboard_resource, &server);
}

}  // namespace pp::server::web
