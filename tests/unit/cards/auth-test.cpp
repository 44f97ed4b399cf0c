// auth-test.cpp: PINs, wrong-PIN counting, lockout with an injected clock, the attempt log.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include "unit/cards/card-fixture.h"

namespace pp::test {
namespace {

// The outcomes logged for `card`, oldest first.
std::vector<std::string> outcomes(const std::string& path, const std::string& card) {
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  SQLite::Statement query(db, "SELECT outcome FROM card_attempts WHERE card = ? ORDER BY id");
  query.bind(1, card);
  std::vector<std::string> result;
  while (query.executeStep()) result.push_back(query.getColumn(0).getString());
  return result;
}

TEST_F(CardTest, CardWithoutPinNeedsNone) {
  add("1111", "alice");
  auto user = store_->authenticate("1111", std::nullopt);
  ASSERT_TRUE(user.ok()) << user.status().to_string();
  EXPECT_EQ(*user, "alice");
  EXPECT_EQ(store_->get_card("1111")->last_used_at, now_);
  EXPECT_EQ(outcomes(path(), "1111"), std::vector<std::string>{"accepted"});
}

TEST_F(CardTest, PinIsVerified) {
  add("2222", "bob");
  ASSERT_TRUE(store_->set_pin("2222", std::string("4711")).is_ok());
  EXPECT_TRUE(store_->get_card("2222")->has_pin);
  auto user = store_->authenticate("2222", std::string("4711"));
  ASSERT_TRUE(user.ok()) << user.status().to_string();
  EXPECT_EQ(*user, "bob");
  EXPECT_EQ(store_->authenticate("2222", std::string("4712")).status().code(),
            Code::kPermissionDenied);
  EXPECT_EQ(store_->authenticate("2222", std::nullopt).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(store_->get_card("2222")->failures, 2);
  EXPECT_EQ(outcomes(path(), "2222"),
            (std::vector<std::string>{"accepted", "wrong-pin", "no-pin"}));
  // Success clears the count.
  ASSERT_TRUE(store_->authenticate("2222", std::string("4711")).ok());
  EXPECT_EQ(store_->get_card("2222")->failures, 0);
  // Short or non-printable PINs are refused; clearing the PIN works.
  EXPECT_EQ(store_->set_pin("2222", std::string("12")).code(), Code::kInvalidArgument);
  ASSERT_TRUE(store_->set_pin("2222", std::nullopt).is_ok());
  EXPECT_TRUE(store_->authenticate("2222", std::nullopt).ok());
}

TEST_F(CardTest, WrongPinsLockTheCardUntilTheLockEnds) {
  add("3333", "carol");
  ASSERT_TRUE(store_->set_pin("3333", std::string("secret")).is_ok());
  for (int i = 0; i < 2; ++i) EXPECT_FALSE(store_->authenticate("3333", std::string("nope")).ok());
  auto third = store_->authenticate("3333", std::string("nope"));
  EXPECT_EQ(third.status().code(), Code::kPermissionDenied);
  EXPECT_NE(third.status().message().find("locked until"), std::string::npos);
  ASSERT_TRUE(store_->get_card("3333")->locked_until.has_value());
  EXPECT_EQ(*store_->get_card("3333")->locked_until, now_ + 60);
  // Even the right PIN is refused while locked (and is not checked against the count).
  now_ += 59;
  auto locked = store_->authenticate("3333", std::string("secret"));
  EXPECT_EQ(locked.status().code(), Code::kPermissionDenied);
  EXPECT_NE(locked.status().message().find("locked until"), std::string::npos);
  now_ += 1;
  auto user = store_->authenticate("3333", std::string("secret"));
  ASSERT_TRUE(user.ok()) << user.status().to_string();
  EXPECT_EQ(*user, "carol");
  EXPECT_EQ(outcomes(path(), "3333"),
            (std::vector<std::string>{"wrong-pin", "wrong-pin", "wrong-pin", "locked",
                                      "accepted"}));
}

TEST_F(CardTest, UnblockEndsALock) {
  add("4444", "dave");
  ASSERT_TRUE(store_->set_pin("4444", std::string("1234")).is_ok());
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(store_->authenticate("4444", std::string("0000")).ok());
  EXPECT_FALSE(store_->authenticate("4444", std::string("1234")).ok());
  ASSERT_TRUE(store_->set_state("4444", CardState::kActive).is_ok());
  EXPECT_TRUE(store_->authenticate("4444", std::string("1234")).ok());
}

TEST_F(CardTest, UnknownCardIsRefusedAndLogged) {
  auto refused = store_->authenticate("DEADBEEF", std::string("1234"));
  EXPECT_EQ(refused.status().code(), Code::kNotFound);
  EXPECT_EQ(outcomes(path(), "DEADBEEF"), std::vector<std::string>{"unknown-card"});
  EXPECT_FALSE(store_->authenticate("bad card!", std::nullopt).ok());
  EXPECT_EQ(outcomes(path(), ""), std::vector<std::string>{"invalid-number"});
}

TEST_F(CardTest, PinIsNeverStoredInClear) {
  add("5555", "erin");
  ASSERT_TRUE(store_->set_pin("5555", std::string("90210")).is_ok());
  ASSERT_TRUE(store_->authenticate("5555", std::string("90210")).ok());
  EXPECT_FALSE(store_->authenticate("5555", std::string("31337")).ok());
  store_.reset();
  SQLite::Database db(path(), SQLite::OPEN_READONLY);
  std::string hash = db.execAndGet("SELECT pin_hash FROM cards WHERE number = '5555'").getString();
  EXPECT_TRUE(hash.starts_with("$argon2id$")) << hash;
  // No PIN anywhere in the database file or its WAL (checkpointed by the reads above or not).
  for (const std::string& file : {path(), path() + "-wal"}) {
    std::string bytes = read_file(file);
    EXPECT_EQ(bytes.find("90210"), std::string::npos) << file;
    EXPECT_EQ(bytes.find("31337"), std::string::npos) << file;
  }
}

TEST_F(CardTest, TwoStoresShareTheFile) {
  add("6666", "frank");
  auto other = open();
  ASSERT_NE(other, nullptr);
  ASSERT_TRUE(other->set_pin("6666", std::string("2468")).is_ok());
  EXPECT_FALSE(store_->authenticate("6666", std::nullopt).ok());
  EXPECT_TRUE(store_->authenticate("6666", std::string("2468")).ok());
}

}  // namespace
}  // namespace pp::test
