// notify-sqlite.cpp: the SQLite notification store on the ledger file (notify-store.h; tables of
// share/ledger/011-notifications.sql).
#include <array>

#include "notify/notify-store.h"
#include "site/site.h"
#include "sqlite/connection.h"
#include "sqlite/rows.h"

namespace pp {
namespace {

constexpr std::array<std::string_view, 7> kKindNames = {
    "low-balance", "expiry-warning", "expired", "receipt", "approval", "printer-alert", "report"};
constexpr std::array<std::string_view, 3> kStateNames = {"pending", "sent", "failed"};

constexpr const char* kNoticeColumns =
    "id, kind, subject, recipient, address, title, body, state, attempts, claimed_until, "
    "last_error, created_at, sent_at";

Notice notice_from_row(SQLite::Statement& row) {
  Notice notice;
  std::string kind;
  std::string state;
  sqlite::read_columns(row, notice.id, kind, notice.subject, notice.recipient, notice.address,
                       notice.title, notice.body, state, notice.attempts, notice.claimed_until,
                       notice.last_error, notice.created_at, notice.sent_at);
  notice.kind = parse_notice_kind(kind).value_or(NoticeKind::kReceipt);
  notice.state = state == "sent"     ? NoticeState::kSent
                 : state == "failed" ? NoticeState::kFailed
                                     : NoticeState::kPending;
  return notice;
}

class SqliteNotifyStore final : public NotifyStore {
 public:
  // A constraint firing means a bug: every write checks its input first.
  explicit SqliteNotifyStore(const std::string& path)
      : connection_(path, "notification store", Code::kInternal), db_(connection_.db()) {}

  Status initialize() {
    return connection_.initialize([this](SQLite::Database& db) {
      if (db.execAndGet("PRAGMA user_version").getInt() < 12)
        return Status(Code::kInternal, connection_.path() + ": ledger has no notification tables");
      return Status::ok();
    });
  }

  Result<std::optional<Notice>> record(const NewNotice& notice, std::int64_t now) override {
    if (notice.subject.empty() || notice.recipient.empty())
      return Status(Code::kInvalidArgument, "a notification needs a subject and a recipient");
    return connection_.write([&]() -> Result<std::optional<Notice>> {
      SQLite::Statement insert(db_,
                               "INSERT INTO notifications (kind, subject, recipient, address, "
                               "title, body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                               "ON CONFLICT (kind, subject) DO NOTHING");
      sqlite::bind_values(insert, std::string(notice_kind_name(notice.kind)), notice.subject,
                          notice.recipient, notice.address, notice.title, notice.body, now);
      if (insert.exec() == 0) return std::optional<Notice>();
      return get_locked(db_.getLastInsertRowid());
    });
  }

  Result<std::optional<Notice>> claim(std::int64_t id, std::int64_t now, std::int64_t lease_seconds,
                                      int max_attempts) override {
    return connection_.write([&]() -> Result<std::optional<Notice>> {
      SQLite::Statement update(db_,
                               "UPDATE notifications SET attempts = attempts + 1, "
                               "claimed_until = ? WHERE id = ? AND state = 'pending' AND "
                               "attempts < ? AND claimed_until <= ?");
      sqlite::bind_values(update, now + lease_seconds, id, max_attempts, now);
      if (update.exec() == 0) return std::optional<Notice>();
      return get_locked(id);
    });
  }

  Status finish(std::int64_t id, bool sent, std::string_view error, std::int64_t now,
                int max_attempts) override {
    return connection_.write([&]() -> Status {
      SQLite::Statement update(
          db_, sent ? "UPDATE notifications SET state = 'sent', sent_at = ?, claimed_until = 0, "
                      "last_error = '' WHERE id = ? AND state = 'pending'"
                    : "UPDATE notifications SET state = CASE WHEN attempts >= ? THEN 'failed' "
                      "ELSE 'pending' END, claimed_until = 0, last_error = ? WHERE id = ? AND "
                      "state = 'pending'");
      if (sent)
        sqlite::bind_values(update, now, id);
      else
        sqlite::bind_values(update, max_attempts, std::string(error), id);
      update.exec();
      return Status::ok();
    });
  }

  Result<std::vector<Notice>> due(std::int64_t now, int max_attempts, int limit) override {
    return connection_.read([&]() -> Result<std::vector<Notice>> {
      SQLite::Statement query(db_, std::string("SELECT ") + kNoticeColumns +
                                       " FROM notifications WHERE state = 'pending' AND "
                                       "claimed_until <= ? AND attempts < ? ORDER BY id LIMIT ?");
      sqlite::bind_values(query, now, max_attempts, limit);
      std::vector<Notice> found;
      while (query.executeStep()) found.push_back(notice_from_row(query));
      return found;
    });
  }

  Result<std::vector<Notice>> list(std::string_view recipient, int limit) override {
    return connection_.read([&]() -> Result<std::vector<Notice>> {
      SQLite::Statement query(db_, std::string("SELECT ") + kNoticeColumns +
                                       " FROM notifications WHERE recipient = ? ORDER BY id DESC "
                                       "LIMIT ?");
      sqlite::bind_values(query, std::string(recipient), limit);
      std::vector<Notice> found;
      while (query.executeStep()) found.push_back(notice_from_row(query));
      return found;
    });
  }

  Result<bool> receipts_wanted(std::string_view login) override {
    return connection_.read([&]() -> Result<bool> {
      std::optional<bool> wanted = sqlite::query_one(
          db_, "SELECT receipts FROM notify_preferences WHERE login = ?",
          [](SQLite::Statement& row) { return row.getColumn(0).getInt() != 0; },
          std::string(login));
      return wanted.value_or(false);
    });
  }

  Status set_receipts(std::string_view login, bool wanted, std::int64_t now) override {
    if (login.empty()) return Status(Code::kInvalidArgument, "no user given");
    return connection_.write([&]() -> Status {
      SQLite::Statement upsert(db_,
                               "INSERT INTO notify_preferences (login, receipts, updated_at) "
                               "VALUES (?, ?, ?) ON CONFLICT (login) DO UPDATE SET "
                               "receipts = excluded.receipts, updated_at = excluded.updated_at");
      sqlite::bind_values(upsert, std::string(login), wanted ? 1 : 0, now);
      upsert.exec();
      return Status::ok();
    });
  }

  Result<std::optional<std::string>> cross_low_balance(std::string_view account, bool below,
                                                       std::int64_t now) override {
    if (account.empty()) return Status(Code::kInvalidArgument, "no account given");
    return connection_.write([&]() -> Result<std::optional<std::string>> {
      struct State {
        bool below = false;
        std::int64_t crossings = 0;
      };
      std::optional<State> state = sqlite::query_one(
          db_, "SELECT below, crossings FROM low_balance_state WHERE account = ?",
          [](SQLite::Statement& row) {
            return State{row.getColumn(0).getInt() != 0, row.getColumn(1).getInt64()};
          },
          std::string(account));
      const bool was_below = state && state->below;
      if (was_below == below) return std::optional<std::string>();
      const std::int64_t crossings = (state ? state->crossings : 0) + (below ? 1 : 0);
      SQLite::Statement upsert(db_,
                               "INSERT INTO low_balance_state (account, below, crossings, "
                               "changed_at) VALUES (?, ?, ?, ?) ON CONFLICT (account) DO UPDATE "
                               "SET below = excluded.below, crossings = excluded.crossings, "
                               "changed_at = excluded.changed_at");
      sqlite::bind_values(upsert, std::string(account), below ? 1 : 0, crossings, now);
      upsert.exec();
      if (!below) return std::optional<std::string>();
      return std::optional<std::string>(std::string(account) + "#" + std::to_string(crossings));
    });
  }

 private:
  // The row `id`, inside a transaction.
  Result<std::optional<Notice>> get_locked(std::int64_t id) {
    std::optional<Notice> notice = sqlite::query_one(
        db_, std::string("SELECT ") + kNoticeColumns + " FROM notifications WHERE id = ?",
        notice_from_row, id);
    if (!notice) return Status(Code::kInternal, "notification " + std::to_string(id) + " vanished");
    return notice;
  }

  sqlite::Connection connection_;
  SQLite::Database& db_;
};

}  // namespace

std::string_view notice_kind_name(NoticeKind kind) {
  return kKindNames[static_cast<std::size_t>(kind)];
}

std::optional<NoticeKind> parse_notice_kind(std::string_view name) {
  for (std::size_t i = 0; i < kKindNames.size(); ++i)
    if (kKindNames[i] == name) return static_cast<NoticeKind>(i);
  return std::nullopt;
}

std::string_view notice_state_name(NoticeState state) {
  return kStateNames[static_cast<std::size_t>(state)];
}

Result<std::unique_ptr<NotifyStore>> open_sqlite_notify_store(const std::string& path,
                                                              LedgerMigrations migrations) {
  if (migrations == LedgerMigrations::kRun) {
    Result<std::unique_ptr<Ledger>> ledger = open_sqlite_ledger(path);  // runs the migrations
    if (!ledger) return ledger.status();
  }
  try {
    auto store = std::make_unique<SqliteNotifyStore>(path);
    if (Status status = store->initialize(); !status.is_ok()) return status;
    return std::unique_ptr<NotifyStore>(std::move(store));
  } catch (const std::exception& error) {
    return sqlite::status_from_exception(error, "notification store", Code::kInternal);
  }
}

Result<std::unique_ptr<NotifyStore>> open_notify_store(const Config& config) {
  return open_sqlite_notify_store(Site::ledger_path_of(config), LedgerMigrations::kRun);
}

}  // namespace pp
