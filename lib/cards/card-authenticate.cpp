// card-authenticate.cpp: checking a presented card and PIN, lockout, and the attempt log.
//
// The PIN check (Argon2id, ~0.1 s) runs before the write transaction so that the ledger's write
// lock is never held during it; the decision is then taken again on the row as it is under the
// lock, so concurrent attempts count every failure and a lock set meanwhile wins.
#include "cards/card-pin.h"
#include "cards/cards-sqlite.h"
#include "util/utc-time.h"

namespace pp::cards_detail {

namespace {

struct CardRow {
  bool found = false;
  std::optional<std::string> pin_hash;
  bool blocked = false;
  int failures = 0;
  std::optional<std::int64_t> locked_until;
  std::string user;
};

CardRow load_row(SQLite::Database& db, const std::string& number) {
  SQLite::Statement query(
      db, "SELECT pin_hash, state, failures, locked_until, user FROM cards WHERE number = ?");
  query.bind(1, number);
  CardRow row;
  if (!query.executeStep()) return row;
  row.found = true;
  if (!query.getColumn(0).isNull()) row.pin_hash = query.getColumn(0).getString();
  row.blocked = query.getColumn(1).getString() == "blocked";
  row.failures = query.getColumn(2).getInt();
  if (!query.getColumn(3).isNull()) row.locked_until = query.getColumn(3).getInt64();
  row.user = query.getColumn(4).getString();
  return row;
}

}  // namespace

void SqliteCardStore::log_attempt(const std::string& number, const char* outcome,
                                  const std::string& user) {
  SQLite::Statement insert(
      db_, "INSERT INTO card_attempts (card, time, outcome, user) VALUES (?, ?, ?, ?)");
  insert.bind(1, number);
  insert.bind(2, static_cast<std::int64_t>(clock_()));
  insert.bind(3, outcome);
  insert.bind(4, user);
  insert.exec();
}

Verdict SqliteCardStore::decide(const std::string& number,
                                const std::optional<std::string>& checked_hash, bool pin_given,
                                bool pin_ok) {
  CardRow row = load_row(db_, number);
  std::int64_t now = clock_();
  if (!row.found) {
    // A prepaid card gets its owner at activation (prepaid-cards.h), not at a terminal.
    if (std::optional<PrepaidCard> prepaid = find_prepaid(db_, number);
        prepaid && !prepaid->activated_by) {
      log_attempt(number, "unactivated", "");
      return {Code::kPermissionDenied,
              "card " + number + " is a prepaid card: " + std::string(kActivateCardFirst), ""};
    }
    log_attempt(number, "unknown-card", "");
    return {Code::kNotFound, "unknown card " + number, ""};
  }
  if (row.blocked) {
    log_attempt(number, "blocked", row.user);
    return {Code::kPermissionDenied, "card " + number + " is blocked", ""};
  }
  if (row.locked_until && now < *row.locked_until) {
    log_attempt(number, "locked", row.user);
    return {Code::kPermissionDenied,
            "card " + number + " locked until " + iso_utc_from_unix(*row.locked_until), ""};
  }
  // A PIN changed between the check and now counts as wrong: the caller checked an old one.
  bool accepted = !row.pin_hash || (pin_given && pin_ok && checked_hash == row.pin_hash);
  if (accepted) {
    SQLite::Statement update(db_,
                             "UPDATE cards SET failures = 0, locked_until = NULL, "
                             "last_used_at = ? WHERE number = ?");
    update.bind(1, static_cast<std::int64_t>(now));
    update.bind(2, number);
    update.exec();
    log_attempt(number, "accepted", row.user);
    return {Code::kOk, "", row.user};
  }
  log_attempt(number, pin_given ? "wrong-pin" : "no-pin", row.user);
  int failures = row.failures + 1;
  if (failures >= policy_.max_failures) {
    // Locking starts a fresh count: after the lock the holder gets max_failures tries again.
    std::int64_t until = now + policy_.lock_seconds;
    SQLite::Statement lock(db_,
                           "UPDATE cards SET failures = 0, locked_until = ? WHERE number = ?");
    lock.bind(1, static_cast<std::int64_t>(until));
    lock.bind(2, number);
    lock.exec();
    return {Code::kPermissionDenied, "card " + number + " locked until " + iso_utc_from_unix(until),
            ""};
  }
  SQLite::Statement count(db_, "UPDATE cards SET failures = ? WHERE number = ?");
  count.bind(1, failures);
  count.bind(2, number);
  count.exec();
  return {Code::kPermissionDenied,
          std::string(pin_given ? "wrong PIN" : "PIN required") + " for card " + number, ""};
}

Result<std::string> SqliteCardStore::authenticate(std::string_view number_view,
                                                  const std::optional<std::string>& pin) {
  if (Status status = validate_card_number(number_view); !status.is_ok()) {
    // Logged without the malformed text itself: it came from outside and may be anything.
    Status logged = connection_.write([&]() -> Status {
      log_attempt("", "invalid-number", "");
      return Status::ok();
    });
    if (!logged.is_ok()) return logged;
    return status;
  }
  std::string number(number_view);
  Result<std::optional<std::string>> hash =
      connection_.read([&]() -> Result<std::optional<std::string>> {
        return load_row(db_, number).pin_hash;
      });
  if (!hash) return hash.status();
  bool pin_ok = pin && *hash && pin_matches(*pin, **hash);
  Result<Verdict> verdict = connection_.write([&]() -> Result<Verdict> {
    return decide(number, *hash, pin.has_value(), pin_ok);
  });
  if (!verdict) return verdict.status();
  if (verdict->code != Code::kOk) return Status(verdict->code, verdict->message);
  return verdict->user;
}

}  // namespace pp::cards_detail
