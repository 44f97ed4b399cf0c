// ledger-schema.h: versioned schema migrations of the SQLite ledger (private to lib/ledger).
#pragma once

#include <SQLiteCpp/Database.h>

#include <string>

#include "util/status.h"

namespace pp::ledger_detail {

// The schema version this build creates and understands (highest share/ledger/NNN-*.sql).
int latest_schema_version();

// Brings the database at `path` (open as `db`) to latest_schema_version(): all missing
// migrations run in one BEGIN IMMEDIATE transaction, so a crash or a concurrent opener never
// sees half a schema. A database newer than this build is refused, never touched.
Status migrate(SQLite::Database& db, const std::string& path);

}  // namespace pp::ledger_detail
