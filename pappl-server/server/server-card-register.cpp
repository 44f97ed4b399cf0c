// server-card-register.cpp: PullPrint-Start-Card-Registration (0x4B09), the terminal's half of
// registering one's own card (the rules are lib/cards/card-registration.h).
//
// Request (operation attributes): pullprint-card-number, the card as the reader reported it.
// Who may: operators (config `operators`) and admins, i.e. the terminals' accounts; anyone else
// gets not-authorized (logged). Response: pullprint-card-number, pullprint-registration-code
// ("ABC-123"), pullprint-registration-expires (dateTime); status-message in words. Refusals keep
// the library's words (a card that is someone's already, too many starts for this card).
#include "server/server-card-register.h"

#include "cards/card-registration.h"
#include "pullprint-ipp.h"
#include "server/server-request.h"
#include "site/site.h"

namespace pp::server {

namespace {

constexpr std::size_t kMaxCardNumber = 64;

}  // namespace

void start_card_registration(pappl_client_t* client, const Server& server,
                             const ClientIdentity& who) {
  if (!who.operator_ && !who.admin) {
    papplLogClient(client, PAPPL_LOGLEVEL_INFO,
                   "%s may not start card registrations (not an operator): refused.",
                   who.user.c_str());
    return (void)respond_error(client,
                               {IPP_STATUS_ERROR_NOT_AUTHORIZED,
                                "Only terminals (operators) may start a card registration."});
  }
  IppResult<std::string> number =
      required(read_name(papplClientGetRequest(client), ipp::kCardNumberAttr, kMaxCardNumber),
               ipp::kCardNumberAttr);
  if (!number) return (void)respond_error(client, number.error());
  Result<Site> site = Site::open(server.config, SiteStores{.cards = true});
  if (!site) return (void)respond_internal(client, site.status());
  Result<CardRegistration> registration = site->cards().start_registration(*number, who.user);
  if (!registration) {
    papplLogClient(client, PAPPL_LOGLEVEL_INFO, "Card registration of %s by %s refused: %s",
                   number->c_str(), who.user.c_str(), registration.status().to_string().c_str());
    return (void)respond_error(client, ipp_error(registration.status(), "The card store failed."));
  }
  const std::string code = shown_registration_code(registration->code);
  papplLogClient(client, PAPPL_LOGLEVEL_INFO, "Card registration of %s started by %s.",
                 number->c_str(), who.user.c_str());
  const std::string message = "Registration code " + code +
                              ": sign in on the web and enter it under My card within " +
                              std::to_string(kRegistrationSeconds / 60) + " minutes.";
  papplClientRespondIPP(client, IPP_STATUS_OK, "%s", message.c_str());
  ipp_t* response = papplClientGetResponse(client);
  ippAddString(response, IPP_TAG_OPERATION, IPP_TAG_NAME, ipp::kCardNumberAttr, nullptr,
               registration->card.c_str());
  ippAddString(response, IPP_TAG_OPERATION, IPP_TAG_NAME, ipp::kRegistrationCodeAttr, nullptr,
               code.c_str());
  ippAddDate(response, IPP_TAG_OPERATION, ipp::kRegistrationExpiresAttr,
             ippTimeToDate(static_cast<time_t>(registration->expires_at)));
}

}  // namespace pp::server
