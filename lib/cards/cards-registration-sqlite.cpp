// cards-registration-sqlite.cpp: the SQLite card store's registrations of one's own card: the
// terminal's start (a code per card, replacing a pending one) and the web's confirmation (the
// compare-and-set that gives the card to the user and uses the code up), both rate-limited.
//
// Why the limits live in the write transaction: the count of recent failures (or starts) is read
// and the attempt recorded under the same write lock, so parallel guesses cannot slip past the
// limit (as the prepaid activations' limit, cards-prepaid-sqlite.cpp).
#include "cards/card-registration.h"
#include "cards/cards-sqlite.h"
#include "cards/prepaid-cards.h"
#include "sqlite/compare-and-set.h"
#include "util/utc-time.h"

namespace pp::cards_detail {

namespace {

constexpr int kMaxDraws = 5;  // a new code that happens to be pending already is drawn again

// Marks every pending registration that has run out as expired (its code may be drawn again).
void expire_registrations(SQLite::Database& db, std::int64_t now) {
  sqlite::execute(db,
                  "UPDATE card_registrations SET state = 'expired', decided_at = ?1 "
                  "WHERE state = 'pending' AND expires_at <= ?1",
                  now);
}

}  // namespace

void SqliteCardStore::log_registration(const std::string& user, const char* outcome,
                                       const std::string& card) {
  sqlite::execute(db_,
                  "INSERT INTO card_registration_attempts (user, time, outcome, card) "
                  "VALUES (?, ?, ?, ?)",
                  user, static_cast<std::int64_t>(clock_()), outcome, card);
}

Result<CardRegistration> SqliteCardStore::start_registration(std::string_view number_view,
                                                             std::string_view started_by) {
  if (Status status = validate_card_number(number_view); !status.is_ok()) return status;
  const std::string number(number_view);
  for (int draw = 0; draw < kMaxDraws; ++draw) {
    Result<std::string> code = new_registration_code();
    if (!code) return code.status();
    Result<std::optional<CardRegistration>> started =
        connection_.write([&]() -> Result<std::optional<CardRegistration>> {
          const std::int64_t now = clock_();
          SQLite::Statement owned(db_, "SELECT 1 FROM cards WHERE number = ?");
          owned.bind(1, number);
          if (owned.executeStep())
            return Status(Code::kAlreadyExists, "card " + number + " is registered already");
          if (find_prepaid(db_, number))
            return Status(Code::kAlreadyExists, "card " + number + " is a prepaid card: " +
                                                    std::string(kActivateCardFirst) +
                                                    " on the web");
          // The policy_.max_failures-th newest start inside the window: the card had its share.
          SQLite::Statement recent(db_,
                                   "SELECT started_at FROM card_registrations WHERE card = ? "
                                   "ORDER BY started_at DESC, id DESC LIMIT 1 OFFSET ?");
          recent.bind(1, number);
          recent.bind(2, policy_.max_failures - 1);
          if (recent.executeStep() && recent.getColumn(0).getInt64() + policy_.lock_seconds > now) {
            return Status(
                Code::kPermissionDenied,
                "too many registrations started for card " + number + "; try again after " +
                    iso_utc_from_unix(recent.getColumn(0).getInt64() + policy_.lock_seconds));
          }
          expire_registrations(db_, now);
          SQLite::Statement taken(
              db_, "SELECT 1 FROM card_registrations WHERE code = ? AND state = 'pending'");
          taken.bind(1, *code);
          if (taken.executeStep()) return std::optional<CardRegistration>();  // draw again
          sqlite::execute(db_,
                          "UPDATE card_registrations SET state = 'replaced', "
                          "decided_at = ? WHERE card = ? AND state = 'pending'",
                          now, number);
          CardRegistration registration{number, *code, now, now + kRegistrationSeconds};
          sqlite::execute(db_,
                          "INSERT INTO card_registrations (card, code, started_at, "
                          "started_by, expires_at) VALUES (?, ?, ?, ?, ?)",
                          number, registration.code, registration.started_at,
                          std::string(started_by), registration.expires_at);
          return std::optional<CardRegistration>(registration);
        });
    if (!started) return started.status();
    if (*started) return **started;
  }
  return Status(Code::kInternal, "random registration codes kept colliding");
}

SqliteCardStore::RegistrationVerdict SqliteCardStore::decide_registration(const std::string& code,
                                                                          const std::string& user) {
  const std::int64_t now = clock_();
  // The policy_.max_failures-th newest failure inside the window: the user had theirs.
  SQLite::Statement failures(db_,
                             "SELECT time FROM card_registration_attempts WHERE user = ? AND "
                             "outcome IN ('wrong-code', 'expired-code') "
                             "ORDER BY time DESC, id DESC LIMIT 1 OFFSET ?");
  failures.bind(1, user);
  failures.bind(2, policy_.max_failures - 1);
  if (failures.executeStep() && failures.getColumn(0).getInt64() + policy_.lock_seconds > now) {
    log_registration(user, "locked", "");
    return {Code::kPermissionDenied,
            "too many wrong registration codes by " + user + "; try again after " +
                iso_utc_from_unix(failures.getColumn(0).getInt64() + policy_.lock_seconds),
            {}};
  }
  // The newest registration with this code: pending, or what became of it.
  SQLite::Statement found(db_,
                          "SELECT id, card, state, expires_at FROM card_registrations "
                          "WHERE code = ? ORDER BY (state = 'pending') DESC, id DESC LIMIT 1");
  found.bind(1, code);
  if (!found.executeStep()) {
    log_registration(user, "wrong-code", "");
    return {Code::kNotFound, "no card registration has the code " + code, {}};
  }
  const std::int64_t id = found.getColumn(0).getInt64();
  const std::string card = found.getColumn(1).getString();
  const std::string state = found.getColumn(2).getString();
  const std::int64_t expires_at = found.getColumn(3).getInt64();
  found.reset();  // done reading: the row may change below
  if (state == "pending" && now >= expires_at) {
    sqlite::execute(db_,
                    "UPDATE card_registrations SET state = 'expired', decided_at = ? "
                    "WHERE id = ? AND state = 'pending'",
                    now, id);
    log_registration(user, "expired-code", card);
    return {Code::kConflict,
            "the registration code " + code + " expired; tap the card at a terminal again",
            {}};
  }
  if (state != "pending") {
    // Used, replaced, expired or refused: a failed guess as much as an unknown code.
    log_registration(user, state == "expired" ? "expired-code" : "wrong-code", "");
    return {Code::kNotFound,
            "the registration code " + code + " is no longer valid (" + state +
                "); tap the card at a terminal again",
            {}};
  }
  SQLite::Statement owned(db_, "SELECT 1 FROM cards WHERE number = ?");
  owned.bind(1, card);
  if (owned.executeStep() || find_prepaid(db_, card)) {
    sqlite::execute(db_,
                    "UPDATE card_registrations SET state = 'refused', decided_at = ? "
                    "WHERE id = ? AND state = 'pending'",
                    now, id);
    log_registration(user, "card-taken", card);
    return {Code::kAlreadyExists, "the card of code " + code + " was registered meanwhile", {}};
  }
  // The compare-and-set: only a pending row is used up (the write lock already serialises, the
  // condition states the rule for any other store).
  const int used = sqlite::execute(db_,
                                   "UPDATE card_registrations SET state = 'confirmed', "
                                   "confirmed_by = ?, decided_at = ? WHERE id = ? AND state = "
                                   "'pending'",
                                   user, now, id);
  if (used != 1) {
    log_registration(user, "wrong-code", "");
    return {Code::kNotFound, "no card registration has the code " + code, {}};
  }
  sqlite::execute(db_, "INSERT INTO cards (number, user, created_at) VALUES (?, ?, ?)", card, user,
                  now);
  log_registration(user, "registered", card);
  Card added;
  added.number = card;
  added.user = user;
  added.created_at = now;
  return {Code::kOk, "", added};
}

Result<Card> SqliteCardStore::confirm_registration(std::string_view typed_code,
                                                   std::string_view user_view) {
  if (Status status = validate_user(user_view); !status.is_ok()) return status;
  const std::string user(user_view);
  std::string code = normalize_prepaid_number(typed_code);
  if (code.empty() || code.size() > 64) {
    return Status(Code::kInvalidArgument, "enter the code the terminal showed");
  }
  Result<RegistrationVerdict> verdict = connection_.write(
      [&]() -> Result<RegistrationVerdict> { return decide_registration(code, user); });
  if (!verdict) return verdict.status();
  if (verdict->code != Code::kOk) return Status(verdict->code, verdict->message);
  return verdict->card;
}

}  // namespace pp::cards_detail
