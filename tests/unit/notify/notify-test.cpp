// notify-test.cpp: the one notification path (lib/notify): once per kind + subject, low balance
// once per crossing, expiry warnings once per job, receipts only when opted in, a failing
// notify-command retried a bounded number of times, nothing sent twice across runs or
// processes' stores.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "notify/notify.h"
#include "site/site.h"
#include "support/status-assert.h"
#include "support/temp-dir.h"
#include "util/utc-time.h"

namespace pp {
namespace {

constexpr const char* kJobUuid = "urn:uuid:11111111-2222-4333-8444-555555555555";

// A site with alice (EUR 5.00) and a notify-command that appends its address and message to a
// file, or fails, as the test chooses.
class NotifyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    log_ = dir_.file("sent.log");
    ok_script_ = dir_.file("notify-ok.sh");
    test::write_file(ok_script_, "#!/bin/sh\n{ echo \"== $1\"; cat; } >> '" + log_ + "'\n");
    fail_script_ = dir_.file("notify-fail.sh");
    test::write_file(fail_script_, "#!/bin/sh\necho attempt >> '" + log_ + ".failed'\nexit 3\n");
    Result<Config> config = Config::parse("state-dir = " + dir_.path() +
                                          "\nnotify-domain = example.org\n"
                                          "low-balance-warning = 2.00\nexpiry-warning = 2h\n"
                                          "notify-attempts = 3\n"
                                          "[price default]\nmono-impression = 10\n");
    ASSERT_TRUE(config.ok()) << config.status().to_string();
    config_ = *config;
    Result<Site> site = Site::open(config_);
    ASSERT_TRUE(site.ok()) << site.status().to_string();
    site_.emplace(std::move(*site));
    PP_ASSERT_OK(site_->ledger().ensure_personal_account("alice", 500));
    Result<std::unique_ptr<NotifyStore>> store = open_notify_store(config_);
    ASSERT_TRUE(store.ok()) << store.status().to_string();
    store_ = std::move(*store);
  }

  Notifier notifier(bool failing = false) {
    Result<NotifySettings> settings = notify_settings_from_config(config_);
    EXPECT_TRUE(settings.ok()) << settings.status().to_string();
    NotifySettings chosen = settings.ok() ? *settings : NotifySettings{};
    chosen.command = "/bin/sh " + (failing ? fail_script_ : ok_script_);
    return Notifier(chosen, *store_, &site_->people());
  }

  // How many messages notify-command received.
  int sent_count() {
    std::istringstream text(test::read_file(log_));
    int count = 0;
    for (std::string line; std::getline(text, line);)
      if (line.rfind("== ", 0) == 0) ++count;
    return count;
  }
  int failed_attempts() {
    std::istringstream text(test::read_file(log_ + ".failed"));
    int count = 0;
    for (std::string line; std::getline(text, line);) ++count;
    return count;
  }

  // Reserves `amount` on alice (a held job's price).
  std::int64_t reserve(std::int64_t amount, const std::string& key) {
    Result<Reservation> r = site_->ledger().reserve("alice", amount, key, "test/" + key, "test");
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    return r.ok() ? r->id : 0;
  }

  HeldJob add_job(std::int64_t lifetime_seconds, const std::string& uuid = kJobUuid) {
    const std::string document = dir_.file("doc.pdf");
    test::write_file(document, "%PDF-1.4\n");
    NewHeldJob job;
    job.uuid = uuid;
    job.owner = "alice";
    job.payer = "alice";
    job.title = "thesis";
    job.format = "application/pdf";
    job.options_json = "{}";
    job.pages = 3;
    job.price_minor = 30;
    job.currency = "EUR";
    job.origin = "test";
    job.pages_json = "[]";
    job.lifetime_seconds = lifetime_seconds;
    Result<HeldJob> added = site_->jobs().add(job, document);
    EXPECT_TRUE(added.ok()) << added.status().to_string();
    return added.ok() ? *added : HeldJob{};
  }

  test::TempDir dir_;
  Config config_;
  std::optional<Site> site_;
  std::unique_ptr<NotifyStore> store_;
  std::string log_;
  std::string ok_script_;
  std::string fail_script_;
  NotifyClock now_ = std::chrono::system_clock::now();
};

TEST_F(NotifyTest, SameKindAndSubjectIsSentOnce) {
  Notifier first = notifier();
  Result<NotifyOutcome> sent =
      first.notify(NoticeKind::kReceipt, "pullprintd/x", "alice", "t", "body", now_);
  ASSERT_TRUE(sent.ok()) << sent.status().to_string();
  EXPECT_EQ(*sent, NotifyOutcome::kSent);
  // A second notifier (another process, a restart) on a store opened anew.
  Result<std::unique_ptr<NotifyStore>> again = open_notify_store(config_);
  ASSERT_TRUE(again.ok());
  NotifySettings settings = first.settings();
  Notifier second(settings, **again, nullptr);
  EXPECT_EQ(second.notify(NoticeKind::kReceipt, "pullprintd/x", "alice", "t", "body", now_).value(),
            NotifyOutcome::kKnown);
  // Another kind about the same subject is another notification.
  EXPECT_EQ(second.notify(NoticeKind::kExpired, "pullprintd/x", "alice", "t", "b", now_).value(),
            NotifyOutcome::kSent);
  EXPECT_EQ(sent_count(), 2);
  EXPECT_NE(test::read_file(log_).find("== alice@example.org"), std::string::npos);
  EXPECT_NE(test::read_file(log_).find("Subject: t"), std::string::npos);
}

TEST_F(NotifyTest, OffWithoutCommandRecordsNothing) {
  Result<NotifySettings> settings = notify_settings_from_config(config_);
  ASSERT_TRUE(settings.ok());
  ASSERT_FALSE(settings->enabled());
  Notifier off(*settings, *store_, nullptr);
  EXPECT_EQ(off.notify(NoticeKind::kReceipt, "s", "alice", "t", "b", now_).value(),
            NotifyOutcome::kOff);
  EXPECT_TRUE(store_->list("alice", 10).value().empty());
}

TEST_F(NotifyTest, LowBalanceOncePerCrossing) {
  Notifier n = notifier();
  // 5.00 available: above 2.00, nothing.
  EXPECT_EQ(check_low_balance(n, site_->ledger(), "alice", now_).value(), NotifyOutcome::kSkipped);
  const std::int64_t first = reserve(400, "r1");  // 1.00 available: below
  EXPECT_EQ(check_low_balance(n, site_->ledger(), "alice", now_).value(), NotifyOutcome::kSent);
  reserve(10, "r2");  // still below: not again, on every job
  EXPECT_EQ(check_low_balance(n, site_->ledger(), "alice", now_).value(), NotifyOutcome::kSkipped);
  EXPECT_EQ(sent_count(), 1);
  EXPECT_NE(test::read_file(log_).find("EUR 1.00, below EUR 2.00"), std::string::npos);
  // Back above (the reservation voided), then below again: told again.
  PP_ASSERT_OK(site_->ledger().void_reservation(first, "void:r1", "test", "gone"));
  EXPECT_EQ(check_low_balance(n, site_->ledger(), "alice", now_).value(), NotifyOutcome::kSkipped);
  reserve(400, "r3");
  EXPECT_EQ(check_low_balance(n, site_->ledger(), "alice", now_).value(), NotifyOutcome::kSent);
  EXPECT_EQ(sent_count(), 2);
  Result<std::vector<Notice>> notices = store_->list("alice", 10);
  ASSERT_TRUE(notices.ok());
  ASSERT_EQ(notices->size(), 2u);
  EXPECT_EQ(notices->at(0).subject, "alice#2");
  EXPECT_EQ(notices->at(1).subject, "alice#1");
}

TEST_F(NotifyTest, LowBalanceOffWithoutThreshold) {
  config_.set("low-balance-warning", "");
  Notifier n = notifier();
  reserve(450, "r1");
  EXPECT_EQ(check_low_balance(n, site_->ledger(), "alice", now_).value(), NotifyOutcome::kOff);
  EXPECT_EQ(sent_count(), 0);
}

TEST_F(NotifyTest, ExpiryWarningOncePerJob) {
  Notifier n = notifier();
  const HeldJob job = add_job(3 * 3600);  // expires in 3 h
  // 2 h before is not yet: nothing.
  EXPECT_EQ(warn_expiring_jobs(n, site_->jobs(), now_).value(), 0);
  // 90 minutes before its expiry: warned, once, whatever the number of runs.
  const NotifyClock later = now_ + std::chrono::minutes(90);
  EXPECT_EQ(warn_expiring_jobs(n, site_->jobs(), later).value(), 1);
  EXPECT_EQ(warn_expiring_jobs(n, site_->jobs(), later + std::chrono::minutes(1)).value(), 0);
  Result<NotifyRunReport> run = run_notify_timer(n, site_->jobs(), later);
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run->warned, 0);
  EXPECT_EQ(sent_count(), 1);
  EXPECT_NE(test::read_file(log_).find("\"thesis\" (job " + std::to_string(job.id)),
            std::string::npos);
  // Expired: told once too.
  EXPECT_EQ(notify_job_expired(n, job, later).value(), NotifyOutcome::kSent);
  EXPECT_EQ(notify_job_expired(n, job, later).value(), NotifyOutcome::kKnown);
  EXPECT_EQ(sent_count(), 2);
}

TEST_F(NotifyTest, NoWarningForAJobPastItsTime) {
  Notifier n = notifier();
  add_job(60);
  EXPECT_EQ(warn_expiring_jobs(n, site_->jobs(), now_ + std::chrono::minutes(5)).value(), 0);
  EXPECT_EQ(sent_count(), 0);
}

TEST_F(NotifyTest, ReceiptOnlyWhenOptedIn) {
  Notifier n = notifier();
  Receipt receipt{"pullprintd/a", "alice", "thesis", 3, "lab", 30, "EUR"};
  EXPECT_EQ(send_receipt(n, receipt, now_).value(), NotifyOutcome::kSkipped);
  PP_ASSERT_OK(store_->set_receipts("alice", true, 0));
  EXPECT_TRUE(store_->receipts_wanted("alice").value());
  receipt.job_ref = "pullprintd/b";
  EXPECT_EQ(send_receipt(n, receipt, now_).value(), NotifyOutcome::kSent);
  EXPECT_EQ(send_receipt(n, receipt, now_).value(), NotifyOutcome::kKnown);
  PP_ASSERT_OK(store_->set_receipts("alice", false, 0));
  receipt.job_ref = "pullprintd/c";
  EXPECT_EQ(send_receipt(n, receipt, now_).value(), NotifyOutcome::kSkipped);
  EXPECT_EQ(sent_count(), 1);
  const std::string text = test::read_file(log_);
  EXPECT_NE(text.find("Printed \"thesis\", 3 page(s), on lab. Charged: EUR 0.30"),
            std::string::npos);
  EXPECT_FALSE(store_->receipts_wanted("bob").value());  // never chose: off
}

TEST_F(NotifyTest, FailingCommandIsRetriedBounded) {
  Notifier failing = notifier(true);
  EXPECT_EQ(failing.notify(NoticeKind::kExpired, "job-1", "alice", "t", "b", now_).value(),
            NotifyOutcome::kRetrying);
  EXPECT_EQ(failing.send_due(now_).value(), 0);  // attempt 2 fails too
  EXPECT_EQ(failing.send_due(now_).value(), 0);  // attempt 3: the last, given up
  EXPECT_EQ(failing.send_due(now_).value(), 0);  // nothing left to try
  EXPECT_EQ(failed_attempts(), 3);
  Result<std::vector<Notice>> notices = store_->list("alice", 10);
  ASSERT_TRUE(notices.ok());
  ASSERT_EQ(notices->size(), 1u);
  EXPECT_EQ(notices->at(0).state, NoticeState::kFailed);
  EXPECT_EQ(notices->at(0).attempts, 3);
  EXPECT_NE(notices->at(0).last_error.find("notify-command"), std::string::npos);
}

TEST_F(NotifyTest, RetrySucceedsOnceTheCommandWorks) {
  Notifier failing = notifier(true);
  EXPECT_EQ(failing.notify(NoticeKind::kExpired, "job-2", "alice", "t", "b", now_).value(),
            NotifyOutcome::kRetrying);
  Notifier working = notifier();
  EXPECT_EQ(working.send_due(now_).value(), 1);
  EXPECT_EQ(working.send_due(now_).value(), 0);  // sent: never again
  EXPECT_EQ(sent_count(), 1);
  EXPECT_EQ(store_->list("alice", 1).value().at(0).state, NoticeState::kSent);
}

TEST_F(NotifyTest, AClaimKeepsOtherSendersOff) {
  NewNotice notice{NoticeKind::kReceipt, "s", "alice", "alice", "t", "b"};
  Result<std::optional<Notice>> recorded = store_->record(notice, 1000);
  ASSERT_TRUE(recorded.ok() && recorded->has_value());
  const std::int64_t id = (*recorded)->id;
  EXPECT_TRUE(store_->claim(id, 1000, 60, 5).value().has_value());
  EXPECT_FALSE(store_->claim(id, 1010, 60, 5).value().has_value());  // claimed elsewhere
  EXPECT_TRUE(store_->due(1010, 5, 10).value().empty());
  // The claimer died: after the lease, another sender may try.
  EXPECT_TRUE(store_->claim(id, 1061, 60, 5).value().has_value());
}

TEST_F(NotifyTest, PreferencesAreOwnOnly) {
  PP_EXPECT_CODE(check_own_preferences("alice", "bob"), Code::kPermissionDenied);
  PP_EXPECT_CODE(check_own_preferences("", ""), Code::kPermissionDenied);
  PP_ASSERT_OK(check_own_preferences("alice", "alice"));
}

TEST(NotifySettingsTest, Durations) {
  EXPECT_EQ(parse_duration("2h").value(), std::chrono::hours(2));
  EXPECT_EQ(parse_duration("30m").value(), std::chrono::minutes(30));
  EXPECT_EQ(parse_duration("90").value(), std::chrono::seconds(90));
  EXPECT_EQ(parse_duration("1d").value(), std::chrono::hours(24));
  EXPECT_EQ(parse_duration("0").value(), std::chrono::seconds(0));
  EXPECT_FALSE(parse_duration("").has_value());
  EXPECT_FALSE(parse_duration("h").has_value());
  EXPECT_FALSE(parse_duration("2x").has_value());
  EXPECT_FALSE(parse_duration("-1h").has_value());
}

TEST(NotifySettingsTest, BadValuesNameTheKey) {
  Result<Config> config = Config::parse("low-balance-warning = lots\n");
  ASSERT_TRUE(config.ok());
  Result<NotifySettings> settings = notify_settings_from_config(*config);
  ASSERT_FALSE(settings.ok());
  EXPECT_NE(settings.status().message().find("low-balance-warning"), std::string::npos);
  config->set("low-balance-warning", "1.50");
  config->set("expiry-warning", "soon");
  settings = notify_settings_from_config(*config);
  ASSERT_FALSE(settings.ok());
  EXPECT_NE(settings.status().message().find("expiry-warning"), std::string::npos);
}

}  // namespace
}  // namespace pp
