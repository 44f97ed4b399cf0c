// schema.h: the one migration scheme of every SQLite file pullprint keeps (the ledger, the job
// store).
//
// PRAGMA user_version holds the number of the last migration applied. All missing migrations
// run in one BEGIN IMMEDIATE transaction, so a crash or a concurrent opener never sees half a
// schema; a file newer than this build is refused, never touched. Each store keeps its own
// migrations (their SQL and where it lives); the steps around them are here, once.
#pragma once

#include <SQLiteCpp/Database.h>

#include <functional>
#include <string>
#include <string_view>

#include "util/status.h"

namespace pp::sqlite {

// The schema version recorded in `db` (PRAGMA user_version; 0 for a new file).
int user_version(SQLite::Database& db);

// Runs one migration's `sql` and records `version` as the schema's; inside migrate()'s
// transaction. Throws SQLite::Exception.
void apply_migration(SQLite::Database& db, int version, const char* sql);

// Brings `db`, the file at `path` holding the `schema` ("ledger", "job store"), to version
// `latest`: returns at once when it is there (no write lock: almost every open finds it so),
// refuses a newer file with kIoError, else takes the write lock, reads the version again
// (another process may have migrated while this one waited) and runs `apply_from(db, found)`,
// committing only when that succeeds. Throws SQLite::Exception.
Status migrate(SQLite::Database& db, const std::string& path, std::string_view schema, int latest,
               const std::function<Status(SQLite::Database&, int found)>& apply_from);

}  // namespace pp::sqlite
