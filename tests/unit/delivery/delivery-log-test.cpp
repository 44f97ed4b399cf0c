// delivery-log-test.cpp: the delivery rows' transitions (hold, release, withdraw, begin,
// set_state, list) and the process stamps that guard an attempt in flight.
#include <SQLiteCpp/SQLiteCpp.h>

#include <fstream>
#include <sstream>

#include "delivery/job-ref.h"
#include "unit/delivery/delivery-fixture.h"

namespace pp::test {
namespace {

// The start time of pid 1, read the way the library does (field 22 of /proc/1/stat): a live
// process that is not us.
ProcessStamp init_stamp() {
  std::ifstream file("/proc/1/stat");
  std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  std::istringstream fields(text.substr(text.rfind(')') + 1));
  std::string field;
  for (int number = 3; number <= 22 && fields >> field; ++number) {
  }
  return ProcessStamp{1, std::stoll(field)};
}

TEST(DeliveryNames, RoundTripAndKeys) {
  for (auto state : {DeliveryState::kHeld, DeliveryState::kReleased, DeliveryState::kInFlight,
                     DeliveryState::kPrinted, DeliveryState::kVoided, DeliveryState::kReview}) {
    EXPECT_EQ(parse_delivery_state(delivery_state_name(state)), state);
  }
  EXPECT_EQ(delivery_state_name(DeliveryState::kInFlight), "in-flight");
  EXPECT_FALSE(parse_delivery_state("printing"));
  EXPECT_EQ(JobRef::from_stored("cups/u-1").capture_key(), "capture:cups/u-1");
  // The same key pullprintd's cancel and expiry use for its held jobs.
  EXPECT_EQ(JobRef::from_stored("pullprintd/abc").void_key(), "void:pullprintd/abc");
}

TEST(ProcessStamps, OnlyTheSameProcessIsAlive) {
  ProcessStamp self = current_process_stamp();
  EXPECT_EQ(self.pid, ::getpid());
  EXPECT_GT(self.start, 0);
  EXPECT_TRUE(process_alive(self));
  EXPECT_FALSE(process_alive({self.pid, self.start + 1}));  // a reused pid
  EXPECT_FALSE(process_alive({0, 0}));
  EXPECT_FALSE(process_alive({4'000'000'000LL, 0}));
  EXPECT_TRUE(process_alive(init_stamp()));
}

TEST_F(DeliveryTest, HoldIsIdempotent) {
  auto held = log_->hold(held_job());
  PP_ASSERT_OK(held);
  EXPECT_EQ(held->state, DeliveryState::kHeld);
  EXPECT_EQ(held->cups_queue, "Lab");
  EXPECT_EQ(held->cups_job_id, 42);
  EXPECT_EQ(held->released_by, "");
  HeldDelivery again = held_job();
  again.title = "other";
  auto second = log_->hold(again);
  PP_ASSERT_OK(second);
  EXPECT_EQ(second->title, "report.pdf");  // the first record stands
  EXPECT_EQ(second->created_at, held->created_at);
  expect_consistent();
}

TEST_F(DeliveryTest, HoldRefusesIncompleteJobs) {
  HeldDelivery job = held_job();
  job.reservation_id = 0;
  PP_EXPECT_CODE(log_->hold(job), Code::kInvalidArgument);
  job = held_job();
  job.cups_job_id = 0;
  PP_EXPECT_CODE(log_->hold(job), Code::kInvalidArgument);
  job = held_job();
  job.owner = "";
  PP_EXPECT_CODE(log_->hold(job), Code::kInvalidArgument);
  job = held_job();
  job.reservation_id = 9999;  // no such reservation: the foreign key refuses it
  EXPECT_FALSE(log_->hold(job).ok());
}

TEST_F(DeliveryTest, ReleaseOfAHeldJob) {
  PP_ASSERT_OK(log_->hold(held_job()));
  ReleaseOrder release = order();
  release.released_by = "operator";
  auto released = log_->release(release);
  PP_ASSERT_OK(released);
  EXPECT_EQ(released->state, DeliveryState::kReleased);
  EXPECT_EQ(released->amount, 100);
  EXPECT_EQ(released->currency, "EUR");
  EXPECT_EQ(released->released_by, "operator");
  EXPECT_EQ(released->cups_job_id, 42);
  // Repeated: the same row; elsewhere: refused (a CUPS job prints only on its queue).
  PP_ASSERT_OK(log_->release(release));
  release.printer = "Library";
  PP_EXPECT_CODE(log_->release(release), Code::kConflict);
  expect_consistent();
}

TEST_F(DeliveryTest, HeldCupsJobPrintsOnlyOnItsQueue) {
  PP_ASSERT_OK(log_->hold(held_job()));
  ReleaseOrder release = order();
  release.printer = "Library";
  PP_EXPECT_CODE(log_->release(release), Code::kConflict);
  EXPECT_EQ(log_->get(kJob)->state, DeliveryState::kHeld);
  release.printer = "";  // the queue that holds it
  auto released = log_->release(release);
  PP_ASSERT_OK(released);
  EXPECT_EQ(released->printer, "Lab");
}

TEST_F(DeliveryTest, ReleaseWithoutRowIsPullprintdsDoor) {
  auto released = log_->release(order("pullprintd/u-1"));
  PP_ASSERT_OK(released);
  EXPECT_EQ(released->state, DeliveryState::kReleased);
  EXPECT_EQ(released->cups_queue, "");
  EXPECT_FALSE(released->cups_job_id);
  ReleaseOrder anonymous = order("pullprintd/u-2");
  anonymous.released_by = "";
  PP_EXPECT_CODE(log_->release(anonymous), Code::kInvalidArgument);
}

TEST_F(DeliveryTest, WithdrawGoesBackToHeldOrAway) {
  PP_ASSERT_OK(log_->hold(held_job()));
  PP_ASSERT_OK(log_->release(order()));
  PP_ASSERT_OK(log_->withdraw(kJob));
  auto held = log_->get(kJob);
  PP_ASSERT_OK(held);
  EXPECT_EQ(held->state, DeliveryState::kHeld);
  EXPECT_EQ(held->released_by, "");
  PP_ASSERT_OK(log_->withdraw(kJob));  // held stays held

  PP_ASSERT_OK(log_->release(order("pullprintd/u-1")));
  PP_ASSERT_OK(log_->withdraw("pullprintd/u-1"));
  PP_EXPECT_CODE(log_->get("pullprintd/u-1"), Code::kNotFound);
  PP_EXPECT_CODE(log_->withdraw("pullprintd/u-1"), Code::kNotFound);

  in_flight("pullprintd/u-3");
  PP_EXPECT_CODE(log_->withdraw("pullprintd/u-3"), Code::kConflict);
}

TEST_F(DeliveryTest, BeginRecordsTheAttempt) {
  PP_ASSERT_OK(log_->hold(held_job()));
  PP_EXPECT_CODE(log_->begin(kJob, current_process_stamp()), Code::kConflict);  // still held
  Delivery d = in_flight();
  EXPECT_EQ(d.state, DeliveryState::kInFlight);
  EXPECT_EQ(d.attempts, 1);
  EXPECT_EQ(d.pid, ::getpid());
  EXPECT_EQ(d.pid_start, current_process_stamp().start);
  // The same process asking again gets its own attempt back, not a second one.
  auto again = log_->begin(kJob, current_process_stamp());
  PP_ASSERT_OK(again);
  EXPECT_EQ(again->attempts, 1);
  PP_EXPECT_CODE(log_->begin("cups/unknown", current_process_stamp()), Code::kNotFound);
  PP_EXPECT_CODE(log_->release(order()), Code::kConflict);  // in flight: not released again
}

TEST_F(DeliveryTest, LiveInFlightIsRefused) {
  PP_ASSERT_OK(log_->release(order()));
  PP_ASSERT_OK(log_->begin(kJob, init_stamp()));  // another process, still running
  PP_EXPECT_CODE(log_->begin(kJob, current_process_stamp()), Code::kConflict);
  EXPECT_EQ(log_->get(kJob)->pid, 1);
}

TEST_F(DeliveryTest, StaleInFlightIsTakenOver) {
  PP_ASSERT_OK(log_->release(order()));
  PP_ASSERT_OK(log_->begin(kJob, dead_stamp()));
  auto taken = log_->begin(kJob, current_process_stamp());
  PP_ASSERT_OK(taken);
  EXPECT_EQ(taken->attempts, 2);
  EXPECT_EQ(taken->pid, ::getpid());
  EXPECT_NE(taken->message.find("retrying"), std::string::npos) << taken->message;
  expect_consistent();
}

TEST_F(DeliveryTest, SetStateIsACompareAndSet) {
  in_flight();
  PP_EXPECT_CODE(log_->set_state(kJob, DeliveryState::kReleased, DeliveryState::kPrinted, 0, ""),
                 Code::kConflict);
  PP_EXPECT_CODE(log_->set_state(kJob, DeliveryState::kInFlight, DeliveryState::kInFlight, 0, ""),
                 Code::kInvalidArgument);
  auto back = log_->set_state(kJob, DeliveryState::kInFlight, DeliveryState::kReleased, 0,
                              "printer\nunreachable");
  PP_ASSERT_OK(back);
  EXPECT_EQ(back->state, DeliveryState::kReleased);
  EXPECT_FALSE(back->pid);
  EXPECT_EQ(back->message, "printer unreachable");
}

TEST_F(DeliveryTest, ListFiltersByStateAndOwner) {
  PP_ASSERT_OK(log_->hold(held_job()));
  PP_ASSERT_OK(log_->release(order("pullprintd/u-1")));
  auto all = log_->list(std::nullopt, "");
  PP_ASSERT_OK(all);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].job_ref, kJob);  // oldest first
  auto held = log_->list(DeliveryState::kHeld, "");
  PP_ASSERT_OK(held);
  ASSERT_EQ(held->size(), 1u);
  EXPECT_EQ(log_->list(std::nullopt, "alice")->size(), 2u);
  EXPECT_EQ(log_->list(std::nullopt, "bob")->size(), 0u);
}

TEST_F(DeliveryTest, SchemaRefusesInconsistentRows) {
  in_flight();
  SQLite::Database raw(path(), SQLite::OPEN_READWRITE);
  EXPECT_THROW(raw.exec("UPDATE deliveries SET pid = NULL"), SQLite::Exception);
  EXPECT_THROW(raw.exec("UPDATE deliveries SET state = 'lost'"), SQLite::Exception);
  EXPECT_THROW(raw.exec("UPDATE deliveries SET amount = 1.5"), SQLite::Exception);
  EXPECT_THROW(raw.exec("UPDATE deliveries SET state = 'held', pid = NULL"), SQLite::Exception);
}

}  // namespace
}  // namespace pp::test

namespace pp::test {
namespace {

// pullprintd records the CUPS job that carries a released job; only that queue and job id make
// the backend and the filter trust the job's pullprint-job-ref option.
TEST_F(DeliveryTest, RecordedCupsJobConfirmsTheJobReference) {
  PP_ASSERT_OK(log_->release(order("pullprintd/u-1")));
  PP_ASSERT_OK(log_->set_cups_job("pullprintd/u-1", "Lab", 7));
  auto row = log_->get("pullprintd/u-1");
  PP_ASSERT_OK(row);
  EXPECT_EQ(row->cups_queue, "Lab");
  EXPECT_EQ(row->cups_job_id, 7);
  std::map<std::string, std::string> options{{kJobRefOption, "pullprintd/u-1"}};
  EXPECT_EQ(confirmed_pullprintd_ref(*log_, options, "Lab", "7"), "pullprintd/u-1");
  EXPECT_FALSE(confirmed_pullprintd_ref(*log_, options, "Lab", "8"));     // another CUPS job
  EXPECT_FALSE(confirmed_pullprintd_ref(*log_, options, "Other", "7"));   // another queue
  EXPECT_FALSE(confirmed_pullprintd_ref(*log_, {}, "Lab", "7"));          // no option
  options[kJobRefOption] = "pullprintd/unknown";
  EXPECT_FALSE(confirmed_pullprintd_ref(*log_, options, "Lab", "7"));
  // Only a released job gets a CUPS job.
  PP_ASSERT_OK(log_->hold(held_job()));
  PP_EXPECT_CODE(log_->set_cups_job(kJob, "Lab", 9), Code::kConflict);
  PP_EXPECT_CODE(log_->set_cups_job("pullprintd/u-1", "", 9), Code::kInvalidArgument);
  expect_consistent();
}

}  // namespace
}  // namespace pp::test
