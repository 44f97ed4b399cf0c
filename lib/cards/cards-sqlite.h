// cards-sqlite.h: the SQLite CardStore on the ledger file (private to lib/cards).
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include "cards/cards.h"
#include "sqlite/connection.h"

namespace pp::cards_detail {

// What one authentication attempt decided; recorded in the same transaction as its effects,
// so a refused attempt is committed too (Connection::write rolls back a failed Result).
struct Verdict {
  Code code = Code::kOk;
  std::string message;
  std::string user;  // the owner on success
};

class SqliteCardStore final : public CardStore {
 public:
  SqliteCardStore(const std::string& path, CardPolicy policy, CardClock clock);

  Status initialize();

  Status add_card(std::string_view number, std::string_view user) override;
  Status remove_card(std::string_view number) override;
  Status set_state(std::string_view number, CardState state) override;
  Status set_pin(std::string_view number, const std::optional<std::string>& pin) override;
  Result<Card> get_card(std::string_view number) override;
  Result<std::vector<Card>> list_cards(const std::optional<std::string>& user) override;
  Result<std::string> authenticate(std::string_view number,
                                   const std::optional<std::string>& pin) override;
  Status issue_prepaid_cards(const std::vector<std::string>& numbers, std::int64_t value,
                             std::string_view issued_by) override;
  Result<PrepaidActivation> activate_prepaid_card(std::string_view number,
                                                  std::string_view user) override;
  Status mark_prepaid_credited(std::string_view number) override;
  Result<std::vector<PrepaidCard>> uncredited_prepaid_cards() override;
  Result<std::vector<std::string>> check_prepaid_cards() override;
  Result<CardRegistration> start_registration(std::string_view number,
                                              std::string_view started_by) override;
  Result<Card> confirm_registration(std::string_view typed_code, std::string_view user) override;

 private:
  // Decides and records an attempt inside the write transaction; `pin_ok` is the PIN check
  // done before (outside the lock, it is slow) against `checked_hash`.
  Verdict decide(const std::string& number, const std::optional<std::string>& checked_hash,
                 bool pin_given, bool pin_ok);
  void log_attempt(const std::string& number, const char* outcome, const std::string& user);
  // Decides and records one activation attempt inside the write transaction
  // (cards-prepaid-sqlite.cpp); a refusal is a verdict, so that its log row is committed.
  struct ActivationVerdict {
    Code code = Code::kOk;
    std::string message;
    PrepaidActivation activation;
  };
  ActivationVerdict decide_activation(const std::string& number, const std::string& user);
  // Until when `user` may not activate cards (too many recent failed activations), if so.
  std::optional<std::int64_t> activation_locked_until(const std::string& user, std::int64_t now);
  // Decides and records one confirmation inside the write transaction
  // (cards-registration-sqlite.cpp); a refusal is a verdict, so that its log row is committed.
  struct RegistrationVerdict {
    Code code = Code::kOk;
    std::string message;
    Card card;
  };
  RegistrationVerdict decide_registration(const std::string& code, const std::string& user);
  // Records one confirmation attempt of `user`.
  void log_registration(const std::string& user, const char* outcome, const std::string& card);
  // Runs an UPDATE on one card by number; kNotFound when no row changed.
  Status update_card(std::string_view number, const std::string& sql,
                     const std::function<void(SQLite::Statement&)>& bind);

  sqlite::Connection connection_;
  SQLite::Database& db_;
  CardPolicy policy_;
  CardClock clock_;
};

// SELECT list matching card_from_row().
inline constexpr const char* kCardColumns =
    "number, user, pin_hash IS NOT NULL, state, failures, locked_until, created_at, last_used_at";

// Reads a row selected with kCardColumns.
Card card_from_row(SQLite::Statement& row);

// SELECT list matching prepaid_from_row().
inline constexpr const char* kPrepaidColumns =
    "number, value, issued_at, issued_by, activated_by, activated_at, credited_at";

// Reads a row selected with kPrepaidColumns.
PrepaidCard prepaid_from_row(SQLite::Statement& row);

// The prepaid card `number` (any state), if there is one; inside a transaction.
std::optional<PrepaidCard> find_prepaid(SQLite::Database& db, const std::string& number);

// An unissued prepaid card as a Card (state kUnissued, no owner).
Card unissued_card(const PrepaidCard& prepaid);

// Checks a user name given to the store: 1-256 characters, no control characters.
Status validate_user(std::string_view user);

}  // namespace pp::cards_detail
