// cards-sqlite.cpp: opening the card store and the admin operations on cards.
#include "cards/cards-sqlite.h"

#include "cards/card-pin.h"
#include "ledger/ledger.h"

namespace pp::cards_detail {

Status validate_user(std::string_view user) {
  if (user.empty() || user.size() > 256)
    return Status(Code::kInvalidArgument, "a user name has 1 to 256 characters");
  for (char c : user) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      return Status(Code::kInvalidArgument, "a user name has no control characters");
  }
  return Status::ok();
}

namespace {

std::optional<std::int64_t> optional_int(const SQLite::Column& column) {
  if (column.isNull()) return std::nullopt;
  return column.getInt64();
}

}  // namespace

Card card_from_row(SQLite::Statement& row) {
  Card card;
  card.number = row.getColumn(0).getString();
  card.user = row.getColumn(1).getString();
  card.has_pin = row.getColumn(2).getInt() != 0;
  card.state = row.getColumn(3).getString() == "blocked" ? CardState::kBlocked : CardState::kActive;
  card.failures = row.getColumn(4).getInt();
  card.locked_until = optional_int(row.getColumn(5));
  card.created_at = row.getColumn(6).getInt64();
  card.last_used_at = optional_int(row.getColumn(7));
  return card;
}

// A constraint firing means a bug: every write checks its input first.
SqliteCardStore::SqliteCardStore(const std::string& path, CardPolicy policy, CardClock clock)
    : connection_(path, "card store", Code::kInternal),
      db_(connection_.db()),
      policy_(policy),
      clock_(std::move(clock)) {}

Status SqliteCardStore::initialize() {
  return connection_.initialize([this](SQLite::Database& db) {
    // As the ledger: an accepted login or a counted failure must survive a power loss.
    db.exec("PRAGMA synchronous = FULL");
    if (db.execAndGet("PRAGMA user_version").getInt() < 2)
      return Status(Code::kInternal, connection_.path() + ": ledger has no card tables");
    return Status::ok();
  });
}

Status SqliteCardStore::add_card(std::string_view number, std::string_view user) {
  if (Status status = validate_card_number(number); !status.is_ok()) return status;
  if (Status status = validate_user(user); !status.is_ok()) return status;
  return connection_.write([&]() -> Status {
    SQLite::Statement exists(db_, "SELECT user FROM cards WHERE number = ?");
    exists.bind(1, std::string(number));
    if (exists.executeStep()) {
      return Status(Code::kAlreadyExists, "card " + std::string(number) + " belongs to " +
                                              exists.getColumn(0).getString());
    }
    if (find_prepaid(db_, std::string(number))) {
      return Status(Code::kAlreadyExists,
                    "card " + std::string(number) + " is a prepaid card, not activated yet");
    }
    SQLite::Statement insert(db_, "INSERT INTO cards (number, user, created_at) VALUES (?, ?, ?)");
    insert.bind(1, std::string(number));
    insert.bind(2, std::string(user));
    insert.bind(3, static_cast<std::int64_t>(clock_()));
    insert.exec();
    return Status::ok();
  });
}

Status SqliteCardStore::update_card(std::string_view number, const std::string& sql,
                                    const std::function<void(SQLite::Statement&)>& bind) {
  if (Status status = validate_card_number(number); !status.is_ok()) return status;
  return connection_.write([&]() -> Status {
    SQLite::Statement update(db_, sql);
    bind(update);
    update.bind(update.getBindParameterCount(), std::string(number));  // last: WHERE number = ?
    if (update.exec() == 0) return Status(Code::kNotFound, "no card " + std::string(number));
    return Status::ok();
  });
}

Status SqliteCardStore::remove_card(std::string_view number) {
  return update_card(number, "DELETE FROM cards WHERE number = ?", [](SQLite::Statement&) {});
}

Status SqliteCardStore::set_state(std::string_view number, CardState state) {
  if (state == CardState::kUnissued)
    return Status(Code::kInvalidArgument, "a card becomes unissued only by being issued");
  if (state == CardState::kBlocked) {
    return update_card(number, "UPDATE cards SET state = 'blocked' WHERE number = ?",
                       [](SQLite::Statement&) {});
  }
  // Unblocking is the admin's "let them in again": a running lock ends too.
  return update_card(number,
                     "UPDATE cards SET state = 'active', failures = 0, locked_until = NULL "
                     "WHERE number = ?",
                     [](SQLite::Statement&) {});
}

Status SqliteCardStore::set_pin(std::string_view number, const std::optional<std::string>& pin) {
  std::optional<std::string> hash;
  if (pin) {
    if (Status status = validate_pin(*pin); !status.is_ok()) return status;
    Result<std::string> hashed = hash_pin(*pin);  // slow: before taking the write lock
    if (!hashed) return hashed.status();
    hash = std::move(*hashed);
  }
  return update_card(number,
                     "UPDATE cards SET pin_hash = ?, failures = 0, locked_until = NULL "
                     "WHERE number = ?",
                     [&](SQLite::Statement& update) {
                       if (hash) update.bind(1, *hash);
                       else update.bind(1);  // NULL
                     });
}

Result<Card> SqliteCardStore::get_card(std::string_view number) {
  if (Status status = validate_card_number(number); !status.is_ok()) return status;
  return connection_.read([&]() -> Result<Card> {
    SQLite::Statement query(db_, std::string("SELECT ") + kCardColumns +
                                     " FROM cards WHERE number = ?");
    query.bind(1, std::string(number));
    if (!query.executeStep()) {
      std::optional<PrepaidCard> prepaid = find_prepaid(db_, std::string(number));
      if (prepaid && !prepaid->activated_by) return unissued_card(*prepaid);
      return Status(Code::kNotFound, "no card " + std::string(number));
    }
    Card card = card_from_row(query);
    if (std::optional<PrepaidCard> prepaid = find_prepaid(db_, card.number)) {
      card.value = prepaid->value;
      card.activated_at = prepaid->activated_at;
    }
    return card;
  });
}

Result<std::vector<Card>> SqliteCardStore::list_cards(const std::optional<std::string>& user) {
  return connection_.read([&]() -> Result<std::vector<Card>> {
    std::string sql = std::string("SELECT ") + kCardColumns + " FROM cards" +
                      (user ? " WHERE user = ?" : "") + " ORDER BY user, number";
    SQLite::Statement query(db_, sql);
    if (user) query.bind(1, *user);
    std::vector<Card> cards;
    // Unissued prepaid cards have no owner: listed first (user "" sorts first), in the full list.
    if (!user) {
      SQLite::Statement unissued(db_, std::string("SELECT ") + kPrepaidColumns +
                                          " FROM prepaid_cards WHERE activated_by IS NULL"
                                          " ORDER BY number");
      while (unissued.executeStep()) cards.push_back(unissued_card(prepaid_from_row(unissued)));
    }
    while (query.executeStep()) {
      Card card = card_from_row(query);
      if (std::optional<PrepaidCard> prepaid = find_prepaid(db_, card.number)) {
        card.value = prepaid->value;
        card.activated_at = prepaid->activated_at;
      }
      cards.push_back(std::move(card));
    }
    return cards;
  });
}

}  // namespace pp::cards_detail

namespace pp {

Result<std::unique_ptr<CardStore>> open_sqlite_card_store(const std::string& path,
                                                          CardPolicy policy, CardClock clock,
                                                          LedgerMigrations migrations) {
  // The ledger creates the file with the right mode, switches it to WAL and runs the
  // migrations (002-cards.sql among them); the card store then uses its own connection.
  if (migrations == LedgerMigrations::kRun) {
    Result<std::unique_ptr<Ledger>> ledger = open_sqlite_ledger(path);
    if (!ledger) return ledger.status();
  }
  try {
    auto store = std::make_unique<cards_detail::SqliteCardStore>(path, policy, std::move(clock));
    if (Status status = store->initialize(); !status.is_ok()) return status;
    return std::unique_ptr<CardStore>(std::move(store));
  } catch (const std::exception& error) {
    return sqlite::status_from_exception(error, "card store", Code::kInternal);
  }
}

Result<CardPolicy> card_policy_from_config(const Config& config) {
  CardPolicy policy;
  Result<std::int64_t> failures = config.get_int("card-max-failures", policy.max_failures);
  if (!failures) return failures.status();
  Result<std::int64_t> seconds = config.get_int("card-lock-seconds", policy.lock_seconds);
  if (!seconds) return seconds.status();
  if (*failures < 1 || *failures > 1000)
    return Status(Code::kInvalidArgument, "card-max-failures must be between 1 and 1000");
  if (*seconds < 0 || *seconds > 365LL * 24 * 3600)
    return Status(Code::kInvalidArgument, "card-lock-seconds must be between 0 and one year");
  policy.max_failures = static_cast<int>(*failures);
  policy.lock_seconds = *seconds;
  return policy;
}

}  // namespace pp
