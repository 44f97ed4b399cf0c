// desk.cpp: the print desk's money rules (desk.h): desk top-ups by receipt number, hand
// adjustments by form nonce, finding accounts.
#include "desk/desk.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "ledger/desk-key.h"

namespace pp {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The entry whose key is exactly `key`, if any (a prefix scan also finds longer keys).
Result<std::optional<JournalEntry>> entry_with_key(Ledger& ledger, const std::string& key) {
  Result<std::vector<JournalEntry>> entries = ledger.entries_with_key_prefix(key);
  if (!entries) return entries.status();
  for (const JournalEntry& entry : *entries)
    if (entry.idempotency_key == key) return std::optional<JournalEntry>(entry);
  return std::optional<JournalEntry>();
}

Status check_nonce(std::string_view nonce) {
  if (nonce.empty() || nonce.size() > kMaxDeskNonce ||
      !std::all_of(nonce.begin(), nonce.end(),
                   [](unsigned char c) { return std::isalnum(c) != 0; }))
    return Status(Code::kInvalidArgument, "the form has no valid nonce: open the page again");
  return Status::ok();
}

Status check_reason(std::string_view reason) {
  if (reason.find_first_not_of(" \t") == std::string_view::npos)
    return Status(Code::kInvalidArgument, "an adjustment needs a reason");
  if (reason.size() > kMaxAdjustReason)
    return Status(Code::kInvalidArgument,
                  "a reason has at most " + std::to_string(kMaxAdjustReason) + " bytes");
  for (unsigned char c : reason)
    if (c < 0x20 || c == 0x7f)
      return Status(Code::kInvalidArgument, "a reason has no control characters");
  return Status::ok();
}

}  // namespace

Result<std::string> parse_receipt_number(std::string_view text) {
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos)
    return Status(Code::kInvalidArgument, "a receipt number is required");
  const std::size_t last = text.find_last_not_of(" \t\r\n");
  const std::string_view receipt = text.substr(first, last - first + 1);
  if (receipt.size() > kMaxReceiptNumber)
    return Status(Code::kInvalidArgument, "a receipt number has at most " +
                                              std::to_string(kMaxReceiptNumber) + " characters");
  for (unsigned char c : receipt) {
    if (std::isalnum(c) == 0 && c != '-' && c != '_' && c != '/' && c != '.')
      return Status(Code::kInvalidArgument,
                    "a receipt number has letters, digits, '-', '_', '/' and '.' only");
  }
  return std::string(receipt);
}

Result<DeskTopUp> desk_top_up(Ledger& ledger, std::string_view account, std::int64_t amount,
                              std::string_view receipt, std::string_view actor) {
  Result<std::string> number = parse_receipt_number(receipt);
  if (!number) return number.status();
  if (amount <= 0) return Status(Code::kInvalidArgument, "a top-up is a positive amount");
  const std::string key = desk_topup_key(*number);
  // Read first to tell a repeat apart (the ledger's answer to a repeat is the first entry,
  // unmarked); the ledger's unique key still decides a race between two desks.
  Result<std::optional<JournalEntry>> first = entry_with_key(ledger, key);
  if (!first) return first.status();
  if (*first) {
    const JournalEntry& entry = **first;
    if (entry.account != account || entry.amount != amount)
      return Status(Code::kConflict,
                    "receipt " + *number + " was already used for another top-up (account " +
                        entry.account + ", " + entry.created_at + "): nothing was credited");
    return DeskTopUp{entry, true};
  }
  Result<JournalEntry> credited =
      ledger.top_up(account, amount, key, actor, "desk top-up, receipt " + *number);
  if (!credited) {
    if (credited.status().code() == Code::kConflict)
      return Status(Code::kConflict, "receipt " + *number +
                                         " was used at the same time for another top-up: "
                                         "nothing was credited");
    return credited.status();
  }
  return DeskTopUp{*credited, false};
}

Result<std::optional<JournalEntry>> find_desk_top_up(Ledger& ledger, std::string_view receipt) {
  Result<std::string> number = parse_receipt_number(receipt);
  if (!number) return number.status();
  return entry_with_key(ledger, desk_topup_key(*number));
}

Result<DeskTakings> desk_takings(Ledger& ledger, std::string_view day) {
  Result<std::vector<JournalEntry>> entries = ledger.entries_with_key_prefix(kDeskTopUpKeyPrefix);
  if (!entries) return entries.status();
  DeskTakings takings;
  for (const JournalEntry& entry : *entries) {
    if (entry.kind != EntryKind::kTopUp || entry.created_at.compare(0, day.size(), day) != 0)
      continue;
    takings.total += entry.amount;
    ++takings.count;
  }
  return takings;
}

Result<DeskAdjustment> desk_adjust(Ledger& ledger, std::string_view account,
                                   std::int64_t signed_amount, std::string_view reason,
                                   std::string_view nonce, std::string_view actor) {
  if (Status status = check_nonce(nonce); !status.is_ok()) return status;
  if (Status status = check_reason(reason); !status.is_ok()) return status;
  if (signed_amount == 0) return Status(Code::kInvalidArgument, "an adjustment is not 0");
  const std::string key = desk_adjust_key(nonce);
  Result<std::optional<JournalEntry>> first = entry_with_key(ledger, key);
  if (!first) return first.status();
  if (*first) {
    if ((*first)->account != account || (*first)->amount != signed_amount)
      return Status(Code::kConflict,
                    "this form was already used for another adjustment: open the page again");
    return DeskAdjustment{**first, true};
  }
  Result<JournalEntry> adjusted = ledger.adjust(account, signed_amount, key, actor, reason);
  if (!adjusted) return adjusted.status();
  return DeskAdjustment{*adjusted, false};
}

Result<AccountFinding> find_accounts(Ledger& ledger, PeopleStore& people,
                                     const ConsoleAccess& access, std::string_view text,
                                     std::int64_t offset, int limit) {
  Result<std::vector<Account>> accounts = ledger.list_accounts();
  if (!accounts) return accounts.status();
  const std::string wanted = lower(text);
  std::map<std::string, std::string, std::less<>> person_names;  // login -> name, lower case
  if (!wanted.empty()) {
    Result<std::vector<Person>> persons = people.list_people();
    if (!persons) return persons.status();
    for (const Person& person : *persons) person_names[person.login] = lower(person.display_name);
  }
  std::sort(accounts->begin(), accounts->end(),
            [](const Account& a, const Account& b) { return a.name < b.name; });
  AccountFinding found;
  for (const Account& account : *accounts) {
    if (!wanted.empty()) {
      bool match = lower(account.name).find(wanted) != std::string::npos ||
                   lower(account.display_name).find(wanted) != std::string::npos;
      if (!match && account.type == AccountType::kPersonal) {
        auto person = person_names.find(account.name);
        match = person != person_names.end() && person->second.find(wanted) != std::string::npos;
      }
      if (!match) continue;
    }
    if (!access.site_wide()) {
      Result<bool> covered = access.covers_account(account, people);
      if (!covered) return covered.status();
      if (!*covered) continue;
    }
    if (found.total++ < offset || static_cast<int>(found.accounts.size()) >= limit) continue;
    found.accounts.push_back(account);
  }
  return found;
}

}  // namespace pp
