// desk.h: the print desk's money rules (issue 15's console, /pullprint/admin/account): a top-up
// paid at the desk against a receipt number, a hand adjustment with its reason, finding an
// account, and today's desk takings.
//
// Why here and not in the page: a desk top-up is money, and its one rule (the receipt number is
// the idempotency key: the same receipt credits once; the same receipt for another amount or
// account is refused, never credited again) must hold whichever door takes it. The ledger keeps
// the key unique (ledger/desk-key.h); these functions add what a desk is told: "already
// credited" for a repeat, a conflict naming the first credit for a mismatch.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "console/console-access.h"
#include "ledger/ledger.h"
#include "people/people.h"
#include "util/status.h"

namespace pp {

// The longest receipt number (characters) and nonce a desk form carries.
inline constexpr std::size_t kMaxReceiptNumber = 40;
inline constexpr std::size_t kMaxDeskNonce = 64;
// The longest reason of an adjustment (bytes).
inline constexpr std::size_t kMaxAdjustReason = 200;

// A receipt number as typed ("  R-2026/0042 "): trimmed; 1..kMaxReceiptNumber characters of
// letters, digits, '-', '_', '/', '.'. kInvalidArgument otherwise (empty: "a receipt number is
// required").
Result<std::string> parse_receipt_number(std::string_view text);

// What desk_top_up did.
struct DeskTopUp {
  JournalEntry entry;             // the credit (the first one, for a repeat)
  bool already_credited = false;  // this receipt had been credited before: nothing new
};

// Credits `amount` (> 0) to `account` against receipt `receipt` (parse_receipt_number's form),
// by `actor` (the console user). The same receipt again with the same account and amount
// returns the first credit with already_credited; with another account or amount, kConflict
// naming the first credit (nothing moves). Other refusals as Ledger::top_up (kNotFound for an
// unknown account, kInvalidArgument for the amount).
Result<DeskTopUp> desk_top_up(Ledger& ledger, std::string_view account, std::int64_t amount,
                              std::string_view receipt, std::string_view actor);

// The desk top-up of receipt `receipt`, if any (the receipt page).
Result<std::optional<JournalEntry>> find_desk_top_up(Ledger& ledger, std::string_view receipt);

// The sum and count of desk top-ups made on day `day` ("YYYY-MM-DD", UTC).
struct DeskTakings {
  std::int64_t total = 0;
  std::int64_t count = 0;
};
Result<DeskTakings> desk_takings(Ledger& ledger, std::string_view day);

// What desk_adjust did.
struct DeskAdjustment {
  JournalEntry entry;
  bool already_applied = false;  // this form had been submitted before: nothing new
};

// Adjusts `account` by `signed_amount` (!= 0) with `reason` (required, at most
// kMaxAdjustReason bytes, no control characters), once per form nonce `nonce` (1..kMaxDeskNonce
// characters of letters and digits). A repeat of the same form returns the first entry with
// already_applied; the nonce reused for another account or amount is kConflict.
Result<DeskAdjustment> desk_adjust(Ledger& ledger, std::string_view account,
                                   std::int64_t signed_amount, std::string_view reason,
                                   std::string_view nonce, std::string_view actor);

// One page of the accounts a console user finds (find_accounts).
struct AccountFinding {
  std::vector<Account> accounts;  // by name
  std::int64_t total = 0;         // how many match in all
};

// The accounts whose name or display name (or, for a personal account, the person's name in
// the people store) contains `text` (case-insensitive; "" = all), among those `access` covers
// (a scoped role: its users' personal accounts), by name, `offset` skipped, at most `limit`.
Result<AccountFinding> find_accounts(Ledger& ledger, PeopleStore& people,
                                     const ConsoleAccess& access, std::string_view text,
                                     std::int64_t offset, int limit);

}  // namespace pp
