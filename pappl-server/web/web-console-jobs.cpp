// web-console-jobs.cpp: the console's jobs (/pullprint/admin/jobs): everybody's jobs as the print
// desk needs them (held, releasing, printed, failed, cancelled, expired; filters by state, owner
// and printer; newest first, a page at a time), and what the desk does to a held job:
//
//   GET  /pullprint/admin/jobs?state=held&owner=NAME&printer=NAME&page=N
//          the filter form (id job-filter: filter-state, filter-owner, filter-printer,
//          filter-apply), the table (id console-jobs; summary "Held jobs" when only held jobs
//          are shown, else "Jobs"), rows "<tr><td>ID</td><td>OWNER</td><td>PAYER</td>
//          <td>TITLE</td>..." and, for each held job, one form with the actions the person may
//          take: cancel-ID, release-printer-ID + release-ID, charge-account-ID + charge-ID;
//          page-prev / page-next links
//   POST /pullprint/admin/jobs   job=ID, do=cancel | release (+ printer) | charge (+ account)
//
// Why the same paths as the other doors: a cancel here is cancel_held_job (as `pullprint cancel`
// and the IPP operation), a release is release_jobs after check_printer_for_release (as the
// release terminal's operator release: logged with both names, the printer's state first), a
// charge is charge_held_job_to (lib/holding/charge-held-job.h). The console only adds who may:
// the action (ConsoleAccess::may), the job's owner (covers_user), the printer (covers_printer),
// the new account (covers_account); each change is recorded with audit_change.
//
// The review queue (/pullprint/admin/review) is web-console-jobs-review.cpp's.
#include <cctype>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "holding/charge-held-job.h"
#include "holding/holding.h"
#include "pricing/pricing.h"
#include "printers/printers.h"
#include "release/release.h"
#include "rights/rights.h"
#include "server/server-release.h"
#include "server/server-request.h"
#include "server/server.h"
#include "web/web-console-jobs.h"
#include "web/web-console.h"
#include "web/web-form.h"
#include "web/web.h"

namespace pp::server::web {
namespace {

constexpr const char* kTitle = "Jobs";
constexpr std::size_t kPageSize = 50;

// What the filter form asks for.
struct JobFilter {
  std::optional<HeldJobState> state;  // nullopt: every state
  std::string owner;                  // "" = everybody (covered)
  std::string printer;                // "" = any
  std::size_t page = 1;
};

std::string field(const Form& form, const char* name) {
  const char* value = form.get(name);
  return value ? value : "";
}

JobFilter filter_from(const Form& form) {
  JobFilter filter;
  const std::string state = field(form, "state");
  if (state.empty())
    filter.state = HeldJobState::kHeld;  // the desk's daily view
  else if (state != "all")
    filter.state = parse_held_job_state(state);
  filter.owner = field(form, "owner");
  filter.printer = field(form, "printer");
  if (std::optional<std::int64_t> page = form_id(field(form, "page")); page && *page < 100000)
    filter.page = static_cast<std::size_t>(*page);
  return filter;
}

std::string filter_query(const JobFilter& filter, std::size_t page) {
  return std::string(kConsoleJobsPath) +
         "?state=" + (filter.state ? std::string(held_job_state_name(*filter.state)) : "all") +
         "&owner=" + url_encode(filter.owner) + "&printer=" + url_encode(filter.printer) +
         "&page=" + std::to_string(page);
}

// Whether the person may see `job`: its owner covered, and its printer (once released).
Result<bool> covers_job(const ConsoleAccess& access, PeopleStore& people, const HeldJob& job,
                        std::map<std::string, bool>& owners) {
  if (!job.printer.empty() && !access.covers_printer(job.printer)) return false;
  auto known = owners.find(job.owner);
  if (known != owners.end()) return known->second;
  Result<bool> covered = access.covers_user(job.owner, people);
  if (!covered) return covered.status();
  owners[job.owner] = *covered;
  return *covered;
}

std::string filter_form(const JobFilter& filter) {
  std::string out = "          <form method=\"GET\" action=\"" + std::string(kConsoleJobsPath) +
                    "\" id=\"job-filter\" class=\"pp-filter\">\n"
                    "            <label>State <select name=\"state\" id=\"filter-state\">";
  const std::string current =
      filter.state ? std::string(held_job_state_name(*filter.state)) : "all";
  for (const char* state :
       {"held", "releasing", "printed", "failed", "cancelled", "expired", "all"})
    out += std::string("<option value=\"") + state + "\"" + (current == state ? " selected" : "") +
           ">" + state + "</option>";
  out +=
      "</select></label>\n"
      "            <label>Owner <input type=\"text\" name=\"owner\" id=\"filter-owner\" "
      "value=\"" +
      html(filter.owner) +
      "\"></label>\n"
      "            <label>Printer <input type=\"text\" name=\"printer\" id=\"filter-printer\" "
      "value=\"" +
      html(filter.printer) +
      "\"></label>\n"
      "            <button type=\"submit\" id=\"filter-apply\">Show</button>\n"
      "          </form>\n";
  return out;
}

// The actions on one held job the person may take, as one form.
void put_actions(pappl_client_t* client, const ConsoleAccess& access, const HeldJob& job,
                 const std::vector<ReleasePrinter>& printers) {
  const std::string id = std::to_string(job.id);
  start_form(client, kConsoleJobsPath);
  std::string out = "<input type=\"hidden\" name=\"job\" value=\"" + id + "\">";
  if (access.may(ConsoleAction::kCancel))
    out += "<button type=\"submit\" name=\"do\" value=\"cancel\" id=\"cancel-" + id +
           "\">Cancel</button> ";
  if (access.may(ConsoleAction::kRelease) && !printers.empty()) {
    out += "<select name=\"printer\" id=\"release-printer-" + id + "\">";
    for (const ReleasePrinter& printer : printers)
      out += "<option value=\"" + html(printer.name) + "\">" + html(printer.name) + "</option>";
    out += "</select><button type=\"submit\" name=\"do\" value=\"release\" id=\"release-" + id +
           "\">Release to printer</button> ";
  }
  if (access.may(ConsoleAction::kCharge))
    out +=
        "<input type=\"text\" name=\"account\" size=\"10\" placeholder=\"account\" "
        "id=\"charge-account-" +
        id + "\"><button type=\"submit\" name=\"do\" value=\"charge\" id=\"charge-" + id +
        "\">Charge to another account</button>";
  put(client, out + "</form>");
}

std::string job_cells(const HeldJob& job) {
  const std::int64_t price = job.final_price_minor.value_or(job.price_minor);
  return "<tr><td>" + std::to_string(job.id) + "</td><td>" + html(job.owner) + "</td><td>" +
         html(job.payer) + "</td><td>" + html(job.title) + "</td><td>" + std::to_string(job.pages) +
         "</td><td>" + std::to_string(job.color_pages) + "</td><td>" +
         html(format_money(price, job.currency)) + "</td><td class=\"pp-state\">" +
         html(held_job_state_name(job.state)) + "</td><td>" + html(job.printer) + "</td><td>" +
         html(when(job.created_at)) + "</td><td>" + html(job.message) + "</td><td>";
}

// The release printers the person may release to (enabled, in their scope).
std::vector<ReleasePrinter> covered_printers(const Server& server, const ConsoleAccess& access) {
  std::vector<ReleasePrinter> covered;
  Result<std::vector<ReleasePrinter>> printers = release_printers_from_config(server.config);
  if (!printers) return covered;
  for (ReleasePrinter& printer : *printers)
    if (printer.enabled && access.covers_printer(printer.name))
      covered.push_back(std::move(printer));
  return covered;
}

bool jobs_page(pappl_client_t* client, Server& server, const ConsoleAccess& access,
               const JobFilter& filter, http_status_t status, const std::string& banner, bool ok) {
  Result<Site> site = open_operation_site(server);
  if (!site) return internal_error(client, kTitle, site.status());
  Result<std::vector<HeldJob>> all = site->jobs().list(filter.owner, filter.state);
  if (!all) return internal_error(client, kTitle, all.status());
  std::vector<const HeldJob*> shown;
  std::map<std::string, bool> owners;
  for (const HeldJob& job : *all) {
    if (!filter.printer.empty() && job.printer != filter.printer) continue;
    Result<bool> covered = covers_job(access, site->people(), job, owners);
    if (!covered) return internal_error(client, kTitle, covered.status());
    if (*covered) shown.push_back(&job);
  }
  const std::vector<ReleasePrinter> printers = covered_printers(server, access);
  start_console_page(client, status, kTitle, access, kConsoleJobsPath);
  if (!banner.empty()) put(client, console_banner(banner, ok));
  put(client, filter_form(filter));
  const std::size_t first = (filter.page - 1) * kPageSize;
  const bool held_only = filter.state == HeldJobState::kHeld;
  put(client, "          <p id=\"job-count\">" + std::to_string(shown.size()) +
                  (shown.size() == 1 ? " job" : " jobs") + ".</p>\n");
  if (first < shown.size()) {
    put(client, std::string("          <table class=\"list\" id=\"console-jobs\" summary=\"") +
                    (held_only ? "Held jobs" : "Jobs") +
                    "\">\n            <thead><tr><th>Job</th><th>Owner</th><th>Payer</th>"
                    "<th>Title</th><th>Pages</th><th>Colour pages</th><th>Price</th>"
                    "<th>State</th><th>Printer</th><th>Arrived</th><th>Message</th>"
                    "<th>Actions</th></tr></thead>\n            <tbody>\n");
    for (std::size_t i = first; i < shown.size() && i < first + kPageSize; ++i) {
      const HeldJob& job = *shown[i];
      put(client, "            " + job_cells(job));
      if (job.state == HeldJobState::kHeld) put_actions(client, access, job, printers);
      put(client, "</td></tr>\n");
    }
    put(client, "            </tbody>\n          </table>\n");
  }
  std::string pages = "          <p class=\"pp-pages\">";
  if (filter.page > 1)
    pages += "<a id=\"page-prev\" href=\"" + html(filter_query(filter, filter.page - 1)) +
             "\">Newer</a> ";
  if (first + kPageSize < shown.size())
    pages += "<a id=\"page-next\" href=\"" + html(filter_query(filter, filter.page + 1)) +
             "\">Older</a>";
  put(client, pages + "</p>\n");
  end_page(client);
  return true;
}

// The outcome of one POST: the banner, its colour and the page's status.
struct Outcome {
  http_status_t status = HTTP_STATUS_OK;
  std::string message;
  bool ok = false;
};

std::string cancel_words(const Status& status, std::int64_t id) {
  switch (status.code()) {
    case Code::kNotFound:
      return "No job " + std::to_string(id) + ".";
    case Code::kConflict:
      return "Not cancelled: " + status.message() + ".";
    default:
      return "The held-job store failed; nothing was cancelled.";
  }
}

bool handle_post(pappl_client_t* client, Server& server, const ConsoleAccess& access) {
  const Form form(client);
  const JobFilter filter{HeldJobState::kHeld, "", "", 1};
  auto page = [&](const Outcome& outcome) {
    return jobs_page(client, server, access, filter, outcome.status, outcome.message, outcome.ok);
  };
  if (!form.is_valid(client))
    return page({HTTP_STATUS_BAD_REQUEST,
                 "Invalid form submission (its session key is missing or stale): nothing was "
                 "done. Please try again.",
                 false});
  const std::string what = field(form, "do");
  std::optional<ConsoleAction> action;
  if (what == "cancel") action = ConsoleAction::kCancel;
  if (what == "release") action = ConsoleAction::kRelease;
  if (what == "charge") action = ConsoleAction::kCharge;
  if (!action) return page({HTTP_STATUS_BAD_REQUEST, "Unknown action: nothing was done.", false});
  const std::optional<std::int64_t> id = form_id(field(form, "job"));
  const std::string subject = "job " + field(form, "job");
  if (!access.may(*action)) return console_refusal(client, access, *action, subject);
  if (!id) return page({HTTP_STATUS_BAD_REQUEST, "No such job: nothing was done.", false});

  Result<Site> site = open_operation_site(server);
  if (!site) return internal_error(client, kTitle, site.status());
  Result<HeldJob> job = site->jobs().get(*id);
  if (!job && job.status().code() == Code::kNotFound)
    return page({HTTP_STATUS_NOT_FOUND, "No job " + std::to_string(*id) + ".", false});
  if (!job) return internal_error(client, kTitle, job.status());
  Result<bool> covered = access.covers_user(job->owner, site->people());
  if (!covered) return internal_error(client, kTitle, covered.status());
  if (!*covered) return console_refusal(client, access, *action, subject);
  const std::string of = subject + " of " + job->owner;

  if (*action == ConsoleAction::kCancel) {
    Status cancelled = cancel_held_job(*site, *id, access.user(), true);
    if (!cancelled.is_ok()) {
      if (cancelled.code() != Code::kNotFound && cancelled.code() != Code::kConflict)
        papplLogClient(client, PAPPL_LOGLEVEL_ERROR, "Console cancel of %s: %s", of.c_str(),
                       cancelled.to_string().c_str());
      return page({HTTP_STATUS_OK, cancel_words(cancelled, *id), false});
    }
    (void)audit_change(client, server, access, *action, of,  // a failure is logged there
                       "cancelled \"" + job->title + "\"; " +
                           format_money(job->price_minor, job->currency) + " given back to " +
                           job->payer);
    return page({HTTP_STATUS_OK,
                 "Job " + std::to_string(*id) + " of " + job->owner +
                     " cancelled; its reservation is voided.",
                 true});
  }

  if (*action == ConsoleAction::kRelease) {
    const std::string name = field(form, "printer");
    Result<ReleasePrinter> printer = find_release_printer(server.config, name);
    if (!printer && printer.status().code() == Code::kNotFound)
      return page({HTTP_STATUS_BAD_REQUEST, "No release printer " + name + ".", false});
    if (!printer) return internal_error(client, kTitle, printer.status());
    if (!access.covers_printer(printer->name))
      return console_refusal(client, access, *action, "printer " + printer->name);
    // Before anything is claimed: a printer that cannot print now keeps the job held.
    Result<PrinterCheck> check = check_printer_for_release(client, *printer, access.user());
    if (!check) return page({HTTP_STATUS_OK, check.status().message(), false});
    const std::vector<ReleaseOutcome> outcomes =
        release_jobs(client, server, *site, *printer, {*id}, Releaser{access.user(), true}, *check);
    const ReleaseOutcome& outcome = outcomes.front();
    if (!outcome.sent) return page({HTTP_STATUS_OK, outcome.message, false});
    (void)audit_change(
        client, server, access, *action, of,  // a failure is logged there
        "released to " + printer->name + " for " + job->owner + ": " + outcome.message);
    return page({HTTP_STATUS_OK,
                 "Job " + std::to_string(*id) + " of " + job->owner + ": " + outcome.message,
                 true});
  }

  // Charge to another account.
  const std::string account_name = field(form, "account");
  Result<Account> account = site->ledger().get_account(account_name);
  if (!account && account.status().code() == Code::kNotFound)
    return page({HTTP_STATUS_BAD_REQUEST, "No account " + account_name + ".", false});
  if (!account) return internal_error(client, kTitle, account.status());
  Result<bool> account_covered = access.covers_account(*account, site->people());
  if (!account_covered) return internal_error(client, kTitle, account_covered.status());
  if (!*account_covered) return console_refusal(client, access, *action, "account " + account_name);
  const std::string from = job->payer;
  Result<HeldJob> moved =
      charge_held_job_to(*site, *id, ChargeTarget{account_name, access.user(), access.is_admin()},
                         group_check(site->people()));
  if (!moved) {
    switch (moved.status().code()) {
      case Code::kConflict:
      case Code::kPermissionDenied:
      case Code::kInsufficientFunds:
      case Code::kNotFound:
        return page({HTTP_STATUS_OK,
                     "Not charged to " + account_name + ": " + moved.status().message() + ".",
                     false});
      default:
        return internal_error(client, kTitle, moved.status());
    }
  }
  if (from != account_name)
    (void)audit_change(client, server, access, *action, of,  // a failure is logged there
                       "charged to " + account_name + " instead of " + from + " (" +
                           format_money(moved->price_minor, moved->currency) + " held)");
  return page(
      {HTTP_STATUS_OK,
       "Job " + std::to_string(*id) + " of " + job->owner + " is charged to " + account_name + ".",
       true});
}

bool jobs_resource(pappl_client_t* client, void* data) {
  Server& server = *static_cast<Server*>(data);
  const bool post = papplClientGetMethod(client) == HTTP_STATE_POST;
  bool keep_open = true;
  const std::optional<ConsoleAccess> access =
      console_access(client, server, kConsoleJobsPath, post, &keep_open);
  if (!access) return keep_open;
  if (post) return handle_post(client, server, *access);
  const Form query(client);
  return jobs_page(client, server, *access, filter_from(query), HTTP_STATUS_OK, "", true);
}

}  // namespace

// A short summary: how many jobs are held, releasing and under review, with links.
std::string jobs_dashboard_panel(pappl_client_t* client, Server& server,
                                 const ConsoleAccess& access) {
  if (!access.may(ConsoleAction::kJobs) && !access.may(ConsoleAction::kReview)) return "";
  const std::string head =
      "          <section class=\"pp-panel\" id=\"jobs-summary\">\n"
      "          <h2 class=\"title\">Jobs</h2>\n";
  Result<Site> site = open_operation_site(server);
  Result<JobCounts> counts =
      site ? count_console_jobs(*site, access) : Result<JobCounts>(site.status());
  if (!counts) {
    papplLogClient(client, PAPPL_LOGLEVEL_ERROR, "Dashboard: the jobs cannot be read: %s",
                   counts.status().to_string().c_str());
    return head + "          <p>The jobs cannot be read just now.</p>\n          </section>\n";
  }
  std::string out = head + "          <ul>\n";
  auto line = [&](const char* id, std::size_t n, const char* what, const std::string& path,
                  bool link) {
    const std::string text =
        "<span id=\"" + std::string(id) + "\">" + std::to_string(n) + "</span> " + what;
    out += "            <li>" + (link ? "<a href=\"" + html(path) + "\">" + text + "</a>" : text) +
           "</li>\n";
  };
  const bool jobs = access.may(ConsoleAction::kJobs);
  line("held-count", counts->held, "held", kConsoleJobsPath, jobs);
  line("releasing-count", counts->releasing, "releasing",
       std::string(kConsoleJobsPath) + "?state=releasing", jobs);
  line("review-count", counts->review, "under review", kConsoleReviewPath,
       access.may(ConsoleAction::kReview));
  return out + "          </ul>\n          </section>\n";
}

Result<JobCounts> count_console_jobs(Site& site, const ConsoleAccess& access) {
  JobCounts counts;
  std::map<std::string, bool> owners;
  for (HeldJobState state : {HeldJobState::kHeld, HeldJobState::kReleasing}) {
    Result<std::vector<HeldJob>> jobs = site.jobs().list("", state);
    if (!jobs) return jobs.status();
    for (const HeldJob& job : *jobs) {
      Result<bool> covered = covers_job(access, site.people(), job, owners);
      if (!covered) return covered.status();
      if (*covered) ++(state == HeldJobState::kHeld ? counts.held : counts.releasing);
    }
  }
  Result<std::vector<Delivery>> review = covered_reviews(site, access);
  if (!review) return review.status();
  counts.review = review->size();
  return counts;
}

void add_console_job_pages(pappl_system_t* system, Server& server) {
  papplSystemAddResourceCallback(system, kConsoleJobsPath, "text/html", jobs_resource, &server);
  add_console_review_page(system, server);
}

}  // namespace pp::server::web
