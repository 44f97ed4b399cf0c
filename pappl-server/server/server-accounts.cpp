// server-accounts.cpp: PullPrint-Get-Account (0x4B07): an account's balance and, with `limit`,
// its newest journal entries.
//
// Why over IPP: an installed ledger (/var/lib/pullprint, pullprint:lp 2770) is readable only by
// pullprintd's user, group lp and root, so `pullprint balance` and `pullprint history` of an
// ordinary user on a lab machine (or on the server) ask pullprintd instead.
//
// Who sees what: a user reads only their own (personal) account, the one named like them. An
// admin (config `admins`; in trusted mode only from the local host) may name any account, and
// every such read is logged with both names. A non-admin naming another account is refused
// before the ledger is read, so the answer is the same whether that account exists or not.
//
// Response: the account as operation attributes (pullprint-account, pullprint-account-type,
// pullprint-display-name, pullprint-balance, pullprint-reserved, pullprint-available,
// pullprint-credit-limit, pullprint-unlimited, pullprint-enabled, pullprint-currency,
// pullprint-created-at, pullprint-allocated: the allocated part of the balance), then one job
// group per journal entry, newest first (pullprint-entry-id, pullprint-entry-kind,
// pullprint-amount, pullprint-reservation-id when there is one, pullprint-key, pullprint-actor,
// pullprint-note, pullprint-created-at, pullprint-allocated: the part of the amount that moved
// allocated money). Times are
// the ledger's own ISO 8601 text (milliseconds; IPP's dateTime has none), so the client shows
// exactly what a direct read shows.
#include "server/server-accounts.h"

#include <optional>
#include <string>
#include <variant>

#include "charging/payer.h"
#include "pullprint-ipp.h"
#include "server/server-release.h"
#include "server/server-request.h"

namespace pp::server {
namespace {

// What PullPrint-Get-Account asks for.
struct AccountRequest {
  std::string account;       // the requesting user's own unless an admin names another
  std::optional<int> limit;  // also this many journal entries, newest first
};

// Longest account name the ledger accepts (check_name in lib/ledger).
constexpr std::size_t kMaxAccountName = 256;

IppResult<AccountRequest> parse_account_request(ipp_t* request, const ClientIdentity& who) {
  IppResult<std::optional<std::string>> account =
      read_name(request, ipp::kAccountAttr, kMaxAccountName);
  if (!account) return account.error();
  IppResult<std::optional<int>> limit = read_integer(request, "limit", 1, ipp::kMaxJournalEntries);
  if (!limit) return limit.error();
  return AccountRequest{account->value_or(who.user), *limit};
}

void add_account(ipp_t* response, const Account& account, const std::string& currency) {
  const ipp_tag_t group = IPP_TAG_OPERATION;
  ippAddString(response, group, IPP_TAG_NAME, ipp::kAccountAttr, nullptr, account.name.c_str());
  ippAddString(response, group, IPP_TAG_KEYWORD, "pullprint-account-type", nullptr,
               account.type == AccountType::kShared ? "shared" : "personal");
  ippAddString(response, group, IPP_TAG_TEXT, "pullprint-display-name", nullptr,
               account.display_name.c_str());
  ippAddInteger(response, group, IPP_TAG_INTEGER, "pullprint-balance", ipp_int(account.balance));
  ippAddInteger(response, group, IPP_TAG_INTEGER, "pullprint-reserved", ipp_int(account.reserved));
  ippAddInteger(response, group, IPP_TAG_INTEGER, "pullprint-available",
                ipp_int(account.available()));
  ippAddInteger(response, group, IPP_TAG_INTEGER, "pullprint-credit-limit",
                ipp_int(account.credit_limit));
  ippAddBoolean(response, group, "pullprint-unlimited", account.unlimited);
  ippAddBoolean(response, group, "pullprint-enabled", account.enabled);
  ippAddString(response, group, IPP_TAG_KEYWORD, "pullprint-currency", nullptr, currency.c_str());
  ippAddString(response, group, IPP_TAG_TEXT, "pullprint-created-at", nullptr,
               account.created_at.c_str());
  ippAddInteger(response, group, IPP_TAG_INTEGER, "pullprint-allocated",
                ipp_int(account.allocated));
}

void add_entry(ipp_t* response, const JournalEntry& entry) {
  ippAddSeparator(response);
  const ipp_tag_t group = IPP_TAG_JOB;
  ippAddInteger(response, group, IPP_TAG_INTEGER, "pullprint-entry-id", ipp_int(entry.id));
  ippAddString(response, group, IPP_TAG_KEYWORD, "pullprint-entry-kind", nullptr,
               std::string(entry_kind_name(entry.kind)).c_str());
  ippAddInteger(response, group, IPP_TAG_INTEGER, "pullprint-amount", ipp_int(entry.amount));
  if (entry.reservation_id)
    ippAddInteger(response, group, IPP_TAG_INTEGER, "pullprint-reservation-id",
                  ipp_int(*entry.reservation_id));
  ippAddString(response, group, IPP_TAG_TEXT, "pullprint-key", nullptr,
               entry.idempotency_key.c_str());
  ippAddString(response, group, IPP_TAG_NAME, "pullprint-actor", nullptr, entry.actor.c_str());
  ippAddString(response, group, IPP_TAG_TEXT, "pullprint-note", nullptr, entry.note.c_str());
  ippAddString(response, group, IPP_TAG_TEXT, "pullprint-created-at", nullptr,
               entry.created_at.c_str());
  ippAddInteger(response, group, IPP_TAG_INTEGER, "pullprint-allocated", ipp_int(entry.allocated));
}

// A ledger failure: a missing account is named (the user asked for it), anything else is logged
// in full and answered briefly.
bool respond_ledger_error(pappl_client_t* client, const Status& status,
                          const std::string& account) {
  if (status.code() == Code::kNotFound)
    return respond_error(client, {IPP_STATUS_ERROR_NOT_FOUND, "No account " + account + "."});
  papplLogClient(client, PAPPL_LOGLEVEL_ERROR, "%s", status.to_string().c_str());
  return respond_error(client, {IPP_STATUS_ERROR_INTERNAL, "The ledger failed."});
}

// Whether `who` may read `account`; logs a refusal, and an admin's read of another's account.
bool may_read(pappl_client_t* client, const ClientIdentity& who, const std::string& account) {
  if (account == who.user) return true;
  if (!who.admin) {
    papplLogClient(client, PAPPL_LOGLEVEL_INFO, "%s may not read account %s: refused.",
                   who.user.c_str(), account.c_str());
    return false;
  }
  papplLogClient(client, PAPPL_LOGLEVEL_INFO, "Admin %s read account %s.", who.user.c_str(),
                 account.c_str());
  return true;
}

}  // namespace

void get_account(pappl_client_t* client, const Server& server, const ClientIdentity& who) {
  IppResult<AccountRequest> parsed = parse_account_request(papplClientGetRequest(client), who);
  if (!parsed) return (void)respond_error(client, parsed.error());
  const AccountRequest& request = *parsed;
  if (!may_read(client, who, request.account))
    return (void)respond_error(
        client, {IPP_STATUS_ERROR_NOT_AUTHORIZED, "Only admins may read another user's account."});
  // Its own connection, as every operation (several client threads run at once).
  Result<Site> site = Site::open(server.config, SiteStores{});
  if (!site) return (void)respond_ledger_error(client, site.status(), request.account);
  Result<Account> account = site->ledger().get_account(request.account);
  if (!account) return (void)respond_ledger_error(client, account.status(), request.account);
  Result<std::vector<JournalEntry>> entries = std::vector<JournalEntry>();
  if (request.limit) entries = site->ledger().history(request.account, *request.limit);
  if (!entries) return (void)respond_ledger_error(client, entries.status(), request.account);
  papplClientRespondIPP(client, IPP_STATUS_OK, nullptr);
  ipp_t* response = papplClientGetResponse(client);
  add_account(response, *account, site_currency(server.config));
  for (const JournalEntry& entry : *entries) add_entry(response, entry);
}

}  // namespace pp::server
