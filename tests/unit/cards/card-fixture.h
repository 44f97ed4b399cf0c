// card-fixture.h: a card store on a fresh ledger file with a clock the test moves by hand.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>

#include "cards/cards.h"
#include "support/temp-dir.h"

namespace pp::test {

class CardTest : public ::testing::Test {
 protected:
  void SetUp() override { store_ = open(); }

  // Opens (another) store on the same file with the test clock and a 3-try, 60 s policy.
  std::unique_ptr<CardStore> open() {
    auto store = open_sqlite_card_store(path(), CardPolicy{3, 60}, [this] { return now_; });
    EXPECT_TRUE(store.ok()) << store.status().to_string();
    return store.ok() ? std::move(store).value() : nullptr;
  }

  std::string path() const { return dir_.file("ledger.sqlite"); }

  void add(const std::string& number, const std::string& user) {
    ASSERT_TRUE(store_->add_card(number, user).is_ok());
  }

  TempDir dir_;
  std::int64_t now_ = 1'700'000'000;
  std::unique_ptr<CardStore> store_;
};

}  // namespace pp::test
