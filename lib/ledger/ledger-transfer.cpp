// ledger-transfer.cpp: transfer(), self-paid money moved from one account to another in one
// transaction (the rules are in ledger.h, the keys in transfer-key.h).
//
// Why in the ledger and not as two adjust() calls: a crash between two calls would leave money
// taken and not given (or given twice by a retry that found the first half); one transaction
// with both entries keeps the journal balanced by construction.
#include <algorithm>

#include "ledger/ledger-rows.h"
#include "ledger/ledger-sqlite.h"

namespace pp::ledger_detail {

Result<Ledger::Transfer> SqliteLedger::transfer(std::string_view from, std::string_view to,
                                                std::int64_t amount, const TransferKeys& keys,
                                                std::string_view actor, std::string_view note) {
  if (Status status = check_amount(amount, AmountRule::kPositive); !status.is_ok()) return status;
  if (Status status = check_key(keys.out); !status.is_ok()) return status;
  if (Status status = check_key(keys.in); !status.is_ok()) return status;
  if (keys.out == keys.in) return Status(Code::kInvalidArgument, "a transfer needs two keys");
  if (from == to) return Status(Code::kInvalidArgument, "a transfer needs two accounts");
  return write([&]() -> Result<Transfer> {
    Result<Account> sender = load_account(from);
    if (!sender.ok()) return sender.status();
    Result<Account> recipient = load_account(to);
    if (!recipient.ok()) return recipient.status();
    auto prior_out = replay(keys.out, EntryKind::kAdjustment, sender->id, -amount, std::nullopt);
    if (!prior_out.ok()) return prior_out.status();
    auto prior_in = replay(keys.in, EntryKind::kAdjustment, recipient->id, amount, std::nullopt);
    if (!prior_in.ok()) return prior_in.status();
    if (*prior_out && *prior_in) return Transfer{**prior_out, **prior_in};
    if (*prior_out || *prior_in)
      return Status(Code::kInternal, "transfer " + keys.out + " has one entry of two");
    if (!sender->enabled)
      return Status(Code::kPermissionDenied, "account '" + sender->name + "' is disabled");
    const std::int64_t spendable = std::min(sender->self_paid(), sender->available());
    if (amount > spendable) {
      return Status(Code::kInsufficientFunds,
                    "account '" + sender->name + "' may transfer at most " +
                        std::to_string(std::max<std::int64_t>(spendable, 0)) +
                        " (self-paid money not held for open jobs), not " + std::to_string(amount));
    }
    JournalEntry out =
        append(sender->id, EntryKind::kAdjustment, -amount, std::nullopt, keys.out, actor, note, 0);
    JournalEntry in = append(recipient->id, EntryKind::kAdjustment, amount, std::nullopt, keys.in,
                             actor, note, 0);
    return Transfer{out, in};
  });
}

}  // namespace pp::ledger_detail
