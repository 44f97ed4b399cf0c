// ledger-schema.cpp: applies the embedded share/ledger/NNN-*.sql migrations.
//
// PRAGMA user_version holds the number of the last migration applied. The SQL text is compiled
// into the library (see ledger-schema.cmake), so an installed pullprint needs no data files.
#include "ledger/ledger-schema.h"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include "ledger/ledger-schema-sql.h"
#include "ledger/ledger-sqlite.h"

namespace pp::ledger_detail {

namespace {

int user_version(SQLite::Database& db) {
  return db.execAndGet("PRAGMA user_version").getInt();
}

Status refuse_newer(int found, const std::string& path) {
  return Status(Code::kIoError, path + " has ledger schema version " + std::to_string(found) +
                                    ", but this pullprint knows only versions up to " +
                                    std::to_string(latest_schema_version()) +
                                    "; upgrade pullprint");
}

// Runs every migration above `from`; inside the caller's transaction.
Status apply_from(SQLite::Database& db, int from) {
  int expected = 1;
  for (const auto& migration : ledger_sql::kMigrations) {
    if (migration.version != expected++) {
      return Status(Code::kInternal,
                    std::string("ledger migrations are not numbered 1, 2, ...: ") + migration.name);
    }
    if (migration.version <= from) continue;
    db.exec(migration.sql);
    // PRAGMA takes no bound parameters; the version is our own integer.
    db.exec("PRAGMA user_version = " + std::to_string(migration.version));
  }
  return Status::ok();
}

}  // namespace

int latest_schema_version() {
  int latest = 0;
  for (const auto& migration : ledger_sql::kMigrations) latest = migration.version;
  return latest;
}

Status migrate(SQLite::Database& db, const std::string& path) {
  // Fast path without the write lock: every job opens the ledger, almost always up to date.
  int found = user_version(db);
  if (found == latest_schema_version()) return Status::ok();
  if (found > latest_schema_version()) return refuse_newer(found, path);

  SQLite::Transaction txn(db, SQLite::TransactionBehavior::IMMEDIATE);
  found = user_version(db);  // another process may have migrated while we waited
  if (found > latest_schema_version()) return refuse_newer(found, path);
  if (Status status = apply_from(db, found); !status.is_ok()) return status;
  txn.commit();
  return Status::ok();
}

}  // namespace pp::ledger_detail
