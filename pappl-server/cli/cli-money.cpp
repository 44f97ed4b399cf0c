// cli-money.cpp: `pullprint topup|adjust|balance|history`: moving and showing money.
//
// topup and adjust work on the ledger file (the administrator on the server). balance and
// history also serve ordinary users, who cannot open an installed ledger (/var/lib/pullprint is
// pullprint:lp 2770): they read the ledger file when --ledger is given, or when neither
// --ledger nor --server is given and this user may open the file (root, pullprintd's user and
// group lp on the server); otherwise they ask pullprintd (PullPrint-Get-Account), which shows a
// user their own account only (admins any).
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>

#include "charging/money-input.h"
#include "charging/payer.h"
#include "cli/cli-ipp.h"
#include "cli/cli-output.h"
#include "cli/cli.h"
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
  std::string server;   // balance/history: ask pullprintd at this queue URI
  bool ledger = false;  // balance/history: read the ledger file, never pullprintd
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

// Whether balance/history read the ledger file: --ledger, or neither --ledger nor --server and
// this user may open the file (access() also says no when the directory is closed to them).
bool reads_ledger_file(CliContext& context, const MoneyArgs& args) {
  if (args.ledger) return true;
  if (!args.server.empty()) return false;
  return ::access(Site::ledger_path_of(context.config()).c_str(), R_OK | W_OK) == 0;
}

// The account (and with_history, its journal) from the ledger file. Checked first so that a user
// who may not open it is told so plainly (not SQLite's "unable to open database file"), and so
// that a read never creates a ledger.
AccountView read_ledger_file(CliContext& context, const MoneyArgs& args, bool with_history) {
  const std::string path = Site::ledger_path_of(context.config());
  if (::access(path.c_str(), R_OK | W_OK) != 0)
    fail("cannot open the ledger " + path + ": " + std::strerror(errno) +
         " (without --ledger, pullprint asks pullprintd)");
  const std::string name = args.account.empty() ? current_user() : args.account;
  AccountView view;
  Result<Account> account = context.ledger().get_account(name);
  if (!account) die(account.status());
  view.account = *account;
  view.currency = context.currency();
  if (!with_history) return view;
  Result<std::vector<JournalEntry>> entries = context.ledger().history(name, args.limit);
  if (!entries) die(entries.status());
  view.entries = std::move(*entries);
  return view;
}

// The account (and with_history, its journal) from the ledger file or from pullprintd.
AccountView read_account(CliContext& context, const MoneyArgs& args, bool with_history) {
  if (reads_ledger_file(context, args)) return read_ledger_file(context, args, with_history);
  Connection connection = connect(context, args.server);
  const std::string what = "cannot read " + (args.account.empty() ? std::string("your account")
                                                                  : "account " + args.account);
  return get_account(connection, args.account, with_history ? args.limit : 0, what);
}

void show_balance(CliContext& context, const MoneyArgs& args) {
  const AccountView view = read_account(context, args, false);
  if (args.json) {
    std::cout << account_json(view.account, view.currency).dump(2) << "\n";
    return;
  }
  const Account& account = view.account;
  std::cout << account.name << ": balance " << format_money(account.balance, view.currency)
            << ", reserved " << format_money(account.reserved, view.currency) << ", available "
            << format_money(account.available(), view.currency) << " (allocated "
            << format_money(account.allocated, view.currency) << ", self-paid "
            << format_money(account.self_paid(), view.currency) << ")\n";
}

void show_history(CliContext& context, const MoneyArgs& args) {
  const AccountView view = read_account(context, args, true);
  if (!args.json) return print_entry_table(view.entries, view.currency);
  nlohmann::json list = nlohmann::json::array();
  for (const JournalEntry& entry : view.entries) list.push_back(entry_json(entry, view.currency));
  std::cout << list.dump(2) << "\n";
}

// --server and --ledger of balance and history: where the account is read.
void add_source_options(CLI::App* command, MoneyArgs& args) {
  auto* server =
      command->add_option("--server", args.server,
                          "Ask pullprintd at this queue URI, e.g. ipp://127.0.0.1:8631/ipp/print");
  command->add_flag("--ledger", args.ledger, "Read the ledger file, never pullprintd")
      ->excludes(server);
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
  auto* balance = app.add_subcommand(
      "balance",
      "Show an account's balance (default: yours) from the ledger file when you may "
      "open it, else from pullprintd");
  balance->add_option("account", balance_args->account,
                      "Default: yours; another's through pullprintd: admins only");
  balance->add_flag("--json", balance_args->json, "JSON output");
  add_source_options(balance, *balance_args);
  balance->callback([&context, balance_args] { show_balance(context, *balance_args); });

  auto history_args = std::make_shared<MoneyArgs>();
  auto* history = app.add_subcommand(
      "history", "Show an account's journal, newest first (default: yours; read as balance is)");
  history->add_option("account", history_args->account,
                      "Default: yours; another's through pullprintd: admins only");
  history
      ->add_option("--limit", history_args->limit,
                   "At most this many entries (default 50; through pullprintd at most 1000)")
      ->check(CLI::PositiveNumber);
  history->add_flag("--json", history_args->json, "JSON output");
  add_source_options(history, *history_args);
  history->callback([&context, history_args] { show_history(context, *history_args); });
}

}  // namespace pp::cli
