// web-console-accounts.cpp: the console's accounts list (issue 15): search by name or display
// name, a page of accounts with balance, available, type and state, and the form that creates
// an account (personal or shared); the dashboard's accounts panel (open refund requests, today's
// desk top-ups). One account's page is web-console-accounts-account.cpp; the receipt and the
// refund requests are web-console-accounts-desk.cpp.
//
//   GET  /pullprint/admin/accounts?q=TEXT&offset=N   `accounts` (every account action implies it)
//   POST /pullprint/admin/accounts                   create: `account-settings`; a shared account
//                                                    or another scope's user: 403
//
// Element ids: account-search (form), account-q, account-search-submit, accounts (table; rows
// account-NAME), accounts-total, accounts-next, accounts-previous, create-form, create-name,
// create-type, create-display-name, create-credit-limit, create-unlimited, create-submit,
// outcome (banner). Dashboard: accounts-panel, open-refunds (link with the count), desk-takings.
#include "web/web-console-accounts.h"

#include <string>

#include "charging/money-input.h"
#include "desk/desk.h"
#include "pricing/pricing.h"
#include "server/server-release.h"
#include "server/server-request.h"
#include "util/utc-time.h"
#include "web/web-form.h"
#include "web/web.h"

namespace pp::server::web {
namespace {

constexpr const char* kTitle = "Accounts";
constexpr int kPageRows = 50;

std::string type_name(AccountType type) {
  return type == AccountType::kShared ? "shared" : "personal";
}

void put_search(pappl_client_t* client, const std::string& text) {
  put(client, "          <form id=\"account-search\" method=\"GET\" action=\"" +
                  std::string(kConsoleAccountsPath) +
                  "\"><p><label>Name or display name <input type=\"search\" name=\"q\" "
                  "id=\"account-q\" value=\"" +
                  html(text) +
                  "\"></label> <button type=\"submit\" id=\"account-search-submit\">Search"
                  "</button></p></form>\n");
}

void put_create_form(pappl_client_t* client) {
  put(client, "          <h2 class=\"title\">Create an account</h2>\n");
  start_form(client, kConsoleAccountsPath);
  put(client,
      "          <div id=\"create-form\">\n"
      "            <p><label>Name <input name=\"name\" id=\"create-name\" required "
      "maxlength=\"64\"></label>\n"
      "            <label>Type <select name=\"type\" id=\"create-type\"><option value=\"personal\">"
      "personal (a user's login)</option><option value=\"shared\">shared</option></select>"
      "</label></p>\n"
      "            <p><label>Display name <input name=\"display_name\" "
      "id=\"create-display-name\" maxlength=\"200\"></label></p>\n"
      "            <p><label>Credit limit <input name=\"credit_limit\" id=\"create-credit-limit\" "
      "value=\"0\" inputmode=\"decimal\"></label> <label><input type=\"checkbox\" "
      "name=\"unlimited\" id=\"create-unlimited\"> unlimited</label></p>\n"
      "            <p><button type=\"submit\" id=\"create-submit\">Create</button></p>\n"
      "          </div>\n"
      "          </form>\n");
}

bool accounts_page(pappl_client_t* client, Server& server, const ConsoleAccess& access,
                   http_status_t status, const std::string& banner, bool ok,
                   const std::string& text, std::int64_t offset) {
  Result<Site> site = open_operation_site(server);
  if (!site) return internal_error(client, kTitle, site.status());
  Result<AccountFinding> found =
      find_accounts(site->ledger(), site->people(), access, text, offset, kPageRows);
  if (!found) return internal_error(client, kTitle, found.status());
  const std::string currency = site_currency(server.config);
  start_console_page(client, status, kTitle, access, kConsoleAccountsPath);
  if (!banner.empty()) put(client, console_banner(banner, ok));
  put_search(client, text);
  put(client, "          <p id=\"accounts-total\">" + std::to_string(found->total) +
                  (found->total == 1 ? " account" : " accounts") +
                  (text.empty() ? "" : " match &ldquo;" + html(text) + "&rdquo;") + ".</p>\n");
  if (!found->accounts.empty()) {
    put(client,
        "          <table class=\"list\" id=\"accounts\" summary=\"Accounts\">\n"
        "            <thead><tr><th>Account</th><th>Display name</th><th>Type</th>"
        "<th>Balance</th><th>Available</th><th>State</th></tr></thead>\n            <tbody>\n");
    for (const Account& account : found->accounts) {
      put(client, "              <tr id=\"account-" + html(account.name) + "\"><td><a href=\"" +
                      html(console_account_href(account.name)) + "\">" + html(account.name) +
                      "</a></td><td>" + html(account.display_name) + "</td><td>" +
                      type_name(account.type) + "</td><td>" +
                      html(format_money(account.balance, currency)) + "</td><td>" +
                      (account.unlimited ? "unlimited"
                                         : html(format_money(account.available(), currency))) +
                      "</td><td>" + (account.enabled ? "enabled" : "disabled") + "</td></tr>\n");
    }
    put(client, "            </tbody>\n          </table>\n");
  }
  const std::string query = std::string(kConsoleAccountsPath) + "?q=" + url_encode(text);
  std::string links;
  if (offset > 0)
    links +=
        "<a id=\"accounts-previous\" href=\"" +
        html(query + "&offset=" + std::to_string(offset > kPageRows ? offset - kPageRows : 0)) +
        "\">Previous</a> ";
  if (offset + kPageRows < found->total)
    links += "<a id=\"accounts-next\" href=\"" +
             html(query + "&offset=" + std::to_string(offset + kPageRows)) + "\">Next</a>";
  if (!links.empty()) put(client, "          <p>" + links + "</p>\n");
  if (access.may(ConsoleAction::kAccountSettings)) put_create_form(client);
  end_page(client);
  return true;
}

bool create_from_form(pappl_client_t* client, Server& server, const ConsoleAccess& access) {
  const Form form(client);
  if (!form.is_valid(client))
    return accounts_page(client, server, access, HTTP_STATUS_BAD_REQUEST,
                         "Invalid form submission (its session key is missing or stale): nothing "
                         "was done.",
                         false, "", 0);
  if (!access.may(ConsoleAction::kAccountSettings))
    return console_refusal(client, access, ConsoleAction::kAccountSettings, "a new account");
  const char* name = form.get("name");
  const char* type = form.get("type");
  const char* display = form.get("display_name");
  const char* limit = form.get("credit_limit");
  NewAccount account;
  account.name = name ? name : "";
  account.type =
      type && std::string_view(type) == "shared" ? AccountType::kShared : AccountType::kPersonal;
  account.display_name = display ? display : "";
  account.unlimited = form.get("unlimited") != nullptr;
  const std::string currency = site_currency(server.config);
  Result<std::int64_t> credit_limit = parse_money(limit && *limit ? limit : "0", currency);
  if (!credit_limit || *credit_limit < 0 || account.name.empty())
    return accounts_page(client, server, access, HTTP_STATUS_BAD_REQUEST,
                         "Not created: give a name and a credit limit of 0 or more.", false, "", 0);
  account.credit_limit = *credit_limit;
  Result<Site> site = open_operation_site(server);
  if (!site) return internal_error(client, kTitle, site.status());
  Account subject;
  subject.name = account.name;
  subject.type = account.type;
  bool answered = true;
  if (!account_covered(client, *site, access, subject, ConsoleAction::kAccountSettings, &answered))
    return answered;
  Result<Account> created = site->ledger().create_account(account);
  if (!created) {
    const Code code = created.status().code();
    if (code == Code::kIoError || code == Code::kInternal)
      return internal_error(client, kTitle, created.status());
    return accounts_page(client, server, access, HTTP_STATUS_BAD_REQUEST,
                         "Not created: " + created.status().message() + ".", false, "", 0);
  }
  (void)audit_change(client, server, access, ConsoleAction::kAccountSettings, created->name,
                     "created " + type_name(created->type) + " account, credit limit " +
                         format_money(created->credit_limit, currency) +
                         (created->unlimited ? ", unlimited" : ""));  // logged inside
  return accounts_page(client, server, access, HTTP_STATUS_OK,
                       "Account " + created->name + " (" + type_name(created->type) + ") created.",
                       true, created->name, 0);
}

bool accounts_resource(pappl_client_t* client, void* data) {
  Server& server = *static_cast<Server*>(data);
  const bool post = papplClientGetMethod(client) == HTTP_STATE_POST;
  bool keep_open = true;
  const std::optional<ConsoleAccess> access =
      console_access(client, server, kConsoleAccountsPath, post, &keep_open);
  if (!access) return keep_open;
  if (post) return create_from_form(client, server, *access);
  const Form query(client);
  const char* text = query.get("q");
  const char* offset = query.get("offset");
  return accounts_page(client, server, *access, HTTP_STATUS_OK, "", true, text ? text : "",
                       offset ? form_id(offset).value_or(0) : 0);
}

}  // namespace

Result<AccountStores> open_account_stores(const Server& server) {
  // Every store, the cards too (an account's page lists them; pullprintd's own sites leave the
  // card store out).
  Result<Site> site = Site::open(server.config, kAllSiteStores);
  if (!site) return site.status();
  Result<std::unique_ptr<RefundStore>> refunds =
      open_sqlite_refund_store(Site::ledger_path_of(server.config), LedgerMigrations::kAlreadyRun);
  if (!refunds) return refunds.status();
  return AccountStores{std::move(*site), std::move(*refunds)};
}

bool account_covered(pappl_client_t* client, Site& site, const ConsoleAccess& access,
                     const Account& account, ConsoleAction action, bool* answered) {
  Result<bool> covered = access.covers_account(account, site.people());
  if (!covered) {
    *answered = internal_error(client, "Accounts", covered.status());
    return false;
  }
  if (!*covered) {
    *answered = console_refusal(client, access, action, "account " + account.name);
    return false;
  }
  return true;
}

std::string console_account_href(const std::string& name) {
  return std::string(kConsoleAccountPath) + "?name=" + url_encode(name);
}

std::string form_nonce() {
  const std::string key = random_key("n");  // "n:HEX"
  return "n" + key.substr(key.find(':') + 1);
}

std::string accounts_dashboard_panel(pappl_client_t* client, Server& server,
                                     const ConsoleAccess& access) {
  if (!access.may(ConsoleAction::kAccounts)) return "";
  std::string out =
      "          <section class=\"pp-panel\" id=\"accounts-panel\">\n"
      "          <h2 class=\"title\">Accounts and the desk</h2>\n";
  Result<AccountStores> stores = open_account_stores(server);
  if (!stores) {
    papplLogClient(client, PAPPL_LOGLEVEL_ERROR, "Dashboard: the accounts: %s",
                   stores.status().to_string().c_str());
    return out + "          <p>The accounts cannot be read just now.</p>\n          </section>\n";
  }
  if (access.may(ConsoleAction::kRefund)) {
    Result<std::vector<RefundRequest>> open =
        stores->refunds->list(std::nullopt, RefundState::kOpen, 100000);
    std::int64_t count = 0;
    if (open) {
      for (const RefundRequest& request : *open) {
        Result<bool> covered = access.covers_user(request.user, stores->site.people());
        if (covered && *covered) ++count;
      }
    }
    out += open ? "          <p><a id=\"open-refunds\" href=\"" + std::string(kConsoleRefundsPath) +
                      "\">" + std::to_string(count) +
                      (count == 1 ? " refund request" : " refund requests") +
                      "</a> waiting for a decision.</p>\n"
                : "          <p>The refund requests cannot be read just now.</p>\n";
  }
  Result<DeskTakings> takings = desk_takings(stores->site.ledger(), now_utc().substr(0, 10));
  if (takings)
    out += "          <p>Desk top-ups today: <strong id=\"desk-takings\">" +
           html(format_money(takings->total, site_currency(server.config))) + "</strong> (" +
           std::to_string(takings->count) + ").</p>\n";
  else
    out += "          <p>Today's desk top-ups cannot be read just now.</p>\n";
  out += "          <p><a href=\"" + std::string(kConsoleAccountsPath) + "\">Accounts</a></p>\n";
  return out + "          </section>\n";
}

void add_console_account_pages(pappl_system_t* system, Server& server) {
  papplSystemAddResourceCallback(system, kConsoleAccountsPath, "text/html", accounts_resource,
                                 &server);
  add_console_account_page(system, server);
  add_console_desk_pages(system, server);
}

}  // namespace pp::server::web
