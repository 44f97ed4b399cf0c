// cli-cards.cpp: `pullprint card ...`: add, list, block, unblock, remove cards and set PINs.
//
// Cards live in the ledger file (see lib/cards); the store is opened per command from the
// same configuration as the ledger.
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cards/cards.h"
#include "cli/cli.h"
#include "pricing/pricing.h"
#include "util/utc-time.h"

namespace pp::cli {

namespace {

struct CardArgs {
  std::string number;
  std::string user;
  bool json = false;
  bool clear = false;
};

CardStore* open_cards(CliContext& context) {
  return &context.site(SiteStores{.cards = true}).cards();
}

std::string time_text(const std::optional<std::int64_t>& seconds) {
  if (!seconds) return "-";
  return iso_utc_from_unix(*seconds);
}

nlohmann::json card_json(const Card& card) {
  nlohmann::json object{{"number", card.number},     {"user", card.user},
                        {"pin", card.has_pin},       {"state", card_state_name(card.state)},
                        {"failures", card.failures}, {"created_at", time_text(card.created_at)}};
  object["locked_until"] =
      card.locked_until ? nlohmann::json(time_text(card.locked_until)) : nullptr;
  object["last_used_at"] =
      card.last_used_at ? nlohmann::json(time_text(card.last_used_at)) : nullptr;
  object["value"] = card.value ? nlohmann::json(*card.value) : nullptr;  // prepaid, minor units
  object["activated_at"] =
      card.activated_at ? nlohmann::json(time_text(card.activated_at)) : nullptr;
  return object;
}

void list_cards(CliContext& context, const CardArgs& args) {
  std::optional<std::string> user;
  if (!args.user.empty()) user = args.user;
  Result<std::vector<Card>> cards = open_cards(context)->list_cards(user);
  if (!cards) die(cards.status());
  if (args.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const Card& card : *cards) list.push_back(card_json(card));
    std::cout << list.dump(2) << "\n";
    return;
  }
  const std::string currency = context.currency();
  std::printf("%-24s %-16s %-4s %-8s %-8s %-20s %s\n", "CARD", "USER", "PIN", "STATE", "FAILURES",
              "LAST USED", "VALUE");
  for (const Card& card : *cards) {
    const std::string value = card.value ? format_money(*card.value, currency) : "-";
    std::printf("%-24s %-16s %-4s %-8s %-8d %-20s %s\n", card.number.c_str(), card.user.c_str(),
                card.has_pin ? "yes" : "no", std::string(card_state_name(card.state)).c_str(),
                card.failures, time_text(card.last_used_at).c_str(), value.c_str());
  }
}

// Turns terminal echo off for its lifetime when stdin is a terminal.
class NoEcho {
 public:
  NoEcho() {
    if (::isatty(STDIN_FILENO) && ::tcgetattr(STDIN_FILENO, &saved_) == 0) {
      termios quiet = saved_;
      quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
      active_ = ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
    }
  }
  ~NoEcho() {
    if (active_) {
      ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_);
      std::fputs("\n", stderr);
    }
  }
  NoEcho(const NoEcho&) = delete;
  NoEcho& operator=(const NoEcho&) = delete;

 private:
  termios saved_{};
  bool active_ = false;
};

// Reads one line from stdin (the PIN); prompts only on a terminal.
std::string read_pin() {
  if (::isatty(STDIN_FILENO)) std::fputs("PIN: ", stderr);
  NoEcho no_echo;
  std::string pin;
  if (!std::getline(std::cin, pin)) die(Status(Code::kInvalidArgument, "no PIN on stdin"));
  if (!pin.empty() && pin.back() == '\r') pin.pop_back();
  return pin;
}

void set_pin(CliContext& context, const CardArgs& args) {
  CardStore* store = open_cards(context);
  std::optional<std::string> pin;
  if (!args.clear) pin = read_pin();
  Status status = store->set_pin(args.number, pin);
  if (!status.is_ok()) die(status);
  std::cout << "card " << args.number << (args.clear ? ": PIN removed" : ": PIN set") << "\n";
}

void run(CliContext& context, const CardArgs& args, const std::string& action) {
  CardStore* store = open_cards(context);
  Status status;
  if (action == "add")
    status = store->add_card(args.number, args.user);
  else if (action == "remove")
    status = store->remove_card(args.number);
  else if (action == "block")
    status = store->set_state(args.number, CardState::kBlocked);
  else
    status = store->set_state(args.number, CardState::kActive);
  if (!status.is_ok()) die(status);
  std::string done = action == "add"      ? "added for " + args.user
                     : action == "remove" ? std::string("removed")
                                          : action + "ed";  // blocked, unblocked
  std::cout << "card " << args.number << ": " << done << "\n";
}

}  // namespace

void add_card_commands(CLI::App& app, CliContext& context) {
  auto* card = app.add_subcommand(
      "card", "Release cards: add, list, block, remove, PINs; prepaid cards: issue, activate");
  card->require_subcommand(1);

  auto add_args = std::make_shared<CardArgs>();
  auto* add = card->add_subcommand("add", "Register a card for a user");
  add->add_option("number", add_args->number, "Card number (letters and digits)")->required();
  add->add_option("user", add_args->user, "The card's owner")->required();
  add->callback([&context, add_args] { run(context, *add_args, "add"); });

  auto list_args = std::make_shared<CardArgs>();
  auto* list = card->add_subcommand("list", "List the cards (of USER)");
  list->add_option("user", list_args->user, "Only this user's cards");
  list->add_flag("--json", list_args->json, "JSON output");
  list->callback([&context, list_args] { list_cards(context, *list_args); });

  for (const char* action : {"block", "unblock", "remove"}) {
    auto args = std::make_shared<CardArgs>();
    auto* command = card->add_subcommand(action, std::string(action) + " a card");
    command->add_option("number", args->number, "Card number")->required();
    std::string name = action;
    command->callback([&context, args, name] { run(context, *args, name); });
  }

  auto pin_args = std::make_shared<CardArgs>();
  auto* pin = card->add_subcommand("pin", "Set a card's PIN (read from stdin)");
  pin->add_option("number", pin_args->number, "Card number")->required();
  pin->add_flag("--clear", pin_args->clear, "Remove the PIN instead");
  pin->callback([&context, pin_args] { set_pin(context, *pin_args); });

  add_prepaid_card_commands(*card, context);
  add_card_register_commands(*card, context);
}

}  // namespace pp::cli
