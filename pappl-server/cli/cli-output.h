// cli-output.h: how the CLI shows accounts and journal entries, as text tables or JSON.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ledger/ledger.h"

namespace pp::cli {

nlohmann::json account_json(const Account& account, const std::string& currency);
nlohmann::json entry_json(const JournalEntry& entry, const std::string& currency);

// Prints accounts as an aligned table (name, type, balance, reserved, available, limit).
void print_account_table(const std::vector<Account>& accounts, const std::string& currency);
// Prints journal entries newest first.
void print_entry_table(const std::vector<JournalEntry>& entries, const std::string& currency);

}  // namespace pp::cli
