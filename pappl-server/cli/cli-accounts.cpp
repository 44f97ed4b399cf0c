// cli-accounts.cpp: `pullprint account ...`: create, list, show, limit and members.
//
// Each subcommand's arguments live in a struct owned (through shared_ptr) by the subcommand's
// callback, so CLI11 can bind to them for as long as the app exists.
#include <iostream>

#include "charging/money-input.h"
#include "charging/payer.h"
#include "cli/cli-output.h"
#include "cli/cli.h"
#include "pricing/pricing.h"

namespace pp::cli {

namespace {

struct AccountArgs {
  std::string name;
  std::string user;
  bool shared = false;
  std::string display_name;
  std::string credit_limit = "0";
  bool unlimited = false;
  bool json = false;
  std::string key;   // payout: idempotency key
  std::string note;  // payout: why
};

void create_account(CliContext& context, const AccountArgs& args) {
  Result<std::int64_t> limit = parse_money(args.credit_limit, context.currency());
  if (!limit) die(limit.status());
  NewAccount account{args.name, args.shared ? AccountType::kShared : AccountType::kPersonal,
                     args.display_name, *limit, args.unlimited};
  Result<Account> created = context.ledger().create_account(account);
  if (!created) die(created.status());
  std::cout << "created " << (args.shared ? "shared" : "personal") << " account " << created->name
            << "\n";
}

void list_accounts(CliContext& context, const AccountArgs& args) {
  Result<std::vector<Account>> accounts = context.ledger().list_accounts();
  if (!accounts) die(accounts.status());
  std::string currency = context.currency();
  if (!args.json) return print_account_table(*accounts, currency);
  nlohmann::json list = nlohmann::json::array();
  for (const Account& account : *accounts) list.push_back(account_json(account, currency));
  std::cout << list.dump(2) << "\n";
}

void show_account(CliContext& context, const AccountArgs& args) {
  Result<Account> account = context.ledger().get_account(args.name);
  if (!account) die(account.status());
  std::string currency = context.currency();
  if (!args.json) return print_account_table({*account}, currency);
  nlohmann::json object = account_json(*account, currency);
  Result<std::vector<std::string>> members = context.ledger().members(args.name);
  if (!members) die(members.status());
  object["members"] = *members;
  std::cout << object.dump(2) << "\n";
}

void set_limit(CliContext& context, const AccountArgs& args) {
  Result<std::int64_t> limit = parse_money(args.credit_limit, context.currency());
  if (!limit) die(limit.status());
  Status status = context.ledger().set_credit_limit(args.name, *limit, args.unlimited);
  if (!status.is_ok()) die(status);
  std::cout << args.name << ": "
            << (args.unlimited ? "unlimited" : "credit limit " + args.credit_limit) << "\n";
}

// Pays a leaving user their self-paid money (Ledger::payout); allocated money stays.
void pay_out(CliContext& context, const AccountArgs& args) {
  std::string key = args.key.empty() ? random_key("payout") : args.key;
  Result<JournalEntry> entry = context.ledger().payout(args.name, key, current_user(), args.note);
  if (!entry) die(entry.status());
  Result<Account> account = context.ledger().get_account(args.name);
  if (!account) die(account.status());
  std::string currency = context.currency();
  std::cout << args.name << ": pay out " << format_money(-entry->amount, currency)
            << " of self-paid money (entry " << entry->id << "), balance "
            << format_money(account->balance, currency) << " (allocated "
            << format_money(account->allocated, currency) << ")\n";
}

void change_member(CliContext& context, const AccountArgs& args, bool add) {
  Ledger& ledger = context.ledger();
  // "@GROUP": every member of the group may charge it (resolve_payer asks the people store).
  if (Status valid = validate_account_member(args.user); add && !valid.is_ok()) die(valid);
  Status status =
      add ? ledger.add_member(args.name, args.user) : ledger.remove_member(args.name, args.user);
  if (!status.is_ok()) die(status);
  std::cout << args.user << (add ? " may charge " : " may no longer charge ") << args.name << "\n";
}

void list_members(CliContext& context, const AccountArgs& args) {
  Result<std::vector<std::string>> members = context.ledger().members(args.name);
  if (!members) die(members.status());
  if (args.json) {
    std::cout << nlohmann::json(*members).dump(2) << "\n";
    return;
  }
  for (const std::string& user : *members) std::cout << user << "\n";
}

void add_member_commands(CLI::App& account, CliContext& context) {
  auto* member = account.add_subcommand("member", "Who may charge a shared account");
  member->require_subcommand(1);
  for (bool add : {true, false}) {
    auto args = std::make_shared<AccountArgs>();
    auto* command = member->add_subcommand(
        add ? "add" : "remove",
        add ? "Let USER (or every member of @GROUP) charge ACCOUNT (job-account-id)"
            : "Stop USER (or @GROUP) charging ACCOUNT");
    command->add_option("account", args->name)->required();
    command->add_option("user", args->user, "A user name or @GROUP")->required();
    command->callback([&context, args, add] { change_member(context, *args, add); });
  }
  auto args = std::make_shared<AccountArgs>();
  auto* list = member->add_subcommand("list", "List who may charge ACCOUNT");
  list->add_option("account", args->name)->required();
  list->add_flag("--json", args->json, "JSON output");
  list->callback([&context, args] { list_members(context, *args); });
}

}  // namespace

void add_account_commands(CLI::App& app, CliContext& context) {
  auto* account = app.add_subcommand("account", "Create, list and inspect accounts");
  account->require_subcommand(1);

  auto create_args = std::make_shared<AccountArgs>();
  auto* create = account->add_subcommand("create", "Create an account");
  create->add_option("name", create_args->name, "User name, or a shared account's name")
      ->required();
  create->add_flag("--shared", create_args->shared, "A shared account (department, project)");
  create->add_option("--display-name", create_args->display_name, "Name shown to people");
  create->add_option("--credit-limit", create_args->credit_limit,
                     "How far below zero the account may go, e.g. 5.00");
  create->add_flag("--unlimited", create_args->unlimited, "Never refuse a job for lack of funds");
  create->callback([&context, create_args] { create_account(context, *create_args); });

  auto list_args = std::make_shared<AccountArgs>();
  auto* list = account->add_subcommand("list", "List all accounts");
  list->add_flag("--json", list_args->json, "JSON output");
  list->callback([&context, list_args] { list_accounts(context, *list_args); });

  auto show_args = std::make_shared<AccountArgs>();
  auto* show = account->add_subcommand("show", "Show one account and its members");
  show->add_option("name", show_args->name)->required();
  show->add_flag("--json", show_args->json, "JSON output");
  show->callback([&context, show_args] { show_account(context, *show_args); });

  auto limit_args = std::make_shared<AccountArgs>();
  auto* limit = account->add_subcommand("limit", "Set an account's credit limit");
  limit->add_option("name", limit_args->name)->required();
  limit->add_option("--credit-limit", limit_args->credit_limit, "e.g. 5.00; 0 means no credit");
  limit->add_flag("--unlimited", limit_args->unlimited, "Never refuse a job for lack of funds");
  limit->callback([&context, limit_args] { set_limit(context, *limit_args); });

  auto payout_args = std::make_shared<AccountArgs>();
  auto* payout = account->add_subcommand(
      "payout", "Pay a leaving user their self-paid money (allocated money is not paid out)");
  payout->add_option("name", payout_args->name)->required();
  payout->add_option("--key", payout_args->key, "Idempotency key: repeating the command is safe");
  payout->add_option("--note", payout_args->note, "Why (kept in the journal)");
  payout->callback([&context, payout_args] { pay_out(context, *payout_args); });

  add_member_commands(*account, context);
}

}  // namespace pp::cli
