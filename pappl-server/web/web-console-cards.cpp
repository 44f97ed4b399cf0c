// web-console-cards.cpp: the console's cards (issue 15): release cards listed and searched by
// user or number (numbers masked but for their last four characters), a card issued to a user,
// blocked and unblocked (the rules of `pullprint card add/block/unblock`: CardStore), and
// prepaid cards: listed, and issued in a batch of N worth V (issue_prepaid_cards, as
// `pullprint card issue`), whose numbers are shown once, printable.
//
//   GET  /pullprint/admin/cards[?q=TEXT]   the cards (a user's login, or part of a number)
//   POST /pullprint/admin/cards            op=issue (number, user) | op=block / op=unblock
//                                          (number) | op=prepaid (count, value)
//
// Who: action `cards`; an [admin-scope] only its users' cards (covers_user of the card's owner);
// prepaid cards belong to nobody yet, so only a site-wide role lists or issues them. A PIN is a
// secret: it is set by its owner at a terminal or with `pullprint card pin`, never here.
//
// Element ids: card-search (field q), search-cards (button), cards (table), block-NUMBER /
// unblock-NUMBER (buttons), issue-card-number, issue-card-user, issue-card (button),
// prepaid-cards (table), prepaid-count, prepaid-value, issue-prepaid (button), issued-prepaid
// (the batch just issued: its full numbers, printable), outcome (a form's banner).
#include <algorithm>
#include <string>

#include "cards/prepaid-cards.h"
#include "charging/money-input.h"
#include "pricing/pricing.h"
#include "server/server-release.h"
#include "site/site.h"
#include "util/utc-time.h"
#include "web/web-console-stores.h"
#include "web/web-console.h"
#include "web/web-form.h"
#include "web/web.h"

namespace pp::server::web {
namespace {

using A = ConsoleAction;

constexpr const char* kTitle = "Cards";
constexpr std::size_t kMaxRows = 500;  // per table: the page stays readable and quick

// What a form did, for the page.
struct CardOutcome {
  http_status_t status = HTTP_STATUS_OK;
  std::string message;
  bool ok = true;
  std::vector<std::string> issued;  // a prepaid batch's numbers, shown once
  std::int64_t issued_value = 0;
};

http_status_t status_of(const Status& status) {
  switch (status.code()) {
    case Code::kNotFound:
      return HTTP_STATUS_NOT_FOUND;
    case Code::kAlreadyExists:
    case Code::kConflict:
      return HTTP_STATUS_CONFLICT;
    case Code::kPermissionDenied:
      return HTTP_STATUS_FORBIDDEN;
    case Code::kInvalidArgument:
      return HTTP_STATUS_BAD_REQUEST;
    default:
      return HTTP_STATUS_SERVER_ERROR;
  }
}

CardOutcome failed(const Status& status) {
  return {status_of(status), "Nothing was done: " + status.message() + ".", false, {}, 0};
}

std::string text_or_dash(const std::optional<std::int64_t>& seconds) {
  return seconds ? when(iso_utc_from_unix(*seconds)) : "-";
}

// Whether `card` matches the search text: its owner's login exactly, or part of its number.
bool matches(const Card& card, const std::string& query) {
  if (query.empty()) return true;
  return card.user == query || card.number.find(query) != std::string::npos;
}

// A block / unblock button for one card.
void put_state_button(pappl_client_t* client, const Card& card) {
  const bool blocked = card.state == CardState::kBlocked;
  const char* op = blocked ? "unblock" : "block";
  start_form(client, kConsoleCardsPath);
  put(client, "<input type=\"hidden\" name=\"op\" value=\"" + std::string(op) +
                  "\"><input type=\"hidden\" name=\"number\" value=\"" + html(card.number) +
                  "\"><button type=\"submit\" id=\"" + op + "-" + html(card.number) + "\">" +
                  (blocked ? "Unblock" : "Block") + "</button></form>");
}

bool cards_page(pappl_client_t* client, Server& server, const ConsoleAccess& access,
                const std::string& query, const CardOutcome& outcome) {
  Result<Site> site = Site::open(server.config, SiteStores{.cards = true, .people = true});
  Result<std::vector<Card>> cards =
      site ? site->cards().list_cards(std::nullopt) : Result<std::vector<Card>>(site.status());
  start_console_page(client, outcome.status, kTitle, access, kConsoleCardsPath);
  if (!outcome.message.empty()) put(client, console_banner(outcome.message, outcome.ok));
  const std::string currency = site_currency(server.config);
  if (!outcome.issued.empty()) {
    put(client,
        "          <section class=\"pp-panel\" id=\"issued-prepaid\">\n"
        "          <h2 class=\"title\">" +
            std::to_string(outcome.issued.size()) + " prepaid card(s) worth " +
            html(format_money(outcome.issued_value, currency)) +
            " each</h2>\n          <p>Print this list now: the numbers are shown only "
            "once.</p>\n          <table class=\"list\" summary=\"Prepaid cards issued\">\n"
            "            <thead><tr><th>Number</th><th>Value</th></tr></thead>\n"
            "            <tbody>\n");
    for (const std::string& number : outcome.issued)
      put(client, "            <tr><td><code>" + html(number) + "</code></td><td>" +
                      html(format_money(outcome.issued_value, currency)) + "</td></tr>\n");
    put(client, "            </tbody>\n          </table>\n          </section>\n");
  }
  // Search.
  put(client, "          <form action=\"" + std::string(kConsoleCardsPath) +
                  "\" method=\"GET\"><p><label>User or card number <input type=\"search\" "
                  "name=\"q\" id=\"card-search\" maxlength=\"64\" value=\"" +
                  html(query) +
                  "\"></label> <button type=\"submit\" id=\"search-cards\">Search</button></p>"
                  "</form>\n");
  if (!cards) {
    papplLogClient(client, PAPPL_LOGLEVEL_ERROR, "Cards page: %s",
                   cards.status().to_string().c_str());
    put(client, console_banner("The cards cannot be read just now.", false));
    end_page(client);
    return true;
  }
  std::vector<const Card*> release;
  std::vector<const Card*> prepaid;
  for (const Card& card : *cards) {
    if (!matches(card, query)) continue;
    if (card.value) {
      if (access.site_wide()) prepaid.push_back(&card);
      continue;
    }
    Result<bool> covered = access.covers_user(card.user, site->people());
    if (covered && *covered) release.push_back(&card);
  }
  put(client, "          <h2 class=\"title\">Release cards (" + std::to_string(release.size()) +
                  ")</h2>\n");
  if (release.empty()) {
    put(client, "          <p id=\"cards-none\">No card" +
                    std::string(query.empty() ? "" : " matches") + ".</p>\n");
  } else {
    if (release.size() > kMaxRows)
      put(client, "          <p>The first " + std::to_string(kMaxRows) +
                      " are shown: search for a user or a number.</p>\n");
    put(client,
        "          <table class=\"list\" id=\"cards\" summary=\"Release cards\">\n"
        "            <thead><tr><th>Card</th><th>User</th><th>State</th><th>PIN</th>"
        "<th>Failures</th><th>Added</th><th>Last used</th><th></th></tr></thead>\n"
        "            <tbody>\n");
    for (std::size_t i = 0; i < release.size() && i < kMaxRows; ++i) {
      const Card& card = *release[i];
      put(client, "            <tr><td><code>" + html(masked_card_number(card.number)) +
                      "</code></td><td>" + html(card.user) + "</td><td class=\"state\">" +
                      html(card_state_name(card.state)) + "</td><td>" +
                      (card.has_pin ? "yes" : "no") + "</td><td>" + std::to_string(card.failures) +
                      "</td><td>" + html(when(iso_utc_from_unix(card.created_at))) + "</td><td>" +
                      html(text_or_dash(card.last_used_at)) + "</td><td>");
      put_state_button(client, card);
      put(client, "</td></tr>\n");
    }
    put(client, "            </tbody>\n          </table>\n");
  }
  // Issue a card to a user.
  put(client,
      "          <h2 class=\"title\">Issue a card to a user</h2>\n"
      "          <p>The owner sets the PIN at a terminal or with <code>pullprint card "
      "pin</code>: a PIN is never typed here.</p>\n");
  start_form(client, kConsoleCardsPath);
  put(client,
      "          <p><input type=\"hidden\" name=\"op\" value=\"issue\"><label>Card number "
      "<input type=\"text\" name=\"number\" id=\"issue-card-number\" maxlength=\"64\" "
      "autocomplete=\"off\" required></label> <label>User <input type=\"text\" name=\"user\" "
      "id=\"issue-card-user\" maxlength=\"64\" required></label> <button type=\"submit\" "
      "id=\"issue-card\">Issue</button></p>\n          </form>\n");
  if (access.site_wide()) {
    put(client, "          <h2 class=\"title\">Prepaid cards (" + std::to_string(prepaid.size()) +
                    ")</h2>\n");
    if (!prepaid.empty()) {
      put(client,
          "          <table class=\"list\" id=\"prepaid-cards\" summary=\"Prepaid cards\">\n"
          "            <thead><tr><th>Card</th><th>Value</th><th>State</th><th>Owner</th>"
          "<th>Issued</th><th>Activated</th></tr></thead>\n            <tbody>\n");
      for (std::size_t i = 0; i < prepaid.size() && i < kMaxRows; ++i) {
        const Card& card = *prepaid[i];
        put(client, "            <tr><td><code>" + html(masked_card_number(card.number)) +
                        "</code></td><td>" + html(format_money(*card.value, currency)) +
                        "</td><td>" + html(card_state_name(card.state)) + "</td><td>" +
                        html(card.user.empty() ? "-" : card.user) + "</td><td>" +
                        html(when(iso_utc_from_unix(card.created_at))) + "</td><td>" +
                        html(text_or_dash(card.activated_at)) + "</td></tr>\n");
      }
      put(client, "            </tbody>\n          </table>\n");
    }
    put(client, "          <h2 class=\"title\">Issue prepaid cards</h2>\n");
    start_form(client, kConsoleCardsPath);
    put(client,
        "          <p><input type=\"hidden\" name=\"op\" value=\"prepaid\"><label>How many "
        "<input type=\"number\" name=\"count\" id=\"prepaid-count\" min=\"1\" max=\"" +
            std::to_string(kMaxPrepaidIssue) +
            "\" required></label> <label>Value each <input type=\"text\" name=\"value\" "
            "id=\"prepaid-value\" maxlength=\"16\" placeholder=\"5.00\" required></label> "
            "<button type=\"submit\" id=\"issue-prepaid\">Issue</button></p>\n"
            "          </form>\n");
  }
  end_page(client);
  return true;
}

// op=issue: a release card for a user the person covers.
CardOutcome issue_card(pappl_client_t* client, Server& server, const ConsoleAccess& access,
                       Site& site, const Form& form, bool* refused) {
  const std::string number = form.get("number") ? form.get("number") : "";
  const std::string user = form.get("user") ? form.get("user") : "";
  if (number.empty() || user.empty())
    return {HTTP_STATUS_BAD_REQUEST, "Enter the card's number and its user.", false, {}, 0};
  Result<bool> covered = access.covers_user(user, site.people());
  if (!covered) return failed(covered.status());
  if (!*covered) {
    *refused = console_refusal(client, access, A::kCards, "user " + user);
    return {};
  }
  if (Status status = validate_card_number(number); !status.is_ok()) return failed(status);
  if (Status status = site.cards().add_card(number, user); !status.is_ok()) return failed(status);
  (void)audit_change(client, server, access, A::kCards, "user " + user,
                     "card " + masked_card_number(number) + " issued");  // logged inside
  return {HTTP_STATUS_OK,
          "Card " + masked_card_number(number) + " issued to " + user + ".",
          true,
          {},
          0};
}

// op=block / op=unblock: a card of a user the person covers.
CardOutcome set_card_state(pappl_client_t* client, Server& server, const ConsoleAccess& access,
                           Site& site, const Form& form, bool block, bool* refused) {
  const std::string number = form.get("number") ? form.get("number") : "";
  Result<Card> card = site.cards().get_card(number);
  if (!card) return failed(card.status());
  Result<bool> covered = card->user.empty() ? Result<bool>(access.site_wide())
                                            : access.covers_user(card->user, site.people());
  if (!covered) return failed(covered.status());
  const std::string masked = masked_card_number(card->number);
  if (!*covered) {
    *refused = console_refusal(client, access, A::kCards, "card " + masked);
    return {};
  }
  if (Status status =
          site.cards().set_state(card->number, block ? CardState::kBlocked : CardState::kActive);
      !status.is_ok())
    return failed(status);
  const std::string done = block ? "blocked" : "unblocked";
  (void)audit_change(client, server, access, A::kCards,
                     card->user.empty() ? "card " + masked : "user " + card->user,
                     "card " + masked + " " + done);  // logged inside
  return {HTTP_STATUS_OK,
          "Card " + masked + (card->user.empty() ? "" : " of " + card->user) + " " + done + ".",
          true,
          {},
          0};
}

// op=prepaid: a batch of prepaid cards (site-wide roles only: they belong to nobody yet).
CardOutcome issue_prepaid(pappl_client_t* client, Server& server, const ConsoleAccess& access,
                          Site& site, const Form& form, bool* refused) {
  if (!access.site_wide()) {
    *refused = console_refusal(client, access, A::kCards, "prepaid cards");
    return {};
  }
  const char* count_text = form.get("count");
  const std::optional<std::int64_t> count = form_id(count_text ? count_text : "");
  if (!count || *count > kMaxPrepaidIssue)
    return {HTTP_STATUS_BAD_REQUEST,
            "How many: a number from 1 to " + std::to_string(kMaxPrepaidIssue) + ".",
            false,
            {},
            0};
  const std::string currency = site_currency(server.config);
  Result<std::int64_t> value = parse_money(form.get("value") ? form.get("value") : "", currency);
  if (!value) return failed(value.status());
  Result<std::vector<std::string>> numbers =
      issue_prepaid_cards(site.cards(), static_cast<int>(*count), *value, access.user());
  if (!numbers) return failed(numbers.status());
  (void)audit_change(client, server, access, A::kCards, "prepaid cards",
                     std::to_string(numbers->size()) + " issued worth " +
                         format_money(*value, currency) + " each");  // logged inside
  return {HTTP_STATUS_OK,
          std::to_string(numbers->size()) + " prepaid card(s) issued: print the list below.", true,
          std::move(*numbers), *value};
}

bool handle_card_form(pappl_client_t* client, Server& server, const ConsoleAccess& access) {
  const Form form(client);
  if (!form.is_valid(client))
    return cards_page(client, server, access, "",
                      {HTTP_STATUS_BAD_REQUEST,
                       "Invalid form submission (its session key is missing or stale): nothing "
                       "was done. Please try again.",
                       false,
                       {},
                       0});
  const std::string op = form.get("op") ? form.get("op") : "";
  if (!access.may(A::kCards)) return console_refusal(client, access, A::kCards, "cards");
  Result<Site> site = Site::open(server.config, SiteStores{.cards = true, .people = true});
  if (!site) return internal_error(client, kTitle, site.status());
  bool refused = false;
  CardOutcome outcome;
  if (op == "issue")
    outcome = issue_card(client, server, access, *site, form, &refused);
  else if (op == "block" || op == "unblock")
    outcome = set_card_state(client, server, access, *site, form, op == "block", &refused);
  else if (op == "prepaid")
    outcome = issue_prepaid(client, server, access, *site, form, &refused);
  else
    outcome = {HTTP_STATUS_BAD_REQUEST, "Unknown action: nothing was done.", false, {}, 0};
  if (refused) return true;  // console_refusal answered
  if (outcome.status == HTTP_STATUS_SERVER_ERROR)
    papplLogClient(client, PAPPL_LOGLEVEL_ERROR, "Cards page: %s", outcome.message.c_str());
  return cards_page(client, server, access, "", outcome);
}

bool cards_resource(pappl_client_t* client, void* data) {
  Server& server = *static_cast<Server*>(data);
  const bool post = papplClientGetMethod(client) == HTTP_STATE_POST;
  bool keep_open = true;
  const std::optional<ConsoleAccess> access =
      console_access(client, server, kConsoleCardsPath, post, &keep_open);
  if (!access) return keep_open;
  if (post) return handle_card_form(client, server, *access);
  const Form query(client);
  const char* q = query.get("q");
  return cards_page(client, server, *access, q ? q : "", {});
}

}  // namespace

std::string masked_card_number(const std::string& number) {
  if (number.size() <= 4) return number;
  return std::string(number.size() - 4, '*') + number.substr(number.size() - 4);
}

void add_console_card_pages(pappl_system_t* system, Server& server) {
  papplSystemAddResourceCallback(system, kConsoleCardsPath, "text/html", cards_resource, &server);
}

}  // namespace pp::server::web
