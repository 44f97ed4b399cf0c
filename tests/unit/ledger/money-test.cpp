// money-test.cpp: top-up, adjust, reserve, capture, void, refund: effects, idempotency, errors.
#include <gtest/gtest.h>

#include "ledger/ledger.h"
#include "unit/ledger/ledger-fixture.h"

namespace pp::test {
namespace {

using MoneyTest = LedgerTest;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST_F(MoneyTest, TopUpAndAdjust) {
  make_account("alice");
  auto topped = ledger_->top_up("alice", 500, "t1", "cashier", "cash");
  PP_ASSERT_OK(topped);
  EXPECT_EQ(topped->kind, EntryKind::kTopUp);
  EXPECT_EQ(topped->amount, 500);
  EXPECT_EQ(topped->account, "alice");
  EXPECT_EQ(topped->actor, "cashier");
  EXPECT_EQ(topped->note, "cash");
  EXPECT_FALSE(topped->reservation_id);
  PP_ASSERT_OK(ledger_->adjust("alice", -120, "a1", "admin", "wrong top-up"));
  PP_ASSERT_OK(ledger_->adjust("alice", 20, "a2", "admin", "goodwill"));
  EXPECT_EQ(account("alice").balance, 400);
  expect_consistent();
}

TEST_F(MoneyTest, InvalidAmountsAndKeys) {
  make_account("alice");
  PP_EXPECT_CODE(ledger_->top_up("alice", 0, "k", "", ""), Code::kInvalidArgument);
  PP_EXPECT_CODE(ledger_->top_up("alice", -5, "k", "", ""), Code::kInvalidArgument);
  PP_EXPECT_CODE(ledger_->top_up("alice", 5, "", "", ""), Code::kInvalidArgument);
  PP_EXPECT_CODE(ledger_->top_up("alice", 2'000'000'000'000, "k", "", ""), Code::kInvalidArgument);
  PP_EXPECT_CODE(ledger_->adjust("alice", 0, "k", "", ""), Code::kInvalidArgument);
  PP_EXPECT_CODE(ledger_->reserve("alice", -1, "k", "job", ""), Code::kInvalidArgument);
  PP_EXPECT_CODE(ledger_->reserve("alice", 1, "", "job", ""), Code::kInvalidArgument);
  PP_EXPECT_CODE(ledger_->capture(1, -1, "k", ""), Code::kInvalidArgument);
  PP_EXPECT_CODE(ledger_->refund(1, 0, "k", "", ""), Code::kInvalidArgument);
  PP_EXPECT_CODE(ledger_->void_reservation(1, "", "", ""), Code::kInvalidArgument);
  auto entries = ledger_->history("alice", 0);
  PP_ASSERT_OK(entries);
  EXPECT_TRUE(entries->empty());
}

TEST_F(MoneyTest, IdempotentRepeatReturnsOriginal) {
  make_account("alice");
  auto first = ledger_->top_up("alice", 500, "pay-1", "cashier", "cash");
  PP_ASSERT_OK(first);
  auto again = ledger_->top_up("alice", 500, "pay-1", "web", "retry");  // actor/note don't count
  PP_ASSERT_OK(again);
  EXPECT_EQ(again->id, first->id);
  EXPECT_EQ(again->note, "cash");
  EXPECT_EQ(account("alice").balance, 500);
}

TEST_F(MoneyTest, ReusedKeyWithOtherParametersIsConflict) {
  make_account("alice");
  make_account("bob");
  PP_ASSERT_OK(ledger_->top_up("alice", 500, "pay-1", "cashier", ""));
  auto other_amount = ledger_->top_up("alice", 700, "pay-1", "cashier", "");
  PP_EXPECT_CODE(other_amount, Code::kConflict);
  EXPECT_TRUE(contains(other_amount.status().message(), "pay-1"));
  PP_EXPECT_CODE(ledger_->top_up("bob", 500, "pay-1", "cashier", ""), Code::kConflict);
  PP_EXPECT_CODE(ledger_->adjust("alice", 500, "pay-1", "admin", ""), Code::kConflict);
  PP_EXPECT_CODE(ledger_->reserve("alice", 500, "pay-1", "job", ""), Code::kConflict);
  EXPECT_EQ(account("alice").balance, 500);
  EXPECT_EQ(account("bob").balance, 0);
}

TEST_F(MoneyTest, ReserveHoldsWithoutChangingBalance) {
  make_account("alice");
  PP_ASSERT_OK(ledger_->top_up("alice", 100, "t", "", ""));
  auto held = ledger_->reserve("alice", 84, "job-1", "cups/Lab/42", "filter");
  PP_ASSERT_OK(held);
  EXPECT_EQ(held->state, ReservationState::kOpen);
  EXPECT_EQ(held->amount, 84);
  EXPECT_EQ(held->job_ref, "cups/Lab/42");
  EXPECT_EQ(held->idempotency_key, "job-1");
  EXPECT_EQ(held->account, "alice");
  Account alice = account("alice");
  EXPECT_EQ(alice.balance, 100);
  EXPECT_EQ(alice.reserved, 84);
  EXPECT_EQ(alice.available(), 16);

  auto again = ledger_->reserve("alice", 84, "job-1", "cups/Lab/42", "backend");
  PP_ASSERT_OK(again);
  EXPECT_EQ(again->id, held->id);
  EXPECT_EQ(account("alice").reserved, 84);
  PP_EXPECT_CODE(ledger_->reserve("alice", 85, "job-1", "cups/Lab/42", ""), Code::kConflict);

  auto by_key = ledger_->find_reservation_by_key("job-1");
  PP_ASSERT_OK(by_key);
  ASSERT_TRUE(by_key->has_value());
  EXPECT_EQ((*by_key)->id, held->id);
  auto none = ledger_->find_reservation_by_key("no-such-key");
  PP_ASSERT_OK(none);
  EXPECT_FALSE(none->has_value());
  expect_consistent();
}

TEST_F(MoneyTest, InsufficientFundsNamesAmounts) {
  make_account("alice");
  PP_ASSERT_OK(ledger_->top_up("alice", 20, "t", "", ""));
  auto refused = ledger_->reserve("alice", 84, "job-1", "j", "");
  PP_EXPECT_CODE(refused, Code::kInsufficientFunds);
  EXPECT_TRUE(contains(refused.status().message(), "alice")) << refused.status().message();
  EXPECT_TRUE(contains(refused.status().message(), "20 available"));
  EXPECT_TRUE(contains(refused.status().message(), "84 needed"));
  // Nothing was written, so the key stays free.
  PP_ASSERT_OK(ledger_->top_up("alice", 100, "t2", "", ""));
  PP_ASSERT_OK(ledger_->reserve("alice", 84, "job-1", "j", ""));
  PP_EXPECT_CODE(ledger_->reserve("alice", 37, "job-2", "j", ""), Code::kInsufficientFunds);
  PP_ASSERT_OK(ledger_->reserve("alice", 36, "job-3", "j", ""));  // exactly to zero
  EXPECT_EQ(account("alice").available(), 0);
}

TEST_F(MoneyTest, CreditLimitAllowsGoingBelowZero) {
  make_account("bob", 50);
  PP_ASSERT_OK(ledger_->reserve("bob", 30, "r1", "j", ""));
  PP_ASSERT_OK(ledger_->reserve("bob", 20, "r2", "j", ""));  // available -50 == -credit_limit
  auto refused = ledger_->reserve("bob", 1, "r3", "j", "");
  PP_EXPECT_CODE(refused, Code::kInsufficientFunds);
  EXPECT_TRUE(contains(refused.status().message(), "credit limit 50"))
      << refused.status().message();
  EXPECT_EQ(account("bob").available(), -50);
}

TEST_F(MoneyTest, UnlimitedNeverRunsOut) {
  make_account("dean", 0, true);
  PP_ASSERT_OK(ledger_->reserve("dean", 1'000'000, "r1", "j", ""));
  PP_ASSERT_OK(ledger_->reserve("dean", 1'000'000, "r2", "j", ""));
  EXPECT_EQ(account("dean").available(), -2'000'000);
}

TEST_F(MoneyTest, DisabledAccountCannotBeCharged) {
  make_account("eve");
  PP_ASSERT_OK(ledger_->top_up("eve", 100, "t", "", ""));
  auto held = ledger_->reserve("eve", 10, "r1", "j", "");
  PP_ASSERT_OK(held);
  PP_ASSERT_OK(ledger_->set_enabled("eve", false));
  auto refused = ledger_->reserve("eve", 10, "r2", "j", "");
  PP_EXPECT_CODE(refused, Code::kPermissionDenied);
  EXPECT_TRUE(contains(refused.status().message(), "eve"));
  // What was already printed is still settled, and money may still come in.
  PP_ASSERT_OK(ledger_->capture(held->id, 10, "c1", ""));
  PP_ASSERT_OK(ledger_->top_up("eve", 5, "t2", "", ""));
  EXPECT_EQ(account("eve").balance, 95);
  expect_consistent();
}

TEST_F(MoneyTest, CaptureAtFinalPrice) {
  make_account("alice");
  PP_ASSERT_OK(ledger_->top_up("alice", 100, "t", "", ""));
  auto held = ledger_->reserve("alice", 40, "r1", "j", "");
  PP_ASSERT_OK(held);
  auto captured = ledger_->capture(held->id, 55, "c1", "backend");  // dearer printer
  PP_ASSERT_OK(captured);
  EXPECT_EQ(captured->kind, EntryKind::kCapture);
  EXPECT_EQ(captured->amount, -55);
  EXPECT_EQ(captured->reservation_id, held->id);
  Account alice = account("alice");
  EXPECT_EQ(alice.balance, 45);
  EXPECT_EQ(alice.reserved, 0);
  auto after = ledger_->get_reservation(held->id);
  PP_ASSERT_OK(after);
  EXPECT_EQ(after->state, ReservationState::kCaptured);
  EXPECT_EQ(after->captured_amount, 55);

  auto repeat = ledger_->capture(held->id, 55, "c1", "pullprintd");
  PP_ASSERT_OK(repeat);
  EXPECT_EQ(repeat->id, captured->id);
  EXPECT_EQ(account("alice").balance, 45);
  expect_consistent();
}

TEST_F(MoneyTest, CaptureMayExceedFunds) {
  make_account("alice");
  PP_ASSERT_OK(ledger_->top_up("alice", 10, "t", "", ""));
  auto held = ledger_->reserve("alice", 10, "r1", "j", "");
  PP_ASSERT_OK(held);
  PP_ASSERT_OK(ledger_->capture(held->id, 30, "c1", ""));  // printed; must be booked
  EXPECT_EQ(account("alice").balance, -20);
  expect_consistent();
}

TEST_F(MoneyTest, DoubleCaptureIsConflict) {
  make_account("alice", 0, true);
  auto held = ledger_->reserve("alice", 40, "r1", "j", "");
  PP_ASSERT_OK(held);
  PP_ASSERT_OK(ledger_->capture(held->id, 40, "c1", ""));
  auto second = ledger_->capture(held->id, 40, "c2", "");  // other attempt, other key
  PP_EXPECT_CODE(second, Code::kConflict);
  EXPECT_TRUE(contains(second.status().message(), "captured")) << second.status().message();
  PP_EXPECT_CODE(ledger_->capture(held->id, 41, "c1", ""), Code::kConflict);
  EXPECT_EQ(account("alice").balance, -40);
}

TEST_F(MoneyTest, VoidReleasesHold) {
  make_account("alice");
  PP_ASSERT_OK(ledger_->top_up("alice", 100, "t", "", ""));
  auto held = ledger_->reserve("alice", 60, "r1", "j", "");
  PP_ASSERT_OK(held);
  auto voided = ledger_->void_reservation(held->id, "v1", "backend", "no data sent");
  PP_ASSERT_OK(voided);
  EXPECT_EQ(voided->kind, EntryKind::kVoid);
  EXPECT_EQ(voided->amount, 60);
  Account alice = account("alice");
  EXPECT_EQ(alice.balance, 100);
  EXPECT_EQ(alice.reserved, 0);
  EXPECT_EQ(ledger_->get_reservation(held->id)->state, ReservationState::kVoided);
  auto repeat = ledger_->void_reservation(held->id, "v1", "", "");
  PP_ASSERT_OK(repeat);
  EXPECT_EQ(repeat->id, voided->id);
  PP_EXPECT_CODE(ledger_->void_reservation(held->id, "v2", "", ""), Code::kConflict);
  PP_EXPECT_CODE(ledger_->capture(held->id, 60, "c1", ""), Code::kConflict);
  expect_consistent();
}

TEST_F(MoneyTest, VoidAfterCaptureIsConflict) {
  make_account("alice", 0, true);
  auto held = ledger_->reserve("alice", 60, "r1", "j", "");
  PP_ASSERT_OK(held);
  PP_ASSERT_OK(ledger_->capture(held->id, 60, "c1", ""));
  PP_EXPECT_CODE(ledger_->void_reservation(held->id, "v1", "", ""), Code::kConflict);
  PP_EXPECT_CODE(ledger_->void_reservation(held->id, "c1", "", ""), Code::kConflict);
  EXPECT_EQ(account("alice").balance, -60);
}

TEST_F(MoneyTest, UnknownReservationIsNotFound) {
  PP_EXPECT_CODE(ledger_->capture(999, 1, "c", ""), Code::kNotFound);
  PP_EXPECT_CODE(ledger_->void_reservation(999, "v", "", ""), Code::kNotFound);
  PP_EXPECT_CODE(ledger_->refund(999, 1, "f", "", ""), Code::kNotFound);
  PP_EXPECT_CODE(ledger_->get_reservation(999), Code::kNotFound);
}

TEST_F(MoneyTest, RefundUpToCaptured) {
  make_account("alice");
  PP_ASSERT_OK(ledger_->top_up("alice", 100, "t", "", ""));
  auto held = ledger_->reserve("alice", 50, "r1", "j", "");
  PP_ASSERT_OK(held);
  PP_EXPECT_CODE(ledger_->refund(held->id, 10, "f0", "", ""), Code::kConflict);  // still open
  PP_ASSERT_OK(ledger_->capture(held->id, 50, "c1", ""));
  auto first = ledger_->refund(held->id, 30, "f1", "admin", "jam");
  PP_ASSERT_OK(first);
  EXPECT_EQ(first->kind, EntryKind::kRefund);
  EXPECT_EQ(first->amount, 30);
  auto over = ledger_->refund(held->id, 21, "f2", "admin", "");
  PP_EXPECT_CODE(over, Code::kConflict);
  EXPECT_TRUE(contains(over.status().message(), "20")) << over.status().message();
  PP_ASSERT_OK(ledger_->refund(held->id, 20, "f2", "admin", ""));
  PP_EXPECT_CODE(ledger_->refund(held->id, 1, "f3", "admin", ""), Code::kConflict);
  auto repeat = ledger_->refund(held->id, 30, "f1", "admin", "jam");
  PP_ASSERT_OK(repeat);
  EXPECT_EQ(repeat->id, first->id);
  EXPECT_EQ(account("alice").balance, 100);
  expect_consistent();
}

TEST_F(MoneyTest, RefundOfVoidedIsConflict) {
  make_account("alice", 0, true);
  auto held = ledger_->reserve("alice", 50, "r1", "j", "");
  PP_ASSERT_OK(held);
  PP_ASSERT_OK(ledger_->void_reservation(held->id, "v1", "", ""));
  PP_EXPECT_CODE(ledger_->refund(held->id, 1, "f1", "", ""), Code::kConflict);
}

TEST_F(MoneyTest, ZeroPriceJob) {
  make_account("alice");
  auto held = ledger_->reserve("alice", 0, "r1", "j", "");
  PP_ASSERT_OK(held);
  PP_ASSERT_OK(ledger_->capture(held->id, 0, "c1", ""));
  EXPECT_EQ(account("alice").balance, 0);
  expect_consistent();
}

TEST_F(MoneyTest, HistoryNewestFirstWithLimit) {
  make_account("alice");
  PP_ASSERT_OK(ledger_->top_up("alice", 100, "t1", "", ""));
  auto held = ledger_->reserve("alice", 10, "r1", "job-7", "");
  PP_ASSERT_OK(held);
  PP_ASSERT_OK(ledger_->capture(held->id, 10, "c1", ""));
  auto all = ledger_->history("alice", 0);
  PP_ASSERT_OK(all);
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].kind, EntryKind::kCapture);
  EXPECT_EQ((*all)[1].kind, EntryKind::kReserve);
  EXPECT_EQ((*all)[1].note, "job-7");
  EXPECT_EQ((*all)[2].kind, EntryKind::kTopUp);
  EXPECT_GT((*all)[0].id, (*all)[1].id);
  auto two = ledger_->history("alice", 2);
  PP_ASSERT_OK(two);
  ASSERT_EQ(two->size(), 2u);
  EXPECT_EQ((*two)[0].id, (*all)[0].id);
}

TEST_F(MoneyTest, StateSurvivesReopen) {
  make_account("alice");
  PP_ASSERT_OK(ledger_->top_up("alice", 100, "t1", "", ""));
  auto held = ledger_->reserve("alice", 10, "r1", "j", "");
  PP_ASSERT_OK(held);
  ledger_.reset();
  ledger_ = open_ledger_or_fail(path());
  ASSERT_NE(ledger_, nullptr);
  Account alice = account("alice");
  EXPECT_EQ(alice.balance, 100);
  EXPECT_EQ(alice.reserved, 10);
  PP_ASSERT_OK(ledger_->capture(held->id, 10, "c1", ""));
  expect_consistent();
}

TEST_F(MoneyTest, OpenReservationsByJobReferencePrefix) {
  make_account("alice");
  PP_ASSERT_OK(ledger_->top_up("alice", 1000, "t", "admin", ""));
  auto a = ledger_->reserve("alice", 10, "r1", "pullprintd/a", "");
  auto b = ledger_->reserve("alice", 20, "r2", "pullprintd/b", "");
  auto c = ledger_->reserve("alice", 30, "r3", "cups/host/Lab/1", "");
  auto odd = ledger_->reserve("alice", 40, "r4", "pullprintdX/c", "");  // not the prefix
  PP_ASSERT_OK(a);
  PP_ASSERT_OK(b);
  PP_ASSERT_OK(c);
  PP_ASSERT_OK(odd);
  PP_ASSERT_OK(ledger_->void_reservation(b->id, "v2", "", ""));
  auto open = ledger_->open_reservations("pullprintd/");
  PP_ASSERT_OK(open);
  ASSERT_EQ(open->size(), 1u);
  EXPECT_EQ(open->front().id, a->id);
  EXPECT_EQ(open->front().job_ref, "pullprintd/a");
  auto none = ledger_->open_reservations("100%_");
  PP_ASSERT_OK(none);
  EXPECT_TRUE(none->empty());
}

}  // namespace
}  // namespace pp::test
