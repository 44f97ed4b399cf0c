// cli-money.cpp: `pullprint topup|adjust|balance|history`: moving and showing money.
#include <iostream>

#include "charging/money-input.h"
#include "cli-output.h"
#include "cli.h"
#include "pricing/pricing.h"

namespace pp::cli {

namespace {

struct MoneyArgs {
  std::string account;
  std::string amount;
  std::string key;
  std::string note;
  int limit = 50;
  bool json = false;
};

// Tops up or adjusts; a --key makes a retried command safe (the ledger applies it once).
void move_money(CliContext& context, const MoneyArgs& args, bool top_up) {
  std::string currency = context.currency();
  Result<std::int64_t> amount = parse_money(args.amount, currency);
  if (!amount) die(amount.status());
  std::string key = args.key.empty() ? random_key(top_up ? "topup" : "adjust") : args.key;
  std::string actor = current_user();
  Ledger& ledger = context.ledger();
  Result<JournalEntry> entry = top_up ? ledger.top_up(args.account, *amount, key, actor, args.note)
                                      : ledger.adjust(args.account, *amount, key, actor, args.note);
  if (!entry) die(entry.status());
  Result<Account> account = ledger.get_account(args.account);
  if (!account) die(account.status());
  std::cout << args.account << ": " << entry_kind_name(entry->kind) << " "
            << format_money(entry->amount, currency) << ", balance "
            << format_money(account->balance, currency) << " (entry " << entry->id << ")\n";
}

void show_balance(CliContext& context, const MoneyArgs& args) {
  std::string name = args.account.empty() ? current_user() : args.account;
  Result<Account> account = context.ledger().get_account(name);
  if (!account) die(account.status());
  std::string currency = context.currency();
  if (args.json) {
    std::cout << account_json(*account, currency).dump(2) << "\n";
    return;
  }
  std::cout << name << ": balance " << format_money(account->balance, currency) << ", reserved "
            << format_money(account->reserved, currency) << ", available "
            << format_money(account->available(), currency) << "\n";
}

void show_history(CliContext& context, const MoneyArgs& args) {
  std::string name = args.account.empty() ? current_user() : args.account;
  Result<std::vector<JournalEntry>> entries = context.ledger().history(name, args.limit);
  if (!entries) die(entries.status());
  std::string currency = context.currency();
  if (!args.json) return print_entry_table(*entries, currency);
  nlohmann::json list = nlohmann::json::array();
  for (const JournalEntry& entry : *entries) list.push_back(entry_json(entry, currency));
  std::cout << list.dump(2) << "\n";
}

}  // namespace

void add_money_commands(CLI::App& app, CliContext& context) {
  for (bool top_up : {true, false}) {
    auto args = std::make_shared<MoneyArgs>();
    auto* command = app.add_subcommand(
        top_up ? "topup" : "adjust",
        top_up ? "Add money to an account" : "Correct an account by a signed amount");
    command->add_option("account", args->account)->required();
    command->add_option("amount", args->amount, top_up ? "e.g. 10.00" : "e.g. -1.50")->required();
    command->add_option("--key", args->key, "Idempotency key: repeating the command is safe");
    command->add_option("--note", args->note, "Why (kept in the journal)");
    if (!top_up) command->get_option("--note")->required();
    command->callback([&context, args, top_up] { move_money(context, *args, top_up); });
  }

  auto balance_args = std::make_shared<MoneyArgs>();
  auto* balance = app.add_subcommand("balance", "Show an account's balance (default: yours)");
  balance->add_option("account", balance_args->account);
  balance->add_flag("--json", balance_args->json, "JSON output");
  balance->callback([&context, balance_args] { show_balance(context, *balance_args); });

  auto history_args = std::make_shared<MoneyArgs>();
  auto* history = app.add_subcommand("history", "Show an account's journal, newest first");
  history->add_option("account", history_args->account);
  history->add_option("--limit", history_args->limit, "At most this many entries");
  history->add_flag("--json", history_args->json, "JSON output");
  history->callback([&context, history_args] { show_history(context, *history_args); });
}

}  // namespace pp::cli
