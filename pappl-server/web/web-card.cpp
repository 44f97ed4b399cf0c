// web-card.cpp: "My card" on the web: registering one's own card with the code a terminal
// showed, and activating a prepaid card bought at a desk (the same library calls as
// PullPrint-Activate-Card, server-prepaid.cpp; registration: lib/cards/card-registration.h).
//
//   GET  /pullprint/card   the user's cards, the "Register your card" form and the "Activate a
//                          prepaid card" form (signed-in users; the home page shows the latter)
//   POST /pullprint/card   with the CSRF field (web/web-form.h), one of:
//                            code=...    registers the card of that code (tapped at a terminal,
//                                        `pullprint card register-start`) to the signed-in user
//                            number=...  activates the prepaid card for the signed-in user
//                          and says what happened (or the library's refusal: wrong, used or
//                          expired code, too many wrong codes, a card someone else has)
//
// Element ids (for the browser tests): my-cards (table of the user's cards), register-card-form,
// registration-code, register-card (button), card-number, activate-card (button), card-outcome
// (the banner).
#include <cups/cups.h>

#include <string>

#include "cards/card-registration.h"
#include "pricing/pricing.h"
#include "server/server-prepaid.h"
#include "server/server-release.h"
#include "site/site.h"
#include "web/web-form.h"
#include "web/web.h"

namespace pp::server::web {
namespace {

constexpr const char* kTitle = "Activate a prepaid card";
constexpr const char* kPageTitle = "My card";

// The last four characters of a card number: enough for its owner to tell their cards apart.
std::string masked_number(const std::string& number) {
  if (number.size() <= 4) return number;
  return std::string(number.size() - 4, '*') + number.substr(number.size() - 4);
}

// The user's cards, as a table.
void put_user_cards(pappl_client_t* client, const Server& server, const std::string& user) {
  Result<Site> site = Site::open(server.config, SiteStores{.cards = true});
  Result<std::vector<Card>> cards =
      site ? site->cards().list_cards(user) : Result<std::vector<Card>>(site.status());
  if (!cards) {
    papplLogClient(client, PAPPL_LOGLEVEL_ERROR, "My card: %s", cards.status().to_string().c_str());
    put(client, "          <p>Your cards cannot be listed right now.</p>\n");
    return;
  }
  put(client, "          <h2 class=\"title\">Your cards</h2>\n");
  if (cards->empty()) {
    put(client, "          <p id=\"my-cards-none\">You have no card yet.</p>\n");
    return;
  }
  put(client,
      "          <table class=\"list\" id=\"my-cards\" summary=\"Your cards\">\n"
      "            <thead><tr><th>Card</th><th>State</th><th>PIN</th></tr></thead>\n"
      "            <tbody>\n");
  for (const Card& card : *cards)
    put(client, "              <tr><td>" + html(masked_number(card.number)) + "</td><td>" +
                    html(card_state_name(card.state)) + "</td><td>" +
                    (card.has_pin ? "yes" : "no") + "</td></tr>\n");
  put(client, "            </tbody>\n          </table>\n");
}

// "Register your card": the code a terminal showed.
void put_register_form(pappl_client_t* client) {
  put(client,
      "          <h2 class=\"title\">Register your card</h2>\n"
      "          <p>Tap your card at a release terminal: it shows a code. Enter it here within " +
          std::to_string(kRegistrationSeconds / 60) + " minutes and the card is yours.</p>\n");
  start_form(client, kCardPath);
  put(client,
      "          <p id=\"register-card-form\"><label>Code <input type=\"text\" name=\"code\" "
      "id=\"registration-code\" maxlength=\"16\" autocomplete=\"off\" "
      "autocapitalize=\"characters\"></label> <button type=\"submit\" id=\"register-card\">"
      "Register</button></p>\n"
      "          </form>\n");
}

// The page: an optional banner with what happened, the user's cards, then the forms.
bool card_page(pappl_client_t* client, const Server& server, const std::string& user,
               http_status_t status, const std::string& banner) {
  start_page(client, status, kPageTitle);
  if (!banner.empty())
    put(client, "          <div class=\"banner\" id=\"card-outcome\">" + html(banner) + "</div>\n");
  put_user_cards(client, server, user);
  put_register_form(client);
  put_card_form(client);
  put(client, account_action_links());
  end_page(client);
  return true;
}

// Registers the card of the typed code to `user`.
bool register_from_form(pappl_client_t* client, const Server& server, const std::string& user,
                        const char* code) {
  if (!*code) return card_page(client, server, user, HTTP_STATUS_BAD_REQUEST, "Enter the code.");
  Result<Site> site = Site::open(server.config, SiteStores{.cards = true});
  if (!site) return internal_error(client, kPageTitle, site.status());
  Result<Card> card = site->cards().confirm_registration(code, user);
  if (!card) {
    const Code failure = card.status().code();
    papplLogClient(client, PAPPL_LOGLEVEL_INFO, "Card registration by %s refused: %s", user.c_str(),
                   card.status().to_string().c_str());
    if (failure == Code::kIoError || failure == Code::kInternal)
      return internal_error(client, kPageTitle, card.status());
    return card_page(
        client, server, user,
        failure == Code::kPermissionDenied ? HTTP_STATUS_FORBIDDEN : HTTP_STATUS_BAD_REQUEST,
        "Not registered: " + card.status().message() + ".");
  }
  papplLogClient(client, PAPPL_LOGLEVEL_INFO, "Card %s registered to %s (web).",
                 card->number.c_str(), user.c_str());
  return card_page(
      client, server, user, HTTP_STATUS_OK,
      "Card " + masked_number(card->number) + " is now yours: use it at the release terminals.");
}

// What an activation did, in words.
std::string outcome_text(const PrepaidOutcome& outcome, const std::string& currency) {
  if (!outcome.credited_now)
    return "Card " + outcome.number + " was already activated by you: nothing credited. Balance " +
           format_money(outcome.balance, currency) + ".";
  return "Card " + outcome.number + " activated: " + format_money(outcome.value, currency) +
         " credited. Balance " + format_money(outcome.balance, currency) + ".";
}

bool handle_card_form(pappl_client_t* client, const Server& server, const std::string& user) {
  const Form form(client);
  if (!form.is_valid(client))
    return card_page(client, server, user, HTTP_STATUS_BAD_REQUEST,
                     "Invalid form submission (its session key is missing or stale): nothing was "
                     "done. Please try again.");
  if (const char* code = form.get("code")) return register_from_form(client, server, user, code);
  const char* number = form.get("number");
  if (!number || !*number)
    return card_page(client, server, user, HTTP_STATUS_BAD_REQUEST, "Enter a card number.");
  Result<PrepaidOutcome> outcome = activate_prepaid_for(server, number, user, user);
  if (!outcome) {
    const Code code = outcome.status().code();
    papplLogClient(client, PAPPL_LOGLEVEL_INFO, "Card activation by %s refused: %s", user.c_str(),
                   outcome.status().to_string().c_str());
    if (code == Code::kIoError || code == Code::kInternal)
      return internal_error(client, kPageTitle, outcome.status());
    return card_page(
        client, server, user,
        code == Code::kPermissionDenied ? HTTP_STATUS_FORBIDDEN : HTTP_STATUS_BAD_REQUEST,
        outcome.status().message() + ".");
  }
  return card_page(client, server, user, HTTP_STATUS_OK,
                   outcome_text(*outcome, site_currency(server.config)));
}

// The resource callback of /pullprint/card.
bool card_resource(pappl_client_t* client, void* data) {
  const Server& server = *static_cast<const Server*>(data);
  const bool post = papplClientGetMethod(client) == HTTP_STATE_POST;
  bool keep_open = true;
  const std::optional<std::string> name = signed_in_user(client, post, &keep_open);  // as My jobs
  if (!name) return keep_open;
  if (post) return handle_card_form(client, server, *name);
  return card_page(client, server, *name, HTTP_STATUS_OK, "");
}

}  // namespace

std::string account_action_links() {
  auto link = [](const char* path, const char* text, const char* id) {
    return "<a class=\"btn\" id=\"" + std::string(id) + "\" href=\"" + std::string(path) + "\">" +
           text + "</a>";
  };
  return "          <p>" + link(kJobsPath, "My jobs", "link-jobs") + " " +
         link(kCardPath, "My card", "link-card") + " " +
         link(kTransferPath, "Transfer credit", "link-transfer") + " " +
         link(kRefundPath, "Refunds", "link-refund") + "</p>\n";
}

void put_card_form(pappl_client_t* client) {
  put(client, "          <h2 class=\"title\">" + std::string(kTitle) + "</h2>\n");
  start_form(client, kCardPath);
  put(client,
      "          <p><label>Card number <input type=\"text\" name=\"number\" id=\"card-number\" "
      "maxlength=\"128\" autocomplete=\"off\"></label> <button type=\"submit\" "
      "id=\"activate-card\">Activate</button></p>\n"
      "          </form>\n");
}

void add_card_page(pappl_system_t* system, Server& server) {
  papplSystemAddResourceCallback(system, kCardPath, "text/html", card_resource, &server);
}

}  // namespace pp::server::web
