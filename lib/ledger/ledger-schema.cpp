// ledger-schema.cpp: applies the embedded share/ledger/NNN-*.sql migrations.
//
// PRAGMA user_version holds the number of the last migration applied. The SQL text is compiled
// into the library (see ledger-schema.cmake), so an installed pullprint needs no data files.
#include "ledger/ledger-schema.h"

#include "ledger/ledger-schema-sql.h"
#include "ledger/ledger-sqlite.h"
#include "sqlite/schema.h"

namespace pp::ledger_detail {

namespace {

// Runs every migration above `from`; inside the caller's transaction.
Status apply_from(SQLite::Database& db, int from) {
  // Numbers rise; a gap is allowed (numbers are handed out to parallel branches in advance).
  int previous = 0;
  for (const auto& migration : ledger_sql::kMigrations) {
    if (migration.version <= previous) {
      return Status(Code::kInternal,
                    std::string("ledger migrations are not numbered 1, 2, ...: ") + migration.name);
    }
    previous = migration.version;
    if (migration.version <= from) continue;
    sqlite::apply_migration(db, migration.version, migration.sql);
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
  return sqlite::migrate(db, path, "ledger", latest_schema_version(), apply_from);
}

}  // namespace pp::ledger_detail
