// cli-output.cpp: text and JSON renderings of ledger objects for the CLI.
#include "cli/cli-output.h"

#include <fmt/core.h>

#include "pricing/pricing.h"

namespace pp::cli {

namespace {

std::string type_name(AccountType type) {
  return type == AccountType::kShared ? "shared" : "personal";
}

std::string limit_text(const Account& account, const std::string& currency) {
  if (account.unlimited) return "unlimited";
  return account.credit_limit ? format_money(account.credit_limit, currency) : "-";
}

}  // namespace

nlohmann::json account_json(const Account& account, const std::string& currency) {
  return {{"name", account.name},
          {"type", type_name(account.type)},
          {"display_name", account.display_name},
          {"currency", currency},
          {"balance", account.balance},
          {"reserved", account.reserved},
          {"available", account.available()},
          {"credit_limit", account.credit_limit},
          {"unlimited", account.unlimited},
          {"enabled", account.enabled},
          {"created_at", account.created_at},
          {"allocated", account.allocated},
          {"self_paid", account.self_paid()}};
}

nlohmann::json entry_json(const JournalEntry& entry, const std::string& currency) {
  nlohmann::json json = {{"id", entry.id},
                         {"account", entry.account},
                         {"kind", std::string(entry_kind_name(entry.kind))},
                         {"amount", entry.amount},
                         {"currency", currency},
                         {"key", entry.idempotency_key},
                         {"actor", entry.actor},
                         {"note", entry.note},
                         {"created_at", entry.created_at},
                         {"allocated", entry.allocated},
                         {"self_paid", entry.self_paid()}};
  json["reservation"] = entry.reservation_id ? nlohmann::json(*entry.reservation_id) : nullptr;
  return json;
}

void print_account_table(const std::vector<Account>& accounts, const std::string& currency) {
  fmt::print("{:<20} {:<9} {:>14} {:>14} {:>14} {:>14} {:>14} {:>14}\n", "ACCOUNT", "TYPE",
             "BALANCE", "RESERVED", "AVAILABLE", "CREDIT LIMIT", "ALLOCATED", "SELF-PAID");
  for (const Account& account : accounts)
    fmt::print("{:<20} {:<9} {:>14} {:>14} {:>14} {:>14} {:>14} {:>14}\n", account.name,
               type_name(account.type), format_money(account.balance, currency),
               format_money(account.reserved, currency),
               format_money(account.available(), currency), limit_text(account, currency),
               format_money(account.allocated, currency),
               format_money(account.self_paid(), currency));
}

void print_entry_table(const std::vector<JournalEntry>& entries, const std::string& currency) {
  fmt::print("{:>6} {:<24} {:<10} {:>14} {:>14} {:>14} {:<16} {}\n", "ID", "TIME", "KIND", "AMOUNT",
             "ALLOCATED", "SELF-PAID", "BY", "NOTE");
  for (const JournalEntry& entry : entries)
    fmt::print("{:>6} {:<24} {:<10} {:>14} {:>14} {:>14} {:<16} {}\n", entry.id, entry.created_at,
               entry_kind_name(entry.kind), format_money(entry.amount, currency),
               format_money(entry.allocated, currency), format_money(entry.self_paid(), currency),
               entry.actor, entry.note);
}

void print_json(const nlohmann::json& json) {
  std::cout << json.dump(2) << "\n";
}

}  // namespace pp::cli
