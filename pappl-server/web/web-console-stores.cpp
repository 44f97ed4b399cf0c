// web-console-stores.cpp: the console's cards, allocations, directories, ledger and audit log
// (issue 15): to be written.
#include "web/web-console.h"

namespace pp::server::web {

std::string stores_dashboard_panel(pappl_client_t*, Server&, const ConsoleAccess&) {
  return "";
}

void add_console_store_pages(pappl_system_t*, Server&) {}

}  // namespace pp::server::web
