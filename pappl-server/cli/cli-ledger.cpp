// cli-ledger.cpp: `pullprint ledger check`: prove the ledger's invariants, and that split shares
// and their reservations agree (check_splits), exit 1 if any fails.
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/cli.h"
#include "split-jobs/split-jobs.h"

namespace pp::cli {

namespace {

void check_ledger(CliContext& context, bool json) {
  Result<LedgerCheck> check = context.ledger().check();
  if (!check) die(check.status());
  Site& site = context.site(SiteStores{.splits = true});
  Result<SplitCheck> split_check = check_splits(site.splits(), site.ledger());
  if (!split_check) die(split_check.status());
  for (const std::string& violation : split_check->violations)
    check->violations.push_back("split: " + violation);
  // Prepaid cards and their top-ups (lib/cards/prepaid-cards.h).
  Result<std::vector<std::string>> card_check =
      context.site(SiteStores{.splits = true, .cards = true}).cards().check_prepaid_cards();
  if (!card_check) die(card_check.status());
  for (const std::string& violation : *card_check)
    check->violations.push_back("prepaid: " + violation);
  if (json) {
    std::cout << nlohmann::json{{"ok", check->ok()},
                                {"accounts", check->accounts},
                                {"entries", check->entries},
                                {"open_reservations", check->open_reservations},
                                {"splits", split_check->splits},
                                {"shares", split_check->shares},
                                {"violations", check->violations}}
                     .dump(2)
              << "\n";
  } else {
    std::cout << "accounts: " << check->accounts << ", journal entries: " << check->entries
              << ", open reservations: " << check->open_reservations
              << ", splits: " << split_check->splits << ", shares: " << split_check->shares << "\n";
    for (const std::string& violation : check->violations)
      std::cout << "VIOLATION: " << violation << "\n";
    std::cout << (check->ok() ? "ledger OK\n" : "ledger BROKEN\n");
  }
  if (!check->ok()) std::exit(1);
}

}  // namespace

void add_ledger_commands(CLI::App& app, CliContext& context) {
  auto* ledger = app.add_subcommand("ledger", "Ledger maintenance");
  ledger->require_subcommand(1);
  auto json = std::make_shared<bool>(false);
  auto* check = ledger->add_subcommand("check", "Verify every invariant; exit 1 on a violation");
  check->add_flag("--json", *json, "JSON output");
  check->callback([&context, json] { check_ledger(context, *json); });
}

}  // namespace pp::cli
