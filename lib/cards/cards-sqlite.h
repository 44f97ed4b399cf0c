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

 private:
  // Decides and records an attempt inside the write transaction; `pin_ok` is the PIN check
  // done before (outside the lock, it is slow) against `checked_hash`.
  Verdict decide(const std::string& number, const std::optional<std::string>& checked_hash,
                 bool pin_given, bool pin_ok);
  void log_attempt(const std::string& number, const char* outcome, const std::string& user);
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

}  // namespace pp::cards_detail
