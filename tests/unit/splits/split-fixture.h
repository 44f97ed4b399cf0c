// split-fixture.h: a split store on a fresh ledger file, accounts with money, and a clock the
// test moves by hand.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "ledger/ledger.h"
#include "splits/splits.h"
#include "support/status-assert.h"
#include "support/temp-dir.h"

// The split tests' names for PP_ASSERT_OK and PP_EXPECT_CODE (support/status-assert.h).
#define SPLIT_ASSERT_OK(expr) PP_ASSERT_OK(expr)
#define SPLIT_EXPECT_CODE(expr, expected_code) PP_EXPECT_CODE(expr, expected_code)

namespace pp::test {

inline constexpr const char* kJob = "pullprintd/urn:uuid:6f1d2c3a-0000-4000-8000-000000000001";

class SplitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto ledger = open_sqlite_ledger(path());
    ASSERT_TRUE(ledger.ok()) << ledger.status().to_string();
    ledger_ = std::move(ledger).value();
    auto store = open_sqlite_split_store(path(), *ledger_);
    ASSERT_TRUE(store.ok()) << store.status().to_string();
    store_ = std::move(store).value();
    for (const char* name : {"alice", "bob", "carol", "dave"}) account(name, 1000);
  }

  std::string path() const { return dir_.file("ledger.sqlite"); }

  // A personal account with `balance` minor units.
  void account(const std::string& name, std::int64_t balance) {
    NewAccount spec;
    spec.name = name;
    ASSERT_TRUE(ledger_->create_account(spec).ok());
    if (balance > 0) {
      ASSERT_TRUE(ledger_->top_up(name, balance, "top-up:" + name, "admin", "").ok());
    }
  }

  Account get(const std::string& name) {
    auto found = ledger_->get_account(name);
    EXPECT_TRUE(found.ok()) << found.status().to_string();
    return found.ok() ? found.value() : Account{};
  }

  // A NewSplit of `kJob` owned by alice with the given request and amounts (one per payer).
  NewSplit new_split(const std::string& text, const std::vector<std::int64_t>& amounts,
                     const std::string& job_ref = kJob) {
    NewSplit split;
    split.job_ref = job_ref;
    split.owner = "alice";
    split.title = "Handouts";
    auto request = parse_split_request(text);
    EXPECT_TRUE(request.ok()) << request.status().to_string();
    if (request.ok()) split.request = request.value();
    split.quote.currency = "EUR";
    for (std::size_t i = 0; i < split.request.payers.size() && i < amounts.size(); ++i) {
      SplitPart part;
      part.payer = split.request.payers[i].payer;
      part.description = describe_payer_request(split.request.mode, split.request.payers[i]);
      part.amount = amounts[i];
      part.options = {{"copies", "1"}};
      split.quote.parts.push_back(part);
      split.quote.total += amounts[i];
    }
    return split;
  }

  // Creates the split, failing the test on error.
  Split create(const std::string& text, const std::vector<std::int64_t>& amounts,
               const std::string& job_ref = kJob) {
    auto split = store_->create_split(new_split(text, amounts, job_ref), payer_has_account(*ledger_), now_);
    EXPECT_TRUE(split.ok()) << split.status().to_string();
    return split.ok() ? split.value() : Split{};
  }

  // The id of `payer`'s own share in the split of `job_ref`.
  std::int64_t share_of(const std::string& payer, const std::string& job_ref = kJob) {
    auto split = store_->get_split(job_ref);
    EXPECT_TRUE(split.ok()) << split.status().to_string();
    if (!split.ok()) return 0;
    for (const Share& share : split->shares) {
      if (share.payer == payer && !share.is_cover()) return share.id;
    }
    ADD_FAILURE() << payer << " has no share";
    return 0;
  }

  Share share(std::int64_t id) {
    auto found = store_->get_share(id);
    EXPECT_TRUE(found.ok()) << found.status().to_string();
    return found.ok() ? found.value() : Share{};
  }

  Split split(const std::string& job_ref = kJob) {
    auto found = store_->get_split(job_ref);
    EXPECT_TRUE(found.ok()) << found.status().to_string();
    return found.ok() ? found.value() : Split{};
  }

  // The ledger and the shares agree.
  void expect_consistent() {
    ASSERT_NO_FATAL_FAILURE(expect_no_violations(ledger_->check()));
    expect_no_violations(check_splits(*store_, *ledger_));
  }

  TempDir dir_;
  std::unique_ptr<Ledger> ledger_;
  std::unique_ptr<SplitStore> store_;
  SplitClock now_ = std::chrono::system_clock::from_time_t(1'800'000'000);  // 2027-01-15
};

}  // namespace pp::test
