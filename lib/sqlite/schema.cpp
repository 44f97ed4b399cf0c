// schema.cpp: migrate(), the version check and transaction every store's schema goes through.
#include "sqlite/schema.h"

#include <SQLiteCpp/Transaction.h>

namespace pp::sqlite {

namespace {

Status refuse_newer(int found, int latest, const std::string& path, std::string_view schema) {
  return Status(Code::kIoError, path + " has " + std::string(schema) + " schema version " +
                                    std::to_string(found) +
                                    ", but this pullprint knows only versions up to " +
                                    std::to_string(latest) + "; upgrade pullprint");
}

}  // namespace

int user_version(SQLite::Database& db) {
  return db.execAndGet("PRAGMA user_version").getInt();
}

void apply_migration(SQLite::Database& db, int version, const char* sql) {
  db.exec(sql);
  // PRAGMA takes no bound parameters; the version is our own integer.
  db.exec("PRAGMA user_version = " + std::to_string(version));
}

Status migrate(SQLite::Database& db, const std::string& path, std::string_view schema, int latest,
               const std::function<Status(SQLite::Database&, int found)>& apply_from) {
  int found = user_version(db);  // fast path without the write lock
  if (found == latest) return Status::ok();
  if (found > latest) return refuse_newer(found, latest, path, schema);

  SQLite::Transaction txn(db, SQLite::TransactionBehavior::IMMEDIATE);
  found = user_version(db);  // another process may have migrated while we waited
  if (found > latest) return refuse_newer(found, latest, path, schema);
  if (Status status = apply_from(db, found); !status.is_ok()) return status;
  txn.commit();
  return Status::ok();
}

}  // namespace pp::sqlite
