// web-console-accounts.h: what the console's accounts pages share (web-console-accounts*.cpp):
// their stores, money in the site's currency, and the pages' registrations. The rules are in
// lib/desk/desk.h (desk top-ups, adjustments, finding accounts), lib/ledger (credit limit,
// enabled, create) and lib/refunds/refunds.h (refunds); these files only render and dispatch.
// Internal to pullprintd.
#pragma once

#include <pappl/pappl.h>

#include <memory>
#include <string>

#include "refunds/refunds.h"
#include "server/server.h"
#include "site/site.h"
#include "web/web-console.h"

namespace pp::server::web {

// A request's stores: the site (every store, the cards too) and the refund requests in its
// ledger file.
struct AccountStores {
  Site site;
  std::unique_ptr<RefundStore> refunds;
};
Result<AccountStores> open_account_stores(const Server& server);

// Whether `access` covers `account` (scoped roles: their users' personal accounts); on false or
// failure the page has answered (403 or 500) and *answered is what the callback returns.
bool account_covered(pappl_client_t* client, Site& site, const ConsoleAccess& access,
                     const Account& account, ConsoleAction action, bool* answered);

// The link of one account's console page.
std::string console_account_href(const std::string& name);
// A fresh nonce for a form whose double submit must act once (letters and digits).
std::string form_nonce();

// The pages of web-console-accounts-account.cpp (one account) and -desk.cpp (receipt, refunds).
void add_console_account_page(pappl_system_t* system, Server& server);
void add_console_desk_pages(pappl_system_t* system, Server& server);

}  // namespace pp::server::web
