// charge-held-job-test.cpp: charging a held job to another account (charge_held_job_to): the
// old reservation voided, the new one made, each once however often the desk clicks, refused
// when the new account cannot pay or the owner may not charge it, and the ledger always checks
// clean (HoldingTest's TearDown).
#include <gtest/gtest.h>

#include "holding/charge-held-job.h"
#include "ledger/charge-move-key.h"
#include "unit/holding/holding-fixture.h"

namespace pp {
namespace {

class ChargeHeldJobTest : public HoldingTest {
 protected:
  void SetUp() override {
    HoldingTest::SetUp();
    NewAccount physics;
    physics.name = "physics";
    physics.type = AccountType::kShared;
    ASSERT_TRUE(ledger_->create_account(physics).ok());
    PP_ASSERT_OK(ledger_->top_up("physics", 500, "top-up:physics", "test", "grant"));
    NewAccount bob;
    bob.name = "bob";
    ASSERT_TRUE(ledger_->create_account(bob).ok());
    PP_ASSERT_OK(ledger_->top_up("bob", 100, "top-up:bob", "test", "start"));
    job_ = hold(request(three_pages_));  // 3 pages, one colour: 70 held on alice
    ASSERT_EQ(job_.payer, "alice");
    ASSERT_EQ(job_.price_minor, 70);
  }

  Result<HeldJob> charge(const std::string& account, bool any_account) {
    return charge_held_job_to(*site_, job_.id, ChargeTarget{account, "dana", any_account});
  }

  std::int64_t available(const std::string& account) {
    Result<Account> found = ledger_->get_account(account);
    EXPECT_TRUE(found.ok()) << found.status().to_string();
    return found.ok() ? found->available() : 0;
  }

  HeldJob job_;
};

TEST_F(ChargeHeldJobTest, AdminMovesTheReservationToASharedAccount) {
  const Reservation before = reservation_of(job_);
  Result<HeldJob> moved = charge("physics", true);
  PP_ASSERT_OK(moved);
  EXPECT_EQ(moved->payer, "physics");
  EXPECT_EQ(moved->state, HeldJobState::kHeld);
  ASSERT_TRUE(moved->reservation_id.has_value());
  EXPECT_NE(*moved->reservation_id, before.id);

  const Reservation now = reservation_of(*moved);
  EXPECT_EQ(now.account, "physics");
  EXPECT_EQ(now.amount, 70);
  EXPECT_EQ(now.state, ReservationState::kOpen);
  EXPECT_EQ(now.job_ref, std::string("pullprintd/") + kUuid);  // the capture still names the job
  EXPECT_EQ(now.idempotency_key, charge_move_keys(JobRef::held(kUuid), before.id).reserve);
  Result<Reservation> old = ledger_->get_reservation(before.id);
  PP_ASSERT_OK(old);
  EXPECT_EQ(old->state, ReservationState::kVoided);
  EXPECT_EQ(available("alice"), 100);
  EXPECT_EQ(available("physics"), 430);
  EXPECT_EQ(reserved_on("alice"), 0);
}

TEST_F(ChargeHeldJobTest, ARetryMovesTheMoneyOnce) {
  PP_ASSERT_OK(charge("physics", true));
  Result<HeldJob> again = charge("physics", true);
  PP_ASSERT_OK(again);
  EXPECT_EQ(again->payer, "physics");
  EXPECT_EQ(available("physics"), 430);
  EXPECT_EQ(available("alice"), 100);
  Result<std::vector<JournalEntry>> moves = ledger_->entries_with_key_prefix(kChargeMoveKeyPrefix);
  PP_ASSERT_OK(moves);
  EXPECT_EQ(moves->size(), 2u);  // one reserve, one void
}

TEST_F(ChargeHeldJobTest, BackAndForthGetsKeysOfItsOwn) {
  PP_ASSERT_OK(charge("physics", true));
  PP_ASSERT_OK(charge("bob", true));
  Result<HeldJob> back = charge("physics", true);
  PP_ASSERT_OK(back);
  EXPECT_EQ(back->payer, "physics");
  EXPECT_EQ(reservation_of(*back).state, ReservationState::kOpen);
  EXPECT_EQ(available("physics"), 430);
  EXPECT_EQ(available("bob"), 100);
  EXPECT_EQ(available("alice"), 100);
}

TEST_F(ChargeHeldJobTest, RefusedWhenTheNewAccountCannotPay) {
  NewAccount poor;
  poor.name = "poor";
  poor.type = AccountType::kShared;
  ASSERT_TRUE(ledger_->create_account(poor).ok());
  PP_ASSERT_OK(ledger_->top_up("poor", 20, "top-up:poor", "test", "a little"));
  PP_EXPECT_CODE(charge("poor", true), Code::kInsufficientFunds);
  const HeldJob unchanged = current(job_);
  EXPECT_EQ(unchanged.payer, "alice");
  EXPECT_EQ(unchanged.reservation_id, job_.reservation_id);
  EXPECT_EQ(reservation_of(unchanged).state, ReservationState::kOpen);
  EXPECT_EQ(available("alice"), 30);
  EXPECT_EQ(available("poor"), 20);
}

TEST_F(ChargeHeldJobTest, AnOperatorOnlyToAnAccountTheOwnerMayCharge) {
  PP_EXPECT_CODE(charge("physics", false), Code::kPermissionDenied);
  EXPECT_EQ(current(job_).payer, "alice");
  PP_ASSERT_OK(ledger_->add_member("physics", "alice"));
  Result<HeldJob> moved = charge("physics", false);
  PP_ASSERT_OK(moved);
  EXPECT_EQ(moved->payer, "physics");
}

TEST_F(ChargeHeldJobTest, UnknownAccountAndJobsNotHeldAreRefused) {
  PP_EXPECT_CODE(charge("nobody", true), Code::kNotFound);
  PP_ASSERT_OK(cancel_held_job(*site_, job_.id, "alice", false));
  PP_EXPECT_CODE(charge("physics", true), Code::kConflict);
  EXPECT_EQ(available("physics"), 500);
}

TEST_F(ChargeHeldJobTest, ACancelAfterAMoveVoidsTheNewReservation) {
  PP_ASSERT_OK(charge("physics", true));
  PP_ASSERT_OK(cancel_held_job(*site_, job_.id, "alice", false));
  EXPECT_EQ(available("physics"), 500);
  EXPECT_EQ(available("alice"), 100);
  EXPECT_EQ(reserved_on("physics"), 0);
}

TEST_F(ChargeHeldJobTest, ACrashBeforeTheVoidIsFinishedByTheRetry) {
  // As if the move stopped after its commit point: new reservation made, job moved, old open.
  const Reservation before = reservation_of(job_);
  const ChargeMoveKeys keys = charge_move_keys(JobRef::held(kUuid), before.id);
  Result<Reservation> reserved =
      ledger_->reserve("physics", 70, keys.reserve, std::string("pullprintd/") + kUuid, "dana");
  PP_ASSERT_OK(reserved);
  PP_ASSERT_OK(store_->change_payer(job_.id, before.id, "physics", reserved->id));
  EXPECT_EQ(available("alice"), 30);  // held twice until the retry
  PP_ASSERT_OK(charge("physics", true));
  EXPECT_EQ(available("alice"), 100);
  EXPECT_EQ(available("physics"), 430);
}

TEST_F(ChargeHeldJobTest, ACrashBeforeTheCommitIsUndoneByReconcile) {
  // As if the move stopped after reserving on physics: the job never took the reservation.
  const Reservation before = reservation_of(job_);
  const ChargeMoveKeys keys = charge_move_keys(JobRef::held(kUuid), before.id);
  Result<Reservation> orphan =
      ledger_->reserve("physics", 70, keys.reserve, std::string("pullprintd/") + kUuid, "dana");
  PP_ASSERT_OK(orphan);
  Result<int> finished = reconcile_held_jobs(*site_, std::chrono::seconds(-1));
  PP_ASSERT_OK(finished);
  EXPECT_EQ(*finished, 1);
  Result<Reservation> undone = ledger_->get_reservation(orphan->id);
  PP_ASSERT_OK(undone);
  EXPECT_EQ(undone->state, ReservationState::kVoided);
  EXPECT_EQ(available("physics"), 500);
  EXPECT_EQ(reservation_of(current(job_)).state, ReservationState::kOpen);  // alice's stays
  // The same move again is refused rather than taking the undone reservation.
  PP_EXPECT_CODE(charge("physics", true), Code::kConflict);
  EXPECT_EQ(current(job_).payer, "alice");
}

TEST_F(ChargeHeldJobTest, TheStoreMovesOnlyFromTheReservationItHolds) {
  PP_EXPECT_CODE(store_->change_payer(job_.id, *job_.reservation_id + 99, "bob", 1),
                 Code::kConflict);
  EXPECT_EQ(current(job_).payer, "alice");
}

TEST(ChargeMoveKey, OriginOfAReserveKey) {
  const ChargeMoveKeys keys = charge_move_keys(JobRef::held(kUuid), 42);
  EXPECT_EQ(keys.reserve, std::string("charge-move:pullprintd/") + kUuid + ":42:reserve");
  EXPECT_EQ(charge_move_origin(keys.reserve), 42);
  EXPECT_FALSE(charge_move_origin(keys.void_old).has_value());
  EXPECT_FALSE(charge_move_origin(JobRef::held(kUuid).reserve_key()).has_value());
  EXPECT_FALSE(charge_move_origin("charge-move::reserve").has_value());
}

}  // namespace
}  // namespace pp
