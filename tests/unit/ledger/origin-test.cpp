// origin-test.cpp: money kept by where it came from (allocated vs self-paid, ledger.h's origin
// rules), check() proving both parts, and a ledger from before origins migrating and verifying.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include "ledger/ledger.h"
#include "support/temp-dir.h"
#include "unit/ledger/ledger-fixture.h"

namespace pp::test {
namespace {

using Change = Ledger::AllocationChange;

Change add(std::int64_t amount, std::optional<std::int64_t> cap = std::nullopt) {
  return Change{Change::Rule::kAdd, amount, cap};
}
Change reset_to(std::int64_t amount) {
  return Change{Change::Rule::kTopUpTo, amount, std::nullopt};
}
Change expire(std::int64_t at_most) {
  return Change{Change::Rule::kExpire, at_most, std::nullopt};
}

class OriginTest : public LedgerTest {
 protected:
  void SetUp() override {
    LedgerTest::SetUp();
    make_account("alice", 1000);  // may go 10.00 below zero
  }

  // Prints a job of `price` on alice's account (reserve then capture).
  std::int64_t print(std::int64_t price, const std::string& job) {
    auto held = ledger_->reserve("alice", price, "r-" + job, job, "filter");
    EXPECT_TRUE(held.ok()) << held.status().to_string();
    if (!held.ok()) return 0;
    auto captured = ledger_->capture(held->id, price, "c-" + job, "backend");
    EXPECT_TRUE(captured.ok()) << captured.status().to_string();
    return held->id;
  }

  void expect_parts(std::int64_t allocated, std::int64_t self_paid) {
    Account found = account("alice");
    EXPECT_EQ(found.allocated, allocated);
    EXPECT_EQ(found.self_paid(), self_paid);
    expect_consistent();
  }
};

TEST_F(OriginTest, TopUpsAndAdjustmentsAreSelfPaidAllocationsAllocated) {
  PP_ASSERT_OK(ledger_->top_up("alice", 300, "t1", "cashier", ""));
  PP_ASSERT_OK(ledger_->adjust("alice", -50, "a1", "admin", "correction"));
  auto entry = ledger_->allocate("alice", add(500), "alloc-1", "pullprint", "students");
  PP_ASSERT_OK(entry);
  EXPECT_EQ(entry->kind, EntryKind::kAllocation);
  EXPECT_EQ(entry->allocated, 500);
  EXPECT_EQ(entry->chain_version, 2);
  auto history = ledger_->history("alice", 0);
  PP_ASSERT_OK(history);
  EXPECT_EQ(history->back().chain_version, 1);  // the top-up moved no allocated money
  expect_parts(500, 250);
}

TEST_F(OriginTest, PrintingSpendsAllocatedFirstThenSelfPaidIntoCredit) {
  PP_ASSERT_OK(ledger_->top_up("alice", 300, "t1", "cashier", ""));
  PP_ASSERT_OK(ledger_->allocate("alice", add(200), "alloc-1", "pullprint", ""));
  print(150, "j1");
  expect_parts(50, 300);
  print(100, "j2");  // 50 allocated, 50 self-paid
  expect_parts(0, 250);
  print(800, "j3");  // into the credit limit; allocated stays at 0
  expect_parts(0, -550);
  auto history = ledger_->history("alice", 1);
  PP_ASSERT_OK(history);
  EXPECT_EQ((*history)[0].allocated, 0);
}

TEST_F(OriginTest, RefundReturnsToTheOriginsTheCaptureTookFrom) {
  PP_ASSERT_OK(ledger_->top_up("alice", 300, "t1", "cashier", ""));
  PP_ASSERT_OK(ledger_->allocate("alice", add(100), "alloc-1", "pullprint", ""));
  std::int64_t job = print(250, "j1");  // 100 allocated + 150 self-paid
  expect_parts(0, 150);
  auto first = ledger_->refund(job, 120, "f1", "admin", "jam");  // self-paid first
  PP_ASSERT_OK(first);
  EXPECT_EQ(first->allocated, 0);
  expect_parts(0, 270);
  auto second = ledger_->refund(job, 130, "f2", "admin", "jam");  // 30 self-paid, 100 allocated
  PP_ASSERT_OK(second);
  EXPECT_EQ(second->allocated, 100);
  expect_parts(100, 300);
}

TEST_F(OriginTest, ResetAndExpiryTouchOnlyAllocatedMoney) {
  PP_ASSERT_OK(ledger_->top_up("alice", 300, "t1", "cashier", ""));
  PP_ASSERT_OK(ledger_->allocate("alice", reset_to(500), "p1", "pullprint", ""));
  print(200, "j1");
  expect_parts(300, 300);
  auto reset = ledger_->allocate("alice", reset_to(500), "p2", "pullprint", "");
  PP_ASSERT_OK(reset);
  EXPECT_EQ(reset->amount, 200);
  expect_parts(500, 300);
  auto above = ledger_->allocate("alice", reset_to(100), "p3", "pullprint", "");  // never lowers
  PP_ASSERT_OK(above);
  EXPECT_EQ(above->kind, EntryKind::kAllocation);
  EXPECT_EQ(above->amount, 0);
  expect_parts(500, 300);
  auto expired = ledger_->allocate("alice", expire(400), "x3", "pullprint", "expired");
  PP_ASSERT_OK(expired);
  EXPECT_EQ(expired->kind, EntryKind::kAdjustment);
  EXPECT_EQ(expired->amount, -400);  // at most what the expiring grant gave
  expect_parts(100, 300);
  auto rest = ledger_->allocate("alice", expire(400), "x4", "pullprint", "expired");
  PP_ASSERT_OK(rest);
  EXPECT_EQ(rest->amount, -100);
  expect_parts(0, 300);
  // Nothing left to expire: still one entry, so the key marks the period as done.
  auto nothing = ledger_->allocate("alice", expire(400), "x5", "pullprint", "expired");
  PP_ASSERT_OK(nothing);
  EXPECT_EQ(nothing->kind, EntryKind::kAllocation);
  EXPECT_EQ(nothing->amount, 0);
  expect_parts(0, 300);
}

TEST_F(OriginTest, AddStopsAtTheCap) {
  PP_ASSERT_OK(ledger_->allocate("alice", add(400, 1000), "p1", "pullprint", ""));
  PP_ASSERT_OK(ledger_->allocate("alice", add(400, 1000), "p2", "pullprint", ""));
  auto third = ledger_->allocate("alice", add(400, 1000), "p3", "pullprint", "");
  PP_ASSERT_OK(third);
  EXPECT_EQ(third->amount, 200);
  auto fourth = ledger_->allocate("alice", add(400, 1000), "p4", "pullprint", "");
  PP_ASSERT_OK(fourth);
  EXPECT_EQ(fourth->amount, 0);
  expect_parts(1000, 0);
}

TEST_F(OriginTest, AllocateIsIdempotentOnItsKey) {
  auto first = ledger_->allocate("alice", reset_to(500), "p1", "pullprint", "");
  PP_ASSERT_OK(first);
  print(100, "j1");
  auto again = ledger_->allocate("alice", reset_to(500), "p1", "pullprint", "");
  PP_ASSERT_OK(again);
  EXPECT_EQ(again->id, first->id);
  expect_parts(400, 0);
  make_account("bob");
  PP_EXPECT_CODE(ledger_->allocate("bob", reset_to(500), "p1", "pullprint", ""), Code::kConflict);
  PP_EXPECT_CODE(ledger_->allocate("alice", add(-5), "p9", "pullprint", ""),
                 Code::kInvalidArgument);
}

TEST_F(OriginTest, PayoutGivesBackOnlySelfPaidMoney) {
  PP_ASSERT_OK(ledger_->top_up("alice", 700, "t1", "cashier", ""));
  PP_ASSERT_OK(ledger_->allocate("alice", add(500), "p1", "pullprint", ""));
  print(600, "j1");  // 500 allocated + 100 self-paid
  auto paid = ledger_->payout("alice", "payout-1", "admin", "leaving");
  PP_ASSERT_OK(paid);
  EXPECT_EQ(paid->kind, EntryKind::kAdjustment);
  EXPECT_EQ(paid->amount, -600);
  expect_parts(0, 0);
  auto again = ledger_->payout("alice", "payout-1", "admin", "leaving");
  PP_ASSERT_OK(again);
  EXPECT_EQ(again->id, paid->id);
  PP_EXPECT_CODE(ledger_->payout("alice", "payout-2", "admin", ""), Code::kConflict);
}

TEST_F(OriginTest, PayoutWaitsForOpenReservations) {
  PP_ASSERT_OK(ledger_->top_up("alice", 700, "t1", "cashier", ""));
  PP_ASSERT_OK(ledger_->reserve("alice", 100, "r1", "job", "filter"));
  PP_EXPECT_CODE(ledger_->payout("alice", "payout-1", "admin", ""), Code::kConflict);
}

TEST_F(OriginTest, InitialBalanceIsAllocated) {
  auto bob = ledger_->ensure_personal_account("bob", 250);
  PP_ASSERT_OK(bob);
  EXPECT_EQ(bob->allocated, 250);
  EXPECT_EQ(bob->self_paid(), 0);
  expect_consistent();
}

TEST_F(OriginTest, EntriesByKeyPrefix) {
  PP_ASSERT_OK(ledger_->allocate("alice", add(1), "allocation/a/2026-01-01/alice", "", ""));
  PP_ASSERT_OK(ledger_->allocate("alice", add(1), "allocation/a/2026-02-01/alice", "", ""));
  PP_ASSERT_OK(ledger_->allocate("alice", add(1), "allocation/ab/2026-01-01/alice", "", ""));
  PP_ASSERT_OK(ledger_->top_up("alice", 1, "allocation%a/", "", ""));
  auto found = ledger_->entries_with_key_prefix("allocation/a/");
  PP_ASSERT_OK(found);
  ASSERT_EQ(found->size(), 2u);
  EXPECT_EQ((*found)[1].idempotency_key, "allocation/a/2026-02-01/alice");
}

// check() on origins, with raw SQL behind the ledger's back.
class OriginCheckTest : public OriginTest {
 protected:
  void SetUp() override {
    OriginTest::SetUp();
    PP_ASSERT_OK(ledger_->top_up("alice", 300, "t1", "cashier", ""));
    PP_ASSERT_OK(ledger_->allocate("alice", add(200), "p1", "pullprint", ""));
    print(250, "j1");
    expect_parts(0, 250);
  }
  void tamper(const std::string& sql) {
    SQLite::Database raw(path(), SQLite::OPEN_READWRITE);
    raw.exec(sql);
  }
  std::string violations() {
    auto checked = ledger_->check();
    EXPECT_TRUE(checked.ok());
    std::string all;
    for (const auto& violation : checked->violations) all += violation + "\n";
    return all;
  }
};

TEST_F(OriginCheckTest, TamperedAllocatedCache) {
  tamper(
      "INSERT OR REPLACE INTO account_allocated (account_id, allocated)"
      " SELECT id, 150 FROM accounts WHERE name = 'alice'");
  EXPECT_NE(violations().find("'alice': allocated money is 150 but its journal's allocated parts "
                              "sum to 0"),
            std::string::npos)
      << violations();
}

TEST_F(OriginCheckTest, TamperedAllocatedPartBreaksTheChain) {
  tamper(
      "DROP TRIGGER journal_allocated_no_delete;"
      "DELETE FROM journal_allocated WHERE entry_id IN"
      " (SELECT id FROM journal WHERE kind = 'capture');"
      "UPDATE account_allocated SET allocated = 200");
  std::string all = violations();
  EXPECT_NE(all.find("hash does not match"), std::string::npos) << all;
  EXPECT_NE(all.find("journal_allocated_no_delete is missing"), std::string::npos) << all;
  EXPECT_EQ(all.find("allocated money is"), std::string::npos) << all;  // caches agree
}

TEST_F(OriginCheckTest, AllocatedPartThatDoesNotFitItsKind) {
  tamper(
      "INSERT INTO journal_allocated (entry_id, allocated)"
      " SELECT id, 5 FROM journal WHERE kind = 'top-up'");
  std::string all = violations();
  EXPECT_NE(all.find("a top-up of 300 cannot move 5 of allocated money"), std::string::npos) << all;
  EXPECT_NE(all.find("hash does not match"), std::string::npos) << all;
}

// A ledger written by pullprint before origins (tests/unit/ledger/data/ledger-v4.sql: schema 4,
// chain version 1) migrates, verifies with its old hashes, counts its money as self-paid, and
// takes new entries on top.
TEST(LedgerOrigins, OldLedgerMigratesAndVerifies) {
  TempDir dir;
  const std::string path = dir.file("ledger.sqlite");
  {
    SQLite::Database raw(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    raw.exec(
        read_file(std::string(PULLPRINT_SOURCE_DIR) + "/tests/unit/ledger/data/ledger-v4.sql"));
    ASSERT_EQ(raw.execAndGet("PRAGMA user_version").getInt(), 4);
  }
  auto ledger = open_ledger_or_fail(path);
  ASSERT_NE(ledger, nullptr);
  auto checked = ledger->check();
  PP_ASSERT_OK(checked);
  EXPECT_TRUE(checked->ok()) << (checked->violations.empty() ? "" : checked->violations[0]);
  EXPECT_EQ(checked->entries, 3);
  auto alice = ledger->get_account("alice");
  PP_ASSERT_OK(alice);
  EXPECT_EQ(alice->balance, 900);
  EXPECT_EQ(alice->allocated, 0);
  EXPECT_EQ(alice->self_paid(), 900);
  auto history = ledger->history("alice", 0);
  PP_ASSERT_OK(history);
  for (const JournalEntry& entry : *history) EXPECT_EQ(entry.chain_version, 1);

  PP_ASSERT_OK(ledger->allocate("alice", add(500), "p1", "pullprint", ""));
  auto after = ledger->check();
  PP_ASSERT_OK(after);
  EXPECT_TRUE(after->ok()) << (after->violations.empty() ? "" : after->violations[0]);
  EXPECT_EQ(after->entries, 4);
  EXPECT_NE(after->chain_head, checked->chain_head);
  EXPECT_EQ(ledger->get_account("alice")->allocated, 500);
}

}  // namespace
}  // namespace pp::test
