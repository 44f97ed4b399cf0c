// migration-test.cpp: a ledger made before cards existed (schema 1) gains the card tables and
// keeps its money; `ledger check` stays clean.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include "ledger/ledger.h"
#include "unit/cards/card-fixture.h"

namespace pp::test {
namespace {

int user_version(const std::string& path) {
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  return db.execAndGet("PRAGMA user_version").getInt();
}

// A ledger file as pullprint 0.1 left it: schema 1 (only 001-initial.sql), one funded account.
// Made with today's code and then taken back to version 1: 002 only adds the two card tables.
void make_v1_ledger(const std::string& path) {
  {
    auto ledger = open_sqlite_ledger(path);
    ASSERT_TRUE(ledger.ok()) << ledger.status().to_string();
    NewAccount account;
    account.name = "alice";
    ASSERT_TRUE((*ledger)->create_account(account).ok());
    ASSERT_TRUE((*ledger)->top_up("alice", 500, "key-1", "admin", "cash").ok());
  }
  // Every table a later migration added goes (cards, deliveries, ...), so that the migrations
  // after 1 all run again.
  SQLite::Database db(path, SQLite::OPEN_READWRITE);
  std::vector<std::string> later;
  SQLite::Statement tables(db,
                           "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT IN"
                           " ('accounts', 'account_members', 'reservations', 'journal')"
                           " AND name NOT LIKE 'sqlite_%'");
  while (tables.executeStep()) later.push_back(tables.getColumn(0).getString());
  for (const std::string& table : later) db.exec("DROP TABLE \"" + table + "\"");
  db.exec("PRAGMA user_version = 1");
}

TEST(CardMigration, OldLedgerMigratesAndKeepsItsData) {
  TempDir dir;
  std::string path = dir.file("ledger.sqlite");
  make_v1_ledger(path);
  ASSERT_EQ(user_version(path), 1);

  auto store = open_sqlite_card_store(path, CardPolicy{}, [] { return std::int64_t{100}; });
  ASSERT_TRUE(store.ok()) << store.status().to_string();
  EXPECT_GE(user_version(path), 2);  // and every later migration
  ASSERT_TRUE((*store)->add_card("1234", "alice").is_ok());

  auto ledger = open_sqlite_ledger(path);
  ASSERT_TRUE(ledger.ok());
  auto alice = (*ledger)->get_account("alice");
  ASSERT_TRUE(alice.ok());
  EXPECT_EQ(alice->balance, 500);
  auto check = (*ledger)->check();
  ASSERT_TRUE(check.ok()) << check.status().to_string();
  EXPECT_TRUE(check->violations.empty()) << check->violations.front();
  EXPECT_EQ(check->entries, 1);
}

TEST(CardMigration, NewLedgerHasCardTables) {
  TempDir dir;
  std::string path = dir.file("ledger.sqlite");
  auto store = open_sqlite_card_store(path, CardPolicy{});
  ASSERT_TRUE(store.ok()) << store.status().to_string();
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  EXPECT_TRUE(db.tableExists("cards"));
  EXPECT_TRUE(db.tableExists("card_attempts"));
  EXPECT_EQ(db.execAndGet("PRAGMA journal_mode").getString(), "wal");
}

}  // namespace
}  // namespace pp::test
