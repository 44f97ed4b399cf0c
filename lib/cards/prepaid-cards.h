// prepaid-cards.h: prepaid cards sold at a desk: issuing numbers with a value and no owner, and
// the activation that makes one a user's release card and credits its value exactly once.
//
// Why a workflow beside the store: activation changes two stores (the card store and the
// ledger) and no transaction spans both (ARCHITECTURE.md §6). The card store decides first (its
// compare-and-set picks the one owner), then the ledger is credited under one key per card
// number (prepaid_card_key), then the store records the credit. A crash between the steps
// leaves an activated, uncredited card: activating it again, or credit_uncredited_prepaid_cards
// (run by pullprintd's timer), repeats the top-up, which the ledger applies once.
//
// Numbers: kPrepaidNumberLength characters of Crockford's base32 alphabet (digits and capital
// letters without I, L, O and U, which read like 1, 1, 0 and V), 60 random bits from libsodium's
// randombytes_uniform. A desk can read and type them; normalize_prepaid_number() takes what a
// person typed (lower case, spaces, dashes, O for 0, I or L for 1).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cards/cards.h"
#include "config/config.h"
#include "ledger/ledger.h"
#include "util/status.h"

namespace pp {

// The alphabet and length of a prepaid card number.
inline constexpr std::string_view kPrepaidAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
inline constexpr std::size_t kPrepaidNumberLength = 12;

// Most cards one `issue` makes (one transaction, one printable list).
inline constexpr int kMaxPrepaidIssue = 10000;

// "prepaid-card:<number>": the idempotency key of the top-up that credits the card's value.
// Stored in ledgers: keep it byte for byte.
std::string prepaid_card_key(std::string_view number);

// A fresh random prepaid card number (libsodium).
Result<std::string> new_prepaid_number();

// A typed prepaid number in canonical form: upper case, without spaces and dashes, with O read
// as 0 and I, L as 1. Other text is returned as it is (and then not found).
std::string normalize_prepaid_number(std::string_view typed);

// Issues `count` (1..kMaxPrepaidIssue) new cards worth `value` minor units each; returns their
// numbers. A number that happens to be taken is drawn again.
Result<std::vector<std::string>> issue_prepaid_cards(CardStore& cards, int count,
                                                     std::int64_t value,
                                                     std::string_view issued_by);

// What an activation did.
struct PrepaidOutcome {
  std::string number;  // canonical
  std::string user;
  std::int64_t value = 0;
  bool credited_now = false;  // false: the card was activated and credited before
  std::int64_t balance = 0;   // the user's balance afterwards
};

// Activates the card `typed_number` for `user` and credits its value to their personal account
// (created with the config's initial-balance when they have none). Activating one's own card
// again credits nothing (credited_now false) unless a crash had cut the first credit short.
// Refusals are CardStore::activate_prepaid_card's; ledger failures are the ledger's (the card
// stays activated and uncredited, and the next attempt repeats the credit).
Result<PrepaidOutcome> activate_prepaid_card(CardStore& cards, Ledger& ledger, const Config& config,
                                             std::string_view typed_number, std::string_view user,
                                             std::string_view actor);

// Credits every activated card whose credit is not recorded (after a crash); returns how many.
Result<int> credit_uncredited_prepaid_cards(CardStore& cards, Ledger& ledger, const Config& config,
                                            std::string_view actor);

}  // namespace pp
