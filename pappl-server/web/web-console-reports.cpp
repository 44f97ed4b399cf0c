// web-console-reports.cpp: the console's reports (issue 15): to be written.
#include "web/web-console.h"

namespace pp::server::web {

std::string reports_dashboard_panel(pappl_client_t*, Server&, const ConsoleAccess&) {
  return "";
}

void add_console_report_pages(pappl_system_t*, Server&) {}

}  // namespace pp::server::web
