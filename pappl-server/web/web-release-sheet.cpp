// web-release-sheet.cpp: a printer's release sheet, the A4 page an admin prints and sticks on
// the printer: its name and location, a QR code of its release page (web/web-release.cpp) and
// that address in text, so that a user releases from their phone without a terminal.
//
//   GET /pullprint/admin/release-sheet?printer=NAME   the sheet (print CSS: A4, PAPPL's header
//                                                      and footer and the admin notes hidden)
//   GET /pullprint/admin/release-sheet                 the release printers, a link to each sheet
//
// Who: a console page (web-console.h) for the `printers` action: admins, operators whose
// operator-may names it; an admin-scope's people see and print their scope's printers only
// (console_access, then covers_printer); anybody else gets 403. The address uses the host name
// clients use: the config key `web-url` (e.g. https://print.example.edu:8631), else the scheme
// and Host of this request (the page then says so). With `release-token = required` on the
// printer (release/release-token.h) the address carries &t=TOKEN of the current period; the
// page says until when the printed sheet works (the end of the next period) so the admin prints
// it again in time. The QR code is inline SVG (lib/qrcode): no image file, no JavaScript.
#include <cups/cups.h>

#include <chrono>
#include <string>
#include <vector>

#include "printers/printers.h"
#include "qrcode/qr-svg.h"
#include "release/release-token.h"
#include "server/server.h"
#include "util/utc-time.h"
#include "web/web-console.h"
#include "web/web-form.h"
#include "web/web.h"

namespace pp::server::web {
namespace {

constexpr const char* kTitle = "Release sheet";

// A4 on paper; on screen a centred column. Only the sheet itself is printed.
constexpr const char* kStyle =
    "          <style>\n"
    "            .pp-sheet { text-align: center; max-width: 180mm; margin: 0 auto; }\n"
    "            .pp-sheet .pp-sheet-name { font-size: 2.4em; font-weight: bold; margin: 0.2em 0; "
    "}\n"
    "            .pp-sheet .pp-sheet-location { font-size: 1.4em; margin: 0 0 0.6em; }\n"
    "            .pp-sheet svg.qr-code { width: 110mm; max-width: 90vw; height: auto; }\n"
    "            .pp-sheet .pp-sheet-url { font-family: monospace; font-size: 1.05em;\n"
    "              overflow-wrap: anywhere; }\n"
    "            .pp-sheet .pp-sheet-steps { font-size: 1.3em; }\n"
    "            @page { size: A4 portrait; margin: 15mm; }\n"
    "            @media print {\n"
    "              .header, .footer, .pp-no-print, h1.title { display: none !important; }\n"
    "              body, .content { background: #fff !important; color: #000 !important; }\n"
    "            }\n"
    "          </style>\n";

// The release page's address as clients reach it: `web-url` or this request's scheme and host.
struct PageAddress {
  std::string base;  // "https://print.example.edu:8631" (no trailing '/')
  bool configured = false;
};

PageAddress page_address(pappl_client_t* client, const Server& server) {
  std::string base = server.config.get_string("web-url", "");
  while (!base.empty() && base.back() == '/') base.pop_back();
  if (!base.empty()) return PageAddress{base, true};
  const bool tls = httpIsEncrypted(papplClientGetHTTP(client)) != 0;
  const char* host = papplClientGetHostName(client);
  const int port = papplClientGetHostPort(client);
  std::string name = host && *host ? host : "localhost";
  if (name.find(':') != std::string::npos && name.front() != '[') name = "[" + name + "]";
  base = std::string(tls ? "https" : "http") + "://" + name;
  if (port > 0 && port != (tls ? 443 : 80)) base += ":" + std::to_string(port);
  return PageAddress{base, false};
}

// An interval for people: "7 days", "12 hours", "90 minutes".
std::string interval_text(std::chrono::seconds interval) {
  const std::int64_t s = interval.count();
  auto plural = [](std::int64_t n, const char* unit) {
    return std::to_string(n) + " " + unit + (n == 1 ? "" : "s");
  };
  if (s % 86400 == 0) return plural(s / 86400, "day");
  if (s % 3600 == 0) return plural(s / 3600, "hour");
  return plural(s / 60, "minute");
}

// The page listing every release printer the person's scope covers with a link to its sheet.
bool printers_page(pappl_client_t* client, const Server& server, const ConsoleAccess& access) {
  Result<std::vector<ReleasePrinter>> printers = release_printers_from_config(server.config);
  if (!printers) return internal_error(client, kTitle, printers.status());
  std::erase_if(*printers, [&access](const ReleasePrinter& printer) {
    return !access.covers_printer(printer.name);
  });
  start_page(client, HTTP_STATUS_OK, "Release sheets");
  if (printers->empty()) {
    put(client, "          <p>No release printer is configured ([printer NAME] sections).</p>\n");
  } else {
    put(client,
        "          <p>Print a printer's sheet and stick it on the printer: users scan its "
        "code to release their jobs there.</p>\n          <ul id=\"release-sheets\">\n");
    for (const ReleasePrinter& printer : *printers)
      put(client,
          "            <li><a href=\"" +
              html(std::string(kReleaseSheetPath) + "?printer=" + url_encode(printer.name)) +
              "\">" + html(printer.name) + "</a>" +
              (printer.location.empty() ? "" : " (" + html(printer.location) + ")") +
              (printer.enabled ? "" : " &mdash; disabled") + "</li>\n");
    put(client, "          </ul>\n");
  }
  end_page(client);
  return true;
}

// The sheet of `name`.
bool sheet_page(pappl_client_t* client, const Server& server, const std::string& user,
                const std::string& name) {
  Result<ReleasePrinter> printer = find_release_printer(server.config, name);
  if (!printer && printer.status().code() == Code::kNotFound)
    return error_page(client, HTTP_STATUS_NOT_FOUND, kTitle, "No release printer " + name + ".");
  if (!printer) return internal_error(client, kTitle, printer.status());
  Result<ReleaseTokenPolicy> policy = release_token_policy(server.config, printer->name);
  if (!policy) return internal_error(client, kTitle, policy.status());
  const auto now = std::chrono::system_clock::now();
  std::string token;
  std::string valid_until;
  if (policy->required) {
    Result<ReleaseTokenSecret> secret = ReleaseTokenSecret::open(server.settings.state_dir);
    if (!secret) return internal_error(client, kTitle, secret.status());
    token = current_release_token(*secret, printer->name, *policy, now);
    // Accepted in this period and the next one.
    const std::int64_t period = release_token_period(now, policy->interval);
    valid_until = iso_utc(std::chrono::system_clock::time_point(
        std::chrono::seconds((period + 2) * policy->interval.count())));
  }
  const PageAddress address = page_address(client, server);
  std::string url = address.base + kReleasePath + "?printer=" + url_encode(printer->name);
  if (!token.empty()) url += "&t=" + url_encode(token);
  Result<std::string> qr = qr_svg(url, QrSvgOptions{"qr-code", url});
  if (!qr) return internal_error(client, kTitle, qr.status());
  papplLogClient(client, PAPPL_LOGLEVEL_INFO, "Release sheet of %s shown to %s.",
                 printer->name.c_str(), user.c_str());

  start_page(client, HTTP_STATUS_OK, kTitle);
  put(client, kStyle);
  std::string notes = "          <div class=\"pp-no-print\" id=\"sheet-notes\">\n";
  if (!printer->enabled)
    notes += "            <div class=\"banner\">Printer " + html(printer->name) +
             " is disabled: its page refuses releases until it is enabled.</div>\n";
  if (!address.configured)
    notes +=
        "            <p>The address below uses this request's host name. Set "
        "<code>web-url</code> in pullprint.conf to the address users' phones reach "
        "pullprintd at.</p>\n";
  if (policy->required)
    notes += "            <p>This sheet's code changes every " + interval_text(policy->interval) +
             " (release-token-interval); a sheet printed now works until <span "
             "id=\"sheet-valid-until\">" +
             html(when(valid_until)) + "</span>: print it again before then.</p>\n";
  notes +=
      "            <p>Print this page (A4); only the sheet below is printed.</p>\n"
      "          </div>\n";
  put(client, notes);
  put(client,
      "          <div class=\"pp-sheet\" id=\"release-sheet\">\n"
      "            <p class=\"pp-sheet-name\" id=\"sheet-printer\">" +
          html(printer->name) + "</p>\n" +
          (printer->location.empty()
               ? std::string()
               : "            <p class=\"pp-sheet-location\" id=\"sheet-location\">" +
                     html(printer->location) + "</p>\n") +
          "            <p class=\"pp-sheet-steps\">Scan to release your print jobs "
          "on this printer</p>\n            " +
          *qr + "\n            <p class=\"pp-sheet-url\" id=\"sheet-url\">" + html(url) +
          "</p>\n"
          "            <p>Sign in, tick your jobs and press Release.</p>\n"
          "          </div>\n");
  end_page(client);
  return true;
}

// The resource callback of /pullprint/admin/release-sheet.
bool sheet_resource(pappl_client_t* client, void* data) {
  Server& server = *static_cast<Server*>(data);
  const bool post = papplClientGetMethod(client) == HTTP_STATE_POST;
  bool keep_open = true;
  const std::optional<ConsoleAccess> access =
      console_access(client, server, kReleaseSheetPath, post, &keep_open);
  if (!access) return keep_open;
  if (post) {
    error_page(client, HTTP_STATUS_BAD_REQUEST, kTitle, "This page has no forms.");
    return false;  // the unread body: close the connection
  }
  const Form query(client);
  const char* printer = query.get("printer");
  if (!printer || !*printer) return printers_page(client, server, *access);
  if (!access->covers_printer(printer))
    return console_refusal(client, *access, ConsoleAction::kPrinters, printer);
  return sheet_page(client, server, access->user(), printer);
}

}  // namespace

void add_release_sheet_page(pappl_system_t* system, Server& server) {
  papplSystemAddResourceCallback(system, kReleaseSheetPath, "text/html", sheet_resource, &server);
}

}  // namespace pp::server::web
