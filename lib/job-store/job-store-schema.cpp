// job-store-schema.cpp: the versioned schema of jobs.sqlite.
//
// Same scheme as the ledger (PRAGMA user_version = number of the last migration applied, all
// missing migrations in one BEGIN IMMEDIATE transaction, a newer file refused), but the SQL lives
// here rather than in share/store/*.sql embedded by CMake: the store is one table that only
// pullprintd touches, nobody reads its schema as documentation the way admins read the ledger's,
// and keeping it in the .cpp needs no change to the lead's lib/CMakeLists.txt. Should the store
// grow, move the migrations to share/store/ with a copy of ledger-schema.cmake.
#include "job-store/job-store-sqlite.h"
#include "sqlite/schema.h"

namespace pp::store_detail {

namespace {

struct Migration {
  int version;
  const char* sql;
};

// Append only: a released migration is never edited. Times are ISO 8601 UTC text; the
// document is a file name inside STATE_DIR/spool ('' once deleted), never a full path, so the
// state directory can be moved.
constexpr Migration kMigrations[] = {
    {1, R"sql(
CREATE TABLE held_jobs (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  uuid           TEXT    NOT NULL UNIQUE,
  owner          TEXT    NOT NULL,
  payer          TEXT    NOT NULL,
  title          TEXT    NOT NULL DEFAULT '',
  format         TEXT    NOT NULL,
  document_file  TEXT    NOT NULL DEFAULT '',
  options_json   TEXT    NOT NULL DEFAULT '{}',
  pages          INTEGER NOT NULL CHECK (pages >= 0),
  color_pages    INTEGER NOT NULL CHECK (color_pages >= 0 AND color_pages <= pages),
  impressions    INTEGER NOT NULL CHECK (impressions >= 0),
  price_minor    INTEGER NOT NULL CHECK (price_minor >= 0),
  currency       TEXT    NOT NULL,
  reservation_id INTEGER,
  origin         TEXT    NOT NULL DEFAULT '',
  state          TEXT    NOT NULL CHECK (state IN ('held', 'releasing', 'printed',
                                                   'cancelled', 'expired', 'failed')),
  created_at     TEXT    NOT NULL,
  expires_at     TEXT    NOT NULL,
  updated_at     TEXT    NOT NULL
);
CREATE INDEX held_jobs_by_owner ON held_jobs (owner, id);
CREATE INDEX held_jobs_by_state ON held_jobs (state, expires_at);
)sql"},
    // Release (issue 4): the page analysis the job is priced from at whichever printer it goes
    // to, and what became of the release: printer, who released it, final price, last message.
    {2, R"sql(
ALTER TABLE held_jobs ADD COLUMN pages_json TEXT NOT NULL DEFAULT '';
ALTER TABLE held_jobs ADD COLUMN printer TEXT NOT NULL DEFAULT '';
ALTER TABLE held_jobs ADD COLUMN released_by TEXT NOT NULL DEFAULT '';
ALTER TABLE held_jobs ADD COLUMN final_price_minor INTEGER CHECK (final_price_minor >= 0);
ALTER TABLE held_jobs ADD COLUMN message TEXT NOT NULL DEFAULT '';
)sql"},
    // The QR release page (issue 14): a user's held jobs among 100,000 others' in one index
    // range, newest first (JobStore::list with an owner and a state).
    {3, R"sql(
CREATE INDEX held_jobs_by_owner_state ON held_jobs (owner, state, id);
)sql"},
};

}  // namespace

int job_store_schema_version() {
  return std::size(kMigrations);
}

Status migrate_job_store(SQLite::Database& db, const std::string& path) {
  return sqlite::migrate(db, path, "job store", job_store_schema_version(),
                         [](SQLite::Database& database, int found) {
                           for (const Migration& migration : kMigrations) {
                             if (migration.version <= found) continue;
                             sqlite::apply_migration(database, migration.version, migration.sql);
                           }
                           return Status::ok();
                         });
}

}  // namespace pp::store_detail
