// web-refund.cpp: "Ask for a refund" (/pullprint/refund): a signed-in user asks for a refund of
// one of their printed jobs with a reason; the desk decides it (`pullprint refund grant|deny`,
// later issue 15's console). The rules are lib/refunds/refunds.h.
//
//   GET  /pullprint/refund          signed-in users: their refund requests with their state, and
//                                   their printed jobs with an "Ask for a refund" link each
//   GET  /pullprint/refund?job=ID   the same, with the request form for job ID (the user's own
//                                   printed job; another user's job: 403 "not yours", logged)
//   POST /pullprint/refund          with the CSRF field (web/web-form.h): job=ID,
//                                   reason=jam|blank-page|wrong-output|other, text=TEXT
//
// Element ids: refund-form, refund-job (hidden field), refund-reason (select), refund-text,
// refund-submit, refund-outcome (banner), my-refunds (table; rows refund-ID), printed-jobs
// (table), refund-link-ID (a printed job's link).
#include <cups/cups.h>

#include <string>

#include "pricing/pricing.h"
#include "refunds/refunds.h"
#include "server/server-release.h"
#include "server/server-request.h"
#include "web/web-form.h"
#include "web/web.h"

namespace pp::server::web {

namespace {

constexpr const char* kTitle = "Ask for a refund";
constexpr std::size_t kShownJobs = 20;
constexpr int kShownRequests = 50;

// The page's stores: the site (held jobs, ledger) and the refund requests in its ledger file.
struct Stores {
  Site site;
  std::unique_ptr<RefundStore> refunds;
};

Result<Stores> open_stores(const Server& server) {
  Result<Site> site = open_operation_site(server);
  if (!site) return site.status();
  Result<std::unique_ptr<RefundStore>> refunds =
      open_sqlite_refund_store(Site::ledger_path_of(server.config), LedgerMigrations::kAlreadyRun);
  if (!refunds) return refunds.status();
  return Stores{std::move(*site), std::move(*refunds)};
}

// The request of job `job_id` that keeps it from being asked for again (open or granted), if
// it is among `requests`.
const RefundRequest* blocking_request(const std::vector<RefundRequest>& requests,
                                      std::int64_t job_id) {
  for (const RefundRequest& request : requests) {
    if (request.job_id == job_id && request.state != RefundState::kDenied) return &request;
  }
  return nullptr;
}

// The form for `job` (the user's own printed job).
void put_request_form(pappl_client_t* client, const HeldJob& job, const std::string& currency) {
  const std::string id = std::to_string(job.id);
  put(client, "          <h2 class=\"title\">Job " + id + ": " + html(job.title) + "</h2>\n" +
                  "          <p>" + std::to_string(job.pages) + " pages, printed on " +
                  html(job.printer) + ", charged " +
                  html(format_money(job.final_price_minor.value_or(job.price_minor), currency)) +
                  ".</p>\n");
  start_form(client, kRefundPath);
  std::string options;
  for (RefundReason reason : {RefundReason::kJam, RefundReason::kBlankPage,
                              RefundReason::kWrongOutput, RefundReason::kOther}) {
    options += "                <option value=\"" + std::string(refund_reason_name(reason)) +
               "\">" + std::string(refund_reason_text(reason)) + "</option>\n";
  }
  put(client,
      "          <div id=\"refund-form\">\n"
      "            <input type=\"hidden\" name=\"job\" id=\"refund-job\" value=\"" +
          id +
          "\">\n"
          "            <p><label>What went wrong <select name=\"reason\" id=\"refund-reason\">\n" +
          options +
          "            </select></label></p>\n"
          "            <p><label>Details (needed for &ldquo;other&rdquo;)<br><textarea "
          "name=\"text\" id=\"refund-text\" rows=\"3\" maxlength=\"" +
          std::to_string(kMaxRefundText) +
          "\"></textarea></label></p>\n"
          "            <p><button type=\"submit\" id=\"refund-submit\">Ask for a refund</button>"
          "</p>\n"
          "          </div>\n"
          "          </form>\n");
}

// The user's requests and their printed jobs.
void put_lists(pappl_client_t* client, const std::vector<RefundRequest>& requests,
               const std::vector<HeldJob>& jobs, const std::string& currency) {
  put(client, "          <h2 class=\"title\">Your refund requests</h2>\n");
  if (requests.empty()) {
    put(client, "          <p id=\"my-refunds-none\">You have asked for no refund.</p>\n");
  } else {
    put(client,
        "          <table class=\"list\" id=\"my-refunds\" summary=\"Your refund requests\">\n"
        "            <thead><tr><th>Request</th><th>Job</th><th>Amount</th><th>Reason</th>"
        "<th>State</th><th>Note</th></tr></thead>\n"
        "            <tbody>\n");
    for (const RefundRequest& request : requests) {
      const std::string id = std::to_string(request.id);
      put(client, "              <tr id=\"refund-" + id + "\"><td>" + id + "</td><td>" +
                      std::to_string(request.job_id) + " " + html(request.title) + "</td><td>" +
                      html(format_money(request.amount, currency)) + "</td><td>" +
                      html(refund_reason_text(request.reason)) +
                      (request.text.empty() ? "" : ": " + html(request.text)) +
                      "</td><td class=\"refund-state\">" + html(refund_state_name(request.state)) +
                      "</td><td>" + html(request.decision_note) + "</td></tr>\n");
    }
    put(client, "            </tbody>\n          </table>\n");
  }
  // A job with an open or granted request shows it; the others get the link to the form.
  auto action_cell = [&requests](std::int64_t job_id) {
    const std::string id = std::to_string(job_id);
    if (const RefundRequest* request = blocking_request(requests, job_id))
      return "refund " + std::string(refund_state_name(request->state));
    return "<a id=\"refund-link-" + id + "\" href=\"" + std::string(kRefundPath) + "?job=" + id +
           "\">Ask for a refund</a>";
  };
  std::string rows;
  std::size_t shown = 0;
  for (const HeldJob& job : jobs) {
    if (job.state != HeldJobState::kPrinted) continue;
    if (shown++ == kShownJobs) break;
    const std::string id = std::to_string(job.id);
    rows += "              <tr><td>" + id + "</td><td>" + html(job.title) + "</td><td>" +
            html(format_money(job.final_price_minor.value_or(job.price_minor), currency)) +
            "</td><td>" + html(job.printer) + "</td><td>" + action_cell(job.id) + "</td></tr>\n";
  }
  if (rows.empty()) return;
  put(client,
      "          <h2 class=\"title\">Printed jobs</h2>\n"
      "          <table class=\"list\" id=\"printed-jobs\" summary=\"Printed jobs\">\n"
      "            <thead><tr><th>Job</th><th>Title</th><th>Charged</th><th>Printer</th><th></th>"
      "</tr></thead>\n"
      "            <tbody>\n" +
          rows + "            </tbody>\n          </table>\n");
}

// The page: a banner, the form for job `job_id` when given (> 0; the user's own printed job),
// the lists.
bool refund_page(pappl_client_t* client, const Server& server, const std::string& user,
                 http_status_t status, const std::string& banner, std::int64_t job_id) {
  Result<Stores> stores = open_stores(server);
  if (!stores) return internal_error(client, kTitle, stores.status());
  const std::string currency = site_currency(server.config);
  std::optional<HeldJob> job;
  std::string refusal;
  if (job_id > 0) {
    Result<HeldJob> found = stores->site.jobs().get(job_id);
    if (!found && found.status().code() != Code::kNotFound)
      return internal_error(client, kTitle, found.status());
    if (!found || found->owner != user) {
      // Not said whether it exists: it is not the user's either way.
      papplLogClient(client, PAPPL_LOGLEVEL_INFO, "Refund page: job %lld is not %s's: refused.",
                     static_cast<long long>(job_id), user.c_str());
      return error_page(client, HTTP_STATUS_FORBIDDEN, kTitle,
                        "Job " + std::to_string(job_id) + " is not yours.");
    }
    if (found->state != HeldJobState::kPrinted)
      refusal = "Job " + std::to_string(job_id) + " was not printed (it is " +
                std::string(held_job_state_name(found->state)) + "): nothing to refund.";
    else
      job = *found;
  }
  Result<std::vector<RefundRequest>> requests =
      stores->refunds->list(user, std::nullopt, kShownRequests);
  if (!requests) return internal_error(client, kTitle, requests.status());
  Result<std::vector<HeldJob>> jobs = stores->site.jobs().list(user, HeldJobState::kPrinted);
  if (!jobs) return internal_error(client, kTitle, jobs.status());
  start_page(client, status, kTitle);
  const std::string shown_banner = banner.empty() ? refusal : banner;
  if (!shown_banner.empty())
    put(client,
        "          <div class=\"banner\" id=\"refund-outcome\">" + html(shown_banner) + "</div>\n");
  if (job) {
    if (const RefundRequest* request = blocking_request(*requests, job->id))
      put(client, "          <p id=\"refund-exists\">Job " + std::to_string(job->id) +
                      " has a refund request (" + std::to_string(request->id) + ", " +
                      html(refund_state_name(request->state)) + ").</p>\n");
    else
      put_request_form(client, *job, currency);
  }
  put_lists(client, *requests, *jobs, currency);
  put(client, account_action_links());
  end_page(client);
  return true;
}

bool refund_from_form(pappl_client_t* client, const Server& server, const std::string& user) {
  const Form form(client);
  if (!form.is_valid(client)) {
    papplLogClient(client, PAPPL_LOGLEVEL_INFO, "Refund: form of %s without a valid session key.",
                   user.c_str());
    return refund_page(client, server, user, HTTP_STATUS_BAD_REQUEST,
                       "Invalid form submission (its session key is missing or stale): nothing "
                       "was done. Please try again.",
                       0);
  }
  const char* job_field = form.get("job");
  // 0: none (form_id gives positive ids only).
  const std::int64_t job_id = job_field ? form_id(job_field).value_or(0) : 0;
  const char* reason_field = form.get("reason");
  const std::optional<RefundReason> reason =
      reason_field ? parse_refund_reason(reason_field) : std::nullopt;
  if (job_id == 0 || !reason)
    return refund_page(client, server, user, HTTP_STATUS_BAD_REQUEST,
                       "Choose a printed job and a reason.", 0);
  const char* text = form.get("text");
  Result<Stores> stores = open_stores(server);
  if (!stores) return internal_error(client, kTitle, stores.status());
  Result<RefundRequest> request =
      request_refund(stores->site.jobs(), stores->site.ledger(), *stores->refunds, user, job_id,
                     *reason, text ? text : "");
  if (!request) {
    const Code code = request.status().code();
    papplLogClient(client, PAPPL_LOGLEVEL_INFO, "Refund request by %s for job %lld refused: %s",
                   user.c_str(), static_cast<long long>(job_id),
                   request.status().to_string().c_str());
    if (code == Code::kIoError || code == Code::kInternal)
      return internal_error(client, kTitle, request.status());
    if (code == Code::kPermissionDenied || code == Code::kNotFound)
      return error_page(client, HTTP_STATUS_FORBIDDEN, kTitle,
                        "Job " + std::to_string(job_id) + " is not yours.");
    return refund_page(client, server, user, HTTP_STATUS_BAD_REQUEST,
                       "Not asked: " + request.status().message() + ".", 0);
  }
  const std::string currency = site_currency(server.config);
  papplLogClient(client, PAPPL_LOGLEVEL_INFO, "Refund request %lld by %s for job %lld (%s, %s).",
                 static_cast<long long>(request->id), user.c_str(), static_cast<long long>(job_id),
                 format_money(request->amount, currency).c_str(),
                 std::string(refund_reason_name(request->reason)).c_str());
  return refund_page(client, server, user, HTTP_STATUS_OK,
                     "Refund request " + std::to_string(request->id) + " for job " +
                         std::to_string(job_id) + " (" + format_money(request->amount, currency) +
                         ") sent: the desk decides it.",
                     0);
}

// The resource callback of /pullprint/refund.
bool refund_resource(pappl_client_t* client, void* data) {
  const Server& server = *static_cast<const Server*>(data);
  const bool post = papplClientGetMethod(client) == HTTP_STATE_POST;
  bool keep_open = true;
  const std::optional<std::string> user = signed_in_user(client, post, &keep_open);
  if (!user) return keep_open;
  if (post) return refund_from_form(client, server, *user);
  const Form query(client);  // ?job=ID
  const char* job = query.get("job");
  const std::optional<std::int64_t> job_id = job ? form_id(job) : std::nullopt;
  if (job && !job_id)
    return error_page(client, HTTP_STATUS_BAD_REQUEST, kTitle, "No such job: " + std::string(job));
  return refund_page(client, server, *user, HTTP_STATUS_OK, "", job_id.value_or(0));
}

}  // namespace

void add_refund_page(pappl_system_t* system, Server& server) {
  papplSystemAddResourceCallback(system, kRefundPath, "text/html", refund_resource, &server);
}

}  // namespace pp::server::web
