// web-transfer.cpp: "Transfer credit" (/pullprint/transfer): a signed-in user gives some of their
// self-paid credit to another user, where the site allows it (the rules are
// lib/transfers/transfers.h: config `transfers` and `transfer-maximum`).
//
//   GET  /pullprint/transfer   signed-in users: what they may transfer (self-paid money not held
//                              for open jobs, the maximum per transfer), the form, and their
//                              recent transfers (sent and received); on a site without transfers
//                              a sentence saying so and no form
//   POST /pullprint/transfer   with the CSRF field (web/web-form.h): to=USER, amount=12.50,
//                              note=TEXT, nonce=... (the form's hidden key: a double submit moves
//                              the money once; ledger/transfer-key.h)
//
// Every transfer and every refusal is logged (papplLogClient). Element ids: transfer-form,
// transfer-to, transfer-amount, transfer-note, transfer-submit, transfer-outcome (banner),
// transfer-available (the amount one may transfer), my-transfers (table).
#include <cups/cups.h>

#include <algorithm>

#include <string>

#include "charging/money-input.h"
#include "ledger/transfer-key.h"
#include "pricing/pricing.h"
#include "server/server-release.h"
#include "server/server-request.h"
#include "transfers/transfers.h"
#include "web/web-form.h"
#include "web/web.h"

namespace pp::server::web {

namespace {

constexpr const char* kTitle = "Transfer credit";
constexpr int kRecentEntries = 200;  // journal entries searched for transfers
constexpr std::size_t kShownTransfers = 20;

// What the form shows again after a refusal.
struct Typed {
  std::string to;
  std::string amount;
  std::string note;
};

// The user's recent transfers (both directions), newest first.
void put_transfers(pappl_client_t* client, Ledger& ledger, const std::string& user,
                   const std::string& currency) {
  Result<std::vector<JournalEntry>> entries = ledger.history(user, kRecentEntries);
  if (!entries) return;
  std::string rows;
  std::size_t shown = 0;
  for (const JournalEntry& entry : *entries) {
    if (shown == kShownTransfers) break;
    std::optional<ParsedTransferKey> key = parse_transfer_key(entry.idempotency_key);
    if (!key) continue;
    ++shown;
    rows += "              <tr><td>" + html(when(entry.created_at)) + "</td><td>" +
            (key->out ? "sent" : "received") + "</td><td>" +
            html(format_money(entry.amount, currency)) + "</td><td>" + html(entry.note) +
            "</td></tr>\n";
  }
  if (rows.empty()) return;
  put(client,
      "          <h2 class=\"title\">Your transfers</h2>\n"
      "          <table class=\"list\" id=\"my-transfers\" summary=\"Your transfers\">\n"
      "            <thead><tr><th>When</th><th></th><th>Amount</th><th>Note</th></tr></thead>\n"
      "            <tbody>\n" +
          rows + "            </tbody>\n          </table>\n");
}

// The form, with a fresh nonce (its hidden key) and what the user typed before a refusal.
void put_transfer_form(pappl_client_t* client, const TransferPolicy& policy,
                       const std::string& nonce, const Typed& typed) {
  start_form(client, kTransferPath);

  put(client,
      "          <div id=\"transfer-form\">\n"
      "            <input type=\"hidden\" name=\"nonce\" value=\"" +
          html(nonce) +
          "\">\n"
          "            <p><label>To (user name) <input type=\"text\" name=\"to\" "
          "id=\"transfer-to\" "
          "maxlength=\"256\" autocomplete=\"off\" value=\"" +
          html(typed.to) +
          "\"></label></p>\n"
          "            <p><label>Amount (" +
          html(policy.currency) +
          ") <input type=\"text\" "
          "name=\"amount\" id=\"transfer-amount\" inputmode=\"decimal\" maxlength=\"20\" "
          "value=\"" +
          html(typed.amount) +
          "\"></label></p>\n"
          "            <p><label>Note <input type=\"text\" name=\"note\" id=\"transfer-note\" "
          "maxlength=\"" +
          std::to_string(kMaxTransferNote) + "\" value=\"" + html(typed.note) +
          "\"></label></p>\n"
          "            <p><button type=\"submit\" id=\"transfer-submit\">Transfer</button></p>\n"
          "          </div>\n"
          "          </form>\n");
}

bool transfer_page(pappl_client_t* client, const Server& server, const std::string& user,
                   http_status_t status, const std::string& banner, const Typed& typed) {
  Result<TransferPolicy> policy = transfer_policy_from_config(server.config);
  if (!policy) return internal_error(client, kTitle, policy.status());
  Result<Site> site = open_operation_site(server);
  if (!site) return internal_error(client, kTitle, site.status());
  start_page(client, status, kTitle);
  if (!banner.empty())
    put(client,
        "          <div class=\"banner\" id=\"transfer-outcome\">" + html(banner) + "</div>\n");
  if (!policy->allowed) {
    put(client,
        "          <p id=\"transfers-off\">This site does not allow transfers between "
        "users.</p>\n");
  } else {
    Result<Account> account = site->ledger().get_account(user);
    const std::int64_t spendable =
        account ? std::max<std::int64_t>(0, std::min(account->self_paid(), account->available()))
                : 0;
    put(client, "          <p>You may transfer <span id=\"transfer-available\">" +
                    html(format_money(spendable, policy->currency)) +
                    "</span> (money you paid yourself and that no held job needs; credit the site "
                    "allocated to you stays yours), at most " +
                    html(format_money(policy->maximum, policy->currency)) + " at a time.</p>\n");
    Result<std::string> nonce = new_transfer_nonce();
    if (!nonce) {
      papplLogClient(client, PAPPL_LOGLEVEL_ERROR, "%s: %s", kTitle,
                     nonce.status().to_string().c_str());
      put(client, "          <p>Transfers are not available right now.</p>\n");
    } else {
      put_transfer_form(client, *policy, *nonce, typed);
    }
  }
  put_transfers(client, site->ledger(), user, policy->currency);
  put(client, account_action_links());
  end_page(client);
  return true;
}

bool transfer_from_form(pappl_client_t* client, const Server& server, const std::string& user) {
  const Form form(client);
  auto field = [&form](const char* name) {
    const char* value = form.get(name);
    return std::string(value ? value : "");
  };
  const Typed typed{field("to"), field("amount"), field("note")};
  if (!form.is_valid(client)) {
    papplLogClient(client, PAPPL_LOGLEVEL_INFO, "Transfer: form of %s without a valid session key.",
                   user.c_str());
    return transfer_page(client, server, user, HTTP_STATUS_BAD_REQUEST,
                         "Invalid form submission (its session key is missing or stale): nothing "
                         "was done. Please try again.",
                         typed);
  }
  const std::string currency = site_currency(server.config);
  Result<std::int64_t> amount = parse_money(typed.amount, currency);
  if (!amount)
    return transfer_page(client, server, user, HTTP_STATUS_BAD_REQUEST,
                         "Not transferred: enter an amount such as 2.50.", typed);
  Result<Site> site = open_operation_site(server);
  if (!site) return internal_error(client, kTitle, site.status());
  const TransferRequest request{user, typed.to, *amount, field("nonce"), typed.note};
  Result<TransferOutcome> outcome =
      transfer_credit(site->ledger(), site->people(), server.config, request);
  if (!outcome) {
    const Code code = outcome.status().code();
    papplLogClient(client, PAPPL_LOGLEVEL_INFO, "Transfer of %s from %s to %s refused: %s",
                   format_money(*amount, currency).c_str(), user.c_str(), typed.to.c_str(),
                   outcome.status().to_string().c_str());
    if (code == Code::kIoError || code == Code::kInternal)
      return internal_error(client, kTitle, outcome.status());
    return transfer_page(
        client, server, user,
        code == Code::kPermissionDenied ? HTTP_STATUS_FORBIDDEN : HTTP_STATUS_BAD_REQUEST,
        "Not transferred: " + outcome.status().message() + ".", typed);
  }
  papplLogClient(client, PAPPL_LOGLEVEL_INFO, "Transfer of %s from %s to %s (%s).",
                 format_money(*amount, currency).c_str(), user.c_str(), typed.to.c_str(),
                 outcome->entries.out.idempotency_key.c_str());
  return transfer_page(client, server, user, HTTP_STATUS_OK,
                       "Transferred " + format_money(*amount, currency) + " to " + typed.to +
                           ". Your balance: " + format_money(outcome->sender_balance, currency) +
                           ".",
                       {});
}

// The resource callback of /pullprint/transfer.
bool transfer_resource(pappl_client_t* client, void* data) {
  const Server& server = *static_cast<const Server*>(data);
  const bool post = papplClientGetMethod(client) == HTTP_STATE_POST;
  bool keep_open = true;
  const std::optional<std::string> user = signed_in_user(client, post, &keep_open);
  if (!user) return keep_open;
  if (post) return transfer_from_form(client, server, *user);
  return transfer_page(client, server, *user, HTTP_STATUS_OK, "", {});
}

}  // namespace

void add_transfer_page(pappl_system_t* system, Server& server) {
  papplSystemAddResourceCallback(system, kTransferPath, "text/html", transfer_resource, &server);
}

}  // namespace pp::server::web
