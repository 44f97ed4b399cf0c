// delivery-settle-test.cpp: the money of a delivery: capture once, void, review, crashes.
#include <SQLiteCpp/SQLiteCpp.h>

#include "unit/delivery/delivery-fixture.h"

namespace pp::test {
namespace {

DeliveryOutcome outcome(int status, std::int64_t bytes, bool cancelled = false) {
  DeliveryOutcome result;
  result.exit_status = status;
  result.bytes_sent = bytes;
  result.cancelled = cancelled;
  result.message = status == 0 ? "" : "printer said no";
  return result;
}

TEST_F(DeliveryTest, SuccessCapturesOnceAtTheReleasePrice) {
  PP_ASSERT_OK(log_->hold(held_job()));
  in_flight();
  auto done = finish_delivery(*ledger_, *log_, kJob, outcome(0, 4096), "backend");
  PP_ASSERT_OK(done);
  EXPECT_EQ(done->state, DeliveryState::kPrinted);
  EXPECT_EQ(done->bytes_sent, 4096);
  EXPECT_FALSE(done->pid);
  Reservation held = reservation();
  EXPECT_EQ(held.state, ReservationState::kCaptured);
  EXPECT_EQ(held.captured_amount, 100);  // the price on the release printer, not the 120 held
  EXPECT_EQ(ledger_->get_account("alice")->balance, 900);
  expect_consistent();

  // Finishing again (a retried backend, a duplicate report) changes nothing.
  auto again = finish_delivery(*ledger_, *log_, kJob, outcome(0, 4096), "backend");
  PP_ASSERT_OK(again);
  EXPECT_EQ(again->state, DeliveryState::kPrinted);
  EXPECT_EQ(entries(EntryKind::kCapture), 1);
  EXPECT_EQ(ledger_->get_account("alice")->balance, 900);
  // A printed job is not released or begun again.
  PP_EXPECT_CODE(log_->release(order()), Code::kConflict);
  PP_EXPECT_CODE(log_->begin(kJob, current_process_stamp()), Code::kConflict);
  expect_consistent();
}

TEST_F(DeliveryTest, NothingSentLeavesTheJobReleased) {
  in_flight();
  auto done = finish_delivery(*ledger_, *log_, kJob, outcome(1, 0), "backend");
  PP_ASSERT_OK(done);
  EXPECT_EQ(done->state, DeliveryState::kReleased);
  EXPECT_NE(done->message.find("printer said no"), std::string::npos) << done->message;
  EXPECT_EQ(reservation().state, ReservationState::kOpen);
  expect_consistent();
  // A retry is a second attempt.
  auto retry = log_->begin(kJob, current_process_stamp());
  PP_ASSERT_OK(retry);
  EXPECT_EQ(retry->attempts, 2);
  PP_ASSERT_OK(finish_delivery(*ledger_, *log_, kJob, outcome(0, 10), "backend"));
  EXPECT_EQ(entries(EntryKind::kCapture), 1);
  expect_consistent();
}

TEST_F(DeliveryTest, CancelledBeforeSendingIsVoided) {
  in_flight();
  auto done = finish_delivery(*ledger_, *log_, kJob, outcome(5, 0, true), "backend");
  PP_ASSERT_OK(done);
  EXPECT_EQ(done->state, DeliveryState::kVoided);
  EXPECT_EQ(reservation().state, ReservationState::kVoided);
  EXPECT_EQ(ledger_->get_account("alice")->reserved, 0);
  PP_ASSERT_OK(finish_delivery(*ledger_, *log_, kJob, outcome(5, 0, true), "backend"));
  EXPECT_EQ(entries(EntryKind::kVoid), 1);
  expect_consistent();
}

TEST_F(DeliveryTest, CancelAfterPullprintdVoidedIsTheSameVoid) {
  // pullprintd's cancel voided the reservation under the same key while the job was in flight.
  in_flight("pullprintd/u-1");
  PP_ASSERT_OK(ledger_->void_reservation(reservation_id_, "void:pullprintd/u-1", "pullprintd",
                                         "cancelled"));
  auto done = finish_delivery(*ledger_, *log_, "pullprintd/u-1", outcome(5, 0, true), "backend");
  PP_ASSERT_OK(done);
  EXPECT_EQ(done->state, DeliveryState::kVoided);
  EXPECT_EQ(entries(EntryKind::kVoid), 1);
  expect_consistent();
}

TEST_F(DeliveryTest, DataThenFailureNeedsReviewAndNoMoney) {
  in_flight();
  auto done = finish_delivery(*ledger_, *log_, kJob, outcome(1, 2048), "backend");
  PP_ASSERT_OK(done);
  EXPECT_EQ(done->state, DeliveryState::kReview);
  EXPECT_EQ(done->bytes_sent, 2048);
  EXPECT_EQ(reservation().state, ReservationState::kOpen);
  PP_EXPECT_CODE(log_->begin(kJob, current_process_stamp()), Code::kConflict);
  expect_consistent();
}

TEST_F(DeliveryTest, CancelledAfterDataNeedsReview) {
  in_flight();
  auto done = finish_delivery(*ledger_, *log_, kJob, outcome(143, 10, true), "backend");
  PP_ASSERT_OK(done);
  EXPECT_EQ(done->state, DeliveryState::kReview);
  EXPECT_EQ(reservation().state, ReservationState::kOpen);
}

TEST_F(DeliveryTest, ReviewResolvedByCapture) {
  in_flight();
  PP_ASSERT_OK(finish_delivery(*ledger_, *log_, kJob, outcome(1, 2048), "backend"));
  PP_EXPECT_CODE(resolve_review(*ledger_, *log_, "cups/unknown", true, "admin"), Code::kNotFound);
  auto done = resolve_review(*ledger_, *log_, kJob, true, "admin");
  PP_ASSERT_OK(done);
  EXPECT_EQ(done->state, DeliveryState::kPrinted);
  EXPECT_NE(done->message.find("admin"), std::string::npos);
  EXPECT_EQ(reservation().captured_amount, 100);
  PP_ASSERT_OK(resolve_review(*ledger_, *log_, kJob, true, "admin"));  // decided before
  PP_EXPECT_CODE(resolve_review(*ledger_, *log_, kJob, false, "admin"), Code::kConflict);
  EXPECT_EQ(entries(EntryKind::kCapture), 1);
  expect_consistent();
}

TEST_F(DeliveryTest, ReviewResolvedByVoid) {
  in_flight();
  PP_ASSERT_OK(finish_delivery(*ledger_, *log_, kJob, outcome(1, 2048), "backend"));
  auto done = resolve_review(*ledger_, *log_, kJob, false, "admin");
  PP_ASSERT_OK(done);
  EXPECT_EQ(done->state, DeliveryState::kVoided);
  EXPECT_EQ(reservation().state, ReservationState::kVoided);
  EXPECT_EQ(ledger_->get_account("alice")->balance, 1000);
  expect_consistent();
}

TEST_F(DeliveryTest, OnlyReviewRowsAreResolved) {
  in_flight();
  PP_EXPECT_CODE(resolve_review(*ledger_, *log_, kJob, true, "admin"), Code::kConflict);
  EXPECT_EQ(reservation().state, ReservationState::kOpen);
}

TEST_F(DeliveryTest, CrashBetweenCaptureAndStateIsReconciled) {
  PP_ASSERT_OK(log_->release(order()));
  PP_ASSERT_OK(log_->begin(kJob, dead_stamp()));
  // The killed backend had captured, then died before writing 'printed'.
  PP_ASSERT_OK(
      ledger_->capture(reservation_id_, 100, JobRef::from_stored(kJob).capture_key(), "backend"));
  auto changed = reconcile_deliveries(*ledger_, *log_);
  PP_ASSERT_OK(changed);
  EXPECT_EQ(*changed, 1);
  EXPECT_EQ(log_->get(kJob)->state, DeliveryState::kPrinted);
  EXPECT_EQ(*reconcile_deliveries(*ledger_, *log_), 0);
  EXPECT_EQ(entries(EntryKind::kCapture), 1);
  expect_consistent();
}

TEST_F(DeliveryTest, FinishAfterACrashBetweenCaptureAndStateChargesOnce) {
  in_flight();
  PP_ASSERT_OK(
      ledger_->capture(reservation_id_, 100, JobRef::from_stored(kJob).capture_key(), "backend"));
  auto done = finish_delivery(*ledger_, *log_, kJob, outcome(0, 10), "backend");
  PP_ASSERT_OK(done);
  EXPECT_EQ(done->state, DeliveryState::kPrinted);
  EXPECT_EQ(entries(EntryKind::kCapture), 1);
  expect_consistent();
}

TEST_F(DeliveryTest, ReconcileSendsUnfinishedAttemptsToReview) {
  PP_ASSERT_OK(log_->release(order()));
  PP_ASSERT_OK(log_->begin(kJob, dead_stamp()));
  std::int64_t second = reserve("pullprintd/u-live", 50);
  ReleaseOrder live = order("pullprintd/u-live");
  live.reservation_id = second;
  PP_ASSERT_OK(log_->release(live));
  PP_ASSERT_OK(log_->begin("pullprintd/u-live", current_process_stamp()));  // still running

  EXPECT_EQ(*reconcile_deliveries(*ledger_, *log_), 1);
  EXPECT_EQ(log_->get(kJob)->state, DeliveryState::kReview);
  EXPECT_EQ(log_->get("pullprintd/u-live")->state, DeliveryState::kInFlight);
  EXPECT_EQ(reservation().state, ReservationState::kOpen);
  expect_consistent();
}

TEST_F(DeliveryTest, DeadAttemptIsSettledFromTheLedgerOrLeftToTheCaller) {
  PP_ASSERT_OK(log_->release(order()));
  PP_ASSERT_OK(log_->begin(kJob, dead_stamp()));
  // Reservation still open: nothing changes, the caller decides (resend or review).
  auto open = settle_dead_attempt(*ledger_, *log_, *log_->get(kJob), "the previous attempt");
  PP_ASSERT_OK(open);
  EXPECT_FALSE(open->has_value());
  EXPECT_EQ(log_->get(kJob)->state, DeliveryState::kInFlight);
  // Voided meanwhile (a cancel): the row follows the ledger.
  PP_ASSERT_OK(ledger_->void_reservation(reservation_id_, JobRef::from_stored(kJob).void_key(),
                                         "admin", "x"));
  auto voided = settle_dead_attempt(*ledger_, *log_, *log_->get(kJob), "the previous attempt");
  PP_ASSERT_OK(voided);
  ASSERT_TRUE(voided->has_value());
  EXPECT_EQ((*voided)->state, DeliveryState::kVoided);
  expect_consistent();
}

TEST_F(DeliveryTest, FinishNeedsAnAttempt) {
  PP_ASSERT_OK(log_->release(order()));
  PP_EXPECT_CODE(finish_delivery(*ledger_, *log_, kJob, outcome(0, 1), "backend"),
                 Code::kConflict);
  EXPECT_EQ(reservation().state, ReservationState::kOpen);
}

TEST_F(DeliveryTest, CheckFindsDeliveriesThatDisagreeWithTheLedger) {
  in_flight();
  PP_ASSERT_OK(finish_delivery(*ledger_, *log_, kJob, outcome(1, 10), "backend"));
  {
    SQLite::Database raw(path(), SQLite::OPEN_READWRITE);
    raw.exec("UPDATE deliveries SET state = 'printed'");  // but nothing was captured
  }
  auto checked = ledger_->check();
  PP_ASSERT_OK(checked);
  ASSERT_EQ(checked->violations.size(), 1u);
  EXPECT_NE(checked->violations[0].find("captured at 100"), std::string::npos)
      << checked->violations[0];
  {
    SQLite::Database raw(path(), SQLite::OPEN_READWRITE);
    raw.exec("UPDATE deliveries SET state = 'voided'");
  }
  checked = ledger_->check();
  ASSERT_EQ(checked->violations.size(), 1u);
  EXPECT_NE(checked->violations[0].find("voided, found it open"), std::string::npos)
      << checked->violations[0];
}

}  // namespace
}  // namespace pp::test
