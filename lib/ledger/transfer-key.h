// transfer-key.h: the idempotency keys of a credit transfer between two users' accounts
// (Ledger::transfer), beside job-ref.h where the jobs' keys are made.
//
// A transfer is two "adjustment" entries written in one transaction: the sender's debit and the
// recipient's credit. Their keys say that they are a transfer and pair them, so that a history
// page shows them as one ("transfer to bob" / "transfer from alice") and `pullprint ledger
// check` can prove that each debit has its credit:
//
//   "transfer:<sender>:<nonce>:out"   the sender's debit    (amount < 0)
//   "transfer:<sender>:<nonce>:in"    the recipient's credit (amount > 0)
//
// <nonce> comes from the form the transfer was made with (a hidden field, new_transfer_nonce()),
// so a double submit moves the money once. Sender names never contain ':' (user names), so the
// key parses. Stored in ledgers: keep these strings byte for byte.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "util/status.h"

namespace pp {

// The prefix of every transfer key: entries_with_key_prefix(kTransferKeyPrefix) lists them.
inline constexpr std::string_view kTransferKeyPrefix = "transfer:";

// The pair of keys of one transfer.
struct TransferKeys {
  std::string out;  // "transfer:<sender>:<nonce>:out"
  std::string in;   // "transfer:<sender>:<nonce>:in"
};

// The keys of the transfer `sender` makes with the form's `nonce`.
TransferKeys transfer_keys(std::string_view sender, std::string_view nonce);

// What a transfer key names.
struct ParsedTransferKey {
  std::string sender;
  std::string nonce;
  bool out = false;  // the sender's debit (else the recipient's credit)
};

// The parts of a transfer key; std::nullopt for any other key.
std::optional<ParsedTransferKey> parse_transfer_key(std::string_view key);

// A fresh nonce for a transfer form: 32 hex digits (128 random bits from libsodium).
Result<std::string> new_transfer_nonce();

// Whether `nonce` looks like one new_transfer_nonce() makes (8-64 letters, digits or '-').
bool is_valid_transfer_nonce(std::string_view nonce);

}  // namespace pp
