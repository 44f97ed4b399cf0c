// cli-output.h: how the CLI shows accounts and journal entries, as text tables or JSON, and the
// shape every listing command shares (a `list` subcommand with --json, the JSON printed the same
// way), so that each command group says only what it lists.
#pragma once

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "ledger/ledger.h"

namespace pp::cli {

nlohmann::json account_json(const Account& account, const std::string& currency);
nlohmann::json entry_json(const JournalEntry& entry, const std::string& currency);

// Prints accounts as an aligned table (name, type, balance, reserved, available, limit).
void print_account_table(const std::vector<Account>& accounts, const std::string& currency);
// Prints journal entries newest first.
void print_entry_table(const std::vector<JournalEntry>& entries, const std::string& currency);

// Prints a command's JSON output: indented by two, one newline after it.
void print_json(const nlohmann::json& json);

// Prints `items` as one JSON array, each item as `to_json(item)` renders it.
template <typename Item, typename ToJson>
void print_json_list(const std::vector<Item>& items, ToJson&& to_json) {
  nlohmann::json list = nlohmann::json::array();
  for (const Item& item : items) list.push_back(to_json(item));
  print_json(list);
}

// Adds `parent`'s `list` subcommand: its --json flag (into `args->json`) and its callback,
// `list(*args)`. Returns it for the listing's own options.
template <typename Args, typename List>
CLI::App* add_list_command(CLI::App& parent, const std::string& description,
                           std::shared_ptr<Args> args, List list) {
  CLI::App* command = parent.add_subcommand("list", description);
  command->add_flag("--json", args->json, "JSON output");
  command->callback([args, list = std::move(list)] { list(*args); });
  return command;
}

}  // namespace pp::cli
