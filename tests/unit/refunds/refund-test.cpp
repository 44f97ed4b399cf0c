// refund-test.cpp: users' refund requests for printed jobs (refunds.h): not your job, not
// printed, nothing charged, twice, the reasons, granted once (and the ledger balancing), denied.
#include <fstream>

#include "ledger/job-ref.h"
#include "ledger/refund-key.h"
#include "refunds/refunds.h"
#include "site/site.h"
#include "support/temp-dir.h"
#include "unit/ledger/ledger-fixture.h"  // PP_ASSERT_OK

namespace pp::test {
namespace {

class RefundTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<Config> config = Config::parse("state-dir = " + dir_.path() + "\n");
    ASSERT_TRUE(config.ok()) << config.status().to_string();
    config_ = *config;
    Result<Site> site = Site::open(config_);
    ASSERT_TRUE(site.ok()) << site.status().to_string();
    site_.emplace(std::move(*site));
    Result<std::unique_ptr<RefundStore>> refunds = open_refund_store(config_);
    ASSERT_TRUE(refunds.ok()) << refunds.status().to_string();
    refunds_ = std::move(*refunds);
    std::ofstream(dir_.file("doc.pdf")) << "%PDF-1.4\n";
    for (const char* user : {"alice", "bob"}) {
      ASSERT_TRUE(ledger().ensure_personal_account(user, 0).ok());
      PP_ASSERT_OK(ledger().top_up(user, 1000, std::string("top-up:") + user, "desk", ""));
    }
  }

  void TearDown() override {
    Result<LedgerCheck> checked = ledger().check();
    ASSERT_TRUE(checked.ok()) << checked.status().to_string();
    for (const std::string& violation : checked->violations) ADD_FAILURE() << violation;
  }

  Ledger& ledger() { return site_->ledger(); }
  JobStore& jobs() { return site_->jobs(); }

  // A job of `owner` costing `price`, held, and (when `printed`) printed and captured.
  HeldJob job(const std::string& owner, std::int64_t price, bool printed) {
    const std::string uuid =
        "urn:uuid:00000000-0000-4000-8000-00000000000" + std::to_string(++jobs_made_);
    const JobRef ref = JobRef::held(uuid);
    Result<Reservation> reservation =
        ledger().reserve(owner, price, ref.reserve_key(), ref.str(), "test");
    EXPECT_TRUE(reservation.ok()) << reservation.status().to_string();
    NewHeldJob spec;
    spec.uuid = uuid;
    spec.owner = owner;
    spec.payer = owner;
    spec.title = "thesis";
    spec.format = "application/pdf";
    spec.pages = 3;
    spec.price_minor = price;
    spec.currency = "EUR";
    spec.reservation_id = reservation->id;
    Result<HeldJob> held = jobs().add(spec, dir_.file("doc.pdf"));
    EXPECT_TRUE(held.ok()) << held.status().to_string();
    if (printed) {
      EXPECT_TRUE(
          jobs().transition(held->id, HeldJobState::kHeld, HeldJobState::kReleasing).is_ok());
      EXPECT_TRUE(
          jobs().transition(held->id, HeldJobState::kReleasing, HeldJobState::kPrinted).is_ok());
      EXPECT_TRUE(ledger().capture(reservation->id, price, ref.capture_key(), "backend").ok());
    }
    return *held;
  }

  Result<RefundRequest> ask(const std::string& user, std::int64_t job_id,
                            RefundReason reason = RefundReason::kJam,
                            const std::string& text = "") {
    return request_refund(jobs(), ledger(), *refunds_, user, job_id, reason, text);
  }

  std::int64_t balance(const std::string& user) { return ledger().get_account(user)->balance; }

  TempDir dir_;
  Config config_;
  std::optional<Site> site_;
  std::unique_ptr<RefundStore> refunds_;
  int jobs_made_ = 0;
};

TEST_F(RefundTest, RequestRecordsTheCapturedAmount) {
  const HeldJob printed = job("alice", 240, true);
  Result<RefundRequest> request = ask("alice", printed.id, RefundReason::kBlankPage, "all white");
  ASSERT_TRUE(request.ok()) << request.status().to_string();
  EXPECT_EQ(request->amount, 240);
  EXPECT_EQ(request->account, "alice");
  EXPECT_EQ(request->user, "alice");
  EXPECT_EQ(request->job_id, printed.id);
  EXPECT_EQ(request->job_ref, JobRef::held(printed.uuid).str());
  EXPECT_EQ(request->state, RefundState::kOpen);
  EXPECT_EQ(request->reason, RefundReason::kBlankPage);
  EXPECT_EQ(request->text, "all white");
  Result<std::vector<RefundRequest>> listed = refunds_->list("alice", RefundState::kOpen, 10);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().id, request->id);
  EXPECT_TRUE(refunds_->list("bob", std::nullopt, 10)->empty());
}

TEST_F(RefundTest, NotYourJob) {
  const HeldJob bobs = job("bob", 240, true);
  EXPECT_EQ(ask("alice", bobs.id).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(ask("alice", 9999).status().code(), Code::kNotFound);
  EXPECT_TRUE(refunds_->list(std::nullopt, std::nullopt, 10)->empty());
}

TEST_F(RefundTest, NotPrinted) {
  const HeldJob held = job("alice", 240, false);
  Result<RefundRequest> request = ask("alice", held.id);
  EXPECT_EQ(request.status().code(), Code::kConflict);
  EXPECT_NE(request.status().message().find("was not printed"), std::string::npos);
  // A printed job that cost nothing has nothing to refund.
  const HeldJob free_job = job("alice", 0, true);
  EXPECT_EQ(ask("alice", free_job.id).status().code(), Code::kConflict);
  EXPECT_TRUE(
      ledger()
          .void_reservation(*held.reservation_id, JobRef::held(held.uuid).void_key(), "test", "")
          .ok());
}

TEST_F(RefundTest, OneOpenRequestPerJob) {
  const HeldJob printed = job("alice", 240, true);
  ASSERT_TRUE(ask("alice", printed.id).ok());
  EXPECT_EQ(ask("alice", printed.id).status().code(), Code::kAlreadyExists);
}

TEST_F(RefundTest, OtherNeedsWords) {
  const HeldJob printed = job("alice", 240, true);
  EXPECT_EQ(ask("alice", printed.id, RefundReason::kOther, "  ").status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(ask("alice", printed.id, RefundReason::kJam, std::string(600, 'x')).status().code(),
            Code::kInvalidArgument);
  EXPECT_TRUE(ask("alice", printed.id, RefundReason::kOther, "smudged").ok());
}

TEST_F(RefundTest, GrantRefundsOnce) {
  const HeldJob printed = job("alice", 240, true);
  EXPECT_EQ(balance("alice"), 760);
  Result<RefundRequest> request = ask("alice", printed.id);
  ASSERT_TRUE(request.ok());
  Result<RefundRequest> granted =
      grant_refund(ledger(), *refunds_, request->id, "desk", "jam seen");
  ASSERT_TRUE(granted.ok()) << granted.status().to_string();
  EXPECT_EQ(granted->state, RefundState::kGranted);
  EXPECT_EQ(granted->decided_by, "desk");
  EXPECT_EQ(granted->decision_note, "jam seen");
  EXPECT_EQ(balance("alice"), 1000);
  // Granted again: refused, no money.
  EXPECT_EQ(grant_refund(ledger(), *refunds_, request->id, "desk", "").status().code(),
            Code::kConflict);
  EXPECT_EQ(balance("alice"), 1000);
  // A refunded job is not asked for again.
  EXPECT_EQ(ask("alice", printed.id).status().code(), Code::kAlreadyExists);
  Result<std::vector<JournalEntry>> refunds =
      ledger().entries_with_key_prefix(kRefundRequestKeyPrefix);
  ASSERT_TRUE(refunds.ok());
  ASSERT_EQ(refunds->size(), 1u);
  EXPECT_EQ(refunds->front().idempotency_key, "refund-request:" + JobRef::held(printed.uuid).str());
  EXPECT_EQ(refunds->front().amount, 240);
}

TEST_F(RefundTest, GrantAfterACrashRefundsOnce) {
  const HeldJob printed = job("alice", 240, true);
  Result<RefundRequest> request = ask("alice", printed.id);
  ASSERT_TRUE(request.ok());
  // The ledger's half of a grant that crashed before the request was marked.
  ASSERT_TRUE(ledger()
                  .refund(request->reservation_id, 240,
                          refund_request_key(JobRef::held(printed.uuid)), "desk", "")
                  .ok());
  ASSERT_TRUE(grant_refund(ledger(), *refunds_, request->id, "desk", "").ok());
  EXPECT_EQ(balance("alice"), 1000);
}

TEST_F(RefundTest, DenyMovesNoMoneyAndMayBeAskedAgain) {
  const HeldJob printed = job("alice", 240, true);
  Result<RefundRequest> request = ask("alice", printed.id);
  ASSERT_TRUE(request.ok());
  Result<RefundRequest> denied = deny_refund(*refunds_, request->id, "desk", "printed fine");
  ASSERT_TRUE(denied.ok());
  EXPECT_EQ(denied->state, RefundState::kDenied);
  EXPECT_EQ(balance("alice"), 760);
  EXPECT_EQ(grant_refund(ledger(), *refunds_, request->id, "desk", "").status().code(),
            Code::kConflict);
  EXPECT_EQ(balance("alice"), 760);
  EXPECT_TRUE(ask("alice", printed.id, RefundReason::kWrongOutput).ok());
  EXPECT_EQ(refunds_->get(9999).status().code(), Code::kNotFound);
}

TEST(RefundNames, RoundTrip) {
  for (RefundReason reason : {RefundReason::kJam, RefundReason::kBlankPage,
                              RefundReason::kWrongOutput, RefundReason::kOther})
    EXPECT_EQ(parse_refund_reason(refund_reason_name(reason)), reason);
  EXPECT_FALSE(parse_refund_reason("because").has_value());
  EXPECT_EQ(parse_refund_state("granted"), RefundState::kGranted);
  EXPECT_FALSE(parse_refund_state("maybe").has_value());
}

}  // namespace
}  // namespace pp::test
