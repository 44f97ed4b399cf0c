// release-test.cpp: claim_release, deliver_release and recover_releases over a real ledger, job
// store and delivery log, with the build's wrapper backend sending to its folder device.
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <unistd.h>

#include "release/release.h"
#include "split-jobs/split-jobs.h"
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
    log_ = &site_->deliveries();
    splits_ = &site_->splits();
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

  Site& stores() { return *site_; }

  // Claims a job that is claimed whole (no parts).
  Result<ClaimedRelease> claim_one(const ReleasePrinter& printer, std::int64_t id,
                                   const Releaser& releaser) {
    Result<std::vector<ClaimedRelease>> claims =
        claim_release(stores(), config_, printer, id, releaser);
    if (!claims) return claims.status();
    EXPECT_EQ(claims->size(), 1u);
    return claims->front();
  }

  HeldJob job_state(std::int64_t id) {
    Result<HeldJob> job = store_->get(id);
    EXPECT_TRUE(job.ok()) << job.status().to_string();
    return job.ok() ? *job : HeldJob{};
  }

  DeliveryLog* log_ = nullptr;    // site_'s
  SplitStore* splits_ = nullptr;  // site_'s
};

// The three-page fixture has one colour page: 2 x 10 + 50 = 70 at default prices, 2 x 7 + 50 =
// 64 on Lab_Cheap.
TEST_F(ReleaseTest, ClaimPricesTheJobForThePrinterAndRecordsTheOrder) {
  HeldJob held = hold(request(three_pages_));
  EXPECT_EQ(held.price_minor, 70);
  Result<ClaimedRelease> claim =
      claim_one(printer("Lab_Cheap"), held.id, {"alice", false});
  PP_ASSERT_OK(claim);
  EXPECT_EQ(claim->price_minor, 64);
  EXPECT_EQ(job_state(held.id).state, HeldJobState::kReleasing);
  Result<Delivery> order = log_->get(JobRef::held(held.uuid).str());
  PP_ASSERT_OK(order);
  EXPECT_EQ(order->state, DeliveryState::kReleased);
  EXPECT_EQ(order->amount, 64);
  EXPECT_EQ(order->released_by, "alice");
  // A second claim of the same job (another terminal) loses.
  PP_EXPECT_CODE(claim_one(printer("Lab_Cheap"), held.id,
                               {"alice", false}),
                 Code::kConflict);
  // On the dearer printer, the hint names the cheaper one.
  EXPECT_EQ(cheaper_printer_hint(held, printer("Lab_Default"), config_),
            "this job costs EUR 0.64 on Lab_Cheap instead of EUR 0.70 on Lab_Default");
}

TEST_F(ReleaseTest, OthersJobsAreInvisibleExceptToOperators) {
  HeldJob held = hold(request(three_pages_));
  PP_EXPECT_CODE(claim_one(printer("Lab_Cheap"), held.id,
                               {"bob", false}),
                 Code::kNotFound);
  EXPECT_EQ(job_state(held.id).state, HeldJobState::kHeld);
  Result<ClaimedRelease> claim =
      claim_one(printer("Lab_Cheap"), held.id, {"carol", true});
  PP_ASSERT_OK(claim);
  EXPECT_EQ(job_state(held.id).released_by, "carol");
}

TEST_F(ReleaseTest, DisabledPrinterTakesNothing) {
  HeldJob held = hold(request(three_pages_));
  PP_EXPECT_CODE(claim_one(printer("Lab_Off"), held.id,
                               {"alice", false}),
                 Code::kConflict);
  EXPECT_EQ(job_state(held.id).state, HeldJobState::kHeld);
}

TEST_F(ReleaseTest, DeliverPrintsThroughTheBackendAndCapturesOnce) {
  if (::access(backend_path().c_str(), X_OK) != 0) GTEST_SKIP() << "no backend at " << backend_path();
  HeldJob held = hold(request(three_pages_));
  Result<ClaimedRelease> claim =
      claim_one(printer("Lab_Cheap"), held.id, {"alice", false});
  PP_ASSERT_OK(claim);
  Result<HeldJob> after = deliver_release(stores(), backend(), *claim);
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
  Result<HeldJob> again = deliver_release(stores(), backend(), *claim);
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
      claim_one(printer("Lab_Gone"), held.id, {"alice", false});
  PP_ASSERT_OK(claim);
  Result<HeldJob> after = deliver_release(stores(), backend(), *claim);
  PP_ASSERT_OK(after);
  EXPECT_EQ(after->state, HeldJobState::kHeld);
  EXPECT_NE(after->message.find("Not printed: Lab_Gone did not receive the job"),
            std::string::npos)
      << after->message;
  EXPECT_EQ(reservation_of(held).state, ReservationState::kOpen);
  PP_EXPECT_CODE(log_->get(JobRef::held(held.uuid).str()), Code::kNotFound);  // withdrawn
}

TEST_F(ReleaseTest, RecoveryGivesBackClaimsThatWereNeverSent) {
  HeldJob held = hold(request(three_pages_));
  PP_ASSERT_OK(claim_one(printer("Lab_Cheap"), held.id,
                             {"alice", false}));
  // pullprintd died before its worker began: the job is releasing, its order released.
  Result<int> recovered = recover_releases(stores());
  PP_ASSERT_OK(recovered);
  EXPECT_EQ(*recovered, 1);
  EXPECT_EQ(job_state(held.id).state, HeldJobState::kHeld);
  EXPECT_EQ(reservation_of(held).state, ReservationState::kOpen);
}

TEST_F(ReleaseTest, RecoveryPutsADeadInFlightJobUnderReview) {
  HeldJob held = hold(request(three_pages_));
  PP_ASSERT_OK(claim_one(printer("Lab_Cheap"), held.id,
                             {"alice", false}));
  // A backend that began sending and died: a child that records in-flight, then exits.
  const pid_t child = ::fork();
  if (child == 0) {
    Result<std::unique_ptr<DeliveryLog>> log = DeliveryLog::open(ledger_path_in(dir_.path()));
    _exit(log.ok() && (*log)->begin(JobRef::held(held.uuid).str(), current_process_stamp()).ok()
              ? 0
              : 1);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_EQ(WEXITSTATUS(status), 0);
  Result<int> recovered = recover_releases(stores());
  PP_ASSERT_OK(recovered);
  EXPECT_EQ(job_state(held.id).state, HeldJobState::kFailed);
  EXPECT_NE(job_state(held.id).document_path, "");  // kept for the review
  EXPECT_EQ(reservation_of(held).state, ReservationState::kOpen);  // nothing charged yet
  // The admin decides; a second recovery changes nothing.
  PP_ASSERT_OK(resolve_review(*ledger_, *log_, JobRef::held(held.uuid).str(), true, "root"));
  EXPECT_EQ(reservation_of(held).captured_amount, 64);
  Result<int> again = recover_releases(stores());
  PP_ASSERT_OK(again);
  EXPECT_EQ(*again, 0);
}


// Parts of copies/pages/method splits (split-parts.h).
class SplitPartsTest : public ReleaseTest {
 protected:
  void SetUp() override {
    ReleaseTest::SetUp();
    for (const char* name : {"bob", "carol"}) {
      NewAccount account;
      account.name = name;
      (void)ledger_->create_account(account);
      ASSERT_TRUE(ledger_->top_up(name, 1000, std::string("top-up:") + name, "admin", "").ok());
    }
  }

  Split split(const std::string& text, const HeldJob& job) {
    Result<Split> made =
        split_held_job(*site_, config_, job.id, "alice", text, std::chrono::system_clock::now());
    EXPECT_TRUE(made.ok()) << made.status().to_string();
    return made.ok() ? *made : Split{};
  }

  Share share_of(const HeldJob& job, const std::string& payer) {
    Result<Split> now = splits_->get_split(JobRef::held(job.uuid).str());
    if (now.ok())
      for (const Share& share : now->shares)
        if (share.payer == payer) return share;
    ADD_FAILURE() << "no share of " << payer;
    return Share{};
  }

  void approve(const HeldJob& job, const std::string& payer) {
    PP_ASSERT_OK(splits_->approve(share_of(job, payer).id, payer, std::chrono::system_clock::now()));
  }

  std::vector<std::string> printed_files() {
    std::vector<std::string> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir_.file("out")))
      files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    return files;
  }
};

TEST_F(SplitPartsTest, EachPayerReleasesTheirOwnPartAndIsChargedForItOnce) {
  if (::access(backend_path().c_str(), X_OK) != 0) GTEST_SKIP() << "no backend at " << backend_path();
  HeldJob held = hold(request(three_pages_));
  split("copies:alice=1,bob=2", held);
  // bob's part waits for his approval; carol, who pays nothing, learns nothing about the job.
  PP_EXPECT_CODE(claim_release(stores(), config_, printer("Lab_Cheap"), held.id, {"bob", false}),
                 Code::kConflict);
  PP_EXPECT_CODE(claim_release(stores(), config_, printer("Lab_Cheap"), held.id, {"carol", false}),
                 Code::kNotFound);
  approve(held, "bob");
  Result<std::vector<ClaimedRelease>> bobs =
      claim_release(stores(), config_, printer("Lab_Cheap"), held.id, {"bob", false});
  PP_ASSERT_OK(bobs);
  ASSERT_EQ(bobs->size(), 1u);
  EXPECT_EQ((*bobs)[0].part->payer, "bob");
  EXPECT_EQ((*bobs)[0].print_options().at("copies"), "2");
  EXPECT_EQ((*bobs)[0].price_minor, 140);  // two copies at the default price, on any printer
  // While bob's part is on its way the job is releasing: a second claim waits.
  PP_EXPECT_CODE(claim_release(stores(), config_, printer("Lab_Cheap"), held.id, {"alice", false}),
                 Code::kConflict);
  Result<HeldJob> after = deliver_release(stores(), backend(), (*bobs)[0]);
  PP_ASSERT_OK(after);
  EXPECT_EQ(after->state, HeldJobState::kHeld) << after->message;  // alice's part is left
  EXPECT_NE(after->message.find("Printed bob's part (2 copies) on Lab_Cheap: EUR 1.40"),
            std::string::npos) << after->message;
  EXPECT_EQ(share_of(held, "bob").state, ShareState::kPrinted);
  Result<Reservation> bob_money = ledger_->get_reservation(*share_of(held, "bob").reservation_id);
  PP_ASSERT_OK(bob_money);
  EXPECT_EQ(bob_money->state, ReservationState::kCaptured);
  EXPECT_EQ(bob_money->captured_amount, 140);
  // The owner releases what is left: only her own part (bob's is printed).
  Result<std::vector<ClaimedRelease>> alices =
      claim_release(stores(), config_, printer("Lab_Cheap"), held.id, {"alice", false});
  PP_ASSERT_OK(alices);
  ASSERT_EQ(alices->size(), 1u);
  EXPECT_EQ((*alices)[0].part->payer, "alice");
  after = deliver_release(stores(), backend(), (*alices)[0]);
  PP_ASSERT_OK(after);
  EXPECT_EQ(after->state, HeldJobState::kPrinted) << after->message;
  EXPECT_EQ(after->final_price_minor, 210);
  EXPECT_EQ(after->document_path, "");  // nothing left to print: deleted
  EXPECT_EQ(printed_files().size(), 2u);
  Result<SplitCheck> checked = check_splits(*splits_, *ledger_);
  PP_ASSERT_OK(checked);
  EXPECT_TRUE(checked->ok());
}

TEST_F(SplitPartsTest, APagesPartPrintsJustThePayersPages) {
  if (::access(backend_path().c_str(), X_OK) != 0) GTEST_SKIP() << "no backend at " << backend_path();
  if (std::system("qpdf --version >/dev/null 2>&1") != 0) GTEST_SKIP() << "no qpdf";
  HeldJob held = hold(request(three_pages_));
  split("pages:alice=1,bob=2-3", held);
  EXPECT_EQ(share_of(held, "bob").amount, 60);  // page 2 colour, page 3 mono
  approve(held, "bob");
  Result<std::vector<ClaimedRelease>> all =
      claim_release(stores(), config_, printer("Lab_Cheap"), held.id, {"alice", false});
  PP_ASSERT_OK(all);
  ASSERT_EQ(all->size(), 2u);  // the owner releases every approved part
  for (const ClaimedRelease& claim : *all) {
    EXPECT_NE(claim.document_path, held.document_path);
    PP_ASSERT_OK(deliver_release(stores(), backend(), claim));
    EXPECT_FALSE(std::filesystem::exists(claim.document_path));  // the extract is gone
  }
  EXPECT_EQ(job_state(held.id).state, HeldJobState::kPrinted);
  std::vector<std::string> files = printed_files();
  ASSERT_EQ(files.size(), 2u);
  std::vector<int> pages;
  for (const std::string& file : files) {
    Result<DocumentInfo> info = analyze_document(file, AnalysisOptions{});
    PP_ASSERT_OK(info);
    pages.push_back(info->page_count());
  }
  std::sort(pages.begin(), pages.end());
  EXPECT_EQ(pages, (std::vector<int>{1, 2}));
}

TEST_F(SplitPartsTest, AnExpiredPartIsNeverPrintedAndTheRestGoesAhead) {
  if (::access(backend_path().c_str(), X_OK) != 0) GTEST_SKIP() << "no backend at " << backend_path();
  HeldJob held = hold(request(three_pages_));
  split("method:alice=mono,carol=color+duplex", held);
  // carol never answers: after the deadline her part expires, alice's goes ahead.
  Result<SplitSettings> settings = split_settings_from_config(config_);
  PP_ASSERT_OK(settings);
  const SplitClock later = std::chrono::system_clock::now() + std::chrono::hours(49);  // past 48 h
  PP_ASSERT_OK(run_split_timers(
      *site_, *settings, [](const std::string&, const std::string&) {}, later));
  EXPECT_EQ(share_of(held, "carol").state, ShareState::kExpired);
  EXPECT_EQ(share_of(held, "carol").options.size(), 0u);  // its data is deleted
  Result<std::vector<ClaimedRelease>> claims =
      claim_release(stores(), config_, printer("Lab_Cheap"), held.id, {"alice", false});
  PP_ASSERT_OK(claims);
  ASSERT_EQ(claims->size(), 1u);
  EXPECT_EQ((*claims)[0].print_options().at("print-color-mode"), "monochrome");
  Result<HeldJob> after = deliver_release(stores(), backend(), (*claims)[0]);
  PP_ASSERT_OK(after);
  EXPECT_EQ(after->state, HeldJobState::kPrinted) << after->message;
  EXPECT_EQ(after->final_price_minor, share_of(held, "alice").amount);
  EXPECT_EQ(reserved_on("carol"), 0);
}

TEST_F(SplitPartsTest, APartThatDiedInFlightIsReviewedThenChargedOnce) {
  HeldJob held = hold(request(three_pages_));
  split("copies:alice=1,bob=1", held);
  approve(held, "bob");
  Result<std::vector<ClaimedRelease>> claims =
      claim_release(stores(), config_, printer("Lab_Cheap"), held.id, {"bob", false});
  PP_ASSERT_OK(claims);
  const std::string ref = (*claims)[0].delivery_ref();
  // A backend that began sending bob's part and died: a child records in-flight, then exits.
  const pid_t child = ::fork();
  if (child == 0) {
    Result<std::unique_ptr<DeliveryLog>> log = DeliveryLog::open(ledger_path_in(dir_.path()));
    _exit(log.ok() && (*log)->begin(ref, current_process_stamp()).ok() ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_EQ(WEXITSTATUS(status), 0);
  // pullprintd restarts: the part goes to review, the job back to held for alice's part.
  PP_ASSERT_OK(recover_releases(stores()));
  EXPECT_EQ(job_state(held.id).state, HeldJobState::kHeld);
  EXPECT_EQ(share_of(held, "bob").state, ShareState::kApproved);
  EXPECT_EQ(log_->get(ref)->state, DeliveryState::kReview);
  // Nobody can release it again while it is under review; alice's part is unaffected.
  PP_EXPECT_CODE(claim_release(stores(), config_, printer("Lab_Cheap"), held.id, {"bob", false}),
                 Code::kConflict);
  // Nor can the owner cancel the job yet: that would void a part that may have printed.
  PP_EXPECT_CODE(
      cancel_job_and_split(*site_, held.id, "alice", false, std::chrono::system_clock::now()),
      Code::kConflict);
  EXPECT_EQ(job_state(held.id).state, HeldJobState::kHeld);
  // The admin says it printed; the timer's catch-up moves the share, charging it once.
  PP_ASSERT_OK(resolve_review(*ledger_, *log_, ref, true, "root"));
  Result<SplitSettings> settings = split_settings_from_config(config_);
  PP_ASSERT_OK(settings);
  for (int run = 0; run < 2; ++run)
    PP_ASSERT_OK(run_split_timers(
        *site_, *settings, [](const std::string&, const std::string&) {},
        std::chrono::system_clock::now()));
  EXPECT_EQ(share_of(held, "bob").state, ShareState::kPrinted);
  Result<Reservation> money = ledger_->get_reservation(*share_of(held, "bob").reservation_id);
  PP_ASSERT_OK(money);
  EXPECT_EQ(money->captured_amount, share_of(held, "bob").amount);
  // Once decided, the owner may cancel the rest: alice's approved part is given back.
  PP_ASSERT_OK(
      cancel_job_and_split(*site_, held.id, "alice", false, std::chrono::system_clock::now()));
  EXPECT_EQ(share_of(held, "alice").state, ShareState::kDiscarded);
  EXPECT_EQ(share_of(held, "bob").state, ShareState::kPrinted);
  Result<SplitCheck> checked = check_splits(*splits_, *ledger_);
  PP_ASSERT_OK(checked);
  EXPECT_TRUE(checked->ok());
}

TEST_F(SplitPartsTest, RecoveryGivesBackPartsThatWereNeverSent) {
  HeldJob held = hold(request(three_pages_));
  split("copies:alice=1,bob=1", held);
  approve(held, "bob");
  PP_ASSERT_OK(claim_release(stores(), config_, printer("Lab_Cheap"), held.id, {"bob", false}));
  EXPECT_EQ(job_state(held.id).state, HeldJobState::kReleasing);
  Result<int> recovered = recover_releases(stores());
  PP_ASSERT_OK(recovered);
  EXPECT_EQ(*recovered, 1);
  EXPECT_EQ(job_state(held.id).state, HeldJobState::kHeld);
  EXPECT_EQ(share_of(held, "bob").state, ShareState::kApproved);
  PP_EXPECT_CODE(log_->get(share_of(held, "bob").part_ref().str()), Code::kNotFound);
  // And it can be released again.
  PP_ASSERT_OK(claim_release(stores(), config_, printer("Lab_Cheap"), held.id, {"bob", false}));
}

}  // namespace
}  // namespace pp
