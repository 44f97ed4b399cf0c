// server-system.cpp: the PAPPL system of pullprintd and its one virtual pull-print queue.
//
// The system is created by hand (not papplMainloop) so that pullprintd reads pullprint's own
// configuration, keeps PAPPL's state under STATE/pappl/ and runs in the foreground.
#include <cstdio>
#include <cstring>

#include "server/server-ops.h"
#include "server/server.h"

namespace pp::server {
namespace {

// The device every queue "prints" to: documents never reach it, the driver files them into the
// held store and writes nothing.
constexpr const char* kDeviceURI = "file:///dev/null";
constexpr const char* kDeviceID =
    "MFG:pullprint;MDL:Pull Print Queue;CMD:PDF,PS,PWGRaster,URF,JPEG;";

// Save callback: PAPPL's state (printers, settings, job history) to STATE/pappl/pullprintd.state.
bool save_state(pappl_system_t* system, void* data) {
  return papplSystemSaveState(system, static_cast<const char*>(data));
}

// What 1.3.1 loses or resets: applied after creating or loading the printer, every start.
void configure_printer(pappl_printer_t* printer, void* data) {
  const Server& server = *static_cast<const Server*>(data);
  // Single-queue mode counts held jobs against max-active-jobs (default 1); our jobs finish at
  // once, but a streamed raster job must not make the next client wait for server-error-busy.
  papplPrinterSetMaxActiveJobs(printer, 0);
  if (!server.settings.dnssd) papplPrinterSetDNSSDName(printer, nullptr);
  // ipp-everywhere.test expects marker (supply) attributes; a pull queue has no real supplies.
  pappl_supply_t paper{};
  paper.color = PAPPL_SUPPLY_COLOR_NO_COLOR;
  std::strncpy(paper.description, "Release printers", sizeof(paper.description) - 1);
  paper.is_consumed = false;
  paper.level = 100;
  paper.type = PAPPL_SUPPLY_TYPE_OTHER;
  papplPrinterSetSupplies(printer, 1, &paper);
}

// papplSystemCreate with the options of the configuration.
pappl_system_t* new_system(const Server& server) {
  const ServerSettings& s = server.settings;
  pappl_soptions_t options = PAPPL_SOPTIONS_NONE;  // single queue at /ipp/print
  if (!s.tls) options |= PAPPL_SOPTIONS_NO_TLS;
  return papplSystemCreate(options, "pullprint", s.listen_port, "_print,_universal",
                           (s.pappl_dir + "/spool").c_str(), "-", s.log_level,
                           s.pam_auth ? "pullprint" : nullptr, /*tls_only=*/false);
}

// Listeners, drivers, auth callback, JPEG filter and state saving.
bool set_up_system(pappl_system_t* system, Server& server) {
  const ServerSettings& s = server.settings;
  // Without a footer every standard web page crashes PAPPL 1.3.1.
  papplSystemSetFooterHTML(system, "pullprint: pay-per-page pull printing");
  const char* host = s.listen_host == "*" ? nullptr : s.listen_host.c_str();
  if (!papplSystemAddListeners(system, host)) {
    papplLog(system, PAPPL_LOGLEVEL_FATAL, "Unable to listen on %s:%d.", s.listen_host.c_str(),
             s.listen_port);
    return false;
  }
  static pappl_pr_driver_t drivers[] = {
      {kDriverName, "pullprint pull-print queue", kDeviceID, nullptr}};
  papplSystemSetPrinterDrivers(system, 1, drivers, nullptr, nullptr, driver_callback, &server);
  papplSystemSetAuthCallback(system, "Basic", auth_callback, &server);
  papplSystemSetOperationCallback(system, operation_callback, &server);  // vendor operations
  add_web_pages(system, server);  // "My jobs": list, release, cancel held jobs
  // JPEG is held as JPEG (the analyser reads it) instead of PAPPL's JPEG -> raster conversion.
  // PostScript (lab machines, Windows PostScript drivers) is held as PDF (lib/holding converts
  // it). A filter to the driver's format also puts its source in document-format-supported.
  papplSystemAddMIMEFilter(system, "image/jpeg", "application/pdf", hold_filter_callback, &server);
  papplSystemAddMIMEFilter(system, "application/postscript", "application/pdf",
                           hold_filter_callback, &server);
  if (!s.dnssd) papplSystemSetDNSSDName(system, nullptr);
  return true;
}

}  // namespace

pappl_system_t* create_system(Server& server) {
  pappl_system_t* system = new_system(server);
  if (!system) {
    std::fprintf(stderr, "pullprintd: cannot create the PAPPL system\n");
    return nullptr;
  }
  if (!set_up_system(system, server)) {
    papplSystemDelete(system);
    return nullptr;
  }
  static std::string state_file;  // the save callback's data must outlive the system
  state_file = server.settings.pappl_dir + "/pullprintd.state";
  if (!papplSystemLoadState(system, state_file.c_str())) {
    pappl_printer_t* printer = papplPrinterCreate(system, 0, server.settings.queue.c_str(),
                                                  kDriverName, kDeviceID, kDeviceURI);
    if (!printer) {
      papplLog(system, PAPPL_LOGLEVEL_FATAL, "Unable to create the queue %s.",
               server.settings.queue.c_str());
      papplSystemDelete(system);
      return nullptr;
    }
    papplSystemSetDefaultPrinterID(system, papplPrinterGetID(printer));
  }
  if (!server.settings.dnssd) papplSystemSetDNSSDName(system, nullptr);  // again after LoadState
  // A named admin group makes PAPPL pass it to the auth callback for admin checks (print checks
  // get no group); "none" means no Unix group: admins come from the `admins` key.
  papplSystemSetAdminGroup(system, "none");
  papplSystemIteratePrinters(system, configure_printer, &server);
  papplSystemSetSaveCallback(system, save_state, state_file.data());
  add_timers(system, server);
  return system;
}

}  // namespace pp::server
