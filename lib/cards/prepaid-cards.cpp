// prepaid-cards.cpp: issuing and activating prepaid cards (the rules are in prepaid-cards.h).
#include "cards/prepaid-cards.h"

#include <sodium.h>

#include <cctype>

namespace pp {

namespace {

constexpr int kMaxDraws = 5;  // per number: a collision of 60 random bits is never expected

// The card's top-up, then the record that it is done. Repeatable: the key makes the ledger
// apply the top-up once, and the record is idempotent.
Result<std::int64_t> credit(CardStore& cards, Ledger& ledger, const Config& config,
                            const PrepaidCard& card, std::string_view actor) {
  const std::string& owner = *card.activated_by;
  Result<std::int64_t> initial = config.get_int("initial-balance", 0);
  if (!initial) return initial.status();
  Result<Account> account = ledger.ensure_personal_account(owner, *initial);
  if (!account) return account.status();
  Result<JournalEntry> entry = ledger.top_up(owner, card.value, prepaid_card_key(card.number),
                                             actor, "prepaid card " + card.number);
  if (!entry) return entry.status();
  if (Status status = cards.mark_prepaid_credited(card.number); !status.is_ok()) return status;
  Result<Account> after = ledger.get_account(owner);
  if (!after) return after.status();
  return after->balance;
}

}  // namespace

std::string prepaid_card_key(std::string_view number) {
  return "prepaid-card:" + std::string(number);
}

Result<std::string> new_prepaid_number() {
  if (sodium_init() < 0) return Status(Code::kInternal, "libsodium cannot be initialised");
  std::string number;
  number.reserve(kPrepaidNumberLength);
  for (std::size_t i = 0; i < kPrepaidNumberLength; ++i) {
    number +=
        kPrepaidAlphabet[randombytes_uniform(static_cast<std::uint32_t>(kPrepaidAlphabet.size()))];
  }
  return number;
}

std::string normalize_prepaid_number(std::string_view typed) {
  std::string number;
  for (char c : typed) {
    if (c == ' ' || c == '-') continue;
    char upper = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (upper == 'O') upper = '0';
    if (upper == 'I' || upper == 'L') upper = '1';
    number += upper;
  }
  return number;
}

Result<std::vector<std::string>> issue_prepaid_cards(CardStore& cards, int count,
                                                     std::int64_t value,
                                                     std::string_view issued_by) {
  if (count < 1 || count > kMaxPrepaidIssue) {
    return Status(Code::kInvalidArgument,
                  "issue 1 to " + std::to_string(kMaxPrepaidIssue) + " cards at a time");
  }
  for (int draw = 0; draw < kMaxDraws; ++draw) {
    std::vector<std::string> numbers;
    for (int i = 0; i < count; ++i) {
      Result<std::string> number = new_prepaid_number();
      if (!number) return number.status();
      numbers.push_back(std::move(*number));
    }
    Status issued = cards.issue_prepaid_cards(numbers, value, issued_by);
    if (issued.is_ok()) return numbers;
    if (issued.code() != Code::kAlreadyExists) return issued;
    // A duplicate (within the batch or with a stored card): the whole batch is drawn again.
  }
  return Status(Code::kInternal, "random card numbers kept colliding");
}

Result<PrepaidOutcome> activate_prepaid_card(CardStore& cards, Ledger& ledger, const Config& config,
                                             std::string_view typed_number, std::string_view user,
                                             std::string_view actor) {
  const std::string number = normalize_prepaid_number(typed_number);
  Result<PrepaidActivation> activation = cards.activate_prepaid_card(number, user);
  if (!activation) return activation.status();
  const PrepaidCard& card = activation->card;
  PrepaidOutcome outcome{card.number, std::string(user), card.value, false, 0};
  if (card.credited_at) {
    Result<Account> account = ledger.get_account(user);
    if (!account) return account.status();
    outcome.balance = account->balance;
    return outcome;
  }
  // First activation, or a repeat after a crash cut the credit short: credit (once).
  Result<std::int64_t> balance = credit(cards, ledger, config, card, actor);
  if (!balance) return balance.status();
  outcome.credited_now = true;
  outcome.balance = *balance;
  return outcome;
}

Result<int> credit_uncredited_prepaid_cards(CardStore& cards, Ledger& ledger, const Config& config,
                                            std::string_view actor) {
  Result<std::vector<PrepaidCard>> pending = cards.uncredited_prepaid_cards();
  if (!pending) return pending.status();
  int credited = 0;
  for (const PrepaidCard& card : *pending) {
    Result<std::int64_t> balance = credit(cards, ledger, config, card, actor);
    if (!balance) return balance.status();
    ++credited;
  }
  return credited;
}

}  // namespace pp
