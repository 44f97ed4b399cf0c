// web-console-stores.cpp: the console's stores area (issue 15): cards, allocations, directories,
// the ledger and the audit log (web-console-stores.h lists the files), and its dashboard panel:
// the last directory syncs (time, outcome, counts) and the last allocation runs (the period
// each allocation last applied, and what it granted), read from the stores themselves, so the
// panel says the same whether the timer, the CLI or the console ran them.
#include "web/web-console-stores.h"

#include <string>

#include "web/web-console.h"
#include "web/web.h"

namespace pp::server::web {

std::string stores_dashboard_panel(pappl_client_t* client, Server& server,
                                   const ConsoleAccess& access) {
  const bool directories = access.may(ConsoleAction::kDirectories);
  const bool allocations = access.may(ConsoleAction::kAllocations);
  if (!directories && !allocations) return "";
  std::string out =
      "          <section class=\"pp-panel\" id=\"stores-panel\">\n"
      "          <h2 class=\"title\">Directories and allocations</h2>\n";
  if (directories)
    out += "          <h3>Last directory syncs (<a href=\"" + std::string(kConsoleDirectoriesPath) +
           "\">Directories</a>)</h3>\n" + last_directory_syncs_html(client, server);
  if (allocations)
    out += "          <h3>Last allocation runs (<a href=\"" + std::string(kConsoleAllocationsPath) +
           "\">Allocations</a>)</h3>\n" + last_allocation_runs_html(client, server);
  return out + "          </section>\n";
}

void add_console_store_pages(pappl_system_t* system, Server& server) {
  add_console_card_pages(system, server);
  add_console_run_pages(system, server);
  add_console_ledger_pages(system, server);
}

}  // namespace pp::server::web
