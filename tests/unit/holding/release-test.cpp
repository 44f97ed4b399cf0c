// release-test.cpp: claim_release, deliver_release and recover_releases over a real ledger, job
// store and delivery log, with the build's wrapper backend sending to its folder device.
#include <sys/wait.h>
#include <unistd.h>

#include "holding/job-ref.h"
#include "holding/release.h"
#include "unit/holding/holding-fixture.h"

namespace pp {
namespace {

std::string backend_path() {
  const char* build = std::getenv("PULLPRINT_BUILD_DIR");
  return std::string(build ? build : ".") + "/backend/pullprint";
}

// Lab_Cheap prices a mono impression at 7 instead of 10; Lab_Off is disabled.
class ReleaseTest : public HoldingTest {
 protected:
  void SetUp() override {
    HoldingTest::SetUp();
    std::filesystem::create_directory(dir_.file("out"));
    config_.set("price.Lab_Cheap.mono-impression", "7");
    config_.set("printer.Lab_Cheap.device-uri", "file://" + dir_.file("out"));
    config_.set("printer.Lab_Default.device-uri", "file://" + dir_.file("out"));
    config_.set("printer.Lab_Default.price-profile", "default");
    config_.set("printer.Lab_Off.device-uri", "file://" + dir_.file("out"));
    config_.set("printer.Lab_Off.enabled", "no");
    Result<std::unique_ptr<DeliveryLog>> log = DeliveryLog::open(ledger_path_in(dir_.path()));
    ASSERT_TRUE(log.ok()) << log.status().to_string();
    log_ = std::move(*log);
    // The backend reads the configuration from a file, as pullprintd gives it one.
    test::write_file(dir_.file("backend.conf"), config_.to_text());
  }

  ReleasePrinter printer(const std::string& name) {
    Result<ReleasePrinter> found = find_release_printer(config_, name);
    EXPECT_TRUE(found.ok()) << found.status().to_string();
    return found.ok() ? *found : ReleasePrinter{};
  }

  BackendSettings backend() {
    BackendSettings settings;
    settings.program = backend_path();
    settings.config_path = dir_.file("backend.conf");
    settings.timeout_seconds = 60;
    return settings;
  }

  HeldJob job_state(std::int64_t id) {
    Result<HeldJob> job = store_->get(id);
    EXPECT_TRUE(job.ok()) << job.status().to_string();
    return job.ok() ? *job : HeldJob{};
  }

  std::unique_ptr<DeliveryLog> log_;
};

// The three-page fixture has one colour page: 2 x 10 + 50 = 70 at default prices, 2 x 7 + 50 =
// 64 on Lab_Cheap.
TEST_F(ReleaseTest, ClaimPricesTheJobForThePrinterAndRecordsTheOrder) {
  HeldJob held = hold(request(three_pages_));
  EXPECT_EQ(held.price_minor, 70);
  Result<ClaimedRelease> claim =
      claim_release(*store_, *log_, config_, printer("Lab_Cheap"), held.id, {"alice", false});
  PP_ASSERT_OK(claim);
  EXPECT_EQ(claim->price_minor, 64);
  EXPECT_EQ(job_state(held.id).state, HeldJobState::kReleasing);
  Result<Delivery> order = log_->get(held_job_ref(held.uuid));
  PP_ASSERT_OK(order);
  EXPECT_EQ(order->state, DeliveryState::kReleased);
  EXPECT_EQ(order->amount, 64);
  EXPECT_EQ(order->released_by, "alice");
  // A second claim of the same job (another terminal) loses.
  PP_EXPECT_CODE(claim_release(*store_, *log_, config_, printer("Lab_Cheap"), held.id,
                               {"alice", false}),
                 Code::kConflict);
  // On the dearer printer, the hint names the cheaper one.
  EXPECT_EQ(cheaper_printer_hint(held, printer("Lab_Default"), config_),
            "this job costs EUR 0.64 on Lab_Cheap instead of EUR 0.70 on Lab_Default");
}

TEST_F(ReleaseTest, OthersJobsAreInvisibleExceptToOperators) {
  HeldJob held = hold(request(three_pages_));
  PP_EXPECT_CODE(claim_release(*store_, *log_, config_, printer("Lab_Cheap"), held.id,
                               {"bob", false}),
                 Code::kNotFound);
  EXPECT_EQ(job_state(held.id).state, HeldJobState::kHeld);
  Result<ClaimedRelease> claim =
      claim_release(*store_, *log_, config_, printer("Lab_Cheap"), held.id, {"carol", true});
  PP_ASSERT_OK(claim);
  EXPECT_EQ(job_state(held.id).released_by, "carol");
}

TEST_F(ReleaseTest, DisabledPrinterTakesNothing) {
  HeldJob held = hold(request(three_pages_));
  PP_EXPECT_CODE(claim_release(*store_, *log_, config_, printer("Lab_Off"), held.id,
                               {"alice", false}),
                 Code::kConflict);
  EXPECT_EQ(job_state(held.id).state, HeldJobState::kHeld);
}

TEST_F(ReleaseTest, DeliverPrintsThroughTheBackendAndCapturesOnce) {
  if (::access(backend_path().c_str(), X_OK) != 0) GTEST_SKIP() << "no backend at " << backend_path();
  HeldJob held = hold(request(three_pages_));
  Result<ClaimedRelease> claim =
      claim_release(*store_, *log_, config_, printer("Lab_Cheap"), held.id, {"alice", false});
  PP_ASSERT_OK(claim);
  Result<HeldJob> after = deliver_release(*ledger_, *store_, *log_, backend(), *claim);
  PP_ASSERT_OK(after);
  EXPECT_EQ(after->state, HeldJobState::kPrinted) << after->message;
  EXPECT_EQ(after->final_price_minor, 64);
  EXPECT_EQ(after->message, "Printed on Lab_Cheap: EUR 0.64");
  EXPECT_EQ(after->document_path, "");  // deleted once printed
  EXPECT_EQ(reservation_of(held).state, ReservationState::kCaptured);
  EXPECT_EQ(reservation_of(held).captured_amount, 64);
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir_.file("out")))
    ++files;
  EXPECT_EQ(files, 1u);
  // Delivering the same claim again (a retry) sends and charges nothing more.
  Result<HeldJob> again = deliver_release(*ledger_, *store_, *log_, backend(), *claim);
  PP_EXPECT_CODE(again, Code::kConflict);  // the job is printed, no longer releasing
  EXPECT_EQ(reservation_of(held).captured_amount, 64);
  std::size_t files_after = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir_.file("out")))
    ++files_after;
  EXPECT_EQ(files_after, 1u);
}

TEST_F(ReleaseTest, UnreachableDeviceLeavesTheJobHeldAndUncharged) {
  if (::access(backend_path().c_str(), X_OK) != 0) GTEST_SKIP() << "no backend at " << backend_path();
  config_.set("printer.Lab_Gone.device-uri", "file://" + dir_.file("no-such-folder"));
  test::write_file(dir_.file("backend.conf"), config_.to_text());
  HeldJob held = hold(request(three_pages_));
  Result<ClaimedRelease> claim =
      claim_release(*store_, *log_, config_, printer("Lab_Gone"), held.id, {"alice", false});
  PP_ASSERT_OK(claim);
  Result<HeldJob> after = deliver_release(*ledger_, *store_, *log_, backend(), *claim);
  PP_ASSERT_OK(after);
  EXPECT_EQ(after->state, HeldJobState::kHeld);
  EXPECT_NE(after->message.find("Not printed: Lab_Gone did not receive the job"),
            std::string::npos)
      << after->message;
  EXPECT_EQ(reservation_of(held).state, ReservationState::kOpen);
  PP_EXPECT_CODE(log_->get(held_job_ref(held.uuid)), Code::kNotFound);  // withdrawn
}

TEST_F(ReleaseTest, RecoveryGivesBackClaimsThatWereNeverSent) {
  HeldJob held = hold(request(three_pages_));
  PP_ASSERT_OK(claim_release(*store_, *log_, config_, printer("Lab_Cheap"), held.id,
                             {"alice", false}));
  // pullprintd died before its worker began: the job is releasing, its order released.
  Result<int> recovered = recover_releases(*ledger_, *store_, *log_);
  PP_ASSERT_OK(recovered);
  EXPECT_EQ(*recovered, 1);
  EXPECT_EQ(job_state(held.id).state, HeldJobState::kHeld);
  EXPECT_EQ(reservation_of(held).state, ReservationState::kOpen);
}

TEST_F(ReleaseTest, RecoveryPutsADeadInFlightJobUnderReview) {
  HeldJob held = hold(request(three_pages_));
  PP_ASSERT_OK(claim_release(*store_, *log_, config_, printer("Lab_Cheap"), held.id,
                             {"alice", false}));
  // A backend that began sending and died: a child that records in-flight, then exits.
  const pid_t child = ::fork();
  if (child == 0) {
    Result<std::unique_ptr<DeliveryLog>> log = DeliveryLog::open(ledger_path_in(dir_.path()));
    _exit(log.ok() && (*log)->begin(held_job_ref(held.uuid), current_process_stamp()).ok() ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_EQ(WEXITSTATUS(status), 0);
  Result<int> recovered = recover_releases(*ledger_, *store_, *log_);
  PP_ASSERT_OK(recovered);
  EXPECT_EQ(job_state(held.id).state, HeldJobState::kFailed);
  EXPECT_NE(job_state(held.id).document_path, "");  // kept for the review
  EXPECT_EQ(reservation_of(held).state, ReservationState::kOpen);  // nothing charged yet
  // The admin decides; a second recovery changes nothing.
  PP_ASSERT_OK(resolve_review(*ledger_, *log_, held_job_ref(held.uuid), true, "root"));
  EXPECT_EQ(reservation_of(held).captured_amount, 64);
  Result<int> again = recover_releases(*ledger_, *store_, *log_);
  PP_ASSERT_OK(again);
  EXPECT_EQ(*again, 0);
}

}  // namespace
}  // namespace pp
