// web-admin.cpp: "Administration" (/pullprint/admin), the admins' page: everybody's held
// jobs and the deliveries under review, read-only. Admins act with the pullprint command
// (`pullprint cancel JOB-ID`, `pullprint review JOB-REF --capture|--void`): a page of forms for
// other people's money would need more than the one CSRF key PAPPL shares among all users.
//
// Sign-in as on My jobs (signed_in_user: the session cookie, or HTTP Basic); then only `admins` (in
// `trusted` mode only from the local host: is_admin_user) see the page, anybody else gets 403. My
// jobs and the landing page link here for admins only.
#include <string>
#include <vector>

#include "delivery/delivery.h"
#include "pricing/pricing.h"
#include "server/server-request.h"
#include "server/server.h"
#include "web/web.h"

namespace pp::server::web {
namespace {

constexpr const char* kTitle = "Administration";
constexpr std::size_t kMaxRows = 500;  // per table: the page stays readable and quick

std::string held_row(const HeldJob& job) {
  return "            <tr><td>" + std::to_string(job.id) + "</td><td>" + html(job.owner) +
         "</td><td>" + html(job.payer) + "</td><td>" + html(job.title) + "</td><td>" +
         std::to_string(job.pages) + "</td><td>" + std::to_string(job.color_pages) + "</td><td>" +
         html(format_money(job.price_minor, job.currency)) + "</td><td>" +
         html(when(job.created_at)) + "</td><td>" + html(when(job.expires_at)) + "</td></tr>\n";
}

std::string review_row(const Delivery& d) {
  return "            <tr><td><code>" + html(d.job_ref) + "</code></td><td>" + html(d.owner) +
         "</td><td>" + html(d.title) + "</td><td>" + html(d.printer) + "</td><td>" +
         html(format_money(d.amount, d.currency)) + "</td><td>" + html(when(d.updated_at)) +
         "</td><td>" + html(d.message) + "</td></tr>\n";
}

// "<h2>Title (N)</h2>" and a table of at most kMaxRows rows, or `none` when there are no rows.
template <typename Row, typename Render>
std::string section(const char* title, const char* header, const std::vector<Row>& rows,
                    Render render, const char* none) {
  std::string out = "          <h2 class=\"title\">" + std::string(title) + " (" +
                    std::to_string(rows.size()) + ")</h2>\n";
  if (rows.empty()) return out + "          <p>" + none + "</p>\n";
  if (rows.size() > kMaxRows)
    out += "          <p>The first " + std::to_string(kMaxRows) + " are shown.</p>\n";
  out += "          <table class=\"list\" summary=\"" + std::string(title) + "\">\n" +
         "            <thead><tr>" + header + "</tr></thead>\n            <tbody>\n";
  for (std::size_t i = 0; i < rows.size() && i < kMaxRows; ++i) out += render(rows[i]);
  return out + "            </tbody>\n          </table>\n";
}

bool admin_page(pappl_client_t* client, Server& server, const std::string& user) {
  Result<Site> site = open_operation_site(server);
  if (!site) return internal_error(client, kTitle, site.status());
  Result<std::vector<HeldJob>> held = site->jobs().list("", HeldJobState::kHeld);
  if (!held) return internal_error(client, kTitle, held.status());
  Result<std::vector<Delivery>> review = site->deliveries().list(DeliveryState::kReview, "");
  if (!review) return internal_error(client, kTitle, review.status());
  start_page(client, HTTP_STATUS_OK, kTitle);
  put(client, "          <p>Signed in as " + html(user) +
                  " (admin). Act on these with the <code>pullprint</code> command: "
                  "<code>pullprint cancel JOB-ID</code>, <code>pullprint review JOB-REF "
                  "--capture|--void</code>. <a href=\"" +
                  std::string(kSuppliesPath) + "\">Release printers</a></p>\n");
  put(client, section("Held jobs",
                      "<th>Job</th><th>Owner</th><th>Payer</th><th>Title</th>"
                      "<th>Pages</th><th>Colour pages</th><th>Estimate</th><th>Arrived</th>"
                      "<th>Expires</th>",
                      *held, held_row, "Nobody has a held job."));
  put(client, section("Deliveries under review",
                      "<th>Job reference</th><th>Owner</th>"
                      "<th>Title</th><th>Printer</th><th>Amount</th><th>Since</th>"
                      "<th>Message</th>",
                      *review, review_row, "No delivery waits for a decision."));
  end_page(client);
  return true;
}

bool admin_resource(pappl_client_t* client, void* data) {
  Server& server = *static_cast<Server*>(data);
  if (papplClientGetMethod(client) != HTTP_STATE_GET) {
    papplClientRespond(client, HTTP_STATUS_BAD_REQUEST, nullptr, nullptr, 0, 0);
    return false;  // no forms here; the unread body: close the connection
  }
  bool keep_open = true;
  const std::optional<std::string> name = signed_in_user(client, false, &keep_open);
  if (!name) return keep_open;
  const std::string& user = *name;
  if (!is_admin_user(client, server, user)) {
    papplLogClient(client, PAPPL_LOGLEVEL_INFO, "Administration page refused to %s.", user.c_str());
    return error_page(client, HTTP_STATUS_FORBIDDEN, kTitle,
                      "This page is for pullprint's admins only.");
  }
  return admin_page(client, server, user);
}

}  // namespace

std::string admin_link() {
  return "          <p><a class=\"btn\" id=\"administration\" href=\"" + std::string(kAdminPath) +
         "\">Administration</a>: everybody's held jobs and the deliveries under review.</p>\n";
}

void add_admin_page(pappl_system_t* system, Server& server) {
  papplSystemAddResourceCallback(system, kAdminPath, "text/html", admin_resource, &server);
}

}  // namespace pp::server::web
