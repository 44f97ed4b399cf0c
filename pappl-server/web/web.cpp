// web.cpp: "My jobs" (/pullprint/jobs), the user's web page: held jobs, release to a
// printer, cancel; split jobs and approvals are web/web-splits.cpp's.
//
//   GET  /pullprint/jobs   the user's held jobs (title, pages, colour pages, estimate, expiry,
//                          the message of the last release), a select of the release printers,
//                          a checkbox and a cancel button per job, and the recent other jobs
//                          (printed, cancelled, expired, ...) with their state and message;
//                          ?printer=NAME: the held jobs' prices on that printer (default: the
//                          first enabled one), with the hint when another printer is cheaper
//   POST /pullprint/jobs   form with the CSRF field (web/web-form.h, start_form):
//                            action=release      + printer=NAME + job-ID=1 ... (the checked jobs)
//                            action=release-all  + printer=NAME (all of the user's held jobs)
//                            cancel=ID           (one job)
//                            approve=SHARE-ID / decline=SHARE-ID   (web/web-splits.cpp)
//
// Below the held jobs, web/web-splits.cpp adds "Split a job's cost" (a link per held job
// without a split to its split form, web/web-split.cpp), "Split jobs" (each split job's payers,
// amounts, states, deadline) and "Approvals" (the user's own pending requests with Approve /
// Decline).
//
// Login: HTTP Basic through papplClientIsAuthorized, i.e. the auth callback (server-auth.cpp),
// with the identity rules of IPP (PAM in `pam` mode; in `trusted` mode the local host only);
// the callback lets every authenticated user in under /pullprint/, not only admins. Everybody,
// operators and admins included, sees and acts on their OWN jobs here (releasing others' jobs is
// the terminal's business): a forged form naming another user's job gets "No held job N of
// yours." and changes nothing.
//
// A release is exactly PullPrint-Release-Held-Jobs (server-release.cpp: check_printer_for_release,
// then release_jobs): the printer's state first (refused with the reason, every job stays held),
// then each job claimed and queued for the printer's delivery worker; the page shows each job's
// outcome ("Sending to Lab_A: EUR 0.61", or why not) and a link back.
//
// Everything that comes from users or the configuration (titles, printer names, messages) is
// HTML-escaped (html() below: & < > " '; PAPPL's own escaping leaves > and ' alone).
#include <cups/cups.h>

#include <cctype>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "holding/holding.h"
#include "pricing/pricing.h"
#include "printers/printers.h"
#include "release/release.h"
#include "server/server-release.h"
#include "server/server-request.h"
#include "server/server.h"
#include "split-jobs/split-jobs.h"
#include "util/markup-text.h"
#include "web/web-console.h"
#include "web/web-form.h"
#include "web/web.h"

namespace pp::server {
namespace web {

std::string html(std::string_view text) {
  return markup_text(text);
}

std::string when(const std::string& iso) {
  if (iso.size() < 16 || iso[10] != 'T') return iso;
  return iso.substr(0, 10) + " " + iso.substr(11, 5) + " UTC";
}

void put(pappl_client_t* client, const std::string& text) {
  papplClientHTMLPuts(client, text.c_str());
}

void start_page(pappl_client_t* client, http_status_t status, const char* title) {
  papplClientRespond(client, status, nullptr, "text/html", 0, 0);
  papplClientHTMLHeader(client, title, 0);
  papplClientHTMLPuts(
      client, (std::string("    <link rel=\"stylesheet\" href=\"") + kStylePath + "\">\n").c_str());
  papplClientHTMLPuts(client,
                      "    <div class=\"content\">\n      <div class=\"row\">\n"
                      "        <div class=\"col-12\">\n");
  papplClientHTMLPuts(client, ("          <h1 class=\"title\">" + html(title) + "</h1>\n").c_str());
}

void end_page(pappl_client_t* client) {
  papplClientHTMLPuts(client, "        </div>\n      </div>\n    </div>\n");
  papplClientHTMLFooter(client);
  forget_connection_cookie(client);  // not before: the page's forms read the session from it
}

bool error_page(pappl_client_t* client, http_status_t status, const char* title,
                const std::string& message) {
  start_page(client, status, title);
  put(client, "          <div class=\"banner\">" + html(message) +
                  "</div>\n"
                  "          <p><a class=\"btn\" href=\"" +
                  std::string(kJobsPath) + "\">Back to my jobs</a></p>\n");
  end_page(client);
  return true;
}

bool internal_error(pappl_client_t* client, const char* title, const Status& status) {
  papplLogClient(client, PAPPL_LOGLEVEL_ERROR, "%s: %s", title, status.to_string().c_str());
  return error_page(client, HTTP_STATUS_SERVER_ERROR, title,
                    "The held-job store failed; please try again later.");
}

std::optional<std::int64_t> form_id(std::string_view text) {
  std::int64_t id = 0;
  const char* end = text.data() + text.size();
  auto [ptr, error] = std::from_chars(text.data(), end, id);
  if (text.empty() || error != std::errc() || ptr != end || id <= 0 || text[0] == '+')
    return std::nullopt;
  return id;
}

std::string url_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 15];
    }
  }
  return out;
}

}  // namespace web

namespace {

using web::end_page;
using web::form_id;
using web::html;
using web::kJobsPath;
using web::put;
using web::start_page;
using web::url_encode;
using web::when;

constexpr std::size_t kRecentJobs = 20;     // other jobs shown below the held ones
constexpr std::size_t kMaxFormJobs = 1000;  // job-ID fields read from one form

// A banner above the page's content: a message for the user (plain text, escaped here).
struct Banner {
  std::string text;
};

// An internal failure of "My jobs".
bool internal_error(pappl_client_t* client, const Status& status) {
  return web::internal_error(client, "My jobs", status);
}

// The printer the page offers first: `wanted` when it is an enabled release printer, else the
// first enabled one; nullptr when there is none.
const ReleasePrinter* chosen_printer(const std::vector<ReleasePrinter>& printers,
                                     std::string_view wanted) {
  const ReleasePrinter* first = nullptr;
  for (const ReleasePrinter& p : printers) {
    if (!p.enabled) continue;
    if (p.name == wanted) return &p;
    if (!first) first = &p;
  }
  return first;
}

// The <option>s of the printer select, `chosen` selected.
std::string printer_options(const std::vector<ReleasePrinter>& printers,
                            const ReleasePrinter* chosen) {
  std::string out;
  for (const ReleasePrinter& p : printers) {
    out += "              <option value=\"" + html(p.name) + "\"" +
           (&p == chosen ? " selected" : "") + (p.enabled ? "" : " disabled") + ">" + html(p.name) +
           (p.location.empty() ? "" : " (" + html(p.location) + ")") +
           (p.enabled ? "" : " - out of service") + "</option>\n";
  }
  return out;
}

// "Prices on: Lab_A Lab_B": links that show the held jobs' prices on each enabled printer.
std::string price_links(const std::vector<ReleasePrinter>& printers, const ReleasePrinter* chosen) {
  std::string out = "          <p>Prices on:";
  for (const ReleasePrinter& p : printers) {
    if (!p.enabled) continue;
    const std::string href = std::string(kJobsPath) + "?printer=" + url_encode(p.name);
    if (&p == chosen)
      out += " <span class=\"active\">" + html(p.name) + "</span>";
    else
      out += " <a href=\"" + html(href) + "\">" + html(p.name) + "</a>";
  }
  return out + "</p>\n";
}

// One row of the held-jobs table; `printer`: the column with the job's price there. `shared`:
// what a split job costs this user on any printer (split_price); `part_of`: the owner, when the
// row is the user's part of someone else's split job (which only its owner may cancel).
std::string held_row(const HeldJob& job, const ReleasePrinter* printer, const Config& config,
                     std::optional<std::int64_t> shared, bool part_of) {
  const std::string id = std::to_string(job.id);
  std::string on_printer;
  if (printer && shared) {
    on_printer = html(format_money(*shared, job.currency));
  } else if (printer) {
    if (Result<Price> price = price_on_printer(job, *printer, config)) {
      on_printer = html(format_money(price->minor, price->currency));
      const std::string hint = cheaper_printer_hint(job, *printer, config);
      if (!hint.empty()) on_printer += "<br><small>(" + html(hint) + ")</small>";
    }
  }
  return "              <tr><td><input type=\"checkbox\" name=\"job-" + id + "\" id=\"job-" + id +
         "\" value=\"1\"></td><td>" + id + "</td><td><label for=\"job-" + id + "\">" +
         html(job.title) +
         (part_of ? " <small>(your part of " + html(job.owner) + "'s job)</small>" : "") +
         "</label></td><td>" + std::to_string(job.pages) + "</td><td>" +
         std::to_string(job.color_pages) + "</td><td>" +
         html(format_money(shared.value_or(job.price_minor), job.currency)) + "</td>" +
         (printer ? "<td>" + on_printer + "</td>" : "") + "<td>" + html(when(job.expires_at)) +
         "</td><td>" + html(job.message) + "</td><td>" +
         (part_of
              ? std::string()
              : "<button type=\"submit\" name=\"cancel\" value=\"" + id + "\">Cancel</button>") +
         "</td></tr>\n";
}

// One row of the recent-jobs table (jobs no longer held).
std::string recent_row(const HeldJob& job) {
  const std::int64_t price = job.final_price_minor.value_or(job.price_minor);
  return "            <tr><td>" + std::to_string(job.id) + "</td><td>" + html(job.title) +
         "</td><td>" + html(held_job_state_name(job.state)) + "</td><td>" +
         std::to_string(job.pages) + "</td><td>" + html(format_money(price, job.currency)) +
         "</td><td>" + html(job.printer) + "</td><td>" + html(job.message) + "</td></tr>\n";
}

// The list page, with an optional banner (the outcome of a cancel, a refused form, ...).
bool jobs_page(pappl_client_t* client, Server& server, const std::string& user,
               http_status_t status, const std::optional<Banner>& banner,
               std::string_view selected_printer) {
  Result<Site> site = open_operation_site(server);
  if (!site) return internal_error(client, site.status());
  Result<std::vector<HeldJob>> jobs = site->jobs().list(user, std::nullopt);
  if (!jobs) return internal_error(client, jobs.status());
  Result<std::vector<ReleasePrinter>> printers = release_printers_from_config(server.config);
  if (!printers) return internal_error(client, printers.status());
  // Others' split jobs in which the user has an approved part to release.
  Result<std::vector<HeldJob>> parts = jobs_with_parts_of(*site, user);
  if (!parts) return internal_error(client, parts.status());
  std::vector<const HeldJob*> held;
  std::vector<const HeldJob*> recent;
  for (const HeldJob& job : *jobs) {
    if (job.state == HeldJobState::kHeld)
      held.push_back(&job);
    else if (recent.size() < kRecentJobs)
      recent.push_back(&job);
  }
  std::vector<const HeldJob*> releasable = held;
  for (HeldJob& job : *parts) {
    // The payer sees their own part, not the others' (the job's message tells the owner all).
    job = payer_view(site->splits(), job, user);
    if (job.state == HeldJobState::kHeld) releasable.push_back(&job);
  }
  std::vector<const HeldJob*> shown = held;
  shown.insert(shown.end(), recent.begin(), recent.end());
  Result<web::SplitView> splits = web::load_split_view(*site, shown, user);
  if (!splits) return internal_error(client, splits.status());

  start_page(client, status, "My jobs");
  if (banner) put(client, "          <div class=\"banner\">" + html(banner->text) + "</div>\n");
  std::string intro = "          <p>Signed in as " + html(user) + ".";
  if (Result<Account> account = site->ledger().get_account(user))
    intro +=
        " Available: " + html(format_money(account->available(), site_currency(server.config))) +
        ".";
  put(client, intro + "</p>\n");
  put(client, web::console_link(console_access_of(client, server, user)));

  put(client, "          <h2 class=\"title\">Held jobs</h2>\n");
  if (releasable.empty()) {
    put(client, "          <p>You have no held jobs.</p>\n");
  } else {
    const ReleasePrinter* chosen = chosen_printer(*printers, selected_printer);
    if (chosen) put(client, price_links(*printers, chosen));
    web::start_form(client, kJobsPath);
    put(client, "            <p><label>Printer: <select name=\"printer\">\n" +
                    printer_options(*printers, chosen) +
                    "            </select></label>\n"
                    "            <button type=\"submit\" name=\"action\" value=\"release\">Release "
                    "selected</button>\n"
                    "            <button type=\"submit\" name=\"action\" value=\"release-all\">"
                    "Release all</button></p>\n"
                    "            <table class=\"list\" summary=\"Held jobs\">\n"
                    "              <thead><tr><th></th><th>Job</th><th>Title</th><th>Pages</th>"
                    "<th>Colour pages</th><th>Estimate</th>" +
                    (chosen ? "<th>On " + html(chosen->name) + "</th>" : std::string()) +
                    "<th>Expires</th><th>Message</th><th></th></tr></thead>\n"
                    "              <tbody>\n");
    for (const HeldJob* job : releasable)
      put(client, held_row(*job, chosen, server.config, split_price(site->splits(), *job, user),
                           job->owner != user));
    put(client, "              </tbody>\n            </table>\n          </form>\n");
  }
  web::put_split_sections(client, *splits, held, recent);
  web::put_approvals(client, *splits);
  if (!recent.empty()) {
    put(client,
        "          <h2 class=\"title\">Recent jobs</h2>\n"
        "          <table class=\"list\" summary=\"Recent jobs\">\n"
        "            <thead><tr><th>Job</th><th>Title</th><th>State</th><th>Pages</th>"
        "<th>Price</th><th>Printer</th><th>Message</th></tr></thead>\n"
        "            <tbody>\n");
    for (const HeldJob* job : recent) put(client, recent_row(*job));
    put(client, "            </tbody>\n          </table>\n");
  }
  end_page(client);
  return true;
}

// The outcome page of a release: one line per job and the link back.
bool release_page(pappl_client_t* client, const ReleasePrinter& printer,
                  const std::vector<ReleaseOutcome>& outcomes) {
  start_page(client, HTTP_STATUS_OK, "Release");
  put(client, "          <p>Printer " + html(printer.name) +
                  (printer.location.empty() ? "" : " (" + html(printer.location) + ")") +
                  ":</p>\n          <ul class=\"pullprint-outcomes\">\n");
  for (const ReleaseOutcome& outcome : outcomes) {
    std::string line = "            <li class=\"" + std::string(outcome.sent ? "sent" : "held") +
                       "\">Job " + std::to_string(outcome.id);
    if (!outcome.title.empty()) line += " &ldquo;" + html(outcome.title) + "&rdquo;";
    line += ": " + html(outcome.message);
    if (!outcome.hint.empty()) line += " (" + html(outcome.hint) + ")";
    put(client, line + "</li>\n");
  }
  put(client,
      "          </ul>\n"
      "          <p>Jobs being sent show their outcome under Recent jobs.</p>\n"
      "          <p><a class=\"btn\" href=\"" +
          std::string(kJobsPath) + "\">Back to my jobs</a></p>\n");
  end_page(client);
  return true;
}

// Cancels one of the user's held jobs; the outcome for the banner.
std::string cancel_job(pappl_client_t* client, Server& server, const std::string& user,
                       std::int64_t id) {
  Result<Site> site = open_operation_site(server);
  if (!site) {
    papplLogClient(client, PAPPL_LOGLEVEL_ERROR, "My jobs: %s", site.status().to_string().c_str());
    return "The held-job store failed; please try again later.";
  }
  Status cancelled = cancel_job_and_split(*site, id, user, false, std::chrono::system_clock::now());
  if (cancelled.is_ok()) {
    papplLogClient(client, PAPPL_LOGLEVEL_INFO, "Held job %lld cancelled by %s (web).",
                   static_cast<long long>(id), user.c_str());
    return "Cancelled job " + std::to_string(id) + "; its reservation is voided.";
  }
  papplLogClient(client, PAPPL_LOGLEVEL_INFO, "Cancel of held job %lld by %s (web) refused: %s",
                 static_cast<long long>(id), user.c_str(), cancelled.to_string().c_str());
  switch (cancelled.code()) {
    case Code::kNotFound:
    case Code::kPermissionDenied:
      return "No held job " + std::to_string(id) + " of yours.";
    case Code::kConflict:
      return "Not cancelled: " + cancelled.message() + ".";
    default:
      return "The held-job store failed; please try again later.";
  }
}

// A release from the form: the printer, then the jobs, exactly as PullPrint-Release-Held-Jobs.
bool release_from_form(pappl_client_t* client, Server& server, const std::string& user,
                       const web::Form& form, bool all) {
  const char* name = form.get("printer");
  const std::string printer_name = name ? name : "";
  if (printer_name.empty())
    return jobs_page(client, server, user, HTTP_STATUS_BAD_REQUEST,
                     Banner{"Choose a printer to release to."}, "");
  Result<ReleasePrinter> printer = find_release_printer(server.config, printer_name);
  if (!printer && printer.status().code() == Code::kNotFound)
    return jobs_page(client, server, user, HTTP_STATUS_BAD_REQUEST,
                     Banner{"No release printer " + printer_name + "."}, "");
  if (!printer) return internal_error(client, printer.status());
  Result<Site> site = open_operation_site(server);
  if (!site) return internal_error(client, site.status());
  std::vector<std::int64_t> ids;
  if (all) {
    Result<std::vector<HeldJob>> jobs = releasable_jobs(*site, user);
    if (!jobs) return internal_error(client, jobs.status());
    for (const HeldJob& job : *jobs) ids.push_back(job.id);
  } else {
    ids = form.ids_with_prefix("job-", kMaxFormJobs);
  }
  if (ids.empty())
    return jobs_page(
        client, server, user, HTTP_STATUS_OK,
        Banner{all ? "You have no held jobs." : "Tick the jobs to release, or use Release all."},
        printer->name);
  // Before anything is claimed: a printer that cannot print now keeps every job held.
  Result<PrinterCheck> check = check_printer_for_release(client, *printer, user);
  if (!check)
    return jobs_page(client, server, user, HTTP_STATUS_OK, Banner{check.status().message()},
                     printer->name);
  // Own jobs only, operators and admins included (the terminal releases others' jobs).
  const std::vector<ReleaseOutcome> outcomes =
      release_jobs(client, server, *site, *printer, ids, Releaser{user, false}, *check);
  return release_page(client, *printer, outcomes);
}

bool handle_post(pappl_client_t* client, Server& server, const std::string& user) {
  const web::Form form(client);
  if (!form.is_valid(client)) {
    papplLogClient(client, PAPPL_LOGLEVEL_INFO, "My jobs: form of %s without a valid session key.",
                   user.c_str());
    return jobs_page(client, server, user, HTTP_STATUS_BAD_REQUEST,
                     Banner{"Invalid form submission (its session key is missing or stale): "
                            "nothing was done. Please try again."},
                     "");
  }
  if (const char* cancel = form.get("cancel")) {
    std::optional<std::int64_t> id = form_id(cancel);
    const std::string outcome =
        id ? cancel_job(client, server, user, *id) : "No such job: " + std::string(cancel) + ".";
    return jobs_page(client, server, user, id ? HTTP_STATUS_OK : HTTP_STATUS_BAD_REQUEST,
                     Banner{outcome}, "");
  }
  if (form.get("approve") || form.get("decline")) {
    const web::WebOutcome outcome = web::decide_from_form(
        client, server, user, form.get("approve") ? form.get("approve") : form.get("decline"),
        form.get("approve") != nullptr);
    return jobs_page(client, server, user, outcome.status, Banner{outcome.message}, "");
  }
  const char* action = form.get("action");
  const std::string what = action ? action : "";
  if (what == "release" || what == "release-all")
    return release_from_form(client, server, user, form, what == "release-all");
  return jobs_page(client, server, user, HTTP_STATUS_BAD_REQUEST,
                   Banner{"Unknown action: nothing was done."}, "");
}

// The resource callback of /pullprint/jobs.
bool jobs_resource(pappl_client_t* client, void* data) {
  Server& server = *static_cast<Server*>(data);
  const bool post = papplClientGetMethod(client) == HTTP_STATE_POST;
  bool keep_open = true;
  const std::optional<std::string> signed_in = web::signed_in_user(client, post, &keep_open);
  if (!signed_in) return keep_open;
  const std::string& user = *signed_in;
  if (post) return handle_post(client, server, user);
  const web::Form query(client);  // ?printer=NAME preselects a printer
  const char* printer = query.get("printer");
  return jobs_page(client, server, user, HTTP_STATUS_OK, std::nullopt, printer ? printer : "");
}

}  // namespace

void add_web_pages(pappl_system_t* system, Server& server) {
  papplSystemAddResourceCallback(system, kJobsPath, "text/html", jobs_resource, &server);
  papplSystemAddLink(system, "My jobs", kJobsPath, PAPPL_LOPTIONS_NAVIGATION);
  web::add_home_pages(system, server);
  web::add_sign_in_pages(system, server);
  web::add_console_pages(system, server);
  web::add_print_page(system, server);
  web::add_split_page(system, server);
  web::add_approval_page(system, server);
  web::add_release_page(system, server);
  web::add_release_sheet_page(system, server);
  web::add_transfer_page(system, server);
  web::add_refund_page(system, server);
  web::add_account_page(system, server);
  web::add_notify_page(system, server);
}

}  // namespace pp::server
