// web-card.cpp: "Activate a prepaid card" on the web, for users who bought a card at a desk and
// have no command line (the same library call as PullPrint-Activate-Card, server-prepaid.cpp).
//
//   GET  /pullprint/card   the form (signed-in users; the home page shows it too)
//   POST /pullprint/card   number=... with the CSRF field (web/web-form.h): activates the card for
//                          the signed-in user and says what happened (credited, already
//                          activated, or the library's refusal)
//
// Kept minimal on purpose: issue 14 redesigns the user's web pages.
#include <cups/cups.h>

#include <string>

#include "pricing/pricing.h"
#include "server/server-prepaid.h"
#include "server/server-release.h"
#include "web/web-form.h"
#include "web/web.h"

namespace pp::server::web {
namespace {

constexpr const char* kTitle = "Activate a prepaid card";

// The page: an optional banner with what happened, then the form.
bool card_page(pappl_client_t* client, http_status_t status, const std::string& banner) {
  start_page(client, status, kTitle);
  if (!banner.empty()) put(client, "          <div class=\"banner\">" + html(banner) + "</div>\n");
  put_card_form(client);
  put(client,
      "          <p><a class=\"btn\" href=\"" + std::string(kJobsPath) + "\">My jobs</a></p>\n");
  end_page(client);
  return true;
}

// What an activation did, in words.
std::string outcome_text(const PrepaidOutcome& outcome, const std::string& currency) {
  if (!outcome.credited_now)
    return "Card " + outcome.number + " was already activated by you: nothing credited. Balance " +
           format_money(outcome.balance, currency) + ".";
  return "Card " + outcome.number + " activated: " + format_money(outcome.value, currency) +
         " credited. Balance " + format_money(outcome.balance, currency) + ".";
}

bool activate_from_form(pappl_client_t* client, const Server& server, const std::string& user) {
  const Form form(client);
  if (!form.is_valid(client))
    return card_page(client, HTTP_STATUS_BAD_REQUEST,
                     "Invalid form submission (its session key is missing or stale): nothing was "
                     "done. Please try again.");
  const char* number = form.get("number");
  if (!number || !*number)
    return card_page(client, HTTP_STATUS_BAD_REQUEST, "Enter a card number.");
  Result<PrepaidOutcome> outcome = activate_prepaid_for(server, number, user, user);
  if (!outcome) {
    const Code code = outcome.status().code();
    papplLogClient(client, PAPPL_LOGLEVEL_INFO, "Card activation by %s refused: %s", user.c_str(),
                   outcome.status().to_string().c_str());
    if (code == Code::kIoError || code == Code::kInternal)
      return internal_error(client, kTitle, outcome.status());
    return card_page(
        client, code == Code::kPermissionDenied ? HTTP_STATUS_FORBIDDEN : HTTP_STATUS_BAD_REQUEST,
        outcome.status().message() + ".");
  }
  return card_page(client, HTTP_STATUS_OK, outcome_text(*outcome, site_currency(server.config)));
}

// The resource callback of /pullprint/card.
bool card_resource(pappl_client_t* client, void* data) {
  const Server& server = *static_cast<const Server*>(data);
  const bool post = papplClientGetMethod(client) == HTTP_STATE_POST;
  bool keep_open = true;
  const std::optional<std::string> name = signed_in_user(client, post, &keep_open);  // as My jobs
  if (!name) return keep_open;
  if (post) return activate_from_form(client, server, *name);
  return card_page(client, HTTP_STATUS_OK, "");
}

}  // namespace

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
