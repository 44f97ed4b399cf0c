// compare-and-set.h: running one INSERT/UPDATE/DELETE with its values, and the compare-and-set
// that the stores' state changes are made of.
//
// Why: a state change that must happen once (a share approved, a code used up, a prepaid card
// attached, a refund request decided) is an UPDATE whose WHERE names the row and the state it
// must still be in; it changed one row, or someone else got there first. Written by hand that is
// a statement, a bind per value and an exec() compared with 1 in each store; these are one call,
// with the SQL, and so its semantics, left to the caller.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <string>

#include "sqlite/rows.h"
#include "util/status.h"

namespace pp::sqlite {

// Runs `sql` (one INSERT, UPDATE or DELETE) with `values` bound in order (bind_values); the
// number of rows it changed.
template <typename... Values>
int execute(SQLite::Database& db, const std::string& sql, const Values&... values) {
  SQLite::Statement statement(db, sql);
  bind_values(statement, values...);
  return statement.exec();
}

// Runs `update` (an UPDATE whose WHERE names one row and the state it must still be in) with
// `values` bound in order: ok when it changed that row; otherwise kConflict with the message
// `lost()` gives (called only then, inside the same transaction, so it may read the row's
// current state and say what it is now).
template <typename Lost, typename... Values>
Status compare_and_set(SQLite::Database& db, const std::string& update, Lost&& lost,
                       const Values&... values) {
  if (execute(db, update, values...) == 1) return Status::ok();
  return Status(Code::kConflict, lost());
}

}  // namespace pp::sqlite
