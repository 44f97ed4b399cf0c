// web-account.cpp: "My account", the signed-in user's money: what they have, what they may charge,
// and what happened to it (lib/statement/statement.h holds the rules; this page only renders).
//
//   GET /pullprint/account              balance, reserved (held jobs), available, allocated and
//                                       self-paid apart, credit limit; the shared accounts the
//                                       user may charge with their balances; the newest 50
//                                       history rows (prints, shares paid for others' jobs,
//                                       top-ups, allocations, refunds, adjustments), links to
//                                       the card, transfer and notification pages and the CSV
//       ?before=ENTRY-ID                the next older 50 rows (the "Older entries" link)
//   GET /pullprint/account.csv          the user's whole history as CSV, streamed a page at a
//                                       time from the store (Content-Disposition: attachment)
//
// Who may open them: signed-in users (web::signed_in_user), each their OWN account only. There is
// no parameter naming a user or an account: a request carrying ?user= or ?account= naming anybody
// else is refused with 403 and logged, and changes nothing. Both pages are read-only (GET); a
// POST is refused (405).
//
// Stable element ids (for the browser tests): account-summary, balance, reserved, available,
// allocated, self-paid, credit-limit; shared-accounts (rows shared-account-N); history (rows
// entry-ID, class kind-KIND), refund-ID (the refund link of entry ID), history-older,
// history-newest; download-csv, link-card, link-transfer, link-notifications.
#include <cups/cups.h>

#include <optional>
#include <string>

#include "pricing/pricing.h"
#include "server/server-release.h"
#include "server/server-request.h"
#include "statement/statement.h"
#include "web/web-form.h"
#include "web/web.h"

namespace pp::server::web {
namespace {

constexpr const char* kTitle = "My account";
// Rows read from the store per step of the CSV download (one response, many small reads).
constexpr int kCsvPageRows = 500;

// "Print", "Share of bob's job", "Allocation expired", ...: what a row is, in words.
std::string row_what(const StatementRow& row) {
  switch (row.kind) {
    case StatementKind::kPrint:
      return "Print";
    case StatementKind::kShare:
      return "Share of " + row.job->owner + "'s job";
    case StatementKind::kTopUp:
      return "Top-up";
    case StatementKind::kAllocation:
      return row.amount < 0 ? "Allocation expired" : "Allocation";
    case StatementKind::kRefund:
      return "Refund";
    case StatementKind::kAdjustment:
      return "Adjustment";
  }
  return "Adjustment";
}

// The job column: title, pages (colour pages), printer; the entry's note when there is no job.
std::string row_details(const StatementRow& row) {
  std::string out;
  if (row.job) {
    const StatementJob& job = *row.job;
    out = "<span class=\"job-title\">" + html(job.title.empty() ? "(untitled)" : job.title) +
          "</span>";
    if (job.pages > 0)
      out += ", <span class=\"job-pages\">" + std::to_string(job.pages) + "</span> page" +
             (job.pages == 1 ? "" : "s") + " (<span class=\"job-color-pages\">" +
             std::to_string(job.color_pages) + "</span> colour)";
    if (!job.printer.empty())
      out += " on <span class=\"job-printer\">" + html(job.printer) + "</span>";
  } else if (!row.job_ref.empty()) {
    out = "a job no longer on record";
  }
  if (!row.note.empty() && row.kind != StatementKind::kPrint && row.kind != StatementKind::kShare)
    out += (out.empty() ? "" : "; ") + html(row.note);
  return out;
}

// One row of the history table.
std::string history_row(const StatementRow& row, const std::string& currency) {
  const std::string id = std::to_string(row.entry_id);
  std::string action;
  if (row.refundable()) {
    const std::string job = std::to_string(*row.job->held_job_id);
    action = "<a id=\"refund-" + id + "\" href=\"/pullprint/refund?job=" + job +
             "\">Ask for a refund</a>";
  }
  return "              <tr id=\"entry-" + id + "\" class=\"kind-" +
         std::string(statement_kind_name(row.kind)) + "\"><td>" + html(when(row.created_at)) +
         "</td><td>" + html(row_what(row)) + "</td><td>" + row_details(row) +
         "</td><td class=\"amount\">" + html(format_money(row.amount, currency)) + "</td><td>" +
         action + "</td></tr>\n";
}

// The balance table of the personal account.
std::string summary_part(const Account& account, const std::string& currency) {
  const auto line = [&](const char* id, const char* label, std::int64_t minor) {
    return "              <tr><th>" + std::string(label) + "</th><td id=\"" + id + "\">" +
           html(format_money(minor, currency)) + "</td></tr>\n";
  };
  std::string out =
      "          <table class=\"list\" id=\"account-summary\" summary=\"Balance\">\n"
      "            <tbody>\n" +
      line("balance", "Balance", account.balance) +
      line("reserved", "Reserved for held jobs", account.reserved) +
      line("available", "Available to print", account.available()) +
      line("allocated", "Allocated (given by the site)", account.allocated) +
      line("self-paid", "Self-paid (top-ups and cards)", account.self_paid());
  if (account.unlimited)
    out += "              <tr><th>Credit limit</th><td id=\"credit-limit\">unlimited</td></tr>\n";
  else if (account.credit_limit > 0)
    out += line("credit-limit", "Credit limit", account.credit_limit);
  out += "            </tbody>\n          </table>\n";
  if (!account.enabled)
    out +=
        "          <p class=\"banner\">Your account is disabled: jobs cannot be charged to "
        "it. Please ask the desk.</p>\n";
  return out;
}

// The shared accounts the user may charge.
std::string shared_part(const std::vector<Account>& accounts, const std::string& currency) {
  std::string out = "          <h2 class=\"title\">Shared accounts you may charge</h2>\n";
  if (accounts.empty()) return out + "          <p id=\"shared-accounts\">None.</p>\n";
  out +=
      "          <p>Print to one of them with the job option <code>job-account-id</code>.</p>\n"
      "          <table class=\"list\" id=\"shared-accounts\" summary=\"Shared accounts\">\n"
      "            <thead><tr><th>Account</th><th>Name</th><th>Balance</th><th>Available</th>"
      "<th></th></tr></thead>\n            <tbody>\n";
  for (const Account& account : accounts)
    out += "              <tr id=\"shared-account-" + std::to_string(account.id) +
           "\" data-account=\"" + html(account.name) + "\"><td>" + html(account.name) +
           "</td><td>" + html(account.display_name) + "</td><td>" +
           html(format_money(account.balance, currency)) + "</td><td>" +
           html(account.unlimited ? "unlimited" : format_money(account.available(), currency)) +
           "</td><td>" + (account.enabled ? "" : "disabled") + "</td></tr>\n";
  return out + "            </tbody>\n          </table>\n";
}

// The links to what the user can do with their money (other pages).
std::string actions_part() {
  return "          <p class=\"account-actions\">"
         "<a class=\"btn\" id=\"link-card\" href=\"/pullprint/card\">Activate a prepaid card or "
         "register a card</a> "
         "<a class=\"btn\" id=\"link-transfer\" href=\"/pullprint/transfer\">Transfer credit</a> "
         "<a class=\"btn\" id=\"link-notifications\" href=\"/pullprint/notifications\">"
         "Notifications</a></p>\n";
}

// The history table with its paging links.
std::string history_part(const StatementPage& page, std::int64_t before,
                         const std::string& currency) {
  std::string out =
      "          <h2 class=\"title\">History</h2>\n"
      "          <p><a id=\"download-csv\" href=\"/pullprint/account.csv\">Download the whole "
      "history (CSV)</a></p>\n";
  if (page.rows.empty()) {
    out += before > 0 ? "          <p id=\"history\">No older entries.</p>\n"
                      : "          <p id=\"history\">Nothing yet.</p>\n";
  } else {
    out +=
        "          <div style=\"overflow-x:auto\">\n"
        "          <table class=\"list\" id=\"history\" summary=\"History\">\n"
        "            <thead><tr><th>Date</th><th>What</th><th>Job</th><th>Amount</th><th></th>"
        "</tr></thead>\n            <tbody>\n";
    for (const StatementRow& row : page.rows) out += history_row(row, currency);
    out += "            </tbody>\n          </table>\n          </div>\n";
  }
  out += "          <p>";
  if (before > 0)
    out += "<a class=\"btn\" id=\"history-newest\" href=\"/pullprint/account\">Newest entries</a> ";
  if (page.older_before)
    out += "<a class=\"btn\" id=\"history-older\" href=\"/pullprint/account?before=" +
           std::to_string(*page.older_before) + "\">Older entries</a>";
  return out + "</p>\n";
}

// 403 for a query that names somebody else's user or account (there is no such parameter: the
// page is always the signed-in user's own); true when the request may go on.
bool only_own(pappl_client_t* client, const Form& query, const std::string& user) {
  for (const char* field : {"user", "account"}) {
    const char* value = query.get(field);
    if (!value || value == user) continue;
    papplLogClient(client, PAPPL_LOGLEVEL_WARN,
                   "My account: %s asked for the history of %s=%s: refused (not theirs).",
                   user.c_str(), field, value);
    error_page(client, HTTP_STATUS_FORBIDDEN, kTitle,
               "You can only see your own account, and this is not yours.");
    return false;
  }
  return true;
}

bool account_page(pappl_client_t* client, Server& server, const std::string& user) {
  const Form query(client);
  if (!only_own(client, query, user)) return true;
  std::int64_t before = 0;
  if (const char* text = query.get("before")) {
    const std::optional<std::int64_t> id = form_id(text);
    if (!id)
      return error_page(client, HTTP_STATUS_BAD_REQUEST, kTitle,
                        "\"before\" is an entry number of your history.");
    before = *id;
  }
  Result<Site> site = open_operation_site(server);
  if (!site) return internal_error(client, kTitle, site.status());
  Result<AccountSummary> summary = account_summary(*site, server.config, user);
  if (!summary) return internal_error(client, kTitle, summary.status());
  Result<StatementPage> page = statement_page(*site, user, before);
  if (!page) return internal_error(client, kTitle, page.status());
  const std::string currency = site_currency(server.config);
  start_page(client, HTTP_STATUS_OK, kTitle);
  put(client, "          <p>Signed in as <span id=\"account-user\">" + html(user) +
                  "</span>. <a href=\"" + std::string(kJobsPath) + "\">My jobs</a></p>\n" +
                  summary_part(summary->personal, currency) + actions_part() +
                  shared_part(summary->shared, currency) + history_part(*page, before, currency));
  end_page(client);
  return true;
}

// Writes `text` to the client's (chunked) response.
Status write_out(pappl_client_t* client, const std::string& text) {
  if (httpWrite2(papplClientGetHTTP(client), text.data(), text.size()) < 0)
    return Status(Code::kIoError, "the client went away during the download");
  return Status::ok();
}

bool csv_download(pappl_client_t* client, Server& server, const std::string& user) {
  const Form query(client);
  if (!only_own(client, query, user)) return true;
  Result<Site> site = open_operation_site(server);
  if (!site) return internal_error(client, kTitle, site.status());
  const std::string currency = site_currency(server.config);
  // The first page is read before the response starts, so that a broken store is a 500 page,
  // not a truncated file.
  Result<StatementPage> first = statement_page(*site, user, 0, kCsvPageRows);
  if (!first) return internal_error(client, kTitle, first.status());
  // PAPPL 1.3's papplClientRespond() clears and sets the header fields itself, and CUPS 2.4 has
  // no field for Content-Disposition: the constant line rides on the Content-Type value, which
  // httpWriteResponse() writes verbatim ("Content-Type: VALUE\r\n"). No user data goes into it.
  papplClientRespond(client, HTTP_STATUS_OK, nullptr,
                     "text/csv; charset=utf-8\r\nContent-Disposition: attachment; "
                     "filename=\"pullprint-history.csv\"\r\nCache-Control: no-store",
                     0, 0);
  Status written = write_out(client, statement_csv_header());
  std::int64_t rows = 0;
  std::optional<std::int64_t> before;
  for (StatementPage page = std::move(*first); written.is_ok();) {
    std::string text;
    for (const StatementRow& row : page.rows) text += statement_csv_line(row, currency);
    rows += static_cast<std::int64_t>(page.rows.size());
    written = write_out(client, text);
    if (!written.is_ok() || !page.older_before) break;
    Result<StatementPage> next = statement_page(*site, user, *page.older_before, kCsvPageRows);
    if (!next) {
      written = next.status();
      break;
    }
    page = std::move(*next);
  }
  if (!written.is_ok()) {
    // The status line is gone: cut the download short (no end chunk) and close.
    papplLogClient(client, PAPPL_LOGLEVEL_ERROR, "My account: CSV of %s cut short: %s",
                   user.c_str(), written.to_string().c_str());
    return false;
  }
  httpWrite2(papplClientGetHTTP(client), "", 0);  // the end of the chunked body
  papplLogClient(client, PAPPL_LOGLEVEL_INFO, "My account: CSV of %s, %lld rows.", user.c_str(),
                 static_cast<long long>(rows));
  return true;
}

// The resource callback of both paths (`data`: the Server).
template <bool kCsv>
bool account_resource(pappl_client_t* client, void* data) {
  Server& server = *static_cast<Server*>(data);
  const bool post = papplClientGetMethod(client) == HTTP_STATE_POST;
  bool keep_open = true;
  const std::optional<std::string> user = signed_in_user(client, post, &keep_open);
  if (!user) return keep_open;
  if (post) {
    papplClientRespond(client, HTTP_STATUS_METHOD_NOT_ALLOWED, nullptr, nullptr, 0, 0);
    return false;  // its body is unread
  }
  return kCsv ? csv_download(client, server, *user) : account_page(client, server, *user);
}

}  // namespace

void add_account_page(pappl_system_t* system, Server& server) {
  papplSystemAddResourceCallback(system, kAccountPath, "text/html", account_resource<false>,
                                 &server);
  papplSystemAddResourceCallback(system, kAccountCsvPath, "text/csv", account_resource<true>,
                                 &server);
  papplSystemAddLink(system, "My account", kAccountPath, PAPPL_LOPTIONS_NAVIGATION);
}

}  // namespace pp::server::web
