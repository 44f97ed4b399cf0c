// refund-store-sqlite.cpp: the SQLite RefundStore on the ledger file (table refund_requests,
// share/ledger/010-account-actions.sql). Its own connection, as the card store has: the
// requests are few and small, and the unique indexes enforce one open (or granted) request per
// job for any number of processes.
#include <SQLiteCpp/SQLiteCpp.h>

#include "refunds/refunds.h"
#include "site/site.h"
#include "sqlite/compare-and-set.h"
#include "sqlite/connection.h"
#include "util/utc-time.h"

namespace pp {

namespace {

constexpr const char* kColumns =
    "SELECT id, job_id, job_ref, title, user, account, reservation_id, amount, reason, text, "
    "state, created_at, decided_at, decided_by, decision_note FROM refund_requests";

RefundRequest request_from_row(SQLite::Statement& row) {
  RefundRequest request;
  request.id = row.getColumn(0).getInt64();
  request.job_id = row.getColumn(1).getInt64();
  request.job_ref = row.getColumn(2).getString();
  request.title = row.getColumn(3).getString();
  request.user = row.getColumn(4).getString();
  request.account = row.getColumn(5).getString();
  request.reservation_id = row.getColumn(6).getInt64();
  request.amount = row.getColumn(7).getInt64();
  request.reason = parse_refund_reason(row.getColumn(8).getString()).value_or(RefundReason::kOther);
  request.text = row.getColumn(9).getString();
  request.state = parse_refund_state(row.getColumn(10).getString()).value_or(RefundState::kOpen);
  request.created_at = row.getColumn(11).getString();
  if (!row.getColumn(12).isNull()) request.decided_at = row.getColumn(12).getString();
  if (!row.getColumn(13).isNull()) request.decided_by = row.getColumn(13).getString();
  request.decision_note = row.getColumn(14).getString();
  return request;
}

class SqliteRefundStore final : public RefundStore {
 public:
  explicit SqliteRefundStore(const std::string& path)
      : connection_(path, "refund requests", Code::kAlreadyExists), db_(connection_.db()) {}

  Status initialize() {
    return connection_.initialize([this](SQLite::Database& db) {
      db.exec("PRAGMA synchronous = FULL");
      if (db.execAndGet("PRAGMA user_version").getInt() < 10)
        return Status(Code::kInternal, connection_.path() + ": ledger has no refund requests");
      return Status::ok();
    });
  }

  Result<RefundRequest> add(const NewRefundRequest& request) override {
    return connection_.write([&]() -> Result<RefundRequest> {
      SQLite::Statement taken(db_,
                              "SELECT id, state FROM refund_requests WHERE job_ref = ? AND "
                              "state IN ('open', 'granted') LIMIT 1");
      taken.bind(1, request.job_ref);
      if (taken.executeStep())
        return Status(Code::kAlreadyExists,
                      "job " + std::to_string(request.job_id) + " has a refund request (" +
                          std::to_string(taken.getColumn(0).getInt64()) + ", " +
                          taken.getColumn(1).getString() + ") already");
      SQLite::Statement insert(
          db_,
          "INSERT INTO refund_requests (job_id, job_ref, title, user, account, reservation_id, "
          "amount, reason, text, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
      insert.bind(1, request.job_id);
      insert.bind(2, request.job_ref);
      insert.bind(3, request.title);
      insert.bind(4, request.user);
      insert.bind(5, request.account);
      insert.bind(6, request.reservation_id);
      insert.bind(7, request.amount);
      insert.bind(8, std::string(refund_reason_name(request.reason)));
      insert.bind(9, request.text);
      insert.bind(10, now_utc());
      insert.exec();
      return load(db_.getLastInsertRowid());
    });
  }

  Result<RefundRequest> get(std::int64_t id) override {
    return connection_.read([&]() -> Result<RefundRequest> { return load(id); });
  }

  Result<std::vector<RefundRequest>> list(const std::optional<std::string>& user,
                                          std::optional<RefundState> state, int limit) override {
    return connection_.read([&]() -> Result<std::vector<RefundRequest>> {
      SQLite::Statement query(db_, std::string(kColumns) +
                                       " WHERE (?1 IS NULL OR user = ?1) AND "
                                       "(?2 IS NULL OR state = ?2) ORDER BY id DESC LIMIT ?3");
      if (user) query.bind(1, *user);
      if (state) query.bind(2, std::string(refund_state_name(*state)));
      query.bind(3, limit > 0 ? limit : -1);
      std::vector<RefundRequest> requests;
      while (query.executeStep()) requests.push_back(request_from_row(query));
      return requests;
    });
  }

  Result<RefundRequest> decide(std::int64_t id, RefundState to, std::string_view by,
                               std::string_view note) override {
    if (to == RefundState::kOpen)
      return Status(Code::kInvalidArgument, "a decision grants or denies");
    if (by.empty()) return Status(Code::kInvalidArgument, "a decision names who made it");
    return connection_.write([&]() -> Result<RefundRequest> {
      Result<RefundRequest> found = load(id);
      if (!found) return found.status();
      Status decided = sqlite::compare_and_set(
          db_,
          "UPDATE refund_requests SET state = ?, decided_at = ?, "
          "decided_by = ?, decision_note = ? WHERE id = ? AND state = 'open'",
          [&] {
            return "refund request " + std::to_string(id) + " is " +
                   std::string(refund_state_name(found->state));
          },
          std::string(refund_state_name(to)), now_utc(), std::string(by), std::string(note), id);
      if (!decided.is_ok()) return decided;
      return load(id);
    });
  }

 private:
  // One request by id; inside a transaction.
  Result<RefundRequest> load(std::int64_t id) {
    SQLite::Statement query(db_, std::string(kColumns) + " WHERE id = ?");
    query.bind(1, id);
    if (!query.executeStep())
      return Status(Code::kNotFound, "no refund request " + std::to_string(id));
    return request_from_row(query);
  }

  sqlite::Connection connection_;
  SQLite::Database& db_;
};

}  // namespace

Result<std::unique_ptr<RefundStore>> open_sqlite_refund_store(const std::string& path,
                                                              LedgerMigrations migrations) {
  if (migrations == LedgerMigrations::kRun) {
    Result<std::unique_ptr<Ledger>> ledger = open_sqlite_ledger(path);
    if (!ledger) return ledger.status();
  }
  try {
    auto store = std::make_unique<SqliteRefundStore>(path);
    if (Status status = store->initialize(); !status.is_ok()) return status;
    return std::unique_ptr<RefundStore>(std::move(store));
  } catch (const std::exception& error) {
    return sqlite::status_from_exception(error, "refund requests", Code::kInternal);
  }
}

Result<std::unique_ptr<RefundStore>> open_refund_store(const Config& config) {
  return open_sqlite_refund_store(Site::ledger_path_of(config));
}

}  // namespace pp
