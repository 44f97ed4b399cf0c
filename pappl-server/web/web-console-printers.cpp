// web-console-printers.cpp: the console's printers (issue 15): to be written.
#include "web/web-console.h"

namespace pp::server::web {

std::string printers_dashboard_panel(pappl_client_t*, Server&, const ConsoleAccess&) {
  return "";
}

void add_console_printer_pages(pappl_system_t*, Server&) {}

}  // namespace pp::server::web
