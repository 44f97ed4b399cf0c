// cards-prepaid-sqlite.cpp: the SQLite card store's prepaid cards: issuing, the activation's
// compare-and-set, and the per-user limit on failed activations.
//
// Why a limit per user: a guesser tries many numbers, each once, so the per-card PIN lock never
// fires. Failed activations (an unknown number, a card someone else activated) are rows of the
// audit log; a user with card-max-failures of them within card-lock-seconds is refused until the
// oldest of those leaves the window. The count is read and the attempt recorded in one write
// transaction, so parallel guesses cannot slip past the limit. The numbers themselves carry 60
// random bits (prepaid-cards.h), so the limit only has to make guessing slow, not impossible.

#include "cards/cards-sqlite.h"
#include "sqlite/compare-and-set.h"
#include "util/utc-time.h"

namespace pp::cards_detail {

namespace {

// Audit outcomes that count towards the activation limit.
constexpr const char* kFailedActivation = "outcome IN ('activation-unknown', 'activation-taken')";

std::optional<std::int64_t> optional_int64(const SQLite::Column& column) {
  if (column.isNull()) return std::nullopt;
  return column.getInt64();
}

}  // namespace

PrepaidCard prepaid_from_row(SQLite::Statement& row) {
  PrepaidCard card;
  card.number = row.getColumn(0).getString();
  card.value = row.getColumn(1).getInt64();
  card.issued_at = row.getColumn(2).getInt64();
  card.issued_by = row.getColumn(3).getString();
  if (!row.getColumn(4).isNull()) card.activated_by = row.getColumn(4).getString();
  card.activated_at = optional_int64(row.getColumn(5));
  card.credited_at = optional_int64(row.getColumn(6));
  return card;
}

std::optional<PrepaidCard> find_prepaid(SQLite::Database& db, const std::string& number) {
  SQLite::Statement query(
      db, std::string("SELECT ") + kPrepaidColumns + " FROM prepaid_cards WHERE number = ?");
  query.bind(1, number);
  if (!query.executeStep()) return std::nullopt;
  return prepaid_from_row(query);
}

Card unissued_card(const PrepaidCard& prepaid) {
  Card card;
  card.number = prepaid.number;
  card.state = CardState::kUnissued;
  card.created_at = prepaid.issued_at;
  card.value = prepaid.value;
  return card;
}

Status SqliteCardStore::issue_prepaid_cards(const std::vector<std::string>& numbers,
                                            std::int64_t value, std::string_view issued_by) {
  if (value <= 0 || value > 1'000'000'000'000)
    return Status(Code::kInvalidArgument, "a prepaid card's value is above 0 and at most 10^12");
  if (Status status = validate_user(issued_by); !status.is_ok()) return status;
  for (const std::string& number : numbers) {
    if (Status status = validate_card_number(number); !status.is_ok()) return status;
  }
  return connection_.write([&]() -> Status {
    SQLite::Statement taken(db_,
                            "SELECT 1 FROM cards WHERE number = ?1 "
                            "UNION ALL SELECT 1 FROM prepaid_cards WHERE number = ?1");
    SQLite::Statement insert(db_,
                             "INSERT INTO prepaid_cards (number, value, issued_at, issued_by) "
                             "VALUES (?, ?, ?, ?)");
    const std::int64_t now = clock_();
    for (const std::string& number : numbers) {
      taken.reset();
      taken.bind(1, number);
      if (taken.executeStep())
        return Status(Code::kAlreadyExists, "card number " + number + " is taken");
      insert.reset();
      insert.bind(1, number);
      insert.bind(2, static_cast<std::int64_t>(value));
      insert.bind(3, now);
      insert.bind(4, std::string(issued_by));
      insert.exec();
    }
    return Status::ok();
  });
}

std::optional<std::int64_t> SqliteCardStore::activation_locked_until(const std::string& user,
                                                                     std::int64_t now) {
  // The max_failures-th newest failure: while it is inside the window, the user has had theirs.
  SQLite::Statement query(db_, std::string("SELECT time FROM card_attempts WHERE user = ? AND ") +
                                   kFailedActivation + " ORDER BY time DESC, id DESC LIMIT 1 " +
                                   "OFFSET ?");
  query.bind(1, user);
  query.bind(2, policy_.max_failures - 1);
  if (!query.executeStep()) return std::nullopt;
  const std::int64_t until = query.getColumn(0).getInt64() + policy_.lock_seconds;
  if (now >= until) return std::nullopt;
  return until;
}

SqliteCardStore::ActivationVerdict SqliteCardStore::decide_activation(const std::string& number,
                                                                      const std::string& user) {
  const std::int64_t now = clock_();
  if (std::optional<std::int64_t> until = activation_locked_until(user, now)) {
    log_attempt(number, "activation-locked", user);
    return {Code::kPermissionDenied,
            "too many failed card activations by " + user + "; try again after " +
                iso_utc_from_unix(*until),
            {}};
  }
  std::optional<PrepaidCard> prepaid = find_prepaid(db_, number);
  if (!prepaid) {
    log_attempt(number, "activation-unknown", user);
    return {Code::kNotFound, "no prepaid card " + number, {}};
  }
  if (prepaid->activated_by && *prepaid->activated_by != user) {
    // Who owns it is not said: the asker may be guessing.
    log_attempt(number, "activation-taken", user);
    return {
        Code::kPermissionDenied, "prepaid card " + number + " was activated by another user", {}};
  }
  if (prepaid->activated_by) {
    log_attempt(number, "activation-repeated", user);
    return {Code::kOk, "", {*prepaid, false}};
  }
  // The compare-and-set: only an unowned row changes (the write lock already serialises, the
  // condition states the rule for any other store).
  const int attached = sqlite::execute(db_,
                                       "UPDATE prepaid_cards SET activated_by = ?, activated_at = "
                                       "? WHERE number = ? AND activated_by IS NULL",
                                       user, now, number);
  if (attached != 1) {
    log_attempt(number, "activation-taken", user);
    return {
        Code::kPermissionDenied, "prepaid card " + number + " was activated by another user", {}};
  }
  sqlite::execute(db_, "INSERT INTO cards (number, user, created_at) VALUES (?, ?, ?)", number,
                  user, now);
  log_attempt(number, "activated", user);
  prepaid->activated_by = user;
  prepaid->activated_at = now;
  return {Code::kOk, "", {*prepaid, true}};
}

Result<PrepaidActivation> SqliteCardStore::activate_prepaid_card(std::string_view number_view,
                                                                 std::string_view user_view) {
  if (Status status = validate_user(user_view); !status.is_ok()) return status;
  const std::string user(user_view);
  if (Status status = validate_card_number(number_view); !status.is_ok()) {
    // A malformed number is a failed guess too, logged without its text (as authenticate does).
    Status logged = connection_.write([&]() -> Status {
      log_attempt("", "activation-unknown", user);
      return Status::ok();
    });
    if (!logged.is_ok()) return logged;
    return status;
  }
  const std::string number(number_view);
  Result<ActivationVerdict> verdict = connection_.write(
      [&]() -> Result<ActivationVerdict> { return decide_activation(number, user); });
  if (!verdict) return verdict.status();
  if (verdict->code != Code::kOk) return Status(verdict->code, verdict->message);
  return verdict->activation;
}

Status SqliteCardStore::mark_prepaid_credited(std::string_view number) {
  if (Status status = validate_card_number(number); !status.is_ok()) return status;
  return connection_.write([&]() -> Status {
    std::optional<PrepaidCard> prepaid = find_prepaid(db_, std::string(number));
    if (!prepaid) return Status(Code::kNotFound, "no prepaid card " + std::string(number));
    if (!prepaid->activated_by)
      return Status(Code::kConflict, "prepaid card " + std::string(number) + " is not activated");
    if (prepaid->credited_at) return Status::ok();
    SQLite::Statement update(db_, "UPDATE prepaid_cards SET credited_at = ? WHERE number = ?");
    update.bind(1, static_cast<std::int64_t>(clock_()));
    update.bind(2, std::string(number));
    update.exec();
    return Status::ok();
  });
}

Result<std::vector<PrepaidCard>> SqliteCardStore::uncredited_prepaid_cards() {
  return connection_.read([&]() -> Result<std::vector<PrepaidCard>> {
    SQLite::Statement query(db_, std::string("SELECT ") + kPrepaidColumns +
                                     " FROM prepaid_cards WHERE credited_at IS NULL AND "
                                     "activated_by IS NOT NULL ORDER BY activated_at, number");
    std::vector<PrepaidCard> cards;
    while (query.executeStep()) cards.push_back(prepaid_from_row(query));
    return cards;
  });
}

Result<std::vector<std::string>> SqliteCardStore::check_prepaid_cards() {
  return connection_.read([&]() -> Result<std::vector<std::string>> {
    std::vector<std::string> violations;
    // Each credited card against its top-up (the key is "prepaid-card:" + number, as
    // prepaid_card_key makes it).
    SQLite::Statement credited(
        db_,
        "SELECT p.number, p.value, p.activated_by, j.kind, j.amount, a.name "
        "FROM prepaid_cards p LEFT JOIN journal j ON j.idempotency_key = 'prepaid-card:' || "
        "p.number "
        "LEFT JOIN accounts a ON a.id = j.account_id WHERE p.credited_at IS NOT NULL");
    while (credited.executeStep()) {
      const std::string number = credited.getColumn(0).getString();
      if (credited.getColumn(3).isNull()) {
        violations.push_back("prepaid card " + number + " is marked credited without a top-up");
        continue;
      }
      if (credited.getColumn(3).getString() != "top-up" ||
          credited.getColumn(4).getInt64() != credited.getColumn(1).getInt64() ||
          credited.getColumn(5).getString() != credited.getColumn(2).getString()) {
        violations.push_back("prepaid card " + number + ": its top-up is not " +
                             std::to_string(credited.getColumn(1).getInt64()) + " to " +
                             credited.getColumn(2).getString());
      }
    }
    // Each card top-up against an activated card (a credit without an activation is money
    // from nowhere).
    SQLite::Statement entries(
        db_,
        "SELECT j.idempotency_key FROM journal j LEFT JOIN prepaid_cards p "
        "ON j.idempotency_key = 'prepaid-card:' || p.number "
        "WHERE j.idempotency_key LIKE 'prepaid-card:%' AND p.activated_by IS NULL");
    while (entries.executeStep()) {
      violations.push_back("journal entry " + entries.getColumn(0).getString() +
                           " credits no activated prepaid card");
    }
    return violations;
  });
}

}  // namespace pp::cards_detail
