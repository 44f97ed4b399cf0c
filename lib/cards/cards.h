// cards.h: release cards: card numbers that stand for a user at a printer, optional PINs,
// lockout after repeated failures, and an audit log of every attempt.
//
// The store lives in the ledger file (tables from share/ledger/002-cards.sql). The PAM module
// pam_pullprint.so authenticates through it; `pullprint card ...` administers it.
//
// Contract for an implementation (Site::open in site/site.h picks it; SQLite is the default):
// authenticate() decides and records an attempt in one write transaction (the failure count,
// the lock and the audit row change together; a refused attempt is committed too), serialised
// against other attempts on the same card so that parallel wrong PINs cannot exceed
// max_failures. PINs are stored only as slow salted hashes (libsodium), checked outside the
// write lock. The PAM module loads the store into the login process: keep it lean.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cards/card-registration.h"
#include "config/config.h"
#include "ledger/ledger.h"
#include "util/status.h"

namespace pp {

// kUnissued: a prepaid card issued at a desk and not activated yet (no owner; see
// prepaid-cards.h).
enum class CardState { kActive, kBlocked, kUnissued };

// "active" / "blocked" / "unissued", as stored and shown.
std::string_view card_state_name(CardState state);

struct Card {
  std::string number;
  std::string user;
  bool has_pin = false;
  CardState state = CardState::kActive;
  int failures = 0;                           // wrong PINs since the last success or lock
  std::optional<std::int64_t> locked_until;   // unix seconds; set while (or after) locked
  std::int64_t created_at = 0;                // unix seconds
  std::optional<std::int64_t> last_used_at;   // last accepted login
  std::optional<std::int64_t> value;          // a prepaid card's value (minor units)
  std::optional<std::int64_t> activated_at;   // a prepaid card's activation
};

// A prepaid card as the desk issued it and what became of it.
struct PrepaidCard {
  std::string number;
  std::int64_t value = 0;  // minor units
  std::int64_t issued_at = 0;
  std::string issued_by;
  std::optional<std::string> activated_by;  // its owner once activated
  std::optional<std::int64_t> activated_at;
  std::optional<std::int64_t> credited_at;  // when its value's top-up was recorded as done
};

// What CardStore::activate_prepaid_card decided for a user entitled to the card.
struct PrepaidActivation {
  PrepaidCard card;
  bool first = false;  // this call attached the card (false: the user had activated it before)
};

// How many wrong PINs lock a card, and for how long.
struct CardPolicy {
  int max_failures = 5;
  std::int64_t lock_seconds = 300;
};

// The current time in unix seconds; injectable so that tests can step over a lock period.
using CardClock = std::function<std::int64_t()>;

// The system clock as a CardClock.
std::int64_t system_unix_seconds();

class CardStore {
 public:
  virtual ~CardStore() = default;

  // Registers a card for `user`; kAlreadyExists when the number is taken.
  virtual Status add_card(std::string_view number, std::string_view user) = 0;
  // Deletes a card (its attempts stay in the log); kNotFound when unknown.
  virtual Status remove_card(std::string_view number) = 0;
  // Blocks or unblocks a card; unblocking also clears failures and a running lock.
  virtual Status set_state(std::string_view number, CardState state) = 0;
  // Sets (hashing it) or, with nullopt, clears the card's PIN. Clears failures and lock.
  virtual Status set_pin(std::string_view number, const std::optional<std::string>& pin) = 0;
  // One card; kNotFound when unknown.
  virtual Result<Card> get_card(std::string_view number) = 0;
  // The cards of `user`, or all cards, ordered by user and number.
  virtual Result<std::vector<Card>> list_cards(const std::optional<std::string>& user) = 0;

  // Checks a presented card (and PIN) and returns the card's owner. Every call is logged.
  //  - malformed number: kInvalidArgument; unknown card: kNotFound;
  //  - blocked or locked card, wrong or missing PIN: kPermissionDenied (a wrong PIN counts
  //    towards the lock; the message of a locked card says until when).
  // A card without a PIN ignores `pin`. Success clears the failure count.
  virtual Result<std::string> authenticate(std::string_view number,
                                           const std::optional<std::string>& pin) = 0;

  // Prepaid cards (the workflow around them is prepaid-cards.h).
  //
  // Records unowned cards with `value` (minor units, > 0), all or none; kAlreadyExists when a
  // number is taken by any card. An unissued card is listed (state kUnissued) and refused at a
  // terminal with "activate this card first" (logged as 'unactivated').
  virtual Status issue_prepaid_cards(const std::vector<std::string>& numbers, std::int64_t value,
                                     std::string_view issued_by) = 0;
  // Attaches an unissued card to `user` (compare-and-set: of concurrent activations one wins)
  // and makes it their release card. Every attempt is logged in the audit log. Refusals:
  // kNotFound (no such prepaid card), kPermissionDenied (activated by another user, or `user`
  // made card-max-failures failed activations within card-lock-seconds: guessing is bounded
  // per user as PINs are per card). The user who activated it before gets first == false.
  virtual Result<PrepaidActivation> activate_prepaid_card(std::string_view number,
                                                          std::string_view user) = 0;
  // Records that the activated card's value is in the ledger; idempotent.
  virtual Status mark_prepaid_credited(std::string_view number) = 0;
  // Activated prepaid cards whose credit is not recorded yet (a crash cut it short).
  virtual Result<std::vector<PrepaidCard>> uncredited_prepaid_cards() = 0;
  // For `pullprint ledger check` (read-only): every credited card has exactly its value topped
  // up on its owner's account under prepaid_card_key, and every such top-up belongs to an
  // activated card of that owner and value. Reads the ledger's journal, which lives in the same
  // database (an implementation keeps them together). Returns the violations found.
  virtual Result<std::vector<std::string>> check_prepaid_cards() = 0;

  // Registering one's own card (the workflow and the code's rules: card-registration.h).
  //
  // Starts a registration of the unknown card `number` for a terminal (`started_by`, for the
  // log): a new code valid kRegistrationSeconds; a pending code of the same card is replaced.
  // Refusals: kInvalidArgument (malformed number), kAlreadyExists (the card is someone's, or a
  // prepaid card), kPermissionDenied (card-max-failures starts of this card within
  // card-lock-seconds).
  virtual Result<CardRegistration> start_registration(std::string_view number,
                                                      std::string_view started_by) = 0;
  // Confirms the pending registration whose code `typed_code` is (as typed: any case, dashes)
  // for `user`: the card becomes their release card (no PIN) and the code is used up, in one
  // compare-and-set. Every attempt is recorded. Refusals: kNotFound (no such pending code, or
  // used already), kConflict (the code expired), kAlreadyExists (the card was registered
  // meanwhile), kPermissionDenied (`user` had card-max-failures wrong or expired codes within
  // card-lock-seconds).
  virtual Result<Card> confirm_registration(std::string_view typed_code, std::string_view user) = 0;
};

// The message of a terminal's refusal of a prepaid card that is not activated yet.
inline constexpr std::string_view kActivateCardFirst = "activate this card first";

// Checks a card number from a reader or the network: 1-64 ASCII letters and digits.
Status validate_card_number(std::string_view number);

// Opens the card store in the ledger file at `path`, migrating the ledger if needed.
// (see LedgerMigrations in ledger/ledger.h).
Result<std::unique_ptr<CardStore>> open_sqlite_card_store(
    const std::string& path, CardPolicy policy, CardClock clock = system_unix_seconds,
    LedgerMigrations migrations = LedgerMigrations::kRun);

// card-max-failures (default 5) and card-lock-seconds (default 300) from the config.
Result<CardPolicy> card_policy_from_config(const Config& config);

}  // namespace pp
