// transfers.h: a user gives some of their credit to another user (the web's "Transfer credit"),
// where the site allows it.
//
// Why only self-paid money: allocated money is what the site gives each person for their own
// printing (allocation rules per group and period, expiring with the period); moving it would let
// a group pool its quotas into one account and would take money that expires from one person's
// period into another's. What a user paid themselves (top-ups, prepaid cards) is theirs to give.
// The ledger enforces it (Ledger::transfer): the amount must be self-paid money that is not held
// for open jobs, and a transfer never uses a credit limit.
//
// Config (pullprint.conf, top level):
//   transfers = no|yes         whether users may transfer credit (default no)
//   transfer-maximum = 2000    the most one transfer may move, in minor units of the
//                              site's currency like every amount in the config (default 2000)
//
// The recipient must be a person the site knows (the people store: local or from a directory,
// not archived) or have a personal account already; their account is created (with the config's
// initial-balance) when they have none. The transfer's keys come from the form's nonce
// (ledger/transfer-key.h), so a double submit moves the money once.
#pragma once

#include <cstdint>
#include <string>

#include "config/config.h"
#include "ledger/ledger.h"
#include "people/people.h"
#include "util/status.h"

namespace pp {

// Longest note a transfer carries (bytes).
inline constexpr std::size_t kMaxTransferNote = 200;

// Whether and how much users may transfer.
struct TransferPolicy {
  bool allowed = false;
  std::int64_t maximum = 0;  // minor units
  std::string currency;
};

// `transfers` and `transfer-maximum` from the config (kInvalidArgument for a bad value).
Result<TransferPolicy> transfer_policy_from_config(const Config& config);

// One transfer as a user asked for it.
struct TransferRequest {
  std::string sender;
  std::string recipient;
  std::int64_t amount = 0;  // minor units
  std::string nonce;        // the form's (ledger/transfer-key.h)
  std::string note;         // the sender's words, may be empty
};

// What a transfer did.
struct TransferOutcome {
  Ledger::Transfer entries;
  std::int64_t sender_balance = 0;  // afterwards
};

// Moves the credit (the rules above). Refusals: kPermissionDenied (transfers not allowed, the
// sender's account disabled), kInvalidArgument (amount <= 0, to oneself, a bad nonce or note),
// kLimitExceeded (above transfer-maximum), kNotFound (unknown recipient, the sender has no
// account), kInsufficientFunds (not enough self-paid money), kConflict (the nonce was used for
// another transfer). The same request again returns the first transfer's entries.
Result<TransferOutcome> transfer_credit(Ledger& ledger, PeopleStore& people, const Config& config,
                                        const TransferRequest& request);

}  // namespace pp
