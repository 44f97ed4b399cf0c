// transfer-test.cpp: transferring credit between users (transfers.h, Ledger::transfer): not
// allowed by the config, above the maximum, insufficient (and allocated) funds, a double submit,
// an unknown recipient, the keys, and the ledger balancing throughout.
#include <SQLiteCpp/SQLiteCpp.h>

#include "ledger/transfer-key.h"
#include "people/people.h"
#include "transfers/transfers.h"
#include "unit/ledger/ledger-fixture.h"

namespace pp::test {
namespace {

constexpr const char* kNonce = "0123456789abcdef0123456789abcdef";

class TransferTest : public LedgerTest {
 protected:
  void SetUp() override {
    LedgerTest::SetUp();
    auto people = open_sqlite_people_store(path(), people_clock_now);
    ASSERT_TRUE(people.ok()) << people.status().to_string();
    people_ = std::move(*people);
    config_ = *Config::parse(
        "transfers = yes\ntransfer-maximum = 1000\n"
        "[price default]\ncurrency = EUR\n");
    make_account("alice");
    PP_ASSERT_OK(ledger_->top_up("alice", 800, "top-up:alice:1", "desk", "cash"));
  }

  void TearDown() override { expect_consistent(); }

  // A person the site knows (as a directory sync would add them).
  void add_person(const std::string& login, const std::string& state = "active") {
    SQLite::Database db(path(), SQLite::OPEN_READWRITE);
    SQLite::Statement insert(db,
                             "INSERT INTO people (login, state, state_since, created_at, "
                             "updated_at) VALUES (?, ?, 0, 0, 0)");
    insert.bind(1, login);
    insert.bind(2, state);
    insert.exec();
  }

  TransferRequest request(std::int64_t amount, const std::string& to = "bob",
                          const std::string& nonce = kNonce) {
    return TransferRequest{"alice", to, amount, nonce, "for the poster"};
  }

  Result<TransferOutcome> transfer(const TransferRequest& r) {
    return transfer_credit(*ledger_, *people_, config_, r);
  }

  std::unique_ptr<PeopleStore> people_;
  Config config_;
};

TEST_F(TransferTest, MovesSelfPaidMoneyInOneTransaction) {
  add_person("bob");
  Result<TransferOutcome> done = transfer(request(250));
  ASSERT_TRUE(done.ok()) << done.status().to_string();
  EXPECT_EQ(done->sender_balance, 550);
  EXPECT_EQ(account("alice").balance, 550);
  EXPECT_EQ(account("bob").balance, 250);  // bob's account was created for it (no initial)
  EXPECT_EQ(account("bob").allocated, 0);  // self-paid for bob too
  EXPECT_EQ(done->entries.out.kind, EntryKind::kAdjustment);
  EXPECT_EQ(done->entries.out.amount, -250);
  EXPECT_EQ(done->entries.in.amount, 250);
  EXPECT_EQ(done->entries.out.idempotency_key, std::string("transfer:alice:") + kNonce + ":out");
  EXPECT_EQ(done->entries.in.idempotency_key, std::string("transfer:alice:") + kNonce + ":in");
  EXPECT_EQ(done->entries.in.note, "transfer alice -> bob: for the poster");
}

TEST_F(TransferTest, DoubleSubmitMovesTheMoneyOnce) {
  add_person("bob");
  ASSERT_TRUE(transfer(request(250)).ok());
  Result<TransferOutcome> again = transfer(request(250));
  ASSERT_TRUE(again.ok()) << again.status().to_string();
  EXPECT_EQ(account("alice").balance, 550);
  EXPECT_EQ(account("bob").balance, 250);
  // The same nonce for another amount is not the same transfer.
  EXPECT_EQ(transfer(request(300)).status().code(), Code::kConflict);
  EXPECT_EQ(account("alice").balance, 550);
}

TEST_F(TransferTest, NotAllowedByConfig) {
  add_person("bob");
  config_.set("transfers", "no");
  EXPECT_EQ(transfer(request(250)).status().code(), Code::kPermissionDenied);
  Config defaults = *Config::parse("[price default]\ncurrency = EUR\n");
  Result<TransferPolicy> policy = transfer_policy_from_config(defaults);
  ASSERT_TRUE(policy.ok());
  EXPECT_FALSE(policy->allowed);  // off unless the site says yes
  EXPECT_EQ(policy->maximum, 2000);
  EXPECT_EQ(account("alice").balance, 800);
}

TEST_F(TransferTest, AboveTheMaximum) {
  add_person("bob");
  EXPECT_EQ(transfer(request(1001)).status().code(), Code::kLimitExceeded);
  config_.set("transfer-maximum", "nonsense");
  EXPECT_EQ(transfer(request(100)).status().code(), Code::kInvalidArgument);
}

TEST_F(TransferTest, InsufficientFunds) {
  add_person("bob");
  EXPECT_EQ(transfer(request(801)).status().code(), Code::kInsufficientFunds);
  // Money held for an open job cannot be given away.
  Result<Reservation> held = ledger_->reserve("alice", 700, "reserve:job", "pullprintd/x", "t");
  ASSERT_TRUE(held.ok());
  EXPECT_EQ(transfer(request(200)).status().code(), Code::kInsufficientFunds);
  EXPECT_TRUE(transfer(request(100)).ok());
  PP_ASSERT_OK(ledger_->void_reservation(held->id, "void:job", "t", ""));
}

TEST_F(TransferTest, AllocatedMoneyNeverMoves) {
  add_person("bob");
  make_account("carol");
  PP_ASSERT_OK(ledger_->allocate("carol", {Ledger::AllocationChange::Rule::kAdd, 900, {}},
                                 "allocation:carol:1", "timer", "term"));
  TransferRequest r{"carol", "bob", 100, kNonce, ""};
  EXPECT_EQ(transfer(r).status().code(), Code::kInsufficientFunds);
  PP_ASSERT_OK(ledger_->top_up("carol", 50, "top-up:carol:1", "desk", "cash"));
  EXPECT_EQ(transfer(r).status().code(), Code::kInsufficientFunds);
  r.amount = 50;
  ASSERT_TRUE(transfer(r).ok());
  EXPECT_EQ(account("carol").allocated, 900);
  EXPECT_EQ(account("carol").balance, 900);
}

TEST_F(TransferTest, UnknownRecipient) {
  EXPECT_EQ(transfer(request(100, "nobody")).status().code(), Code::kNotFound);
  add_person("gone", "archived");
  EXPECT_EQ(transfer(request(100, "gone")).status().code(), Code::kNotFound);
  // Known by their account alone.
  make_account("dave");
  EXPECT_TRUE(transfer(request(100, "dave")).ok());
  EXPECT_EQ(account("alice").balance, 700);
}

TEST_F(TransferTest, BadRequests) {
  add_person("bob");
  EXPECT_EQ(transfer(request(0)).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(transfer(request(-5)).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(transfer(request(100, "alice")).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(transfer(request(100, "bob", "")).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(transfer(request(100, "bob", "../x")).status().code(), Code::kInvalidArgument);
  TransferRequest r = request(100);
  r.note = "two\nlines";
  EXPECT_EQ(transfer(r).status().code(), Code::kInvalidArgument);
  r = request(100);
  r.sender = "eve";  // no account
  EXPECT_EQ(transfer(r).status().code(), Code::kNotFound);
  EXPECT_EQ(account("alice").balance, 800);
}

TEST_F(TransferTest, DisabledSenderAccount) {
  add_person("bob");
  PP_ASSERT_OK(ledger_->set_enabled("alice", false));
  EXPECT_EQ(transfer(request(100)).status().code(), Code::kPermissionDenied);
}

TEST_F(TransferTest, LedgerCheckFindsHalfATransfer) {
  // A debit under a transfer key without its credit (written as a plain adjustment).
  PP_ASSERT_OK(ledger_->adjust("alice", -100, transfer_keys("alice", kNonce).out, "x", ""));
  Result<LedgerCheck> checked = ledger_->check();
  ASSERT_TRUE(checked.ok());
  ASSERT_EQ(checked->violations.size(), 1u);
  EXPECT_NE(checked->violations[0].find("has no credit"), std::string::npos);
  // Repaired by the missing half, the ledger is clean again (TearDown checks).
  make_account("bob");
  PP_ASSERT_OK(ledger_->adjust("bob", 100, transfer_keys("alice", kNonce).in, "x", ""));
}

TEST(TransferKeyTest, ParsesItsOwnKeysOnly) {
  const TransferKeys keys = transfer_keys("alice", kNonce);
  std::optional<ParsedTransferKey> out = parse_transfer_key(keys.out);
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(out->sender, "alice");
  EXPECT_EQ(out->nonce, kNonce);
  EXPECT_TRUE(out->out);
  std::optional<ParsedTransferKey> in = parse_transfer_key(keys.in);
  ASSERT_TRUE(in.has_value());
  EXPECT_FALSE(in->out);
  EXPECT_FALSE(parse_transfer_key("capture:pullprintd/x").has_value());
  EXPECT_FALSE(parse_transfer_key("transfer:alice:out").has_value());
  EXPECT_FALSE(parse_transfer_key("transfer::0123456789:in").has_value());
  Result<std::string> nonce = new_transfer_nonce();
  ASSERT_TRUE(nonce.ok());
  EXPECT_EQ(nonce->size(), 32u);
  EXPECT_TRUE(is_valid_transfer_nonce(*nonce));
  EXPECT_NE(*nonce, *new_transfer_nonce());
}

}  // namespace
}  // namespace pp::test
