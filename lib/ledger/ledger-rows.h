// ledger-rows.h: SELECT column lists and row -> struct conversions (private to lib/ledger).
#pragma once

#include <SQLiteCpp/Statement.h>

#include <string_view>

#include "ledger/ledger.h"

namespace pp::ledger_detail {

// "SELECT <columns> FROM <table>" prefixes that the *_from_row functions below understand;
// append a WHERE / ORDER BY clause.
extern const char* const kAccountColumns;
extern const char* const kEntryColumns;        // journal j JOIN accounts a
extern const char* const kReservationColumns;  // reservations r JOIN accounts a

Account account_from_row(SQLite::Statement& row);
JournalEntry entry_from_row(SQLite::Statement& row);
Reservation reservation_from_row(SQLite::Statement& row);

// kNotFound naming the account.
Status unknown_account(std::string_view name);

}  // namespace pp::ledger_detail
