// web-home.cpp: the public pages, the ones PAPPL advertises for the queue, which answered
// 404 while PAPPL's own web interface is off (it is: its /jobs page reprints without paying):
//
//   GET /            the landing page (printer-more-info, DNS-SD adminurl, PAPPL's home button):
//                    what the queue is, its URI, the sign-in form (web-sign-in.cpp), then My
//                    jobs; with HTTP Basic credentials that check out, "Signed in as ..." with
//                    My jobs, and for admins Administration
//   GET /ipp/print   the same page: the IPP URIs (printer-uri-supported; /ipp/system from
//   GET /ipp/system  Get-System-Attributes) opened in a browser (IPP itself is POST)
//                    and a small "Activate a prepaid card" form (web/web-card.cpp)
//   GET /supplies    "Release printers" (printer-supply-info-uri; the queue's one supply is
//                    "Release printers"): each printer's location, prices per sheet side and
//                    sheet, and whether it is out of service; no live state, so that an
//                    anonymous page never makes pullprintd probe every printer
//
// They never ask for credentials. The session cookie is not sent to "/" (its path is
// /pullprint/), so the landing page offers the form and links to My jobs for everybody.
#include <cups/cups.h>

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "pricing/pricing.h"
#include "printers/printers.h"
#include "server/server.h"
#include "web/web-console.h"
#include "web/web.h"

namespace pp::server::web {
namespace {

bool is_local(pappl_client_t* client) {
  return httpAddrLocalhost(httpGetAddress(papplClientGetHTTP(client))) != 0;
}

// The user, when the request carries credentials that check out (identify_client, the rules
// of every other page). Credentials sent in clear to a remote host are not even looked at.
// Call it before papplClientRespond, which clears the request's header fields.
std::optional<ClientIdentity> signed_in(pappl_client_t* client, const Server& server) {
  const char* authorization = httpGetField(papplClientGetHTTP(client), HTTP_FIELD_AUTHORIZATION);
  if (!authorization || !*authorization) return std::nullopt;
  if (!papplClientIsEncrypted(client) && !is_local(client)) return std::nullopt;
  auto identity = identify_client(client, server);
  if (auto* who = std::get_if<ClientIdentity>(&identity)) return *who;
  return std::nullopt;
}

// Public pages take no forms: a POST is refused and the connection closed (its body is unread).
bool refuse_post(pappl_client_t* client) {
  papplClientRespond(client, HTTP_STATUS_BAD_REQUEST, nullptr, nullptr, 0, 0);
  return false;
}

// The queue's name (its name in PAPPL's state; the configuration's when it cannot be found).
std::string queue_name(pappl_client_t* client, const Server& server) {
  pappl_printer_t* printer =
      papplSystemFindPrinter(papplClientGetSystem(client), kQueuePath, 0, nullptr);
  return printer ? papplPrinterGetName(printer) : server.settings.queue;
}

// The queue's URI as this client reaches it: ipps:// when TLS is on.
std::string queue_uri(pappl_client_t* client) {
  const bool tls = !(papplSystemGetOptions(papplClientGetSystem(client)) & PAPPL_SOPTIONS_NO_TLS);
  char uri[1024];
  httpAssembleURI(HTTP_URI_CODING_ALL, uri, sizeof(uri), tls ? "ipps" : "ipp", nullptr,
                  papplClientGetHostName(client), papplClientGetHostPort(client), kQueuePath);
  return uri;
}

// Who is signed in (HTTP Basic) with their links, or the sign-in form (a session cookie is
// not sent here: its path is /pullprint/, web-session.cpp), with the way on for those who are.
void put_sign_in_part(pappl_client_t* client, const Server& server,
                      const std::optional<ClientIdentity>& who) {
  if (!who) {
    put(client, "          <h2 class=\"title\">Sign in</h2>\n");
    put_sign_in_form(client, kJobsPath, "");
    put(client, "          <p>Signed in already? <a id=\"my-jobs\" href=\"" +
                    std::string(kJobsPath) + "\">My jobs</a></p>\n");
    return;
  }
  put(client, "          <p>Signed in as " + html(who->user) + ". <a class=\"btn\" href=\"" +
                  std::string(kJobsPath) + "\">My jobs</a></p>\n");
  put(client, console_link(console_access_of(client, server, who->user)));
}

// What the queue is for.
std::string queue_part(const std::string& queue) {
  return "          <p>Print to the queue " + html(queue) +
         " from any computer: each job waits here, priced page by page and its price reserved "
         "on your account, until you release it at a printer; it is charged once it has "
         "printed.</p>\n";
}

// How to print to the queue (`uri`: its URI as this client reaches it).
std::string printing_part(const std::string& queue, const std::string& uri) {
  return "          <h2 class=\"title\">Printing here</h2>\n"
         "          <p>Add the queue as a driverless (IPP Everywhere) printer: <code>" +
         html(uri) + "</code>, e.g. <code>lpadmin -p " + html(queue) + " -E -v " + html(uri) +
         " -m everywhere</code>. Release your jobs at a printer's terminal or on My jobs.</p>\n"
         "          <p><a href=\"" +
         std::string(kSuppliesPath) +
         "\">Release printers</a>: where jobs print, and what they cost there.</p>\n";
}

bool home_resource(pappl_client_t* client, void* data) {
  const Server& server = *static_cast<const Server*>(data);
  if (papplClientGetMethod(client) != HTTP_STATE_GET) return refuse_post(client);
  const std::optional<ClientIdentity> who = signed_in(client, server);
  const std::string queue = queue_name(client, server);
  const std::string uri = queue_uri(client);
  start_page(client, HTTP_STATUS_OK, "Pull printing");
  put(client, queue_part(queue));
  put_sign_in_part(client, server, who);
  if (who) put_card_form(client);  // a prepaid card bought at the desk
  put(client, printing_part(queue, uri));
  end_page(client);
  return true;
}

// One row of the printers' table.
std::string printer_row(const ReleasePrinter& printer, const PriceProfile& profile) {
  const auto price = [&](std::int64_t minor) {
    return "<td>" + html(format_money(minor, profile.currency)) + "</td>";
  };
  return "              <tr><td>" + html(printer.name) + "</td><td>" + html(printer.location) +
         "</td>" + price(profile.mono_impression) + price(profile.color_impression) +
         price(profile.sheet) + "<td>" + (printer.enabled ? "" : "out of service") + "</td></tr>\n";
}

// The page's text: every release printer with its prices, or why they cannot be read.
Result<std::string> printers_part(const Config& config) {
  Result<std::vector<ReleasePrinter>> printers = release_printers_from_config(config);
  if (!printers) return printers.status();
  if (printers->empty())
    return std::string("          <p>No release printers are set up yet.</p>\n");
  std::string rows;
  for (const ReleasePrinter& printer : *printers) {
    Result<PriceProfile> profile = price_profile_from_config(config, printer.profile);
    if (!profile) return profile.status();
    rows += printer_row(printer, *profile);
  }
  return "          <p>A held job prints on the printer you release it at, at that printer's "
         "prices: per grey or colour sheet side, plus per sheet of paper. Two-sided printing, "
         "paper size and a minimum charge can change a job's price; <a href=\"" +
         std::string(kJobsPath) +
         "\">My jobs</a> shows each of your held jobs' price on each printer.</p>\n"
         "          <table class=\"list\" summary=\"Release printers\">\n"
         "            <thead><tr><th>Printer</th><th>Location</th><th>Grey side</th>"
         "<th>Colour side</th><th>Sheet</th><th></th></tr></thead>\n"
         "            <tbody>\n" +
         rows + "            </tbody>\n          </table>\n";
}

bool supplies_resource(pappl_client_t* client, void* data) {
  const Server& server = *static_cast<const Server*>(data);
  if (papplClientGetMethod(client) != HTTP_STATE_GET) return refuse_post(client);
  Result<std::string> part = printers_part(server.config);
  if (!part) {
    papplLogClient(client, PAPPL_LOGLEVEL_ERROR, "Release printers: %s",
                   part.status().to_string().c_str());
    return error_page(client, HTTP_STATUS_SERVER_ERROR, "Release printers",
                      "The release printers' configuration cannot be read; please tell the "
                      "administrator.");
  }
  start_page(client, HTTP_STATUS_OK, "Release printers");
  put(client, *part);
  end_page(client);
  return true;
}

}  // namespace

void add_home_pages(pappl_system_t* system, Server& server) {
  papplSystemAddResourceCallback(system, kHomePath, "text/html", home_resource, &server);
  papplSystemAddResourceCallback(system, kQueuePath, "text/html", home_resource, &server);
  papplSystemAddResourceCallback(system, kSystemPath, "text/html", home_resource, &server);
  papplSystemAddResourceCallback(system, kSuppliesPath, "text/html", supplies_resource, &server);
  papplSystemAddLink(system, "Release printers", kSuppliesPath, PAPPL_LOPTIONS_NAVIGATION);
  add_card_page(system, server);
}

}  // namespace pp::server::web
