// cli-ledger.cpp: `pullprint ledger check`: prove the ledger's invariants, and that split shares
// and their reservations agree, and prepaid cards and their top-ups (check_site, lib/site/
// site-check.h, as the console's ledger page), exit 1 if any fails.
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/cli.h"
#include "site/site-check.h"

namespace pp::cli {

namespace {

void check_ledger(CliContext& context, bool json) {
  Result<SiteCheck> site_check =
      check_site(context.site(SiteStores{.splits = true, .cards = true}));
  if (!site_check) die(site_check.status());
  LedgerCheck* check = &site_check->ledger;
  const SiteCheck* split_check = &*site_check;  // its splits and shares
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
