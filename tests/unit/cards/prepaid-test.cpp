// prepaid-test.cpp: prepaid cards: issuing, activating once, twice, by the wrong user, an unknown
// number, the guess limit, a terminal's refusal before activation, a crash between activation and
// credit, and concurrent activations of one card crediting once.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "cards/prepaid-cards.h"
#include "unit/cards/card-fixture.h"

namespace pp::test {
namespace {

class PrepaidTest : public CardTest {
 protected:
  void SetUp() override {
    CardTest::SetUp();
    auto ledger = open_sqlite_ledger(path());
    ASSERT_TRUE(ledger.ok()) << ledger.status().to_string();
    ledger_ = std::move(ledger).value();
    auto config = Config::parse("initial-balance = 100\n");
    ASSERT_TRUE(config.ok());
    config_ = std::move(config).value();
  }

  // Issues one card worth `value` and returns its number.
  std::string issue_one(std::int64_t value) {
    auto numbers = issue_prepaid_cards(*store_, 1, value, "desk");
    EXPECT_TRUE(numbers.ok()) << numbers.status().to_string();
    return numbers.ok() ? numbers->front() : std::string();
  }

  Result<PrepaidOutcome> activate(const std::string& number, const std::string& user) {
    return activate_prepaid_card(*store_, *ledger_, config_, number, user, user);
  }

  std::int64_t balance(const std::string& user) {
    auto account = ledger_->get_account(user);
    EXPECT_TRUE(account.ok()) << account.status().to_string();
    return account.ok() ? account->balance : -1;
  }

  // Journal entries under the card's key.
  int credits(const std::string& number) {
    SQLite::Database db(path(), SQLite::OPEN_READONLY);
    SQLite::Statement query(db, "SELECT count(*) FROM journal WHERE idempotency_key = ?");
    query.bind(1, prepaid_card_key(number));
    query.executeStep();
    return query.getColumn(0).getInt();
  }

  std::string last_outcome(const std::string& number) {
    SQLite::Database db(path(), SQLite::OPEN_READONLY);
    SQLite::Statement query(
        db, "SELECT outcome || ' ' || user FROM card_attempts WHERE card = ? ORDER BY id DESC");
    query.bind(1, number);
    return query.executeStep() ? query.getColumn(0).getString() : "";
  }

  std::unique_ptr<Ledger> ledger_;
  Config config_;
};

TEST_F(PrepaidTest, IssuedNumbersAreRandomTypeableAndUnowned) {
  auto numbers = issue_prepaid_cards(*store_, 50, 500, "desk");
  ASSERT_TRUE(numbers.ok()) << numbers.status().to_string();
  ASSERT_EQ(numbers->size(), 50u);
  std::set<std::string> distinct(numbers->begin(), numbers->end());
  EXPECT_EQ(distinct.size(), 50u);
  for (const std::string& number : *numbers) {
    ASSERT_EQ(number.size(), kPrepaidNumberLength);
    EXPECT_EQ(number.find_first_not_of(kPrepaidAlphabet), std::string::npos) << number;
  }
  auto all = store_->list_cards(std::nullopt);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 50u);
  EXPECT_EQ((*all)[0].state, CardState::kUnissued);
  EXPECT_EQ((*all)[0].user, "");
  EXPECT_EQ((*all)[0].value, 500);
  EXPECT_EQ(card_state_name(CardState::kUnissued), "unissued");
  auto one = store_->get_card(numbers->front());
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->state, CardState::kUnissued);
  // Nobody's own list shows them; a number already taken cannot be issued or added again.
  EXPECT_TRUE(store_->list_cards(std::string("alice"))->empty());
  EXPECT_EQ(store_->issue_prepaid_cards({numbers->front()}, 100, "desk").code(),
            Code::kAlreadyExists);
  EXPECT_EQ(store_->add_card(numbers->front(), "mallory").code(), Code::kAlreadyExists);
  add("RELEASE1", "bob");
  EXPECT_EQ(store_->issue_prepaid_cards({"RELEASE1"}, 100, "desk").code(), Code::kAlreadyExists);
  // Bad counts and values are refused before anything is written.
  EXPECT_EQ(issue_prepaid_cards(*store_, 0, 500, "desk").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(issue_prepaid_cards(*store_, 1, 0, "desk").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(store_->list_cards(std::nullopt)->size(), 51u);
}

TEST_F(PrepaidTest, ActivationAttachesAndCreditsOnce) {
  const std::string number = issue_one(500);
  // Before activation a terminal refuses it, and says why.
  auto early = store_->authenticate(number, std::nullopt);
  EXPECT_EQ(early.status().code(), Code::kPermissionDenied);
  EXPECT_NE(early.status().message().find(kActivateCardFirst), std::string::npos);
  EXPECT_EQ(last_outcome(number), "unactivated ");

  auto first = activate(number, "alice");
  ASSERT_TRUE(first.ok()) << first.status().to_string();
  EXPECT_TRUE(first->credited_now);
  EXPECT_EQ(first->value, 500);
  EXPECT_EQ(first->balance, 600);  // initial-balance 100 + the card
  EXPECT_EQ(balance("alice"), 600);
  EXPECT_EQ(credits(number), 1);
  EXPECT_EQ(last_outcome(number), "activated alice");

  auto card = store_->get_card(number);
  ASSERT_TRUE(card.ok());
  EXPECT_EQ(card->user, "alice");
  EXPECT_EQ(card->state, CardState::kActive);
  EXPECT_EQ(card->value, 500);
  EXPECT_EQ(card->activated_at, now_);
  // Now it is alice's release card.
  auto login = store_->authenticate(number, std::nullopt);
  ASSERT_TRUE(login.ok()) << login.status().to_string();
  EXPECT_EQ(*login, "alice");

  // Twice: nothing more.
  auto second = activate(number, "alice");
  ASSERT_TRUE(second.ok()) << second.status().to_string();
  EXPECT_FALSE(second->credited_now);
  EXPECT_EQ(second->balance, 600);
  EXPECT_EQ(credits(number), 1);
  EXPECT_EQ(last_outcome(number), "activation-repeated alice");
  auto check = ledger_->check();
  ASSERT_TRUE(check.ok());
  EXPECT_TRUE(check->ok());
}

TEST_F(PrepaidTest, TypedNumbersAreNormalised) {
  EXPECT_EQ(normalize_prepaid_number("ab1o-il2z 9x"), "AB10112Z9X");
  const std::string number = issue_one(200);
  std::string typed;
  for (std::size_t i = 0; i < number.size(); ++i) {
    if (i == 4 || i == 8) typed += '-';
    typed += static_cast<char>(std::tolower(static_cast<unsigned char>(number[i])));
  }
  auto outcome = activate(typed, "alice");
  ASSERT_TRUE(outcome.ok()) << outcome.status().to_string();
  EXPECT_EQ(outcome->number, number);
}

TEST_F(PrepaidTest, AnotherUsersCardAndUnknownNumbersAreRefused) {
  const std::string number = issue_one(500);
  ASSERT_TRUE(activate(number, "alice").ok());
  auto stolen = activate(number, "mallory");
  EXPECT_EQ(stolen.status().code(), Code::kPermissionDenied);
  EXPECT_EQ(stolen.status().message().find("alice"), std::string::npos);  // owner not named
  EXPECT_EQ(last_outcome(number), "activation-taken mallory");
  EXPECT_EQ(store_->get_card(number)->user, "alice");
  EXPECT_EQ(balance("alice"), 600);
  EXPECT_EQ(ledger_->get_account("mallory").status().code(), Code::kNotFound);

  auto unknown = activate("0000AAAA1111", "bob");
  EXPECT_EQ(unknown.status().code(), Code::kNotFound);
  EXPECT_EQ(last_outcome("0000AAAA1111"), "activation-unknown bob");
  // A release card is not a prepaid card.
  add("BADGE42", "carol");
  EXPECT_EQ(activate("BADGE42", "bob").status().code(), Code::kNotFound);
  EXPECT_EQ(store_->get_card("BADGE42")->user, "carol");
  // Malformed input is refused and counted without being logged verbatim.
  EXPECT_EQ(activate("no/such", "bob").status().code(), Code::kInvalidArgument);
}

TEST_F(PrepaidTest, FailedActivationsAreRateLimitedPerUser) {
  // The fixture's policy: 3 failures, 60 s.
  const std::string number = issue_one(300);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(activate("GUESS000000" + std::to_string(i), "mallory").status().code(),
              Code::kNotFound);
    now_ += 1;
  }
  // Even the right number is refused now, and the refusal is logged.
  auto locked = activate(number, "mallory");
  EXPECT_EQ(locked.status().code(), Code::kPermissionDenied);
  EXPECT_NE(locked.status().message().find("too many failed card activations"), std::string::npos);
  EXPECT_EQ(last_outcome(number), "activation-locked mallory");
  EXPECT_EQ(store_->get_card(number)->state, CardState::kUnissued);
  // Other users are not affected.
  const std::string other = issue_one(300);
  EXPECT_TRUE(activate(other, "bob").ok());
  // Once the oldest failure leaves the window, the user may try again.
  now_ += 60;
  auto later = activate(number, "mallory");
  ASSERT_TRUE(later.ok()) << later.status().to_string();
  EXPECT_TRUE(later->credited_now);
}

TEST_F(PrepaidTest, CrashBetweenActivationAndCreditIsRepaired) {
  const std::string number = issue_one(700);
  // The store step alone: what a crash right after it leaves.
  auto attached = store_->activate_prepaid_card(number, "alice");
  ASSERT_TRUE(attached.ok());
  EXPECT_TRUE(attached->first);
  EXPECT_EQ(credits(number), 0);
  auto pending = store_->uncredited_prepaid_cards();
  ASSERT_TRUE(pending.ok());
  ASSERT_EQ(pending->size(), 1u);

  // The user tries again: the credit is repeated and lands once.
  auto again = activate(number, "alice");
  ASSERT_TRUE(again.ok()) << again.status().to_string();
  EXPECT_TRUE(again->credited_now);
  EXPECT_EQ(balance("alice"), 800);
  EXPECT_EQ(credits(number), 1);
  EXPECT_TRUE(store_->uncredited_prepaid_cards()->empty());

  // A crash after the top-up but before the record: the timer's repair replays the key.
  const std::string second = issue_one(50);
  ASSERT_TRUE(store_->activate_prepaid_card(second, "alice").ok());
  ASSERT_TRUE(ledger_->top_up("alice", 50, prepaid_card_key(second), "alice", "").ok());
  auto repaired = credit_uncredited_prepaid_cards(*store_, *ledger_, config_, "pullprintd");
  ASSERT_TRUE(repaired.ok()) << repaired.status().to_string();
  EXPECT_EQ(*repaired, 1);
  EXPECT_EQ(balance("alice"), 850);
  EXPECT_EQ(credits(second), 1);
  EXPECT_EQ(*credit_uncredited_prepaid_cards(*store_, *ledger_, config_, "pullprintd"), 0);
}

TEST_F(PrepaidTest, ConcurrentActivationsOfOneCardCreditOnce) {
  const std::string number = issue_one(400);
  constexpr int kThreads = 8;
  std::atomic<int> ok{0};
  std::atomic<int> refused{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    // Half the threads are alice (the same user twice, e.g. the web and the CLI), half others.
    const std::string user = i % 2 == 0 ? "alice" : "user" + std::to_string(i);
    threads.emplace_back([this, number, user, &ok, &refused] {
      auto store = open();  // each its own connections, as separate processes have
      auto ledger = open_sqlite_ledger(path());
      if (!store || !ledger.ok()) return;
      auto outcome = activate_prepaid_card(*store, **ledger, config_, number, user, user);
      if (outcome.ok() && user == "alice") ++ok;
      if (!outcome.ok() && outcome.status().code() == Code::kPermissionDenied) ++refused;
    });
  }
  for (std::thread& thread : threads) thread.join();
  const std::string owner = store_->get_card(number)->user;
  // One owner; every other user refused; alice's calls all succeed only if she won.
  auto credited = ledger_->get_account(owner);
  ASSERT_TRUE(credited.ok());
  EXPECT_EQ(credited->balance, 500);  // 100 + 400, once
  EXPECT_EQ(credits(number), 1);
  if (owner == "alice") {
    EXPECT_EQ(ok.load(), kThreads / 2);
    EXPECT_EQ(refused.load(), kThreads / 2);
  } else {
    EXPECT_EQ(ok.load(), 0);
    EXPECT_EQ(refused.load(), kThreads - 1);
  }
  auto check = ledger_->check();
  ASSERT_TRUE(check.ok());
  EXPECT_TRUE(check->ok()) << check->violations.front();
}

TEST_F(PrepaidTest, CheckFindsCreditsThatDoNotMatchTheirCards) {
  const std::string good = issue_one(300);
  ASSERT_TRUE(activate(good, "alice").ok());
  auto clean = store_->check_prepaid_cards();
  ASSERT_TRUE(clean.ok()) << clean.status().to_string();
  EXPECT_TRUE(clean->empty());
  // An activated, uncredited card (the crash window) is not a violation.
  const std::string pending = issue_one(100);
  ASSERT_TRUE(store_->activate_prepaid_card(pending, "bob").ok());
  EXPECT_TRUE(store_->check_prepaid_cards()->empty());
  // A credit for a card nobody activated is money from nowhere.
  const std::string unissued = issue_one(100);
  ASSERT_TRUE(ledger_->top_up("alice", 100, prepaid_card_key(unissued), "x", "").ok());
  // A card marked credited whose top-up is missing.
  ASSERT_TRUE(store_->mark_prepaid_credited(pending).is_ok());
  auto broken = store_->check_prepaid_cards();
  ASSERT_TRUE(broken.ok());
  ASSERT_EQ(broken->size(), 2u);
  EXPECT_NE((*broken)[0].find(pending), std::string::npos) << (*broken)[0];
  EXPECT_NE((*broken)[1].find(unissued), std::string::npos) << (*broken)[1];
}

}  // namespace
}  // namespace pp::test
