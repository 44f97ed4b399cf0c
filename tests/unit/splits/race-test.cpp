// race-test.cpp: two servers (each with its own ledger and split store connection on the same
// file) deciding the same shares at once: every share ends in one state, with the money to match.
#include <gtest/gtest.h>

#include <thread>

#include "split-fixture.h"

namespace pp::test {
namespace {

struct Server {
  std::unique_ptr<Ledger> ledger;
  std::unique_ptr<SplitStore> store;
};

Server open_server(const std::string& path) {
  Server server;
  auto ledger = open_sqlite_ledger(path);
  EXPECT_TRUE(ledger.ok()) << ledger.status().to_string();
  if (!ledger.ok()) return server;
  server.ledger = std::move(ledger).value();
  auto store = open_sqlite_split_store(path, *server.ledger);
  EXPECT_TRUE(store.ok()) << store.status().to_string();
  if (store.ok()) server.store = std::move(store).value();
  return server;
}

TEST_F(SplitTest, TwoApprovalsOfOneShareReserveOnce) {
  for (int round = 0; round < 5; ++round) {
    std::string job = "pullprintd/race-" + std::to_string(round);
    create("copies:bob=1", {10}, job);
    std::int64_t bob = share_of("bob", job);
    Server a = open_server(path()), b = open_server(path());
    Result<Share> first = Status(Code::kInternal, "not run"), second = first;
    std::thread one([&] { first = a.store->approve(bob, "bob", now_); });
    std::thread two([&] { second = b.store->approve(bob, "bob", now_); });
    one.join();
    two.join();
    ASSERT_TRUE(first.ok()) << first.status().to_string();
    ASSERT_TRUE(second.ok()) << second.status().to_string();
    EXPECT_EQ(first->reservation_id, second->reservation_id);
  }
  EXPECT_EQ(get("bob").reserved, 50);
  expect_consistent();
}

// An approval racing the expiry at the deadline: whichever wins, nothing stays held for an
// expired share and an approved one holds exactly its amount.
TEST_F(SplitTest, ApprovalRacingExpiryLeavesNoStrayReservation) {
  for (int round = 0; round < 8; ++round) {
    std::string job = "pullprintd/deadline-" + std::to_string(round);
    create("copies:bob=1,carol=1;deadline=1h", {10, 10}, job);
    std::int64_t bob = share_of("bob", job);
    Server a = open_server(path()), b = open_server(path());
    SplitClock just_before = now_ + std::chrono::minutes(59);
    SplitClock after = now_ + std::chrono::minutes(61);
    std::thread approve([&] { (void)a.store->approve(bob, "bob", just_before); });
    std::thread expire([&] { (void)b.store->expire_due(after); });
    approve.join();
    expire.join();
    SPLIT_ASSERT_OK(store_->expire_due(after));  // the next timer tick
    ShareState state = share(bob).state;
    EXPECT_TRUE(state == ShareState::kApproved || state == ShareState::kExpired)
        << share_state_name(state);
  }
  std::int64_t approved = 0;
  auto shares = store_->shares_of("bob");
  ASSERT_TRUE(shares.ok());
  for (const Share& share : *shares) {
    if (share.state == ShareState::kApproved) approved += share.amount;
  }
  EXPECT_EQ(get("bob").reserved, approved);
  expect_consistent();
}

}  // namespace
}  // namespace pp::test
