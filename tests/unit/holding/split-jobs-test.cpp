// split-jobs-test.cpp: held jobs split among payers (lib/split-jobs/split-jobs.h) on a real ledger,
// job store and analyser child.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdio>

#include "holding-fixture.h"
#include "split-jobs/split-jobs.h"

namespace pp {
namespace {

using std::chrono::hours;
using std::chrono::seconds;

class SplitJobsTest : public HoldingTest {
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
    job_ = hold(request(three_pages_));
    ASSERT_GT(job_.id, 0);
  }

  void TearDown() override {
    if (splits_) {
      Result<SplitCheck> checked = check_splits(*splits_, *ledger_);
      ASSERT_TRUE(checked.ok()) << checked.status().to_string();
      for (const std::string& violation : checked->violations) ADD_FAILURE() << violation;
    }
    HoldingTest::TearDown();
  }

  Result<Split> split(std::string_view text, std::string_view user = "alice") {
    return split_held_job(*site_, config_, job_.id, user, text, now_);
  }

  Share share_of(const Split& split, const std::string& payer) {
    for (const Share& share : split.shares)
      if (share.payer == payer && !share.is_cover()) return share;
    ADD_FAILURE() << "no share of " << payer;
    return Share{};
  }

  SplitStore* splits_ = nullptr;  // site_'s
  HeldJob job_;
  SplitClock now_ = std::chrono::system_clock::now();
};

TEST_F(SplitJobsTest, SplitReplacesTheJobsReservationAndApprovesTheOwnersShare) {
  const std::int64_t price = job_.price_minor;
  Result<Split> made = split("ratio:alice=50,bob=50");
  ASSERT_TRUE(made.ok()) << made.status().to_string();
  EXPECT_EQ(ReservationState::kVoided, reservation_of(job_).state);
  EXPECT_EQ(ShareState::kApproved, share_of(*made, "alice").state);
  EXPECT_EQ(ShareState::kPending, share_of(*made, "bob").state);
  EXPECT_EQ(price / 2, reserved_on("alice"));
  EXPECT_EQ(0, reserved_on("bob"));
  EXPECT_EQ("split: 1 of 2 approved, 1 pending", split_progress_message(*splits_, job_));
}

TEST_F(SplitJobsTest, RefusalsLeaveTheJobAsItWas) {
  PP_EXPECT_CODE(split("ratio:alice=50,bob=40"), Code::kInvalidArgument);
  PP_EXPECT_CODE(split("ratio:alice=50,nobody=50"), Code::kNotFound);
  PP_EXPECT_CODE(split("ratio:alice=50,bob=50", "bob"), Code::kNotFound);
  PP_EXPECT_CODE(split("pages:alice=1-2,bob=2-3"), Code::kInvalidArgument);  // overlap
  EXPECT_EQ(ReservationState::kOpen, reservation_of(job_).state);
  EXPECT_EQ(job_.price_minor, reserved_on("alice"));
  PP_EXPECT_CODE(splits_->get_split("pullprintd/" + job_.uuid), Code::kNotFound);
  PP_ASSERT_OK(cancel_held_job(*site_, job_.id, "alice", false));
  PP_EXPECT_CODE(split("ratio:alice=50,bob=50"), Code::kConflict);
}

TEST_F(SplitJobsTest, ClaimWaitsForApprovalsThenCarriesNothing) {
  Result<Split> made = split("ratio:alice=50,bob=50");
  ASSERT_TRUE(made.ok()) << made.status().to_string();
  Result<std::optional<SplitClaim>> early = claim_split_job(*site_, job_);
  ASSERT_FALSE(early.ok());
  EXPECT_EQ("waiting for approvals: 1 of 2 approved, 1 pending", early.status().message());
  PP_ASSERT_OK(splits_->approve(share_of(*made, "bob").id, "bob", now_));
  Result<std::optional<SplitClaim>> claim = claim_split_job(*site_, job_);
  ASSERT_TRUE(claim.ok()) << claim.status().to_string();
  ASSERT_TRUE(claim->has_value());
  EXPECT_EQ(job_.price_minor, (*claim)->price);
  Result<Reservation> carrier = ledger_->get_reservation((*claim)->carrier_reservation_id);
  ASSERT_TRUE(carrier.ok());
  EXPECT_EQ(0, carrier->amount);
  EXPECT_EQ("alice", carrier->account);
  // Printed: the backend captured the carrier; the shares are captured once, however often.
  PP_ASSERT_OK(ledger_->capture(carrier->id, 0, "capture:pullprintd/" + job_.uuid, "test"));
  Result<std::string> captured = capture_split_print(*splits_, job_, "test", now_);
  ASSERT_TRUE(captured.ok()) << captured.status().to_string();
  EXPECT_EQ("alice EUR 0.35, bob EUR 0.35", *captured);
  PP_ASSERT_OK(capture_split_print(*splits_, job_, "test", now_));
  EXPECT_EQ(0, reserved_on("alice"));
  EXPECT_EQ(0, reserved_on("bob"));
  EXPECT_EQ(1000 - job_.price_minor / 2, ledger_->get_account("bob")->balance);
}

TEST_F(SplitJobsTest, AJobWithoutSplitClaimsAsBefore) {
  Result<std::optional<SplitClaim>> claim = claim_split_job(*site_, job_);
  ASSERT_TRUE(claim.ok()) << claim.status().to_string();
  EXPECT_FALSE(claim->has_value());
}

TEST_F(SplitJobsTest, TheJobIsKeptAJobLifetimeBeyondTheDeadline) {
  // Held for 24 h, split with the site's 48 h deadline: the payers get their 48 h, and the job
  // waits a further 24 h for its release after the deadline.
  Result<Split> made = split("ratio:alice=50,bob=50");
  ASSERT_TRUE(made.ok()) << made.status().to_string();
  Result<HeldJob> after = store_->get(job_.id);
  PP_ASSERT_OK(after);
  EXPECT_GT(after->expires_at, job_.expires_at);
  std::tm deadline{}, expiry{};
  ASSERT_TRUE(strptime(made->deadline.c_str(), "%Y-%m-%dT%H:%M:%SZ", &deadline));
  ASSERT_TRUE(strptime(after->expires_at.c_str(), "%Y-%m-%dT%H:%M:%SZ", &expiry));
  EXPECT_EQ(24 * 3600, timegm(&expiry) - timegm(&deadline));
  EXPECT_NEAR(48 * 3600, timegm(&deadline) - std::chrono::system_clock::to_time_t(now_), 5);
}

TEST_F(SplitJobsTest, TimerExpiresRemindsAndNotifies) {
  config_.set("split-reminder", "3600");
  Result<Split> made = split("ratio:alice=50,bob=50;deadline=2h");
  ASSERT_TRUE(made.ok()) << made.status().to_string();
  Result<SplitSettings> settings = split_settings_from_config(config_);
  ASSERT_TRUE(settings.ok());
  std::vector<std::string> told;
  SplitNotifier notify = [&](const std::string& user, const std::string& text) {
    told.push_back(user + ": " + text);
  };
  PP_ASSERT_OK(run_split_timers(*site_, *settings, notify, now_));
  EXPECT_TRUE(told.empty());
  PP_ASSERT_OK(run_split_timers(*site_, *settings, notify, now_ + hours(1) + seconds(1)));
  ASSERT_EQ(1u, told.size());
  EXPECT_EQ(0u, told[0].rfind("bob: Reminder: share", 0)) << told[0];
  PP_ASSERT_OK(run_split_timers(*site_, *settings, notify, now_ + hours(2) + seconds(5)));
  Result<Split> after = splits_->get_split("pullprintd/" + job_.uuid);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(ShareState::kExpired, share_of(*after, "bob").state);
  EXPECT_EQ(job_.price_minor, reserved_on("alice"));  // her share and the cover of bob's
  EXPECT_EQ(0u, told.back().rfind("alice: Your split job", 0)) << told.back();
}

TEST_F(SplitJobsTest, CancellingTheJobGivesTheSharesBackAtOnce) {
  EXPECT_FALSE(split_price(*splits_, job_).has_value());
  PP_ASSERT_OK(cancel_job_split(*splits_, job_, now_));  // no split: nothing to do
  ASSERT_TRUE(split("ratio:alice=50,bob=50").ok());
  EXPECT_EQ(job_.price_minor, split_price(*splits_, job_));
  PP_ASSERT_OK(cancel_held_job(*site_, job_.id, "alice", false));
  PP_ASSERT_OK(cancel_job_split(*splits_, job_, now_));
  EXPECT_EQ(0, reserved_on("alice"));
  EXPECT_FALSE(split_price(*splits_, job_).has_value());
}

TEST_F(SplitJobsTest, TimerCancelsTheSplitOfACancelledJob) {
  ASSERT_TRUE(split("ratio:alice=50,bob=50").ok());
  PP_ASSERT_OK(cancel_held_job(*site_, job_.id, "alice", false));
  Result<SplitSettings> settings = split_settings_from_config(config_);
  ASSERT_TRUE(settings.ok());
  PP_ASSERT_OK(run_split_timers(
      *site_, *settings, [](const std::string&, const std::string&) {}, now_));
  Result<Split> after = splits_->get_split("pullprintd/" + job_.uuid);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(SplitState::kCancelled, after->state);
  EXPECT_EQ(0, reserved_on("alice"));
}

TEST_F(SplitJobsTest, AReviewedPrintCapturesTheSharesOnTheAdminsWord) {
  Result<Split> made = split("ratio:alice=50,bob=50");
  ASSERT_TRUE(made.ok()) << made.status().to_string();
  PP_ASSERT_OK(splits_->approve(share_of(*made, "bob").id, "bob", now_));
  Result<std::optional<SplitClaim>> claim = claim_split_job(*site_, job_);
  ASSERT_TRUE(claim.ok() && claim->has_value());
  // The print failed half way: the job is failed, its delivery under review.
  Result<std::unique_ptr<DeliveryLog>> log = DeliveryLog::open(dir_.file("ledger.sqlite"));
  ASSERT_TRUE(log.ok()) << log.status().to_string();
  const std::string job_ref = "pullprintd/" + job_.uuid;
  ReleaseOrder order{job_ref, (*claim)->carrier_reservation_id, "alice", job_.title, "Lab_A",
                     "ipp://printer", 0, "EUR", "alice"};
  PP_ASSERT_OK((*log)->release(order));
  PP_ASSERT_OK((*log)->begin(job_ref, current_process_stamp()));
  PP_ASSERT_OK((*log)->set_state(job_ref, DeliveryState::kInFlight, DeliveryState::kReview, 100,
                                 "failed"));
  PP_ASSERT_OK(store_->transition(job_.id, HeldJobState::kHeld, HeldJobState::kReleasing));
  PP_ASSERT_OK(store_->transition(job_.id, HeldJobState::kReleasing, HeldJobState::kFailed));
  Result<SplitSettings> settings = split_settings_from_config(config_);
  ASSERT_TRUE(settings.ok());
  auto quiet = [](const std::string&, const std::string&) {};
  PP_ASSERT_OK(run_split_timers(*site_, *settings, quiet, now_));
  EXPECT_EQ(job_.price_minor, reserved_on("alice") + reserved_on("bob"));  // undecided
  PP_ASSERT_OK(resolve_review(*ledger_, **log, job_ref, true, "admin"));
  PP_ASSERT_OK(run_split_timers(*site_, *settings, quiet, now_));
  EXPECT_EQ(0, reserved_on("alice"));
  EXPECT_EQ(0, reserved_on("bob"));
  EXPECT_EQ(1000 - job_.price_minor / 2, ledger_->get_account("bob")->balance);
}

TEST_F(SplitJobsTest, NotifyCommandGetsAMailOnStdinAndTheAddress) {
  // A sendmail stand-in: the message on stdin into a file named by the address.
  const std::string script = dir_.file("notify");
  std::FILE* out = std::fopen(script.c_str(), "w");
  ASSERT_NE(nullptr, out);
  std::fprintf(out, "#!/bin/sh\ncat >\"%s-$1\"\n", dir_.file("mail").c_str());
  std::fclose(out);
  ASSERT_EQ(0, ::chmod(script.c_str(), 0755));
  SplitSettings settings;
  settings.notify_command = script;
  settings.notify_domain = "example.org";
  PP_ASSERT_OK(
      notify_payer(settings, site_->people(), "bob", "pullprint: a print job to share", "pay me"));
  std::FILE* file = std::fopen((dir_.file("mail") + "-bob@example.org").c_str(), "r");
  ASSERT_NE(nullptr, file);
  char text[256] = {};
  const std::size_t got = std::fread(text, 1, sizeof text - 1, file);
  std::fclose(file);
  EXPECT_EQ("To: bob@example.org\nSubject: pullprint: a print job to share\n\npay me\n",
            std::string(text, got));
  PP_ASSERT_OK(notify_payer(SplitSettings{}, site_->people(), "bob", "s", "off: nothing runs"));
}

TEST_F(SplitJobsTest, NotificationsGoToTheAddressADirectoryGave) {
  {
    // What a directory sync writes (lib/directory): a person with an e-mail address.
    SQLite::Database db(Site::ledger_path_of(config_), SQLite::OPEN_READWRITE);
    db.exec(
        "INSERT INTO people (login, email, source, source_id, state_since, created_at, "
        "updated_at) VALUES ('carol', 'c.jones@staff.example.edu', 'staff', 'id-1', 0, 0, 0)");
  }
  SplitSettings settings;
  settings.notify_domain = "example.org";
  EXPECT_EQ(notification_address(settings, site_->people(), "carol"), "c.jones@staff.example.edu");
  EXPECT_EQ(notification_address(settings, site_->people(), "bob"), "bob@example.org");
  EXPECT_EQ(notification_address(SplitSettings{}, site_->people(), "bob"), "bob");
}

}  // namespace
}  // namespace pp
