// check-test.cpp: check() finds corruption made behind the ledger's back with raw SQL.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include "ledger/ledger.h"
#include "unit/ledger/ledger-fixture.h"

namespace pp::test {
namespace {

class CheckTest : public LedgerTest {
 protected:
  void SetUp() override {
    LedgerTest::SetUp();
    make_account("alice");
    make_account("bob", 0, true);
    ASSERT_TRUE(ledger_->top_up("alice", 500, "t1", "cashier", "cash").ok());  // entry 1
    auto held = ledger_->reserve("alice", 80, "r1", "job-1", "filter");        // entry 2
    ASSERT_TRUE(held.ok());
    ASSERT_TRUE(ledger_->capture(held->id, 70, "c1", "backend").ok());       // entry 3
    ASSERT_TRUE(ledger_->refund(held->id, 20, "f1", "admin", "jam").ok());   // entry 4
    ASSERT_TRUE(ledger_->reserve("bob", 30, "r2", "job-2", "filter").ok());  // entry 5
    ASSERT_TRUE(ledger_->top_up("bob", 10, "t2", "cashier", "").ok());       // entry 6
    expect_consistent();
  }

  // Runs SQL on the database file behind the ledger's back.
  void tamper(const std::string& sql) {
    SQLite::Database raw(path(), SQLite::OPEN_READWRITE);
    raw.exec(sql);
  }

  // check() must report at least one violation containing each of `parts`.
  void expect_violation(std::initializer_list<std::string> parts) {
    auto checked = ledger_->check();
    ASSERT_TRUE(checked.ok()) << checked.status().to_string();
    EXPECT_FALSE(checked->ok());
    std::string all;
    for (const auto& violation : checked->violations) all += violation + "\n";
    for (const auto& part : parts) {
      EXPECT_NE(all.find(part), std::string::npos)
          << "no violation mentions '" << part << "'; got:\n"
          << all;
    }
  }
};

TEST_F(CheckTest, CleanLedgerReportsCounts) {
  auto checked = ledger_->check();
  PP_ASSERT_OK(checked);
  EXPECT_TRUE(checked->ok());
  EXPECT_EQ(checked->accounts, 2);
  EXPECT_EQ(checked->entries, 6);
  EXPECT_EQ(checked->open_reservations, 1);
  EXPECT_EQ(checked->chain_head.size(), 64u);
}

TEST_F(CheckTest, ChainHeadMovesWithEveryEntry) {
  std::string before = ledger_->check()->chain_head;
  PP_ASSERT_OK(ledger_->top_up("alice", 1, "t3", "", ""));
  std::string after = ledger_->check()->chain_head;
  EXPECT_NE(before, after);
}

TEST_F(CheckTest, CachedBalanceEdited) {
  tamper("UPDATE accounts SET balance = balance + 1000 WHERE name = 'alice'");
  expect_violation({"'alice'", "balance is 1450", "journal sums to 450"});
}

TEST_F(CheckTest, CachedReservedEdited) {
  tamper("UPDATE accounts SET reserved = 0 WHERE name = 'bob'");
  expect_violation({"'bob'", "reserved is 0", "open reservations sum to 30"});
}

TEST_F(CheckTest, JournalAmountEditedAfterDroppingTrigger) {
  tamper("DROP TRIGGER journal_no_update; UPDATE journal SET amount = 5000 WHERE id = 1");
  expect_violation({"journal_no_update is missing", "journal entry 1: hash", "'alice'"});
}

TEST_F(CheckTest, JournalNoteEditedKeepsBalancesButBreaksChain) {
  tamper("DROP TRIGGER journal_no_update; UPDATE journal SET note = 'card' WHERE id = 1");
  expect_violation({"journal entry 1: hash"});
  auto checked = ledger_->check();
  for (const auto& violation : checked->violations) {
    EXPECT_EQ(violation.find("journal entry 2"), std::string::npos) << violation;  // pinpointed
  }
}

TEST_F(CheckTest, JournalRowDeletedWithBalanceFixedUp) {
  tamper(
      "DROP TRIGGER journal_no_delete; DELETE FROM journal WHERE id = 6;"
      "UPDATE accounts SET balance = balance - 10 WHERE name = 'bob'");
  // Deleting the newest row leaves a valid shorter chain; only the missing trigger shows, and
  // an auditor's recorded chain head would no longer match.
  expect_violation({"journal_no_delete is missing"});
}

TEST_F(CheckTest, JournalRowDeletedInTheMiddle) {
  tamper("DROP TRIGGER journal_no_delete; DELETE FROM journal WHERE id = 4");
  expect_violation({"journal entries 4 to 4 are missing", "journal entry 5: hash", "'alice'"});
}

TEST_F(CheckTest, TriggerEmptied) {
  tamper(
      "DROP TRIGGER journal_no_update;"
      "CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal BEGIN SELECT 1; END;");
  expect_violation({"journal_no_update was altered"});
}

TEST_F(CheckTest, ReservationStateForged) {
  tamper(
      "DROP TRIGGER reservations_closed_once;"
      "UPDATE reservations SET state = 'voided' WHERE idempotency_key = 'r1'");
  expect_violation({"reservation 1 (voided)", "reservations_closed_once is missing"});
}

TEST_F(CheckTest, CapturedAmountForged) {
  tamper(
      "DROP TRIGGER reservations_closed_once;"
      "UPDATE reservations SET captured_amount = 10 WHERE idempotency_key = 'r1'");
  expect_violation({"reservation 1 (captured)", "refunds of 20 exceed the 10 captured"});
}

TEST_F(CheckTest, OpenReservationAmountForged) {
  tamper(
      "DROP TRIGGER reservations_fixed;"
      "UPDATE reservations SET amount = 5 WHERE idempotency_key = 'r2';"
      "UPDATE accounts SET reserved = 5 WHERE name = 'bob'");
  expect_violation({"reservation 2 (open): expected one reserve entry of 5"});
}

TEST_F(CheckTest, OrphanEntry) {
  tamper(
      "PRAGMA foreign_keys = OFF;"
      "INSERT INTO journal (id, account_id, kind, amount, idempotency_key, created_at, hash)"
      " VALUES (7, 99, 'top-up', 5, 'ghost', '2024-01-01T00:00:00.000Z', zeroblob(32))");
  expect_violation({"journal row 7 refers to a missing accounts row", "journal entry 7: hash"});
}

TEST_F(CheckTest, CorruptionDoesNotStopWrites) {
  // check() reports; it does not lock the ledger. New entries still chain correctly.
  tamper("UPDATE accounts SET balance = balance + 1 WHERE name = 'alice'");
  PP_ASSERT_OK(ledger_->top_up("bob", 1, "t3", "", ""));
  auto checked = ledger_->check();
  PP_ASSERT_OK(checked);
  EXPECT_EQ(checked->violations.size(), 1u);
}

}  // namespace
}  // namespace pp::test
