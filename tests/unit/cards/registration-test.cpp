// registration-test.cpp: registering one's own card with a terminal's code
// (CardStore::start_registration / confirm_registration, card-registration.h): the code, its
// expiry on the injected clock, wrong and used codes, the per-user and per-card limits, a card
// that is someone's already.
#include <cctype>
#include <set>

#include "cards/card-registration.h"
#include "cards/prepaid-cards.h"
#include "unit/cards/card-fixture.h"

namespace pp::test {
namespace {

class RegistrationTest : public CardTest {
 protected:
  CardRegistration start(const std::string& number) {
    Result<CardRegistration> registration = store_->start_registration(number, "terminal-1");
    EXPECT_TRUE(registration.ok()) << registration.status().to_string();
    return registration.ok() ? *registration : CardRegistration{};
  }
};

TEST_F(RegistrationTest, CodeIsShortTypeableAndExpiresInTenMinutes) {
  const CardRegistration registration = start("04A1B2C3");
  EXPECT_EQ(registration.card, "04A1B2C3");
  ASSERT_EQ(registration.code.size(), kRegistrationCodeLength);
  for (char c : registration.code) EXPECT_NE(kPrepaidAlphabet.find(c), std::string_view::npos);
  EXPECT_EQ(registration.started_at, now_);
  EXPECT_EQ(registration.expires_at, now_ + 600);
  EXPECT_EQ(shown_registration_code("ABC123"), "ABC-123");
}

TEST_F(RegistrationTest, CodesAreRandom) {
  std::set<std::string> codes;
  for (int i = 0; i < 20; ++i) codes.insert(*new_registration_code());
  EXPECT_GT(codes.size(), 15u);
}

TEST_F(RegistrationTest, ConfirmGivesTheCardToTheUserOnce) {
  const CardRegistration registration = start("04A1B2C3");
  // Typed in lower case with the dash the terminal shows.
  std::string typed = shown_registration_code(registration.code);
  for (char& c : typed) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  Result<Card> card = store_->confirm_registration(typed, "alice");
  ASSERT_TRUE(card.ok()) << card.status().to_string();
  EXPECT_EQ(card->number, "04A1B2C3");
  EXPECT_EQ(card->user, "alice");
  Result<std::string> owner = store_->authenticate("04A1B2C3", std::nullopt);
  ASSERT_TRUE(owner.ok()) << owner.status().to_string();
  EXPECT_EQ(*owner, "alice");
  // Used twice: the code is gone, for alice as for anyone else.
  EXPECT_EQ(store_->confirm_registration(registration.code, "alice").status().code(),
            Code::kNotFound);
  EXPECT_EQ(store_->confirm_registration(registration.code, "mallory").status().code(),
            Code::kNotFound);
  EXPECT_EQ(store_->get_card("04A1B2C3")->user, "alice");
}

TEST_F(RegistrationTest, ExpiredCodeIsRefused) {
  const CardRegistration registration = start("04A1B2C3");
  now_ += 600;  // the end of its ten minutes
  Result<Card> card = store_->confirm_registration(registration.code, "alice");
  EXPECT_EQ(card.status().code(), Code::kConflict);
  EXPECT_NE(card.status().message().find("expired"), std::string::npos);
  EXPECT_EQ(store_->get_card("04A1B2C3").status().code(), Code::kNotFound);
}

TEST_F(RegistrationTest, CodeIsValidUntilItsLastSecond) {
  const CardRegistration registration = start("04A1B2C3");
  now_ += 599;
  EXPECT_TRUE(store_->confirm_registration(registration.code, "alice").ok());
}

TEST_F(RegistrationTest, TappingAgainReplacesTheCode) {
  const CardRegistration first = start("04A1B2C3");
  const CardRegistration second = start("04A1B2C3");
  if (first.code != second.code) {
    EXPECT_EQ(store_->confirm_registration(first.code, "alice").status().code(), Code::kNotFound);
  }
  EXPECT_TRUE(store_->confirm_registration(second.code, "alice").ok());
}

TEST_F(RegistrationTest, WrongCodesAreCountedAndLimitedPerUser) {
  const CardRegistration registration = start("04A1B2C3");
  // The fixture's policy: 3 failures within 60 s.
  for (const char* guess : {"AAAAAA", "BBBBBB", "CCCCCC"}) {
    if (registration.code == guess) continue;
    EXPECT_EQ(store_->confirm_registration(guess, "mallory").status().code(), Code::kNotFound);
  }
  Result<Card> locked = store_->confirm_registration(registration.code, "mallory");
  EXPECT_EQ(locked.status().code(), Code::kPermissionDenied);
  EXPECT_NE(locked.status().message().find("too many wrong registration codes"), std::string::npos);
  // Other users are not locked out, and the code still works for its holder.
  EXPECT_TRUE(store_->confirm_registration(registration.code, "alice").ok());
  // After the window, mallory may try again.
  now_ += 61;
  EXPECT_EQ(store_->confirm_registration("DDDDDD", "mallory").status().code(), Code::kNotFound);
}

TEST_F(RegistrationTest, CardAlreadySomeonesIsRefused) {
  add("04A1B2C3", "bob");
  EXPECT_EQ(store_->start_registration("04A1B2C3", "terminal-1").status().code(),
            Code::kAlreadyExists);
  // Registered meanwhile (between the start and the confirmation): refused, bob keeps it.
  const CardRegistration registration = start("0555");
  ASSERT_TRUE(store_->add_card("0555", "bob").is_ok());
  EXPECT_EQ(store_->confirm_registration(registration.code, "alice").status().code(),
            Code::kAlreadyExists);
  EXPECT_EQ(store_->get_card("0555")->user, "bob");
}

TEST_F(RegistrationTest, PrepaidCardsAreActivatedNotRegistered) {
  ASSERT_TRUE(store_->issue_prepaid_cards({"PREPAID1"}, 500, "desk").is_ok());
  EXPECT_EQ(store_->start_registration("PREPAID1", "terminal-1").status().code(),
            Code::kAlreadyExists);
}

TEST_F(RegistrationTest, StartsPerCardAreRateLimited) {
  for (int i = 0; i < 3; ++i) start("04A1B2C3");
  EXPECT_EQ(store_->start_registration("04A1B2C3", "terminal-1").status().code(),
            Code::kPermissionDenied);
  EXPECT_TRUE(store_->start_registration("0999", "terminal-1").ok());  // another card may
  now_ += 61;
  EXPECT_TRUE(store_->start_registration("04A1B2C3", "terminal-1").ok());
}

TEST_F(RegistrationTest, MalformedInputIsRefused) {
  EXPECT_EQ(store_->start_registration("not a card!", "t").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(store_->confirm_registration("", "alice").status().code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace pp::test
