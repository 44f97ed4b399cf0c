// server-prepaid.cpp: PullPrint-Activate-Card (0x4B08): a prepaid card activated for the
// requesting user, its value credited once (lib/cards/prepaid-cards.h).
//
// Who may do what: a user activates a card for themselves; only an admin (config `admins`) may
// name another user (pullprint-user), and such an activation is logged with both names.
// Refusals keep the library's words (unknown number, another user's card, too many failed
// activations); failed attempts are in the card audit log and count towards the per-user limit.
//
// Response (operation attributes): pullprint-card-number (canonical), pullprint-user,
// pullprint-value, pullprint-credited (false: activated before, nothing credited now),
// pullprint-balance, pullprint-currency; status-message in words.
#include "server/server-prepaid.h"

#include "pricing/pricing.h"
#include "pullprint-ipp.h"
#include "server/server-release.h"
#include "server/server-request.h"

namespace pp::server {
namespace {

// Longest number accepted as typed (64 characters plus separators), and longest user name.
constexpr std::size_t kMaxTypedNumber = 128;
constexpr std::size_t kMaxUserName = 256;

}  // namespace

Result<PrepaidOutcome> activate_prepaid_for(const Server& server, const std::string& number,
                                            const std::string& user, const std::string& actor) {
  // Its own connections, as every operation (several client threads run at once).
  Result<Site> site = Site::open(server.config, SiteStores{.cards = true});
  if (!site) return site.status();
  return activate_prepaid_card(site->cards(), site->ledger(), server.config, number, user, actor);
}

void credit_prepaid_cards_timer(pappl_system_t* system, const Server& server) {
  Result<Site> site = Site::open(server.config, SiteStores{.cards = true});
  Result<int> credited = site ? credit_uncredited_prepaid_cards(site->cards(), site->ledger(),
                                                                server.config, "pullprintd")
                              : Result<int>(site.status());
  if (!credited)
    papplLog(system, PAPPL_LOGLEVEL_ERROR, "Crediting activated prepaid cards failed: %s",
             credited.status().to_string().c_str());
  else if (*credited > 0)
    papplLog(system, PAPPL_LOGLEVEL_INFO, "Credited %d activated prepaid card(s).", *credited);
}

void activate_card(pappl_client_t* client, const Server& server, const ClientIdentity& who) {
  ipp_t* request = papplClientGetRequest(client);
  IppResult<std::string> number =
      required(read_name(request, ipp::kCardNumberAttr, kMaxTypedNumber), ipp::kCardNumberAttr);
  if (!number) return (void)respond_error(client, number.error());
  IppResult<std::optional<std::string>> named =
      read_name(request, ipp::kCardUserAttr, kMaxUserName);
  if (!named) return (void)respond_error(client, named.error());
  const std::string user = named->value_or(who.user);
  if (user != who.user) {
    if (!who.admin) {
      papplLogClient(client, PAPPL_LOGLEVEL_INFO, "%s may not activate cards for %s: refused.",
                     who.user.c_str(), user.c_str());
      return (void)respond_error(client, {IPP_STATUS_ERROR_NOT_AUTHORIZED,
                                          "Only admins may activate a card for another user."});
    }
    papplLogClient(client, PAPPL_LOGLEVEL_INFO, "Admin %s activates a card for %s.",
                   who.user.c_str(), user.c_str());
  }
  Result<PrepaidOutcome> outcome = activate_prepaid_for(server, *number, user, who.user);
  if (!outcome) {
    papplLogClient(client, PAPPL_LOGLEVEL_INFO, "Card activation by %s refused: %s",
                   who.user.c_str(), outcome.status().to_string().c_str());
    return (void)respond_error(client, ipp_error(outcome.status(), "The card store failed."));
  }
  const std::string currency = site_currency(server.config);
  papplLogClient(client, PAPPL_LOGLEVEL_INFO, "Prepaid card %s %s for %s.", outcome->number.c_str(),
                 outcome->credited_now ? "activated and credited" : "activated again (no credit)",
                 user.c_str());
  const std::string message =
      outcome->credited_now
          ? "Card " + outcome->number + " activated: " + format_money(outcome->value, currency) +
                " credited."
          : "Card " + outcome->number + " was already activated: nothing credited.";
  papplClientRespondIPP(client, IPP_STATUS_OK, "%s", message.c_str());
  ipp_t* response = papplClientGetResponse(client);
  const ipp_tag_t group = IPP_TAG_OPERATION;
  ippAddString(response, group, IPP_TAG_NAME, ipp::kCardNumberAttr, nullptr,
               outcome->number.c_str());
  ippAddString(response, group, IPP_TAG_NAME, ipp::kCardUserAttr, nullptr, user.c_str());
  ippAddInteger(response, group, IPP_TAG_INTEGER, "pullprint-value", ipp_int(outcome->value));
  ippAddBoolean(response, group, "pullprint-credited", outcome->credited_now);
  ippAddInteger(response, group, IPP_TAG_INTEGER, "pullprint-balance", ipp_int(outcome->balance));
  ippAddString(response, group, IPP_TAG_KEYWORD, "pullprint-currency", nullptr, currency.c_str());
}

}  // namespace pp::server
