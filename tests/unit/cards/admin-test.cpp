// admin-test.cpp: adding, listing, blocking and removing cards; number validation; config.
#include <gtest/gtest.h>

#include "unit/cards/card-fixture.h"

namespace pp::test {
namespace {

TEST_F(CardTest, AddListRemove) {
  add("0A1B2C", "alice");
  add("777", "alice");
  add("42", "bob");
  auto all = store_->list_cards(std::nullopt);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].user, "alice");
  auto alices = store_->list_cards(std::string("alice"));
  ASSERT_TRUE(alices.ok());
  ASSERT_EQ(alices->size(), 2u);
  EXPECT_FALSE((*alices)[0].has_pin);
  EXPECT_EQ((*alices)[0].created_at, now_);
  EXPECT_EQ(store_->add_card("42", "carol").code(), Code::kAlreadyExists);
  EXPECT_TRUE(store_->remove_card("42").is_ok());
  EXPECT_EQ(store_->remove_card("42").code(), Code::kNotFound);
  EXPECT_EQ(store_->get_card("42").status().code(), Code::kNotFound);
}

TEST_F(CardTest, BlockAndUnblock) {
  add("1234", "alice");
  ASSERT_TRUE(store_->set_state("1234", CardState::kBlocked).is_ok());
  EXPECT_EQ(store_->get_card("1234")->state, CardState::kBlocked);
  auto refused = store_->authenticate("1234", std::nullopt);
  EXPECT_EQ(refused.status().code(), Code::kPermissionDenied);
  ASSERT_TRUE(store_->set_state("1234", CardState::kActive).is_ok());
  auto accepted = store_->authenticate("1234", std::nullopt);
  ASSERT_TRUE(accepted.ok()) << accepted.status().to_string();
  EXPECT_EQ(*accepted, "alice");
  EXPECT_EQ(store_->set_state("999", CardState::kBlocked).code(), Code::kNotFound);
}

TEST_F(CardTest, CardNumbersAreValidated) {
  EXPECT_TRUE(validate_card_number("04A3b2FF").is_ok());
  for (const char* bad : {"", "12 34", "12;DROP", "ä1", "12\n", "-1"}) {
    EXPECT_EQ(validate_card_number(bad).code(), Code::kInvalidArgument) << bad;
  }
  EXPECT_EQ(validate_card_number(std::string(65, '1')).code(), Code::kInvalidArgument);
  EXPECT_TRUE(validate_card_number(std::string(64, '1')).is_ok());
  EXPECT_EQ(store_->add_card("12 34", "alice").code(), Code::kInvalidArgument);
  EXPECT_EQ(store_->add_card("1234", "").code(), Code::kInvalidArgument);
  EXPECT_EQ(store_->authenticate("x'y", std::nullopt).status().code(), Code::kInvalidArgument);
}

TEST(CardPolicy, FromConfig) {
  auto defaults = card_policy_from_config(*Config::parse(""));
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->max_failures, 5);
  EXPECT_EQ(defaults->lock_seconds, 300);
  auto set = card_policy_from_config(*Config::parse("card-max-failures = 3\ncard-lock-seconds = 10\n"));
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(set->max_failures, 3);
  EXPECT_EQ(set->lock_seconds, 10);
  EXPECT_FALSE(card_policy_from_config(*Config::parse("card-max-failures = 0\n")).ok());
  EXPECT_FALSE(card_policy_from_config(*Config::parse("card-lock-seconds = x\n")).ok());
}

}  // namespace
}  // namespace pp::test
