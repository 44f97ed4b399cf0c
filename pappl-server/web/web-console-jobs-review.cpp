// web-console-jobs-review.cpp: the review queue (/pullprint/admin/review): the deliveries whose
// printer took data and then failed, so nobody knows whether the pages came out. The desk asks
// the user or looks at the printer, then decides:
//
//   GET  /pullprint/admin/review   "Deliveries under review (N)", the table id review-queue
//                                  (summary "Deliveries under review"), each row with one form:
//                                  capture-KEY / void-KEY (KEY: review_key() of the job ref)
//   POST /pullprint/admin/review   ref=JOB-REF, decision=capture | void
//
// Why here and not in the CLI only: a decision is resolve_review(), exactly as `pullprint review
// REF --capture|--void`; the console adds who may (action review; the job's owner and printer
// covered by the person's scope) and the audit log.
#include <cctype>
#include <string>
#include <vector>

#include "delivery/delivery.h"
#include "pricing/pricing.h"
#include "server/server-request.h"
#include "server/server.h"
#include "web/web-console-jobs.h"
#include "web/web-console.h"
#include "web/web-form.h"
#include "web/web.h"

namespace pp::server::web {
namespace {

constexpr const char* kTitle = "Review";

// The job reference as an id suffix: letters and digits kept, anything else '-'
// ("pullprintd/urn:uuid:6f1c..." -> "pullprintd-urn-uuid-6f1c...").
std::string review_key(const std::string& job_ref) {
  std::string key;
  for (char c : job_ref) key += std::isalnum(static_cast<unsigned char>(c)) ? c : '-';
  return key;
}

void put_row(pappl_client_t* client, const Delivery& d) {
  const std::string key = review_key(d.job_ref);
  put(client, "            <tr id=\"review-" + key + "\"><td><code>" + html(d.job_ref) +
                  "</code></td><td>" + html(d.owner) + "</td><td>" + html(d.title) + "</td><td>" +
                  html(d.printer) + "</td><td>" + html(format_money(d.amount, d.currency)) +
                  "</td><td>" + html(d.released_by) + "</td><td>" + html(when(d.updated_at)) +
                  "</td><td>" + html(d.message) + "</td><td>");
  start_form(client, kConsoleReviewPath);
  put(client, "<input type=\"hidden\" name=\"ref\" value=\"" + html(d.job_ref) +
                  "\"><button type=\"submit\" name=\"decision\" value=\"capture\" id=\"capture-" +
                  key +
                  "\">Capture</button> <button type=\"submit\" name=\"decision\" "
                  "value=\"void\" id=\"void-" +
                  key + "\">Void</button></form></td></tr>\n");
}

bool review_page(pappl_client_t* client, Server& server, const ConsoleAccess& access,
                 http_status_t status, const std::string& banner, bool ok) {
  Result<Site> site = open_operation_site(server);
  if (!site) return internal_error(client, kTitle, site.status());
  Result<std::vector<Delivery>> rows = covered_reviews(*site, access);
  if (!rows) return internal_error(client, kTitle, rows.status());
  start_console_page(client, status, kTitle, access, kConsoleReviewPath);
  if (!banner.empty()) put(client, console_banner(banner, ok));
  put(client,
      "          <h2 class=\"title\">Deliveries under review (" + std::to_string(rows->size()) +
          ")</h2>\n"
          "          <p>The printer took these jobs and then failed: ask the user or "
          "look at the printer. <strong>Capture</strong> charges the job (the pages came out), "
          "<strong>Void</strong> gives the money back.</p>\n");
  if (rows->empty()) {
    put(client, "          <p id=\"review-none\">No delivery waits for a decision.</p>\n");
  } else {
    put(client,
        "          <table class=\"list\" id=\"review-queue\" summary=\"Deliveries under "
        "review\">\n"
        "            <thead><tr><th>Job reference</th><th>Owner</th><th>Title</th>"
        "<th>Printer</th><th>Amount</th><th>Released by</th><th>Since</th><th>Message</th>"
        "<th>Decision</th></tr></thead>\n            <tbody>\n");
    for (const Delivery& d : *rows) put_row(client, d);
    put(client, "            </tbody>\n          </table>\n");
  }
  end_page(client);
  return true;
}

bool handle_post(pappl_client_t* client, Server& server, const ConsoleAccess& access) {
  const Form form(client);
  if (!form.is_valid(client))
    return review_page(client, server, access, HTTP_STATUS_BAD_REQUEST,
                       "Invalid form submission (its session key is missing or stale): nothing "
                       "was done. Please try again.",
                       false);
  const char* ref_field = form.get("ref");
  const char* decision = form.get("decision");
  const std::string ref = ref_field ? ref_field : "";
  const std::string what = decision ? decision : "";
  if (!access.may(ConsoleAction::kReview))
    return console_refusal(client, access, ConsoleAction::kReview, ref);
  if (ref.empty() || (what != "capture" && what != "void"))
    return review_page(client, server, access, HTTP_STATUS_BAD_REQUEST,
                       "Say which delivery, and capture or void: nothing was done.", false);
  Result<Site> site = open_operation_site(server);
  if (!site) return internal_error(client, kTitle, site.status());
  Result<std::vector<Delivery>> review = site->deliveries().list(DeliveryState::kReview, "");
  if (!review) return internal_error(client, kTitle, review.status());
  const Delivery* delivery = nullptr;
  for (const Delivery& d : *review)
    if (d.job_ref == ref) delivery = &d;
  if (!delivery)
    return review_page(client, server, access, HTTP_STATUS_OK,
                       "No delivery " + ref + " is under review (decided already?).", false);
  Result<bool> covered = access.covers_user(delivery->owner, site->people());
  if (!covered) return internal_error(client, kTitle, covered.status());
  if (!*covered || !access.covers_printer(delivery->printer))
    return console_refusal(client, access, ConsoleAction::kReview, ref);
  const bool capture = what == "capture";
  Result<Delivery> done =
      resolve_review(site->ledger(), site->deliveries(), ref, capture, access.user());
  if (!done) {
    if (done.status().code() != Code::kConflict)
      return internal_error(client, kTitle, done.status());
    return review_page(client, server, access, HTTP_STATUS_OK,
                       "Not decided: " + done.status().message() + ".", false);
  }
  const std::string money = format_money(delivery->amount, delivery->currency);
  (void)audit_change(client, server, access, ConsoleAction::kReview,  // a failure is logged there
                     ref + " of " + delivery->owner,
                     (capture ? "captured " + money : "voided (" + money + " given back)") +
                         " on " + delivery->printer);
  return review_page(
      client, server, access, HTTP_STATUS_OK,
      delivery->owner + "'s \"" + delivery->title +
          "\": " + (capture ? "captured, " + money + " charged." : "voided, nothing charged."),
      true);
}

bool review_resource(pappl_client_t* client, void* data) {
  Server& server = *static_cast<Server*>(data);
  const bool post = papplClientGetMethod(client) == HTTP_STATE_POST;
  bool keep_open = true;
  const std::optional<ConsoleAccess> access =
      console_access(client, server, kConsoleReviewPath, post, &keep_open);
  if (!access) return keep_open;
  if (post) return handle_post(client, server, *access);
  return review_page(client, server, *access, HTTP_STATUS_OK, "", true);
}

}  // namespace

Result<std::vector<Delivery>> covered_reviews(Site& site, const ConsoleAccess& access) {
  Result<std::vector<Delivery>> rows = site.deliveries().list(DeliveryState::kReview, "");
  if (!rows || access.site_wide()) return rows;
  std::vector<Delivery> covered;
  for (Delivery& d : *rows) {
    if (!access.covers_printer(d.printer)) continue;
    Result<bool> user = access.covers_user(d.owner, site.people());
    if (!user) return user.status();
    if (*user) covered.push_back(std::move(d));
  }
  return covered;
}

void add_console_review_page(pappl_system_t* system, Server& server) {
  papplSystemAddResourceCallback(system, kConsoleReviewPath, "text/html", review_resource, &server);
}

}  // namespace pp::server::web
