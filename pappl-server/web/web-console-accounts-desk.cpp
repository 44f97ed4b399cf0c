// web-console-accounts-desk.cpp: the desk's paper and its decisions: the printable receipt of a
// desk top-up, and users' refund requests with their grant / deny (lib/refunds/refunds.h).
//
//   GET  /pullprint/admin/receipt?receipt=NUMBER   `topup`: the site (receipt-header), the date,
//                                                  the account, the amount, the receipt number
//                                                  and the operator; print CSS (only the receipt
//                                                  is printed)
//   GET  /pullprint/admin/refunds                  `refund`: open requests first, then the last
//                                                  decided ones
//   POST /pullprint/admin/refunds                  `refund`: id=ID, do=grant|deny, note=TEXT
//
// A scoped role sees and decides only its users' requests and receipts (403 otherwise).
//
// Element ids: receipt, receipt-site, receipt-date, receipt-account, receipt-amount,
// receipt-number, receipt-operator; open-requests (table; rows request-ID), decided-requests,
// grant-ID, deny-ID (buttons), note-ID (the note field of ID's form), outcome (banner).
#include <string>

#include "desk/desk.h"
#include "pricing/pricing.h"
#include "server/server-release.h"
#include "web/web-console-accounts.h"
#include "web/web-form.h"
#include "web/web.h"

namespace pp::server::web {
namespace {

constexpr const char* kReceiptTitle = "Desk top-up receipt";
constexpr const char* kRefundsTitle = "Refund requests";
constexpr const char* kDefaultReceiptHeader = "Print desk";
constexpr int kShownRequests = 200;

// Only the receipt on paper: PAPPL's header and footer and the console's bar are left out.
constexpr const char* kPrintStyle =
    "          <style>\n"
    "            #receipt { max-width: 30em; border: 1px solid #999; padding: 1em; }\n"
    "            #receipt th { text-align: left; padding-right: 1em; }\n"
    "            @media print {\n"
    "              .header, .footer, #console-nav, .pp-console-who, .no-print, h1 "
    "{ display: none !important; }\n"
    "              #receipt { border: none; }\n"
    "            }\n"
    "          </style>\n";

bool receipt_resource(pappl_client_t* client, void* data) {
  Server& server = *static_cast<Server*>(data);
  if (papplClientGetMethod(client) != HTTP_STATE_GET) {
    papplClientRespond(client, HTTP_STATUS_BAD_REQUEST, nullptr, nullptr, 0, 0);
    return false;  // no forms here; the unread body: close the connection
  }
  bool keep_open = true;
  const std::optional<ConsoleAccess> access =
      console_access(client, server, kConsoleReceiptPath, false, &keep_open);
  if (!access) return keep_open;
  const Form query(client);
  const char* number = query.get("receipt");
  Result<AccountStores> stores = open_account_stores(server);
  if (!stores) return internal_error(client, kReceiptTitle, stores.status());
  Result<std::optional<JournalEntry>> entry =
      find_desk_top_up(stores->site.ledger(), number ? number : "");
  if (!entry) {
    if (entry.status().code() == Code::kInvalidArgument)
      return console_error_page(client, HTTP_STATUS_BAD_REQUEST, kReceiptTitle, *access,
                                entry.status().message() + ".");
    return internal_error(client, kReceiptTitle, entry.status());
  }
  if (!*entry)
    return console_error_page(client, HTTP_STATUS_NOT_FOUND, kReceiptTitle, *access,
                              "No desk top-up has receipt number " + std::string(number) + ".");
  Result<Account> account = stores->site.ledger().get_account((*entry)->account);
  if (!account) return internal_error(client, kReceiptTitle, account.status());
  bool answered = true;
  if (!account_covered(client, stores->site, *access, *account, ConsoleAction::kTopUp, &answered))
    return answered;
  const std::string receipt = *parse_receipt_number(number);
  const std::string currency = site_currency(server.config);
  const std::string site_name = server.config.get_string("receipt-header", kDefaultReceiptHeader);
  start_console_page(client, HTTP_STATUS_OK, kReceiptTitle, *access, kConsoleReceiptPath);
  put(client, kPrintStyle);
  put(client,
      "          <div id=\"receipt\">\n"
      "            <h2 id=\"receipt-site\">" +
          html(site_name) +
          "</h2>\n"
          "            <p>Receipt for a top-up paid at the desk</p>\n"
          "            <table>\n"
          "              <tr><th>Date</th><td id=\"receipt-date\">" +
          html(when((*entry)->created_at)) +
          "</td></tr>\n"
          "              <tr><th>Account</th><td id=\"receipt-account\">" +
          html(account->name) +
          (account->display_name.empty() ? "" : " (" + html(account->display_name) + ")") +
          "</td></tr>\n"
          "              <tr><th>Amount</th><td id=\"receipt-amount\">" +
          html(format_money((*entry)->amount, currency)) +
          "</td></tr>\n"
          "              <tr><th>Receipt number</th><td id=\"receipt-number\">" +
          html(receipt) +
          "</td></tr>\n"
          "              <tr><th>Operator</th><td id=\"receipt-operator\">" +
          html((*entry)->actor) +
          "</td></tr>\n"
          "            </table>\n"
          "          </div>\n"
          "          <p class=\"no-print\">Print this page with the browser's Print command. "
          "<a href=\"" +
          html(console_account_href(account->name)) + "\">Back to the account</a></p>\n");
  end_page(client);
  return true;
}

std::string request_cells(const RefundRequest& request, const std::string& currency) {
  return "<td>" + std::to_string(request.id) + "</td><td>" + html(when(request.created_at)) +
         "</td><td><a href=\"" + html(console_account_href(request.account)) + "\">" +
         html(request.account) + "</a> (" + html(request.user) + ")</td><td>" +
         std::to_string(request.job_id) + " " + html(request.title) + "</td><td>" +
         html(format_money(request.amount, currency)) + "</td><td>" +
         html(refund_reason_text(request.reason)) +
         (request.text.empty() ? "" : ": " + html(request.text)) + "</td>";
}

bool refunds_page(pappl_client_t* client, Server& server, const ConsoleAccess& access,
                  http_status_t status, const std::string& banner, bool ok) {
  Result<AccountStores> stores = open_account_stores(server);
  if (!stores) return internal_error(client, kRefundsTitle, stores.status());
  Result<std::vector<RefundRequest>> open =
      stores->refunds->list(std::nullopt, RefundState::kOpen, kShownRequests);
  if (!open) return internal_error(client, kRefundsTitle, open.status());
  Result<std::vector<RefundRequest>> recent =
      stores->refunds->list(std::nullopt, std::nullopt, kShownRequests);
  if (!recent) return internal_error(client, kRefundsTitle, recent.status());
  auto covered = [&](const RefundRequest& request) {
    Result<bool> yes = access.covers_user(request.user, stores->site.people());
    return yes && *yes;
  };
  const std::string currency = site_currency(server.config);
  start_console_page(client, status, kRefundsTitle, access, kConsoleRefundsPath);
  if (!banner.empty()) put(client, console_banner(banner, ok));
  put(client, "          <h2 class=\"title\">Open</h2>\n");
  std::vector<const RefundRequest*> shown;
  for (const RefundRequest& request : *open)
    if (covered(request)) shown.push_back(&request);
  if (shown.empty()) {
    put(client, "          <p id=\"open-none\">No request waits for a decision.</p>\n");
  } else {
    put(client,
        "          <table class=\"list\" id=\"open-requests\" summary=\"Open refund requests\">\n"
        "            <thead><tr><th>Request</th><th>Asked</th><th>Account (user)</th><th>Job</th>"
        "<th>Amount</th><th>Reason</th><th>Decision</th></tr></thead>\n            <tbody>\n");
    for (const RefundRequest* request : shown) {
      const std::string id = std::to_string(request->id);
      put(client, "              <tr id=\"request-" + id + "\">" +
                      request_cells(*request, currency) + "<td>");
      start_form(client, kConsoleRefundsPath);  // one form per row, each with the CSRF field
      put(client, "<input type=\"hidden\" name=\"id\" value=\"" + id +
                      "\"><input name=\"note\" id=\"note-" + id +
                      "\" placeholder=\"note\" maxlength=\"200\"> <button type=\"submit\" "
                      "name=\"do\" value=\"grant\" id=\"grant-" +
                      id +
                      "\">Grant</button> <button type=\"submit\" name=\"do\" value=\"deny\" "
                      "id=\"deny-" +
                      id + "\">Deny</button></form></td></tr>\n");
    }
    put(client, "            </tbody>\n          </table>\n");
  }
  put(client, "          <h2 class=\"title\">Decided</h2>\n");
  std::string decided;
  for (const RefundRequest& request : *recent) {
    if (request.state == RefundState::kOpen || !covered(request)) continue;
    decided += "              <tr id=\"request-" + std::to_string(request.id) + "\">" +
               request_cells(request, currency) + "<td class=\"refund-state\">" +
               html(refund_state_name(request.state)) + "</td><td>" +
               html(request.decided_by.value_or("")) + "</td><td>" + html(request.decision_note) +
               "</td></tr>\n";
  }
  if (decided.empty())
    put(client, "          <p id=\"decided-none\">None yet.</p>\n");
  else
    put(client,
        "          <table class=\"list\" id=\"decided-requests\" summary=\"Decided refund "
        "requests\">\n"
        "            <thead><tr><th>Request</th><th>Asked</th><th>Account (user)</th><th>Job</th>"
        "<th>Amount</th><th>Reason</th><th>State</th><th>By</th><th>Note</th></tr></thead>\n"
        "            <tbody>\n" +
            decided + "            </tbody>\n          </table>\n");
  end_page(client);
  return true;
}

bool decide_from_form(pappl_client_t* client, Server& server, const ConsoleAccess& access) {
  const Form form(client);
  if (!form.is_valid(client))
    return refunds_page(client, server, access, HTTP_STATUS_BAD_REQUEST,
                        "Invalid form submission (its session key is missing or stale): nothing "
                        "was done.",
                        false);
  if (!access.may(ConsoleAction::kRefund))
    return console_refusal(client, access, ConsoleAction::kRefund, "a refund request");
  const char* id_field = form.get("id");
  const char* what = form.get("do");
  // 0: none (form_id gives positive ids only).
  const std::int64_t id = id_field ? form_id(id_field).value_or(0) : 0;
  const bool grant = what && std::string_view(what) == "grant";
  if (id == 0 || !what || (!grant && std::string_view(what) != "deny"))
    return refunds_page(client, server, access, HTTP_STATUS_BAD_REQUEST,
                        "Choose a request and grant or deny it.", false);
  const char* note_field = form.get("note");
  const std::string note = note_field ? note_field : "";
  Result<AccountStores> stores = open_account_stores(server);
  if (!stores) return internal_error(client, kRefundsTitle, stores.status());
  Result<RefundRequest> request = stores->refunds->get(id);
  if (!request) {
    if (request.status().code() != Code::kNotFound)
      return internal_error(client, kRefundsTitle, request.status());
    return refunds_page(client, server, access, HTTP_STATUS_NOT_FOUND,
                        "No refund request " + std::to_string(id) + ".", false);
  }
  Result<bool> covered = access.covers_user(request->user, stores->site.people());
  if (!covered) return internal_error(client, kRefundsTitle, covered.status());
  if (!*covered)
    return console_refusal(client, access, ConsoleAction::kRefund,
                           "refund request " + std::to_string(id) + " of " + request->user);
  Result<RefundRequest> decided =
      grant ? grant_refund(stores->site.ledger(), *stores->refunds, id, access.user(), note)
            : deny_refund(*stores->refunds, id, access.user(), note);
  if (!decided) {
    const Code code = decided.status().code();
    if (code == Code::kIoError || code == Code::kInternal)
      return internal_error(client, kRefundsTitle, decided.status());
    return refunds_page(
        client, server, access, HTTP_STATUS_CONFLICT,
        "Request " + std::to_string(id) + " not decided: " + decided.status().message() + ".",
        false);
  }
  const std::string money = format_money(decided->amount, site_currency(server.config));
  const std::string detail = std::string(grant ? "granted" : "denied") + " refund request " +
                             std::to_string(id) + " (job " + std::to_string(decided->job_id) +
                             ", " + money + ")" + (note.empty() ? "" : ": " + note);
  (void)audit_change(client, server, access, ConsoleAction::kRefund, decided->account,
                     detail);  // logged inside
  return refunds_page(client, server, access, HTTP_STATUS_OK,
                      grant ? "Request " + std::to_string(id) + " granted: " + money +
                                  " refunded to " + decided->account + "."
                            : "Request " + std::to_string(id) + " denied: no money moved.",
                      true);
}

bool refunds_resource(pappl_client_t* client, void* data) {
  Server& server = *static_cast<Server*>(data);
  const bool post = papplClientGetMethod(client) == HTTP_STATE_POST;
  bool keep_open = true;
  const std::optional<ConsoleAccess> access =
      console_access(client, server, kConsoleRefundsPath, post, &keep_open);
  if (!access) return keep_open;
  if (post) return decide_from_form(client, server, *access);
  return refunds_page(client, server, *access, HTTP_STATUS_OK, "", true);
}

}  // namespace

void add_console_desk_pages(pappl_system_t* system, Server& server) {
  papplSystemAddResourceCallback(system, kConsoleReceiptPath, "text/html", receipt_resource,
                                 &server);
  papplSystemAddResourceCallback(system, kConsoleRefundsPath, "text/html", refunds_resource,
                                 &server);
}

}  // namespace pp::server::web
