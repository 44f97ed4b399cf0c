// cli-card-register.cpp: `pullprint card register-start --card NUMBER`: a terminal's half of
// registering one's own card (lib/cards/card-registration.h).
//
// A terminal that reads a card nobody owns runs it (as the terminal's operator account, through
// pullprintd's PullPrint-Start-Card-Registration) and shows the code it prints; the card's holder
// types that code on the web (/pullprint/card) within ten minutes, signed in, and the card is
// theirs. The terminal signs in as its operator account: --user NAME reads that account's
// password from the first line of stdin (offered once after pullprintd's 401, as `pullprint
// release` does); without --user, libcups's usual user and prompt. With --ledger (an
// administrator on the server) the card store is used directly.
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "cards/card-registration.h"
#include "cli/cli-ipp.h"
#include "cli/cli.h"
#include "pullprint-ipp.h"
#include "util/utc-time.h"

namespace pp::cli {

namespace {

struct RegisterArgs {
  std::string card;
  std::string server;
  std::string user;
  bool ledger = false;
  bool json = false;
};

// The terminal account's password, offered once per request.
struct TerminalLogin {
  std::string password;
  int offered = 0;
};

const char* offer_password(const char* /*prompt*/, http_t* /*http*/, const char* /*method*/,
                           const char* /*resource*/, void* data) {
  auto* login = static_cast<TerminalLogin*>(data);
  if (login->offered++ > 0) return nullptr;  // refused once: do not try again
  return login->password.c_str();
}

void print_code(const RegisterArgs& args, const std::string& card, const std::string& code,
                const std::string& expires) {
  if (args.json) {
    std::cout << nlohmann::json{{"card", card}, {"code", code}, {"expires", expires}}.dump(2)
              << "\n";
    return;
  }
  std::cout << "Registration code for card " << card << ": " << code << "\n"
            << "Sign in on the web, open My card and enter the code before " << expires << ".\n";
}

void register_start(CliContext& context, const RegisterArgs& args) {
  if (args.ledger) {
    Result<CardRegistration> registration = context.site(SiteStores{.cards = true})
                                                .cards()
                                                .start_registration(args.card, current_user());
    if (!registration) die(registration.status());
    print_code(args, registration->card, shown_registration_code(registration->code),
               iso_utc_from_unix(registration->expires_at));
    return;
  }
  TerminalLogin login;
  if (!args.user.empty()) {
    std::getline(std::cin, login.password);
    if (!login.password.empty() && login.password.back() == '\r') login.password.pop_back();
    cupsSetUser(args.user.c_str());
    cupsSetPasswordCB2(offer_password, &login);
  }
  Connection connection = connect(context, args.server);
  IppPtr request = new_request(connection, ipp::kStartCardRegistration);
  ippAddString(request.get(), IPP_TAG_OPERATION, IPP_TAG_NAME, ipp::kCardNumberAttr, nullptr,
               args.card.c_str());
  IppPtr response =
      send(connection, std::move(request), "cannot start the registration of card " + args.card);
  ipp_attribute_t* expires =
      ippFindAttribute(response.get(), ipp::kRegistrationExpiresAttr, IPP_TAG_DATE);
  print_code(args, text_of(response.get(), ipp::kCardNumberAttr),
             text_of(response.get(), ipp::kRegistrationCodeAttr),
             expires ? iso_utc_from_unix(ippDateToTime(ippGetDate(expires, 0))) : "");
}

}  // namespace

void add_card_register_commands(CLI::App& card, CliContext& context) {
  auto args = std::make_shared<RegisterArgs>();
  auto* command = card.add_subcommand(
      "register-start",
      "At a terminal: start registering an unknown card and print the code its holder types on "
      "the web");
  command->add_option("--card", args->card, "The card number as the reader reported it")
      ->required();
  auto* server = command->add_option(
      "--server", args->server,
      "pullprintd's queue URI, e.g. ipp://127.0.0.1:8631/ipp/print (default: config `server`)");
  auto* user = command->add_option("--user", args->user,
                                   "Sign in as this (operator) account; its password on stdin");
  command->add_flag("--ledger", args->ledger, "Use the ledger file, not pullprintd")
      ->excludes(server)
      ->excludes(user);
  command->add_flag("--json", args->json, "JSON output");
  command->callback([&context, args] { register_start(context, *args); });
}

}  // namespace pp::cli
