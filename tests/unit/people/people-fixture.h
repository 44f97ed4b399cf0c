// people-fixture.h: a people store on a fresh ledger file with a clock the test moves by hand.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>

#include "people/people.h"
#include "support/status-assert.h"
#include "support/temp-dir.h"

namespace pp::test {

class PeopleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = open_sqlite_people_store(dir_.file("ledger.sqlite"), [this] { return now_; });
    ASSERT_TRUE(store.ok()) << store.status().to_string();
    people_ = std::move(store).value();
  }

  TempDir dir_;
  std::int64_t now_ = 1'700'000'000;
  std::unique_ptr<PeopleStore> people_;
};

}  // namespace pp::test
