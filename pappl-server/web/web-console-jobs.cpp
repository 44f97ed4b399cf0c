// web-console-jobs.cpp: the console's jobs (issue 15): to be written; for now the dashboard's
// panel of everybody's held jobs and the deliveries under review.
#include <string>
#include <vector>

#include "delivery/delivery.h"
#include "pricing/pricing.h"
#include "server/server-request.h"
#include "server/server.h"
#include "web/web-console.h"
#include "web/web.h"

namespace pp::server::web {
namespace {

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

}  // namespace

// For now the old admins' page's tables (everybody's held jobs, the deliveries under review);
// the jobs area (issue 15) replaces them with its own pages and this panel with a summary.
std::string jobs_dashboard_panel(pappl_client_t* client, Server& server,
                                 const ConsoleAccess& access) {
  if (!access.may(ConsoleAction::kJobs)) return "";
  Result<Site> site = open_operation_site(server);
  Result<std::vector<HeldJob>> held = site ? site->jobs().list("", HeldJobState::kHeld)
                                           : Result<std::vector<HeldJob>>(site.status());
  Result<std::vector<Delivery>> review = site ? site->deliveries().list(DeliveryState::kReview, "")
                                              : Result<std::vector<Delivery>>(site.status());
  if (!held || !review) {
    papplLogClient(client, PAPPL_LOGLEVEL_ERROR, "Dashboard: the jobs cannot be read.");
    return "          <p>The jobs cannot be read just now.</p>\n";
  }
  return section("Held jobs",
                 "<th>Job</th><th>Owner</th><th>Payer</th><th>Title</th>"
                 "<th>Pages</th><th>Colour pages</th><th>Estimate</th><th>Arrived</th>"
                 "<th>Expires</th>",
                 *held, held_row, "Nobody has a held job.") +
         section("Deliveries under review",
                 "<th>Job reference</th><th>Owner</th>"
                 "<th>Title</th><th>Printer</th><th>Amount</th><th>Since</th>"
                 "<th>Message</th>",
                 *review, review_row, "No delivery waits for a decision.");
}

void add_console_job_pages(pappl_system_t*, Server&) {}

}  // namespace pp::server::web
