// split-preview-test.cpp: the web's split preview and a payer's approval requests
// (preview_split in lib/split-jobs/split-jobs.h, lib/split-jobs/split-approvals.h) on a real
// ledger, job store and analyser child: the preview is the split's own reckoning.
#include <gtest/gtest.h>

#include "holding-fixture.h"
#include "split-jobs/split-approvals.h"
#include "split-jobs/split-jobs.h"

namespace pp {
namespace {

class SplitPreviewTest : public HoldingTest {
 protected:
  void SetUp() override {
    HoldingTest::SetUp();
    for (const char* name : {"alice", "bob", "carol", "dave"}) {
      NewAccount account;
      account.name = name;
      ASSERT_TRUE(ledger_->create_account(account).ok());
      ASSERT_TRUE(ledger_->top_up(name, 1000, std::string("top-up:") + name, "admin", "").ok());
    }
    PP_ASSERT_OK(ledger_->set_enabled("dave", false));
  }

  // A held three-page job of alice's with its own uuid.
  HeldJob new_job() {
    const std::string n = std::to_string(++jobs_);
    HoldRequest r = request(
        write_pdf("job" + n + ".pdf",
                  {"0 g 10 10 100 100 re f", "1 0 0 rg 10 10 100 100 re f", "0.5 g 1 1 5 5 re f"}));
    r.uuid = "urn:uuid:00000000-0000-4000-8000-00000000000" + n;
    return hold(r);
  }

  Result<SplitPreview> preview(const HeldJob& job, std::string_view text,
                               std::string_view user = "alice") {
    return preview_split(*site_, config_, job.id, user, text, now_);
  }

  int jobs_ = 0;
  SplitClock now_ = std::chrono::system_clock::now();
};

TEST_F(SplitPreviewTest, ThePreviewIsWhatTheSplitFilesInEachMode) {
  for (const char* text : {"ratio:alice=1/3,bob=2/3", "copies:alice=1,bob=2,carol=3",
                           "pages:alice=1,bob=2-3", "method:alice=mono,bob=color+duplex"}) {
    SCOPED_TRACE(text);
    const HeldJob job = new_job();
    Result<SplitPreview> seen = preview(job, text);
    ASSERT_TRUE(seen.ok()) << seen.status().to_string();
    // Nothing changed: no split, the job's own reservation still open.
    PP_EXPECT_CODE(site_->splits().get_split("pullprintd/" + job.uuid), Code::kNotFound);
    EXPECT_EQ(ReservationState::kOpen, reservation_of(job).state);
    Result<Split> split = split_held_job(*site_, config_, job.id, "alice", text, now_);
    ASSERT_TRUE(split.ok()) << split.status().to_string();
    EXPECT_EQ(seen->request_text, split->request);
    EXPECT_EQ(seen->deadline, split->deadline);
    EXPECT_EQ(seen->quote.total, split->price);
    ASSERT_EQ(seen->quote.parts.size(), split->shares.size());
    for (std::size_t i = 0; i < split->shares.size(); ++i) {
      EXPECT_EQ(seen->quote.parts[i].payer, split->shares[i].payer);
      EXPECT_EQ(seen->quote.parts[i].amount, split->shares[i].amount);
      EXPECT_EQ(seen->quote.parts[i].description, split->shares[i].description);
    }
    EXPECT_GT(seen->quote.total, 0);
  }
}

TEST_F(SplitPreviewTest, RefusesWhatTheSplitWouldRefuse) {
  const HeldJob job = new_job();
  PP_EXPECT_CODE(preview(job, "ratio:alice=50,bob=40"), Code::kInvalidArgument);
  PP_EXPECT_CODE(preview(job, "ratio:alice=50,zed=50"), Code::kNotFound);
  PP_EXPECT_CODE(preview(job, "ratio:alice=50,dave=50"), Code::kPermissionDenied);
  PP_EXPECT_CODE(preview(job, "ratio:alice=50,bob=50", "bob"), Code::kNotFound);
  Result<SplitPreview> late = preview(job, "ratio:alice=50,bob=50;deadline=49h");
  EXPECT_EQ("split: deadline 49h is longer than the site's 48h", late.status().message());
  // The split itself refuses the same words.
  Result<Split> late_split =
      split_held_job(*site_, config_, job.id, "alice", "ratio:alice=50,bob=50;deadline=49h", now_);
  EXPECT_EQ(late.status().message(), late_split.status().message());
  PP_ASSERT_OK(split_held_job(*site_, config_, job.id, "alice", "ratio:alice=50,bob=50", now_));
  PP_EXPECT_CODE(preview(job, "ratio:alice=50,bob=50"), Code::kAlreadyExists);
  const HeldJob gone = new_job();
  PP_ASSERT_OK(cancel_held_job(*site_, gone.id, "alice", false));
  PP_EXPECT_CODE(preview(gone, "ratio:alice=50,bob=50"), Code::kConflict);
}

TEST_F(SplitPreviewTest, APayerSeesTheirRequestWithItsJobOthersNothing) {
  const HeldJob job = new_job();
  Result<Split> split =
      split_held_job(*site_, config_, job.id, "alice", "copies:alice=1,bob=2", now_);
  ASSERT_TRUE(split.ok()) << split.status().to_string();
  const Share& bobs = split->shares[1];
  Result<std::vector<ApprovalRequest>> asked = approval_requests(*site_, "bob", now_);
  ASSERT_TRUE(asked.ok()) << asked.status().to_string();
  ASSERT_EQ(1u, asked->size());
  const ApprovalRequest& request = asked->front();
  EXPECT_EQ(bobs.id, request.share.id);
  EXPECT_TRUE(request.job_known);
  EXPECT_EQ(3, request.pages);
  EXPECT_EQ(job.color_pages, request.color_pages);
  EXPECT_EQ(split->price, request.split_price);
  EXPECT_EQ("2 copies of the whole document (3 pages each), printed for you", request.payer_gets);
  Result<ApprovalRequest> one = approval_request(*site_, bobs.id, "bob");
  ASSERT_TRUE(one.ok()) << one.status().to_string();
  EXPECT_EQ(bobs.amount, one->share.amount);
  // The owner, a third user, a share that does not exist: nothing to see.
  PP_EXPECT_CODE(approval_request(*site_, bobs.id, "alice"), Code::kNotFound);
  PP_EXPECT_CODE(approval_request(*site_, bobs.id, "carol"), Code::kNotFound);
  PP_EXPECT_CODE(approval_request(*site_, bobs.id + 100, "bob"), Code::kNotFound);
  Result<std::vector<ApprovalRequest>> carols = approval_requests(*site_, "carol", now_);
  ASSERT_TRUE(carols.ok());
  EXPECT_TRUE(carols->empty());
  // Decided, the request is still the payer's to look at.
  PP_ASSERT_OK(site_->splits().approve(bobs.id, "bob", now_));
  Result<ApprovalRequest> decided = approval_request(*site_, bobs.id, "bob");
  ASSERT_TRUE(decided.ok());
  EXPECT_EQ(ShareState::kApproved, decided->share.state);
}

TEST_F(SplitPreviewTest, WhatAPayerGetsInEachMode) {
  Share share;
  share.mode = SplitMode::kRatio;
  share.description = "50%";
  EXPECT_EQ("50% of the cost of one print of the whole job (4 pages)", what_payer_gets(share, 4));
  EXPECT_EQ("50% of the cost of one print of the whole job", what_payer_gets(share, 0));
  share.mode = SplitMode::kPages;
  share.description = "pages 3-4";
  EXPECT_EQ("pages 3-4 of 4, printed for you", what_payer_gets(share, 4));
  share.mode = SplitMode::kMethod;
  share.description = "mono, A3";
  EXPECT_EQ("the whole document printed for you: mono, A3", what_payer_gets(share, 4));
}

}  // namespace
}  // namespace pp
