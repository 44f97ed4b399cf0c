// schema-test.cpp: migrations, user_version, refusing newer databases, file mode, triggers.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "ledger/ledger.h"
#include "unit/ledger/ledger-fixture.h"

namespace pp::test {
namespace {

int user_version(const std::string& path) {
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  return db.execAndGet("PRAGMA user_version").getInt();
}

std::string schema_text(const std::string& path) {
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  SQLite::Statement query(db, "SELECT group_concat(sql, ';') FROM sqlite_schema ORDER BY name");
  query.executeStep();
  return query.getColumn(0).getString();
}

TEST(LedgerSchema, FreshDatabaseGetsLatestVersionAndWal) {
  TempDir dir;
  std::string path = dir.file("ledger.sqlite");
  ASSERT_NE(open_ledger_or_fail(path), nullptr);
  EXPECT_GE(user_version(path), 1);
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  EXPECT_EQ(db.execAndGet("PRAGMA journal_mode").getString(), "wal");
  for (const char* table : {"accounts", "account_members", "journal", "reservations"}) {
    EXPECT_TRUE(db.tableExists(table)) << table;
  }
}

TEST(LedgerSchema, ReopenIsANoOp) {
  TempDir dir;
  std::string path = dir.file("ledger.sqlite");
  {
    auto ledger = open_ledger_or_fail(path);
    ASSERT_NE(ledger, nullptr);
    PP_ASSERT_OK(ledger->create_account(new_account("alice")));
    PP_ASSERT_OK(ledger->top_up("alice", 100, "t1", "", ""));
  }
  int version = user_version(path);
  std::string schema = schema_text(path);
  auto again = open_ledger_or_fail(path);
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(user_version(path), version);
  EXPECT_EQ(schema_text(path), schema);
  EXPECT_EQ(again->get_account("alice")->balance, 100);
}

TEST(LedgerSchema, NewerDatabaseIsRefused) {
  TempDir dir;
  std::string path = dir.file("ledger.sqlite");
  ASSERT_NE(open_ledger_or_fail(path), nullptr);
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE);
    db.exec("PRAGMA user_version = 999");
  }
  auto refused = open_sqlite_ledger(path);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("999"), std::string::npos)
      << refused.status().message();
  EXPECT_NE(refused.status().message().find("upgrade"), std::string::npos);
  EXPECT_EQ(user_version(path), 999);  // untouched
}

TEST(LedgerSchema, UnopenablePathIsAnError) {
  auto refused = open_sqlite_ledger("/nonexistent-dir/ledger.sqlite");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), Code::kIoError);
  EXPECT_NE(refused.status().message().find("/nonexistent-dir/ledger.sqlite"), std::string::npos);
}

// Creates a ledger in `dir` under `mask` and returns the new file's permission bits.
mode_t created_mode(const std::string& dir, mode_t mask) {
  std::string path = dir + "/ledger.sqlite";
  mode_t old_mask = ::umask(mask);
  auto ledger = open_sqlite_ledger(path);
  ::umask(old_mask);
  EXPECT_TRUE(ledger.ok()) << ledger.status().to_string();
  struct stat info {};
  EXPECT_EQ(::stat(path.c_str(), &info), 0);
  return info.st_mode & 0777;
}

TEST(LedgerSchema, FileModeFollowsUmask) {
  TempDir dir;
  ASSERT_EQ(::chmod(dir.path().c_str(), 0755), 0);
  EXPECT_EQ(created_mode(dir.path(), 0007), 0660u);  // group lp may write; others nothing
  TempDir other;
  ASSERT_EQ(::chmod(other.path().c_str(), 0755), 0);
  EXPECT_EQ(created_mode(other.path(), 0022), 0640u);
}

TEST(LedgerSchema, GroupWritableDirectoryMakesGroupWritableFile) {
  TempDir dir;
  ASSERT_EQ(::chmod(dir.path().c_str(), 0770), 0);
  // e.g. root running `pullprint account create` with umask 022 before the first job
  EXPECT_EQ(created_mode(dir.path(), 0022), 0660u);
  auto ledger = open_ledger_or_fail(dir.file("ledger.sqlite"));  // the WAL exists while open
  ASSERT_NE(ledger, nullptr);
  PP_ASSERT_OK(ledger->create_account(new_account("alice")));
  struct stat wal {};
  ASSERT_EQ(::stat(dir.file("ledger.sqlite-wal").c_str(), &wal), 0);
  EXPECT_EQ(wal.st_mode & 0777, 0660u);  // SQLite copies the database file's mode
}

TEST(LedgerSchema, ExistingFileIsNeverChanged) {
  TempDir dir;
  ASSERT_EQ(::chmod(dir.path().c_str(), 0770), 0);
  write_file(dir.file("ledger.sqlite"), "");
  ASSERT_EQ(::chmod(dir.file("ledger.sqlite").c_str(), 0600), 0);
  EXPECT_EQ(created_mode(dir.path(), 0022), 0600u);
}

TEST_F(LedgerTest, JournalRefusesUpdateAndDelete) {
  make_account("alice");
  PP_ASSERT_OK(ledger_->top_up("alice", 100, "t1", "", ""));
  SQLite::Database raw(path(), SQLite::OPEN_READWRITE);
  EXPECT_THROW(raw.exec("UPDATE journal SET amount = 1000 WHERE id = 1"), SQLite::Exception);
  EXPECT_THROW(raw.exec("DELETE FROM journal"), SQLite::Exception);
  EXPECT_EQ(account("alice").balance, 100);
}

TEST_F(LedgerTest, ClosedReservationCannotBeReopened) {
  make_account("alice", 0, true);
  auto held = ledger_->reserve("alice", 10, "r1", "j", "");
  PP_ASSERT_OK(held);
  PP_ASSERT_OK(ledger_->capture(held->id, 10, "c1", ""));
  SQLite::Database raw(path(), SQLite::OPEN_READWRITE);
  EXPECT_THROW(raw.exec("UPDATE reservations SET state = 'open'"), SQLite::Exception);
  EXPECT_THROW(raw.exec("DELETE FROM reservations"), SQLite::Exception);
  expect_consistent();
}

TEST_F(LedgerTest, StrictTablesRefuseFractionalMoney) {
  make_account("alice");
  SQLite::Database raw(path(), SQLite::OPEN_READWRITE);
  EXPECT_THROW(raw.exec("UPDATE accounts SET balance = 1.5"), SQLite::Exception);
}

}  // namespace
}  // namespace pp::test
