// web-console-printers.cpp: the console's printers (issue 15): every release printer's state,
// supplies and alerts (the last reading of pullprintd's poll, server/server-printer-watch.h),
// its price profile, what it printed today, and a link to its QR release sheet.
//
//   GET /pullprint/admin/printers            every release printer the person's scope covers
//   GET /pullprint/admin/printer?name=NAME   one printer in detail (404 unknown, 403 outside the
//                                            scope)
//
// Who: the `printers` action (admins; operators when operator-may names it); an admin-scope
// sees its `printers` only. The pages read memory (the poll's readings) and two short store
// reads (today's use), never a printer: a printer that is off does not slow them down. There is
// nothing to change here, so no form.
#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "pricing/pricing.h"
#include "printers/printer-alerts.h"
#include "printers/printer-use.h"
#include "printers/printers.h"
#include "server/server-printer-watch.h"
#include "server/server-request.h"
#include "server/server.h"
#include "util/utc-time.h"
#include "web/web-console.h"
#include "web/web-form.h"
#include "web/web.h"

namespace pp::server::web {
namespace {

constexpr const char* kPrintersTitle = "Printers";
constexpr const char* kPrinterTitle = "Printer";

// What the pages show of every printer, read once per request.
struct PrinterView {
  ReleasePrinter printer;
  std::optional<PrinterReading> reading;
  PrinterUse today;
  std::optional<PriceProfile> profile;
};

struct PrintersView {
  std::vector<PrinterView> printers;  // the ones the person's scope covers
  int poll_runs = 0;
  std::string last_poll;    // ISO time, "" before the first
  std::string use_problem;  // why today's use is missing ("" when shown)
  bool polled = true;       // false: printer-poll-interval = 0
};

std::string today_utc() {
  return iso_utc(std::chrono::system_clock::now()).substr(0, 10);
}

Result<PrintersView> load_view(const Server& server, const ConsoleAccess& access, bool with_use) {
  Result<std::vector<ReleasePrinter>> printers = release_printers_from_config(server.config);
  if (!printers) return printers.status();
  PrintersView view;
  PrinterWatch::Snapshot snapshot;
  if (server.printer_watch) snapshot = server.printer_watch->snapshot();
  view.polled = server.printer_poll != nullptr;
  view.poll_runs = snapshot.runs;
  if (snapshot.last_run) view.last_poll = iso_utc(*snapshot.last_run);
  std::map<std::string, PrinterUse> use;
  if (with_use) {
    Result<Site> site = open_operation_site(server);
    Result<std::map<std::string, PrinterUse>> found =
        site ? printer_use_on(site->deliveries(), site->jobs(), today_utc())
             : Result<std::map<std::string, PrinterUse>>(site.status());
    if (found)
      use = std::move(*found);
    else
      view.use_problem = found.status().message();
  }
  for (ReleasePrinter& printer : *printers) {
    if (!access.covers_printer(printer.name)) continue;
    PrinterView one;
    auto reading = snapshot.readings.find(printer.name);
    if (reading != snapshot.readings.end()) one.reading = reading->second;
    auto today = use.find(printer.name);
    if (today != use.end()) one.today = today->second;
    Result<PriceProfile> profile = price_profile_from_config(server.config, printer.profile);
    if (profile) one.profile = std::move(*profile);
    one.printer = std::move(printer);
    view.printers.push_back(std::move(one));
  }
  return view;
}

// "idle", "stopped", "unreachable since 2026-12-05 07:00 UTC", "not read yet".
std::string state_text(const PrinterView& view) {
  if (!view.reading) return "not read yet";
  const PrinterReading& reading = *view.reading;
  if (!reading.state.reachable)
    return "unreachable since " + when(iso_utc(reading.unreachable_since.value_or(reading.at)));
  std::string text(device_state_name(reading.state.state));
  if (!reading.state.accepting_jobs) text += ", not accepting jobs";
  return text;
}

// The supplies as a list; each level in an element a test reads.
std::string supplies_html(const std::string& printer, const PrinterView& view) {
  if (!view.reading || view.reading->state.supplies.empty())
    return "<span class=\"pp-muted\">not reported</span>";
  std::string out = "<ul class=\"pp-supplies\" id=\"supplies-" + html(printer) + "\">";
  int index = 0;
  for (const PrinterSupply& supply : view.reading->state.supplies) {
    const std::string level =
        supply.level >= 0 ? std::to_string(supply.level) : std::string("unknown");
    out += "<li class=\"supply" + std::string(supply_is_low(supply) ? " pp-low" : "") + "\">";
    if (!supply.color.empty() && supply.color.front() == '#')
      out +=
          "<span class=\"pp-swatch\" style=\"display:inline-block;width:0.8em;height:0.8em;"
          "background:" +
          html(supply.color) + "\"></span> ";
    out += html(supply.name) + ": <span class=\"supply-level\" id=\"supply-level-" + html(printer) +
           "-" + std::to_string(index) + "\">" + level + "</span>" +
           (supply.level >= 0 ? " %" : "") + (supply_is_low(supply) ? " (low)" : "") + "</li>";
    ++index;
  }
  return out + "</ul>";
}

std::string alerts_html(const std::string& printer, const PrinterView& view) {
  if (!view.reading || view.reading->alerts.empty()) return "none";
  std::string out = "<ul class=\"pp-alerts\" id=\"alerts-" + html(printer) + "\">";
  for (const PrinterAlert& alert : view.reading->alerts)
    out +=
        "<li class=\"alert\" data-code=\"" + html(alert.code) + "\">" + html(alert.text) + "</li>";
  return out + "</ul>";
}

std::string price_text(const PrinterView& view) {
  if (!view.profile) return "profile " + html(view.printer.profile) + " cannot be read";
  const PriceProfile& p = *view.profile;
  std::string text = html(p.name) + ": mono " + html(format_money(p.mono_impression, p.currency)) +
                     ", colour " + html(format_money(p.color_impression, p.currency)) + " per page";
  if (p.sheet > 0) text += ", sheet " + html(format_money(p.sheet, p.currency));
  text += ", duplex " + (p.duplex_discount_percent > 0
                             ? std::to_string(p.duplex_discount_percent) + " % off"
                             : std::string("no discount"));
  return text;
}

std::string sheet_href(const std::string& printer) {
  return html(std::string(kReleaseSheetPath) + "?printer=" + url_encode(printer));
}

std::string use_html(const std::string& printer, const PrinterView& view) {
  const PrinterUse& use = view.today;
  std::string out =
      "<span id=\"use-jobs-" + html(printer) + "\">" + std::to_string(use.jobs) +
      "</span> jobs, <span id=\"use-pages-" + html(printer) + "\">" + std::to_string(use.pages) +
      "</span> pages, <span id=\"use-money-" + html(printer) + "\">" +
      html(format_money(use.amount, use.currency.empty() && view.profile ? view.profile->currency
                                                                         : use.currency)) +
      "</span>";
  if (use.jobs_without_pages > 0)
    out += " (" + std::to_string(use.jobs_without_pages) + " without a page count)";
  return out;
}

std::string poll_note(const PrintersView& view) {
  if (!view.polled)
    return "          <p id=\"poll-note\">Printers are not polled (printer-poll-interval = "
           "0).</p>\n";
  return "          <p id=\"poll-note\">Last poll: " +
         (view.last_poll.empty() ? std::string("not yet") : html(when(view.last_poll))) +
         " (<span id=\"poll-runs\">" + std::to_string(view.poll_runs) +
         "</span> since start-up).</p>\n";
}

bool get_only(pappl_client_t* client) {
  if (papplClientGetMethod(client) == HTTP_STATE_GET) return true;
  papplClientRespond(client, HTTP_STATUS_BAD_REQUEST, nullptr, nullptr, 0, 0);
  return false;
}

bool printers_resource(pappl_client_t* client, void* data) {
  Server& server = *static_cast<Server*>(data);
  if (!get_only(client)) return false;  // no forms here; the unread body: close the connection
  bool keep_open = true;
  const std::optional<ConsoleAccess> access =
      console_access(client, server, kConsolePrintersPath, false, &keep_open);
  if (!access) return keep_open;
  Result<PrintersView> view = load_view(server, *access, true);
  if (!view) return internal_error(client, kPrintersTitle, view.status());
  start_console_page(client, HTTP_STATUS_OK, kPrintersTitle, *access, kConsolePrintersPath);
  put(client, poll_note(*view));
  if (!view->use_problem.empty())
    put(client, "          <p>Today's use cannot be read: " + html(view->use_problem) + "</p>\n");
  if (view->printers.empty()) {
    put(client,
        "          <p id=\"no-printers\">No release printer"
        " in your scope.</p>\n");
    end_page(client);
    return true;
  }
  put(client,
      "          <div style=\"overflow-x:auto\"><table class=\"list\" id=\"printers\">\n"
      "            <thead><tr><th>Printer</th><th>State</th><th>Supplies</th><th>Alerts</th>"
      "<th>Price</th><th>Today</th><th>Release sheet</th></tr></thead>\n            <tbody>\n");
  for (const PrinterView& one : view->printers) {
    const std::string& name = one.printer.name;
    put(client, "            <tr id=\"printer-" + html(name) + "\"><td><a id=\"printer-link-" +
                    html(name) + "\" href=\"" +
                    html(std::string(kConsolePrinterPath) + "?name=" + url_encode(name)) + "\">" +
                    html(name) + "</a>" + (one.printer.enabled ? "" : " (disabled)") +
                    (one.printer.location.empty() ? "" : "<br>" + html(one.printer.location)) +
                    "</td><td id=\"state-" + html(name) + "\">" + html(state_text(one)) +
                    (one.reading && !one.reading->state.state_reasons.empty()
                         ? "<br><small>" + html([&] {
                             std::string reasons;
                             for (const std::string& r : one.reading->state.state_reasons)
                               reasons += (reasons.empty() ? "" : ", ") + r;
                             return reasons;
                           }()) +
                               "</small>"
                         : "") +
                    "</td><td>" + supplies_html(name, one) + "</td><td>" + alerts_html(name, one) +
                    "</td><td id=\"price-" + html(name) + "\">" + price_text(one) + "</td><td>" +
                    use_html(name, one) + "</td><td><a id=\"sheet-link-" + html(name) +
                    "\" href=\"" + sheet_href(name) + "\">QR sheet</a></td></tr>\n");
  }
  put(client, "            </tbody>\n          </table></div>\n");
  end_page(client);
  return true;
}

bool printer_resource(pappl_client_t* client, void* data) {
  Server& server = *static_cast<Server*>(data);
  if (!get_only(client)) return false;
  bool keep_open = true;
  const std::optional<ConsoleAccess> access =
      console_access(client, server, kConsolePrinterPath, false, &keep_open);
  if (!access) return keep_open;
  const Form query(client);
  const char* wanted = query.get("name");
  const std::string name = wanted ? wanted : "";
  Result<ReleasePrinter> printer = find_release_printer(server.config, name);
  if (!printer && printer.status().code() == Code::kNotFound)
    return console_error_page(client, HTTP_STATUS_NOT_FOUND, kPrinterTitle, *access,
                              "No release printer " + name + ".");
  if (!printer) return internal_error(client, kPrinterTitle, printer.status());
  if (!access->covers_printer(name))
    return console_refusal(client, *access, ConsoleAction::kPrinters, name);
  Result<PrintersView> view = load_view(server, *access, true);
  if (!view) return internal_error(client, kPrinterTitle, view.status());
  const PrinterView* one = nullptr;
  for (const PrinterView& candidate : view->printers)
    if (candidate.printer.name == name) one = &candidate;
  if (!one) return internal_error(client, kPrinterTitle, Status(Code::kInternal, "not listed"));
  const std::string title = "Printer " + name;
  start_console_page(client, HTTP_STATUS_OK, title.c_str(), *access, kConsolePrinterPath);
  put(client, poll_note(*view));
  std::string out = "          <table class=\"form\" id=\"printer-detail\">\n";
  auto row = [&out](const char* label, const std::string& id, const std::string& value) {
    out += "            <tr><th>" + std::string(label) + "</th><td id=\"" + id + "\">" + value +
           "</td></tr>\n";
  };
  const std::string where = one->printer.cups_queue.empty()
                                ? html(redacted_device_uri(one->printer.device_uri))
                                : "CUPS queue " + html(one->printer.cups_queue);
  row("Location", "detail-location", html(one->printer.location));
  row("Device", "detail-device", where);
  row("Enabled", "detail-enabled", one->printer.enabled ? "yes" : "no (gets no jobs)");
  row("State", "detail-state", html(state_text(*one)));
  if (one->reading) {
    const PrinterState& state = one->reading->state;
    row("Read at", "detail-read-at", html(when(iso_utc(one->reading->at))));
    std::string reasons;
    for (const std::string& r : state.state_reasons) reasons += (reasons.empty() ? "" : ", ") + r;
    row("State reasons", "detail-reasons", reasons.empty() ? "none" : html(reasons));
    row("Message", "detail-message", html(state.message));
    std::string device_alerts;
    for (const std::string& a : state.device_alerts)
      device_alerts += (device_alerts.empty() ? "" : "; ") + a;
    row("Printer's alerts", "detail-device-alerts",
        device_alerts.empty() ? "none reported" : html(device_alerts));
  }
  row("Alerts", "detail-alerts", alerts_html(name, *one));
  row("Price", "detail-price", price_text(*one));
  row("Today", "detail-today", use_html(name, *one));
  row("Release sheet", "detail-sheet",
      "<a id=\"sheet-link-" + html(name) + "\" href=\"" + sheet_href(name) + "\">QR sheet</a>");
  out += "          </table>\n";
  put(client, out);
  if (one->reading && !one->reading->state.supplies.empty()) {
    std::string supplies =
        "          <h2 class=\"title\">Supplies</h2>\n"
        "          <table class=\"list\" id=\"supplies-table\">\n"
        "            <thead><tr><th>Supply</th><th>Type</th><th>Colour</th><th>Level</th>"
        "<th>Low at</th></tr></thead>\n            <tbody>\n";
    int index = 0;
    for (const PrinterSupply& supply : one->reading->state.supplies) {
      const int low = supply.low_level >= 0 ? supply.low_level : kDefaultSupplyLowLevel;
      supplies +=
          "            <tr" + std::string(supply_is_low(supply) ? " class=\"pp-low\"" : "") +
          "><td>" + html(supply.name) + "</td><td>" + html(supply.type) + "</td><td>" +
          html(supply.color) + "</td><td id=\"detail-level-" + std::to_string(index) + "\">" +
          (supply.level >= 0 ? std::to_string(supply.level) : "unknown") + "</td><td>" +
          (supply.is_receptacle ? std::to_string(100 - low) + " (full)" : std::to_string(low)) +
          "</td></tr>\n";
      ++index;
    }
    put(client, supplies + "            </tbody>\n          </table>\n");
  }
  end_page(client);
  return true;
}

}  // namespace

std::string printers_dashboard_panel(pappl_client_t* client, Server& server,
                                     const ConsoleAccess& access) {
  if (!access.may(ConsoleAction::kPrinters)) return "";
  std::string out =
      "          <section class=\"pp-panel\" id=\"printers-panel\">\n"
      "          <h2 class=\"title\"><a href=\"" +
      std::string(kConsolePrintersPath) + "\">Printers</a></h2>\n";
  Result<PrintersView> view = load_view(server, access, false);
  if (!view) {
    papplLogClient(client, PAPPL_LOGLEVEL_ERROR, "Dashboard: the printers: %s",
                   view.status().to_string().c_str());
    return out + "          <p>The printers cannot be read just now.</p>\n          </section>\n";
  }
  out += "          <ul id=\"printers-states\">\n";
  int alerts = 0;
  for (const PrinterView& one : view->printers) {
    const std::string& name = one.printer.name;
    out += "            <li id=\"panel-printer-" + html(name) + "\"><a href=\"" +
           html(std::string(kConsolePrinterPath) + "?name=" + url_encode(name)) + "\">" +
           html(name) + "</a>: " + html(state_text(one)) +
           (one.printer.enabled ? "" : " (disabled)");
    if (one.reading && !one.reading->alerts.empty()) {
      out += " &mdash; <strong>";
      std::string texts;
      for (const PrinterAlert& alert : one.reading->alerts) {
        texts += (texts.empty() ? "" : "; ") + alert.text;
        ++alerts;
      }
      out += html(texts) + "</strong>";
    }
    out += "</li>\n";
  }
  out += "          </ul>\n          <p id=\"printers-alert-count\">" + std::to_string(alerts) +
         " current alert(s).</p>\n          </section>\n";
  return out;
}

void add_console_printer_pages(pappl_system_t* system, Server& server) {
  papplSystemAddResourceCallback(system, kConsolePrintersPath, "text/html", printers_resource,
                                 &server);
  papplSystemAddResourceCallback(system, kConsolePrinterPath, "text/html", printer_resource,
                                 &server);
}

}  // namespace pp::server::web
