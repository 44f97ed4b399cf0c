// console-audit-sqlite.cpp: the SQLite audit log on the ledger file (table console_audit,
// share/ledger/012-console.sql). Its own connection, as the refund store has.
#include <SQLiteCpp/SQLiteCpp.h>

#include "console/console-audit.h"
#include "site/site.h"
#include "sqlite/connection.h"
#include "sqlite/rows.h"
#include "util/utc-time.h"

namespace pp {
namespace {

constexpr int kMaxLimit = 1000;

class SqliteAuditLog final : public AuditLog {
 public:
  explicit SqliteAuditLog(const std::string& path)
      : connection_(path, "console audit", Code::kInvalidArgument), db_(connection_.db()) {}

  Status initialize() {
    return connection_.initialize([this](SQLite::Database& db) {
      if (db.execAndGet("PRAGMA user_version").getInt() < 12)
        return Status(Code::kInternal, connection_.path() + ": ledger has no console audit");
      return Status::ok();
    });
  }

  Result<std::int64_t> add(const AuditRecord& record) override {
    return connection_.write([&]() -> Result<std::int64_t> {
      SQLite::Statement insert(db_,
                               "INSERT INTO console_audit (at, actor, role, action, subject, "
                               "detail) VALUES (?, ?, ?, ?, ?, ?)");
      sqlite::bind_values(insert, record.at.empty() ? now_utc() : record.at, record.actor,
                          record.role, record.action, record.subject, record.detail);
      insert.exec();
      return static_cast<std::int64_t>(db_.getLastInsertRowid());
    });
  }

  Result<std::vector<AuditRecord>> list(const AuditFilter& filter) override {
    return connection_.read([&]() -> Result<std::vector<AuditRecord>> {
      SQLite::Statement query(db_,
                              "SELECT id, at, actor, role, action, subject, detail FROM "
                              "console_audit WHERE (?1 = '' OR actor = ?1) AND "
                              "(?2 = '' OR action = ?2) AND (?3 = '' OR subject = ?3) AND "
                              "(?4 = 0 OR id < ?4) ORDER BY id DESC LIMIT ?5");
      const int limit = filter.limit > 0 && filter.limit < kMaxLimit ? filter.limit : kMaxLimit;
      sqlite::bind_values(query, filter.actor, filter.action, filter.subject, filter.before_id,
                          limit);
      std::vector<AuditRecord> records;
      while (query.executeStep()) {
        AuditRecord record;
        sqlite::read_columns(query, record.id, record.at, record.actor, record.role, record.action,
                             record.subject, record.detail);
        records.push_back(std::move(record));
      }
      return records;
    });
  }

 private:
  sqlite::Connection connection_;
  SQLite::Database& db_;
};

}  // namespace

Result<std::unique_ptr<AuditLog>> open_sqlite_audit_log(const std::string& path,
                                                        LedgerMigrations migrations) {
  if (migrations == LedgerMigrations::kRun) {
    Result<std::unique_ptr<Ledger>> ledger = open_sqlite_ledger(path);
    if (!ledger) return ledger.status();
  }
  try {
    auto log = std::make_unique<SqliteAuditLog>(path);
    if (Status status = log->initialize(); !status.is_ok()) return status;
    return std::unique_ptr<AuditLog>(std::move(log));
  } catch (const std::exception& error) {
    return sqlite::status_from_exception(error, "console audit", Code::kInternal);
  }
}

Result<std::unique_ptr<AuditLog>> open_audit_log(const Config& config) {
  return open_sqlite_audit_log(Site::ledger_path_of(config));
}

Status record_console_change(AuditLog& log, const ConsoleAccess& who, ConsoleAction action,
                             std::string_view subject, std::string_view detail) {
  AuditRecord record;
  record.actor = who.user();
  record.role = who.role_label();
  record.action = std::string(console_action_name(action));
  record.subject = std::string(subject);
  record.detail = std::string(detail);
  Result<std::int64_t> id = log.add(record);
  return id ? Status::ok() : id.status();
}

}  // namespace pp
