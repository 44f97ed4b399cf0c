// split-cups-test.cpp: split jobs of the CUPS door (lib/split-jobs/split-cups.h) on a real
// ledger, split store and delivery log: filed by the filter's call, held and released as CUPS-door
// jobs, each share captured once, a cancelled split voiding the job and cancelling it in cupsd.
#include <gtest/gtest.h>

#include "charging/quote.h"
#include "holding-fixture.h"
#include "release/release.h"
#include "split-jobs/split-cups.h"
#include "split-jobs/split-jobs.h"
#include "splits/split-check.h"

namespace pp {
namespace {

using std::chrono::hours;
using std::chrono::seconds;

constexpr const char* kCupsUuid = "urn:uuid:0b9c8d7e-6f5a-4b3c-9d2e-1f0a9b8c7d6e";
constexpr std::int64_t kCupsJobId = 42;

class SplitCupsTest : public HoldingTest {
 protected:
  void SetUp() override {
    HoldingTest::SetUp();
    for (const char* name : {"alice", "bob", "carol"}) {
      NewAccount account;
      account.name = name;
      ASSERT_TRUE(ledger_->create_account(account).ok());
    }
    ASSERT_TRUE(ledger_->top_up("alice", 1000, "top-up:alice", "admin", "").ok());
    ASSERT_TRUE(ledger_->top_up("bob", 1000, "top-up:bob", "admin", "").ok());
    splits_ = &site_->splits();
    options_ = {{"copies", "1"}, {"job-uuid", kCupsUuid}};
    Result<Quote> quote = quote_document(three_pages_, options_, "Lab_Q", config_);
    ASSERT_TRUE(quote.ok()) << quote.status().to_string();
    quote_ = *quote;
    price_ = quote_.price.minor;
    ASSERT_GT(price_, 0);
    printer_.name = "Lab_Q";
    printer_.cups_queue = "Lab_Q";
  }

  void TearDown() override {
    if (splits_) {
      Result<SplitCheck> checked = check_splits(*splits_, *ledger_);
      ASSERT_TRUE(checked.ok()) << checked.status().to_string();
      for (const std::string& violation : checked->violations) ADD_FAILURE() << violation;
    }
    HoldingTest::TearDown();
  }

  JobRef job_ref() const { return JobRef::cups(options_, "Lab_Q", "42"); }

  // What the filter does for `lp -o pullprint-split=TEXT`.
  Result<FiledCupsSplit> file(std::string_view text, SplitClock at) {
    CupsSplitJob job{job_ref(), "alice", "handouts", options_};
    return split_cups_job(*site_, config_, job, quote_, text, at);
  }

  // What the backend does on its first run: the job is held on the filter's reservation.
  void hold_in_backend(std::int64_t carrier_id) {
    HeldDelivery held;
    held.job_ref = job_ref().str();
    held.reservation_id = carrier_id;
    held.owner = "alice";
    held.title = "handouts";
    held.printer = "Lab_Q";
    held.device_uri = "ipp://printer";
    held.cups_queue = "Lab_Q";
    held.cups_job_id = kCupsJobId;
    ASSERT_TRUE(site_->deliveries().hold(held).ok());
  }

  // The backend's second run after the release: sent, exit status 0.
  Result<Delivery> print_in_backend() {
    Result<Delivery> begun = site_->deliveries().begin(job_ref().str(), current_process_stamp());
    if (!begun) return begun.status();
    DeliveryOutcome outcome;
    outcome.bytes_sent = 1000;
    return finish_delivery(*ledger_, site_->deliveries(), job_ref().str(), outcome, "backend");
  }

  Result<std::vector<std::string>> timers(SplitClock at) {
    Result<SplitSettings> settings = split_settings_from_config(config_);
    if (!settings) return settings.status();
    return run_split_timers(
        *site_, *settings, [](const std::string&, const std::string&) {}, at, canceller());
  }

  CupsJobCanceller canceller() {
    return [this](std::int64_t id, std::string_view owner) {
      cancelled_in_cups_.push_back(std::to_string(id) + " " + std::string(owner));
      return Status::ok();
    };
  }

  Share share_of(const std::string& payer) {
    Result<Split> split = splits_->get_split(job_ref().str());
    EXPECT_TRUE(split.ok()) << split.status().to_string();
    if (split)
      for (const Share& share : split->shares)
        if (share.payer == payer && !share.is_cover()) return share;
    ADD_FAILURE() << "no share of " << payer;
    return Share{};
  }

  // bob's share of a freshly filed ratio split.
  Share share_of_filed() {
    EXPECT_TRUE(file("ratio:alice=50,bob=50", now_).ok());
    return share_of("bob");
  }

  DeliveryState delivery_state() {
    Result<Delivery> row = site_->deliveries().get(job_ref().str());
    EXPECT_TRUE(row.ok()) << row.status().to_string();
    return row ? row->state : DeliveryState::kHeld;
  }

  std::int64_t balance_of(const std::string& account) {
    Result<Account> found = ledger_->get_account(account);
    return found ? found->balance : 0;
  }

  SplitStore* splits_ = nullptr;  // site_'s
  std::map<std::string, std::string> options_;
  Quote quote_;
  std::int64_t price_ = 0;
  ReleasePrinter printer_;
  std::vector<std::string> cancelled_in_cups_;
  SplitClock now_ = std::chrono::system_clock::now();
};

TEST_F(SplitCupsTest, FilesARatioSplitAtThePrintersPriceOnAZeroCarrier) {
  Result<FiledCupsSplit> filed = file("ratio:alice=50,bob=50", now_);
  ASSERT_TRUE(filed.ok()) << filed.status().to_string();
  EXPECT_TRUE(filed->created);
  EXPECT_EQ("cups/" + std::string(kCupsUuid), filed->split.job_ref);
  EXPECT_EQ(price_, filed->split.price);
  Result<Reservation> carrier = ledger_->get_reservation(filed->carrier_reservation_id);
  ASSERT_TRUE(carrier.ok());
  EXPECT_EQ(0, carrier->amount);
  EXPECT_EQ("alice", carrier->account);
  Result<std::optional<Reservation>> by_key =
      ledger_->find_reservation_by_key("reserve:cups/" + std::string(kCupsUuid));
  ASSERT_TRUE(by_key.ok() && by_key->has_value());  // what the backend looks for
  EXPECT_EQ(filed->carrier_reservation_id, (*by_key)->id);
  EXPECT_EQ(ShareState::kApproved, share_of("alice").state);  // the owner's own
  EXPECT_EQ(ShareState::kPending, share_of("bob").state);
  EXPECT_EQ(price_ / 2, reserved_on("alice"));
  EXPECT_EQ(0, reserved_on("bob"));
  EXPECT_EQ("split: 1 of 2 approved, 1 pending", cups_split_progress(*splits_, job_ref()));

  // cupsd runs the filter again when the job is released: nothing new, nobody told again.
  Result<FiledCupsSplit> again = file("ratio:alice=50,bob=50", now_);
  ASSERT_TRUE(again.ok()) << again.status().to_string();
  EXPECT_FALSE(again->created);
  EXPECT_EQ(filed->carrier_reservation_id, again->carrier_reservation_id);
  EXPECT_EQ(price_ / 2, reserved_on("alice"));
  PP_EXPECT_CODE(file("ratio:alice=20,bob=80", now_), Code::kAlreadyExists);
}

TEST_F(SplitCupsTest, RefusesWhatTheCupsDoorCannotPrintAndLeavesNothing) {
  PP_EXPECT_CODE(file("copies:alice=1,bob=2", now_), Code::kConflict);
  PP_EXPECT_CODE(file("pages:alice=1,bob=2-3", now_), Code::kConflict);
  PP_EXPECT_CODE(file("method:alice=color,bob=mono", now_), Code::kConflict);
  PP_EXPECT_CODE(file("ratio:alice=50,bob=40", now_), Code::kInvalidArgument);
  PP_EXPECT_CODE(file("ratio:alice=50,nobody=50", now_), Code::kNotFound);
  PP_EXPECT_CODE(splits_->get_split(job_ref().str()), Code::kNotFound);
  Result<std::optional<Reservation>> carrier =
      ledger_->find_reservation_by_key(job_ref().reserve_key());
  ASSERT_TRUE(carrier.ok());
  EXPECT_FALSE(carrier->has_value());
  EXPECT_EQ(0, reserved_on("alice"));
}

TEST_F(SplitCupsTest, ReleasedOnceSettledAndEachShareCapturedOnce) {
  Result<FiledCupsSplit> filed = file("ratio:alice=50,bob=50", now_);
  ASSERT_TRUE(filed.ok()) << filed.status().to_string();
  hold_in_backend(filed->carrier_reservation_id);
  Result<Delivery> early =
      release_cups_job(*site_, config_, job_ref().str(), printer_, Releaser{"alice", false});
  PP_EXPECT_CODE(early, Code::kConflict);
  EXPECT_EQ("waiting for approvals: 1 of 2 approved, 1 pending", early.status().message());
  EXPECT_EQ(DeliveryState::kHeld, delivery_state());

  PP_ASSERT_OK(splits_->approve(share_of("bob").id, "bob", now_));
  PP_EXPECT_CODE(
      release_cups_job(*site_, config_, job_ref().str(), printer_, Releaser{"bob", false}),
      Code::kNotFound);
  Result<Delivery> released =
      release_cups_job(*site_, config_, job_ref().str(), printer_, Releaser{"alice", false});
  ASSERT_TRUE(released.ok()) << released.status().to_string();
  EXPECT_EQ(0, released->amount);  // the carrier; the shares carry the money

  Result<Delivery> printed = print_in_backend();
  ASSERT_TRUE(printed.ok()) << printed.status().to_string();
  EXPECT_EQ(DeliveryState::kPrinted, printed->state);
  Result<std::string> captured = settle_cups_split(*site_, *printed, "backend", now_);
  ASSERT_TRUE(captured.ok()) << captured.status().to_string();
  EXPECT_NE(std::string::npos, captured->find("bob")) << *captured;
  // Again (a repeated backend run, the timer): nothing twice.
  PP_ASSERT_OK(settle_cups_split(*site_, *printed, "backend", now_));
  PP_ASSERT_OK(timers(now_));
  const std::int64_t bob_pays = share_of("bob").amount;
  EXPECT_EQ(price_, share_of("alice").amount + bob_pays);
  EXPECT_EQ(1000 - share_of("alice").amount, balance_of("alice"));
  EXPECT_EQ(1000 - bob_pays, balance_of("bob"));
  EXPECT_EQ(0, reserved_on("alice"));
  EXPECT_EQ(0, reserved_on("bob"));
  EXPECT_EQ(ShareState::kPrinted, share_of("bob").state);
  EXPECT_TRUE(cancelled_in_cups_.empty());
}

TEST_F(SplitCupsTest, TheTimerCapturesTheSharesWhenTheBackendDidNot) {
  Result<FiledCupsSplit> filed = file("ratio:alice=50,bob=50", now_);
  ASSERT_TRUE(filed.ok()) << filed.status().to_string();
  hold_in_backend(filed->carrier_reservation_id);
  PP_ASSERT_OK(splits_->approve(share_of("bob").id, "bob", now_));
  PP_ASSERT_OK(
      release_cups_job(*site_, config_, job_ref().str(), printer_, Releaser{"alice", false}));
  PP_ASSERT_OK(print_in_backend());  // and then the backend died before the shares
  EXPECT_EQ(price_, reserved_on("alice") + reserved_on("bob"));
  Result<std::vector<std::string>> log = timers(now_);
  ASSERT_TRUE(log.ok()) << log.status().to_string();
  ASSERT_FALSE(log->empty());
  EXPECT_NE(std::string::npos, log->back().find("captured the shares")) << log->back();
  EXPECT_EQ(0, reserved_on("alice") + reserved_on("bob"));
  EXPECT_EQ(2000 - price_, balance_of("alice") + balance_of("bob"));
}

TEST_F(SplitCupsTest, ADeclineThatCancelsTheSplitVoidsAndCancelsTheCupsJob) {
  Result<FiledCupsSplit> filed = file("ratio:alice=50,bob=50;on-decline=cancel", now_);
  ASSERT_TRUE(filed.ok()) << filed.status().to_string();
  hold_in_backend(filed->carrier_reservation_id);
  Result<Split> after = decline_share(*site_, share_of("bob").id, "bob", now_, canceller());
  ASSERT_TRUE(after.ok()) << after.status().to_string();
  EXPECT_EQ(SplitState::kCancelled, after->state);
  EXPECT_EQ(std::vector<std::string>{"42 alice"}, cancelled_in_cups_);
  EXPECT_EQ(DeliveryState::kVoided, delivery_state());
  Result<Reservation> carrier = ledger_->get_reservation(filed->carrier_reservation_id);
  ASSERT_TRUE(carrier.ok());
  EXPECT_EQ(ReservationState::kVoided, carrier->state);
  EXPECT_EQ(0, reserved_on("alice"));
  EXPECT_EQ(1000, balance_of("alice"));
  PP_EXPECT_CODE(
      release_cups_job(*site_, config_, job_ref().str(), printer_, Releaser{"alice", false}),
      Code::kNotFound);
  PP_ASSERT_OK(timers(now_));  // nothing more to do
  EXPECT_EQ(1u, cancelled_in_cups_.size());
  // The filter run again (a restarted job) refuses it.
  PP_EXPECT_CODE(file("ratio:alice=50,bob=50;on-decline=cancel", now_), Code::kConflict);
}

TEST_F(SplitCupsTest, ADeadlinePassingUnderCancelEndsTheJobOnTheTimer) {
  Result<FiledCupsSplit> filed = file("ratio:alice=50,bob=50;on-decline=cancel;deadline=2h", now_);
  ASSERT_TRUE(filed.ok()) << filed.status().to_string();
  hold_in_backend(filed->carrier_reservation_id);
  PP_ASSERT_OK(timers(now_ + hours(1)));
  EXPECT_EQ(DeliveryState::kHeld, delivery_state());
  EXPECT_TRUE(cancelled_in_cups_.empty());
  PP_ASSERT_OK(timers(now_ + hours(2) + seconds(5)));
  EXPECT_EQ(ShareState::kExpired, share_of("bob").state);
  EXPECT_EQ(DeliveryState::kVoided, delivery_state());
  EXPECT_EQ(std::vector<std::string>{"42 alice"}, cancelled_in_cups_);
  EXPECT_EQ(0, reserved_on("alice"));
  EXPECT_EQ(1000, balance_of("alice"));
}

TEST_F(SplitCupsTest, ADeadlinePassingUnderOwnerCoversLetsTheOwnerPrint) {
  Result<FiledCupsSplit> filed = file("ratio:alice=50,bob=50;deadline=2h", now_);
  ASSERT_TRUE(filed.ok()) << filed.status().to_string();
  hold_in_backend(filed->carrier_reservation_id);
  PP_ASSERT_OK(timers(now_ + hours(2) + seconds(5)));
  EXPECT_EQ(ShareState::kExpired, share_of("bob").state);
  EXPECT_EQ(price_, reserved_on("alice"));  // her share and the cover of bob's
  PP_ASSERT_OK(
      release_cups_job(*site_, config_, job_ref().str(), printer_, Releaser{"alice", false}));
  Result<Delivery> printed = print_in_backend();
  ASSERT_TRUE(printed.ok()) << printed.status().to_string();
  PP_ASSERT_OK(settle_cups_split(*site_, *printed, "backend", now_));
  EXPECT_EQ(1000 - price_, balance_of("alice"));
  EXPECT_EQ(1000, balance_of("bob"));
}

TEST_F(SplitCupsTest, ACupsJobCancelledWhileHeldCancelsItsSplit) {
  Result<FiledCupsSplit> filed = file("ratio:alice=50,bob=50", now_);
  ASSERT_TRUE(filed.ok()) << filed.status().to_string();
  hold_in_backend(filed->carrier_reservation_id);
  PP_ASSERT_OK(splits_->approve(share_of("bob").id, "bob", now_));
  // `cancel` in CUPS: pullprintd's sweep voids the held job.
  Result<int> swept =
      sweep_gone_cups_jobs(*site_, [](std::int64_t) { return Result<bool>(false); });
  ASSERT_TRUE(swept.ok());
  EXPECT_EQ(1, *swept);
  PP_ASSERT_OK(timers(now_));
  Result<Split> split = splits_->get_split(job_ref().str());
  ASSERT_TRUE(split.ok());
  EXPECT_EQ(SplitState::kCancelled, split->state);
  EXPECT_EQ(0, reserved_on("alice") + reserved_on("bob"));
  EXPECT_EQ(2000, balance_of("alice") + balance_of("bob"));
  EXPECT_TRUE(cancelled_in_cups_.empty());  // cupsd had dropped it already
}

TEST_F(SplitCupsTest, ACancelledSplitBeforeTheBackendHeldItVoidsTheCarrier) {
  Result<FiledCupsSplit> filed = file("ratio:alice=50,bob=50;on-decline=cancel", now_);
  ASSERT_TRUE(filed.ok()) << filed.status().to_string();
  PP_ASSERT_OK(decline_share(*site_, share_of("bob").id, "bob", now_));
  Result<Reservation> carrier = ledger_->get_reservation(filed->carrier_reservation_id);
  ASSERT_TRUE(carrier.ok());
  EXPECT_EQ(ReservationState::kVoided, carrier->state);  // the backend will refuse the job
}

TEST_F(SplitCupsTest, ASplitWhoseFilterDiedBeforeTheCarrierIsCancelledLater) {
  // What split_cups_job had done when the filter died: the split, the owner's approval; no
  // carrier (so the backend refuses the job).
  Result<SplitRequest> request = parse_split_request("ratio:alice=50,bob=50");
  ASSERT_TRUE(request.ok());
  Result<SplitQuote> priced = price_split(*request, quote_.document, options_, quote_.profile);
  ASSERT_TRUE(priced.ok()) << priced.status().to_string();
  NewSplit fresh;
  fresh.job_ref = job_ref().str();
  fresh.owner = "alice";
  fresh.title = "handouts";
  fresh.request = *request;
  fresh.quote = *priced;
  ASSERT_TRUE(splits_->create_split(fresh, payer_has_account(*ledger_), now_).ok());
  PP_ASSERT_OK(splits_->approve(share_of("alice").id, "alice", now_));
  EXPECT_EQ(price_ / 2, reserved_on("alice"));
  PP_ASSERT_OK(timers(now_ + std::chrono::minutes(5)));  // the filter may still be at it
  EXPECT_EQ(SplitState::kOpen, splits_->get_split(job_ref().str())->state);
  Result<std::vector<std::string>> log = timers(now_ + std::chrono::minutes(11));
  ASSERT_TRUE(log.ok()) << log.status().to_string();
  EXPECT_EQ(SplitState::kCancelled, splits_->get_split(job_ref().str())->state);
  EXPECT_EQ(0, reserved_on("alice"));
  ASSERT_FALSE(log->empty());
  EXPECT_NE(std::string::npos, log->front().find("never finished filing")) << log->front();
}

TEST_F(SplitCupsTest, AFiledSplitWaitingForTheBackendIsLeftAlone) {
  ASSERT_TRUE(file("ratio:alice=50,bob=50", now_).ok());  // the backend has not held it yet
  PP_ASSERT_OK(timers(now_ + std::chrono::minutes(11)));
  EXPECT_EQ(SplitState::kOpen, splits_->get_split(job_ref().str())->state);
  EXPECT_EQ(price_ / 2, reserved_on("alice"));
}

TEST_F(SplitCupsTest, PayersAreRemindedBeforeTheDeadlineAsForPullprintdsSplits) {
  config_.set("split-reminder", "3600");
  ASSERT_TRUE(file("ratio:alice=50,bob=50;deadline=2h", now_).ok());
  Result<SplitSettings> settings = split_settings_from_config(config_);
  ASSERT_TRUE(settings.ok());
  std::vector<std::string> told;
  SplitNotifier notify = [&](const std::string& user, const std::string& text) {
    told.push_back(user + ": " + text);
  };
  PP_ASSERT_OK(run_split_timers(*site_, *settings, notify, now_, canceller()));
  EXPECT_TRUE(told.empty());
  PP_ASSERT_OK(run_split_timers(*site_, *settings, notify, now_ + hours(1) + seconds(1)));
  ASSERT_EQ(1u, told.size());
  EXPECT_EQ(0u, told[0].rfind("bob: Reminder: share", 0)) << told[0];
  EXPECT_NE(std::string::npos, told[0].find(job_ref().str())) << told[0];
}

TEST_F(SplitCupsTest, ASharesReferenceNamesTheCupsJobAndItsPayer) {
  // A job-uuid contains ':'; the payer key is still found (JobRef's parser).
  const JobRef part = share_of_filed().part_ref();
  EXPECT_EQ("split:cups/" + std::string(kCupsUuid) + ":bob", part.str());
  ASSERT_EQ(JobRef::Kind::kSplitPart, part.kind());
  EXPECT_EQ(job_ref(), part.split_job());
  EXPECT_EQ("bob", part.split_payer_key());
  EXPECT_EQ("capture:split:cups/" + std::string(kCupsUuid) + ":bob", part.capture_key());
}

}  // namespace
}  // namespace pp
