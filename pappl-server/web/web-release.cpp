// web-release.cpp: "Release here", the page a printer's QR code opens on a phone: the signed-in
// user's held jobs (and their approved parts of others' split jobs, as My jobs lists them)
// priced for THAT printer with the user's rights there, and one button to release them. The
// printer's sheet with the code is web/web-release-sheet.cpp.
//
//   GET  /pullprint/release?printer=NAME[&t=TOKEN]   signed-in users: the jobs, each with its
//          price on NAME (a split job: the user's share), a grey-printing note or why it will
//          not print there (lib/rights via preview_release), the total, a checkbox per job
//          that may print, and the buttons
//   POST /pullprint/release?printer=NAME[&t=TOKEN]   form with the CSRF field (web-form.h):
//          printer=NAME, t=TOKEN, action=release-all (every releasable job) or action=release
//          + job-ID=1 ... (the ticked ones); the outcome of each job and a link back
//
// Who: any signed-in user (signed_in_user sends others to sign in and back: the page's URL keeps
// the printer and the token, in the form's action too). Everybody releases their OWN jobs here,
// operators and admins included: a forged form naming another user's job gets "No held job N of
// yours." and changes nothing (claim_release decides).
//
// A printer with `release-token = required` (release/release-token.h) needs the token of its
// sheet (current or previous period): without it, or with a wrong one, the page says "scan the
// code on the printer" (403), lists nothing and releases nothing. An unknown printer is a 404
// page, a disabled one a 409 page.
//
// The release is exactly My jobs' (and the terminal's): check_printer_for_release first (a
// printer that cannot print keeps every job held), then release_jobs (server-release.cpp).
//
// Phone first: one column, big touch targets, no wide table; works without JavaScript.
#include <cups/cups.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pricing/pricing.h"
#include "printers/printers.h"
#include "release/release-preview.h"
#include "release/release-token.h"
#include "release/release.h"
#include "server/server-release.h"
#include "server/server-request.h"
#include "server/server.h"
#include "split-jobs/split-jobs.h"
#include "web/web-form.h"
#include "web/web.h"

namespace pp::server::web {
namespace {

constexpr const char* kTitle = "Release here";
constexpr std::size_t kMaxFormJobs = 1000;  // job-ID fields read from one form

// The page's own styles: one column for a phone; nothing wider than the screen.
constexpr const char* kStyle =
    "          <style>\n"
    "            .pp-release { max-width: 40em; }\n"
    "            .pp-release ul.pp-jobs { list-style: none; margin: 0; padding: 0; }\n"
    "            .pp-release ul.pp-jobs li { border: 1px solid #ccc; border-radius: 6px;\n"
    "              margin: 0 0 0.6em; padding: 0.6em; overflow-wrap: anywhere; }\n"
    "            .pp-release li label { display: flex; gap: 0.6em; align-items: flex-start; }\n"
    "            .pp-release input[type=checkbox] { width: 1.6em; height: 1.6em; flex: none; }\n"
    "            .pp-release .pp-price { font-weight: bold; white-space: nowrap; }\n"
    "            .pp-release .pp-refused { color: #a00; }\n"
    "            .pp-release button { display: block; width: 100%; font-size: 1.2em;\n"
    "              padding: 0.7em; margin: 0.4em 0; }\n"
    "            .pp-release .pp-small { font-size: 0.9em; color: #555; }\n"
    "          </style>\n";

// The page's address for `printer` with `token` ("" for none): the form's target and the link
// back, complete so that a sign-in comes back to it.
std::string release_url(const std::string& printer, const std::string& token) {
  std::string url = std::string(kReleasePath) + "?printer=" + url_encode(printer);
  if (!token.empty()) url += "&t=" + url_encode(token);
  return url;
}

// Starts the page with its styles and the printer's name.
void start_release_page(pappl_client_t* client, http_status_t status) {
  start_page(client, status, kTitle);
  put(client, kStyle);
  put(client, "          <div class=\"pp-release\">\n");
}

void end_release_page(pappl_client_t* client) {
  put(client, "          </div>\n");
  end_page(client);
}

// A page with one message (unknown printer, refused token, ...) and the link to My jobs.
bool message_page(pappl_client_t* client, http_status_t status, const std::string& id,
                  const std::string& message) {
  start_release_page(client, status);
  put(client, "          <div class=\"banner\" id=\"" + id + "\">" + html(message) + "</div>\n" +
                  "          <p><a class=\"btn\" href=\"" + std::string(kJobsPath) +
                  "\">My jobs</a></p>\n");
  end_release_page(client);
  return true;
}

// "Printer Lab_A (Library)": the printer the page releases to.
std::string printer_line(const ReleasePrinter& printer) {
  return "          <p>Printer <strong id=\"release-printer\">" + html(printer.name) + "</strong>" +
         (printer.location.empty()
              ? std::string()
              : " <span id=\"release-location\">(" + html(printer.location) + ")</span>") +
         "</p>\n";
}

// What the request names: the printer and the sheet's token.
struct ReleaseTarget {
  ReleasePrinter printer;
  std::string token;  // as sent ("" when none); never logged
};

// The printer and the token of the request, checked: nullopt when a page was already sent
// (unknown or disabled printer, a token that is required and missing or wrong, a failure).
std::optional<ReleaseTarget> find_target(pappl_client_t* client, const Server& server,
                                         const std::string& user, const Form& form) {
  const char* name = form.get("printer");
  const char* token = form.get("t");
  ReleaseTarget target;
  target.token = token ? token : "";
  if (!name || !*name) {
    message_page(client, HTTP_STATUS_BAD_REQUEST, "release-no-printer",
                 "No printer named: scan the code on the printer you stand at.");
    return std::nullopt;
  }
  Result<ReleasePrinter> printer = find_release_printer(server.config, name);
  if (!printer && printer.status().code() == Code::kNotFound) {
    papplLogClient(client, PAPPL_LOGLEVEL_INFO, "Release page: %s asked for unknown printer %s.",
                   user.c_str(), name);
    message_page(client, HTTP_STATUS_NOT_FOUND, "release-unknown-printer",
                 "There is no release printer " + std::string(name) +
                     ". Scan the code on the printer again, or release from My jobs.");
    return std::nullopt;
  }
  if (!printer) {
    internal_error(client, kTitle, printer.status());
    return std::nullopt;
  }
  target.printer = std::move(*printer);
  if (!target.printer.enabled) {
    papplLogClient(client, PAPPL_LOGLEVEL_INFO, "Release page: %s at disabled printer %s.",
                   user.c_str(), target.printer.name.c_str());
    message_page(client, HTTP_STATUS_CONFLICT, "release-printer-disabled",
                 "Printer " + target.printer.name +
                     " is out of service: nothing can be released to it. Your jobs stay held; "
                     "release them at another printer.");
    return std::nullopt;
  }
  Result<ReleaseTokenPolicy> policy = release_token_policy(server.config, target.printer.name);
  if (!policy) {
    internal_error(client, kTitle, policy.status());
    return std::nullopt;
  }
  if (!policy->required) return target;
  Result<ReleaseTokenSecret> secret = ReleaseTokenSecret::open(server.settings.state_dir);
  if (!secret) {
    internal_error(client, kTitle, secret.status());
    return std::nullopt;
  }
  Status valid = check_release_token(*secret, target.printer.name, *policy, target.token,
                                     std::chrono::system_clock::now());
  if (!valid.is_ok()) {
    papplLogClient(client, PAPPL_LOGLEVEL_INFO, "Release page: %s refused at %s: %s.", user.c_str(),
                   target.printer.name.c_str(), valid.message().c_str());
    message_page(client, HTTP_STATUS_FORBIDDEN, "release-token-refused",
                 "To release to " + target.printer.name +
                     ", scan the code on the printer: this address alone does not release "
                     "(its code changes from time to time). Nothing was released.");
    return std::nullopt;
  }
  return target;
}

// The user's releasable jobs, a payer's part as the payer sees it (payer_view), oldest first.
Result<std::vector<HeldJob>> user_jobs(Site& site, const std::string& user) {
  Result<std::vector<HeldJob>> jobs = releasable_jobs(site, user);
  if (!jobs) return jobs;
  for (HeldJob& job : *jobs)
    if (job.owner != user) job = payer_view(site.splits(), job, user);
  return jobs;
}

// One job of the list: a checkbox when it may print here, its title, pages, price and notes.
std::string job_item(const HeldJob& job, const ReleasePreview& preview, const std::string& user) {
  const std::string id = std::to_string(job.id);
  std::string item = "            <li id=\"release-job-" + id + "\"><label>";
  if (preview.may_print)
    item += "<input type=\"checkbox\" name=\"job-" + id + "\" id=\"job-" + id +
            "\" value=\"1\" checked>";
  item += "<span><strong>" + html(job.title.empty() ? "Job " + id : job.title) + "</strong>";
  if (job.owner != user) item += " <small>(your part of " + html(job.owner) + "'s job)</small>";
  item += "<br><span class=\"pp-small\">Job " + id + " &middot; " + std::to_string(job.pages) +
          " page" + (job.pages == 1 ? "" : "s") +
          (job.color_pages > 0 ? ", " + std::to_string(job.color_pages) + " in colour" : "") +
          " &middot; expires " + html(when(job.expires_at)) + "</span><br>";
  if (preview.price)
    item += "<span class=\"pp-price\" id=\"price-" + id + "\">" +
            html(format_money(preview.price->minor, preview.price->currency)) + "</span>";
  if (!preview.may_print)
    item += " <span class=\"pp-refused\" id=\"refused-" + id +
            "\">Will not print here: " + html(preview.refusal) + "</span>";
  if (preview.grey) item += " <span class=\"pp-small\">(" + html(preview.note) + ")</span>";
  if (!preview.hint.empty())
    item += "<br><span class=\"pp-small\">(" + html(preview.hint) + ")</span>";
  return item + "</span></label></li>\n";
}

// The list page: the jobs and the buttons, or that there is nothing to release.
bool list_page(pappl_client_t* client, const Server& server, const std::string& user,
               const ReleaseTarget& target) {
  Result<Site> site = open_operation_site(server);
  if (!site) return internal_error(client, kTitle, site.status());
  Result<std::vector<HeldJob>> jobs = user_jobs(*site, user);
  if (!jobs) return internal_error(client, kTitle, jobs.status());
  Result<std::vector<ReleasePreview>> previews =
      preview_release(*site, server.config, target.printer, *jobs, user);
  if (!previews) return internal_error(client, kTitle, previews.status());

  start_release_page(client, HTTP_STATUS_OK);
  put(client, printer_line(target.printer));
  std::string intro = "          <p class=\"pp-small\">Signed in as " + html(user) + ".";
  const std::string currency = site_currency(server.config);
  if (Result<Account> account = site->ledger().get_account(user))
    intro += " Available: <span id=\"release-available\">" +
             html(format_money(account->available(), currency)) + "</span>.";
  put(client, intro + "</p>\n");
  if (jobs->empty()) {
    put(client,
        "          <p id=\"release-no-jobs\">You have no held jobs to release here.</p>\n"
        "          <p><a class=\"btn\" href=\"" +
            std::string(kJobsPath) + "\">My jobs</a></p>\n");
    end_release_page(client);
    return true;
  }
  std::int64_t total = 0;
  std::size_t printable = 0;
  for (const ReleasePreview& preview : *previews) {
    if (!preview.may_print) continue;
    ++printable;
    if (preview.price) total += preview.price->minor;
  }
  start_form(client, release_url(target.printer.name, target.token));
  put(client, "          <input type=\"hidden\" name=\"printer\" value=\"" +
                  html(target.printer.name) + "\">\n");
  if (!target.token.empty())
    put(client,
        "          <input type=\"hidden\" name=\"t\" value=\"" + html(target.token) + "\">\n");
  put(client, "          <ul class=\"pp-jobs\" id=\"release-jobs\">\n");
  for (std::size_t i = 0; i < jobs->size(); ++i)
    put(client, job_item((*jobs)[i], (*previews)[i], user));
  put(client, "          </ul>\n");
  if (printable == 0) {
    put(client,
        "          <p id=\"release-none-printable\">None of your jobs can print on this "
        "printer.</p>\n          </form>\n");
  } else {
    put(client, "          <p>Total here: <span class=\"pp-price\" id=\"release-total\">" +
                    html(format_money(total, currency)) + "</span> for " +
                    std::to_string(printable) + " job" + (printable == 1 ? "" : "s") +
                    ".</p>\n"
                    "          <button type=\"submit\" name=\"action\" value=\"release-all\" "
                    "id=\"release-all\">Release all here</button>\n"
                    "          <button type=\"submit\" name=\"action\" value=\"release\" "
                    "id=\"release-selected\">Release ticked jobs</button>\n"
                    "          </form>\n");
  }
  put(client, "          <p class=\"pp-small\"><a href=\"" + std::string(kJobsPath) +
                  "\">My jobs</a></p>\n");
  end_release_page(client);
  return true;
}

// The outcome page: one line per job and the links back.
bool outcome_page(pappl_client_t* client, const ReleaseTarget& target,
                  const std::vector<ReleaseOutcome>& outcomes) {
  start_release_page(client, HTTP_STATUS_OK);
  put(client, printer_line(target.printer) + "          <ul id=\"release-outcomes\">\n");
  for (const ReleaseOutcome& outcome : outcomes) {
    std::string line = "            <li class=\"" + std::string(outcome.sent ? "sent" : "held") +
                       "\" id=\"outcome-" + std::to_string(outcome.id) + "\">Job " +
                       std::to_string(outcome.id);
    if (!outcome.title.empty()) line += " &ldquo;" + html(outcome.title) + "&rdquo;";
    line += ": " + html(outcome.message);
    if (!outcome.hint.empty()) line += " (" + html(outcome.hint) + ")";
    put(client, line + "</li>\n");
  }
  put(client, "          </ul>\n          <p><a class=\"btn\" id=\"release-back\" href=\"" +
                  html(release_url(target.printer.name, target.token)) +
                  "\">Back to this printer</a> <a class=\"btn\" href=\"" + std::string(kJobsPath) +
                  "\">My jobs</a></p>\n");
  end_release_page(client);
  return true;
}

// A release from the form: the printer's token, the printer's state, then the jobs.
bool release_from_form(pappl_client_t* client, Server& server, const std::string& user) {
  const Form form(client);
  if (!form.is_valid(client)) {
    papplLogClient(client, PAPPL_LOGLEVEL_INFO,
                   "Release page: form of %s without a valid session key.", user.c_str());
    return message_page(client, HTTP_STATUS_BAD_REQUEST, "release-invalid-form",
                        "Invalid form submission (its session key is missing or stale): nothing "
                        "was released. Open the page again.");
  }
  std::optional<ReleaseTarget> target = find_target(client, server, user, form);
  if (!target) return true;
  const char* action = form.get("action");
  const std::string what = action ? action : "";
  if (what != "release" && what != "release-all")
    return message_page(client, HTTP_STATUS_BAD_REQUEST, "release-unknown-action",
                        "Unknown action: nothing was released.");
  Result<Site> site = open_operation_site(server);
  if (!site) return internal_error(client, kTitle, site.status());
  std::vector<std::int64_t> ids;
  if (what == "release-all") {
    Result<std::vector<HeldJob>> jobs = releasable_jobs(*site, user);
    if (!jobs) return internal_error(client, kTitle, jobs.status());
    for (const HeldJob& job : *jobs) ids.push_back(job.id);
  } else {
    ids = form.ids_with_prefix("job-", kMaxFormJobs);
  }
  if (ids.empty())
    return message_page(client, HTTP_STATUS_OK, "release-nothing",
                        what == "release-all" ? "You have no held jobs: nothing was released."
                                              : "No job was ticked: nothing was released.");
  // Before anything is claimed: a printer that cannot print now keeps every job held.
  Result<PrinterCheck> check = check_printer_for_release(client, target->printer, user);
  if (!check)
    return message_page(client, HTTP_STATUS_OK, "release-printer-refused",
                        check.status().message());
  // Own jobs only, operators and admins included (as My jobs).
  const std::vector<ReleaseOutcome> outcomes =
      release_jobs(client, server, *site, target->printer, ids, Releaser{user, false}, *check);
  int sent = 0;
  for (const ReleaseOutcome& outcome : outcomes) sent += outcome.sent ? 1 : 0;
  // PAPPL's log formatter knows no %zu: ints.
  papplLogClient(client, PAPPL_LOGLEVEL_INFO,
                 "Release page: %s released %d of %d job(s) to %s (QR page).", user.c_str(), sent,
                 static_cast<int>(outcomes.size()), target->printer.name.c_str());
  for (const ReleaseOutcome& outcome : outcomes)
    if (!outcome.sent)
      papplLogClient(client, PAPPL_LOGLEVEL_INFO, "Release page: job %lld of %s not released: %s",
                     static_cast<long long>(outcome.id), user.c_str(), outcome.message.c_str());
  return outcome_page(client, *target, outcomes);
}

// The resource callback of /pullprint/release.
bool release_resource(pappl_client_t* client, void* data) {
  Server& server = *static_cast<Server*>(data);
  const bool post = papplClientGetMethod(client) == HTTP_STATE_POST;
  bool keep_open = true;
  const std::optional<std::string> signed_in = signed_in_user(client, post, &keep_open);
  if (!signed_in) return keep_open;
  if (post) return release_from_form(client, server, *signed_in);
  const Form query(client);
  std::optional<ReleaseTarget> target = find_target(client, server, *signed_in, query);
  if (!target) return true;
  return list_page(client, server, *signed_in, *target);
}

}  // namespace

void add_release_page(pappl_system_t* system, Server& server) {
  papplSystemAddResourceCallback(system, kReleasePath, "text/html", release_resource, &server);
}

}  // namespace pp::server::web
