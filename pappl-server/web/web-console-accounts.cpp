// web-console-accounts.cpp: the console's accounts (issue 15): to be written.
#include "web/web-console.h"

namespace pp::server::web {

std::string accounts_dashboard_panel(pappl_client_t*, Server&, const ConsoleAccess&) {
  return "";
}

void add_console_account_pages(pappl_system_t*, Server&) {}

}  // namespace pp::server::web
