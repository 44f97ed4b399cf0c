// check-test.cpp: check_splits finds shares and reservations that disagree.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include "split-fixture.h"

namespace pp::test {
namespace {

class SplitCheckTest : public SplitTest {
 protected:
  std::vector<std::string> violations() {
    auto checked = check_splits(*store_, *ledger_);
    EXPECT_TRUE(checked.ok()) << checked.status().to_string();
    return checked.ok() ? checked->violations : std::vector<std::string>{};
  }

  // Expects exactly one violation containing `fragment`.
  void expect_violation(const std::string& fragment) {
    std::vector<std::string> found = violations();
    ASSERT_EQ(found.size(), 1u) << (found.empty() ? "none" : found.front());
    EXPECT_NE(found.front().find(fragment), std::string::npos) << found.front();
  }

  void sql(const std::string& statement) {
    SQLite::Database db(path(), SQLite::OPEN_READWRITE);
    db.exec(statement);
  }
};

TEST_F(SplitCheckTest, ACleanHistoryHasNoViolations) {
  create("ratio:alice=50,bob=30,carol=20", {50, 30, 20});
  SPLIT_ASSERT_OK(store_->approve(share_of("alice"), "alice", now_));
  SPLIT_ASSERT_OK(store_->approve(share_of("carol"), "carol", now_));
  SPLIT_ASSERT_OK(store_->decline(share_of("bob"), "bob", now_));
  auto ready = store_->releasable(kJob, "alice");
  ASSERT_TRUE(ready.ok());
  ASSERT_EQ(ready->size(), 3u);
  for (const Share& share : *ready) SPLIT_ASSERT_OK(store_->capture_share(share.id, "pullprintd", now_));
  create("copies:bob=1,carol=1", {10, 10}, "pullprintd/second");
  SPLIT_ASSERT_OK(store_->approve(share_of("bob", "pullprintd/second"), "bob", now_));
  auto checked = check_splits(*store_, *ledger_);
  ASSERT_TRUE(checked.ok());
  EXPECT_EQ(checked->splits, 2);
  EXPECT_EQ(checked->shares, 6);
  EXPECT_TRUE(checked->ok()) << checked->violations.front();
}

TEST_F(SplitCheckTest, AnAmountThatDiffersFromItsReservation) {
  create("copies:bob=1,carol=1", {10, 10});
  SPLIT_ASSERT_OK(store_->approve(share_of("bob"), "bob", now_));
  sql("UPDATE split_shares SET amount = 11 WHERE payer = 'bob'");
  sql("UPDATE splits SET price = 21");
  expect_violation("reservation holds 10, the share is 11");
}

TEST_F(SplitCheckTest, APrintedShareWhoseReservationIsStillOpen) {
  create("copies:bob=1,carol=1", {10, 10});
  SPLIT_ASSERT_OK(store_->approve(share_of("bob"), "bob", now_));
  sql("UPDATE split_shares SET state = 'printed' WHERE payer = 'bob'");
  expect_violation("captured at 10, found it open");
}

TEST_F(SplitCheckTest, AnApprovedShareWithoutItsReservation) {
  create("copies:bob=1,carol=1", {10, 10});
  auto approved = store_->approve(share_of("bob"), "bob", now_);
  ASSERT_TRUE(approved.ok());
  ASSERT_TRUE(ledger_->void_reservation(*approved->reservation_id, "void:by-hand", "admin", "").ok());
  expect_violation("is voided");
}

TEST_F(SplitCheckTest, ADeclinedShareThatStillHoldsMoney) {
  create("copies:bob=1,carol=1", {10, 10});
  SPLIT_ASSERT_OK(store_->approve(share_of("bob"), "bob", now_));
  sql("UPDATE split_shares SET state = 'declined' WHERE payer = 'bob'");
  expect_violation("is still open");
  // expire_due's sweep voids what such a share still holds.
  SPLIT_ASSERT_OK(store_->expire_due(now_));
  EXPECT_TRUE(violations().empty());
  EXPECT_EQ(get("bob").available(), 1000);
}

TEST_F(SplitCheckTest, RatioPartsThatDoNotSumToThePrice) {
  create("ratio:bob=50,carol=50", {50, 50});
  sql("UPDATE splits SET price = 99");
  expect_violation("the parts sum to 100, the price is 99");
}

TEST_F(SplitCheckTest, ACoverOfTheWrongAmount) {
  create("ratio:bob=50,carol=50", {50, 50});
  SPLIT_ASSERT_OK(store_->decline(share_of("bob"), "bob", now_));
  sql("UPDATE split_shares SET amount = 40 WHERE cover_of = 'bob'");
  std::vector<std::string> found = violations();
  ASSERT_FALSE(found.empty());
  bool named = false;
  for (const std::string& violation : found)
    named = named || violation.find("cover share") != std::string::npos;
  EXPECT_TRUE(named) << found.front();
}

}  // namespace
}  // namespace pp::test
