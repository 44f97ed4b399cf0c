// store-test.cpp: the share state machine on a real SQLite ledger: creation, approval with
// reservations, declines and the ratio rule, expiry catch-up, capture/void idempotency,
// authorisation, pending lists, progress, release and reminders.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include "split-fixture.h"

namespace pp::test {
namespace {

using std::chrono::hours;

std::int64_t journal_entries(const std::string& path, const std::string& key) {
  SQLite::Database db(path);
  SQLite::Statement query(db, "SELECT count(*) FROM journal WHERE idempotency_key = ?");
  query.bind(1, key);
  query.executeStep();
  return query.getColumn(0).getInt64();
}

TEST_F(SplitTest, CreateRecordsPendingShares) {
  Split created = create("ratio:alice=50,bob=30,carol=20", {50, 30, 20});
  EXPECT_EQ(created.job_ref, kJob);
  EXPECT_EQ(created.owner, "alice");
  EXPECT_EQ(created.title, "Handouts");
  EXPECT_EQ(created.mode, SplitMode::kRatio);
  EXPECT_EQ(created.request, "ratio:alice=50,bob=30,carol=20");
  EXPECT_EQ(created.on_decline, OnDecline::kOwnerCovers);
  EXPECT_EQ(created.price, 100);
  EXPECT_EQ(created.currency, "EUR");
  EXPECT_EQ(created.state, SplitState::kOpen);
  EXPECT_EQ(created.created_at, "2027-01-15T08:00:00Z");
  EXPECT_EQ(created.deadline, "2027-01-17T08:00:00Z");  // the site's 48 h
  ASSERT_EQ(created.shares.size(), 3u);
  EXPECT_EQ(created.shares[1].payer, "bob");
  EXPECT_EQ(created.shares[1].amount, 30);
  EXPECT_EQ(created.shares[1].description, "30%");
  EXPECT_EQ(created.shares[1].owner, "alice");
  EXPECT_EQ(created.shares[1].options, (std::map<std::string, std::string>{{"copies", "1"}}));
  EXPECT_EQ(created.shares[1].state, ShareState::kPending);
  EXPECT_FALSE(created.shares[1].reservation_id);
  EXPECT_EQ(created.progress(), "0 of 3 approved, 3 pending");
  EXPECT_EQ(describe_share(created.shares[1]),
            "share " + std::to_string(created.shares[1].id) +
                ": alice asks bob to pay EUR 0.30 for 30% of \"Handouts\" (" + kJob +
                "), pending until 2027-01-17T08:00:00Z");
  expect_consistent();
}

// The way the server wires it: attribute text -> parse -> price on the held job's analysis ->
// create -> approvals -> the parts print -> the ledger.
TEST_F(SplitTest, FromTheRequestTextToTheLedger) {
  DocumentInfo document;
  document.format = "application/pdf";
  for (int page = 1; page <= 6; ++page) {
    PageInfo info;
    info.number = page;
    info.color = page <= 2;
    info.media = "iso_a4_210x297mm";
    document.pages.push_back(info);
  }
  PriceProfile profile;
  profile.mono_impression = 5;
  profile.color_impression = 20;
  auto request = parse_split_request("pages:bob=1-2,carol=3-;deadline=24h");
  ASSERT_TRUE(request.ok());
  auto quote = price_split(*request, document, {{"copies", "2"}}, profile);
  ASSERT_TRUE(quote.ok()) << quote.status().to_string();
  NewSplit split;
  split.job_ref = kJob;
  split.owner = "alice";
  split.title = "Handouts";
  split.request = *request;
  split.quote = *quote;
  auto created = store_->create_split(split, payer_has_account(*ledger_), now_);
  ASSERT_TRUE(created.ok()) << created.status().to_string();
  EXPECT_EQ(created->price, 120);  // bob 2 colour pages x 2 = 80, carol 4 grey x 2 = 40
  EXPECT_EQ(created->shares[0].amount, 80);
  EXPECT_EQ(created->shares[1].amount, 40);
  EXPECT_EQ(created->shares[1].options,
            (std::map<std::string, std::string>{{"copies", "2"}, {"page-ranges", "3-6"}}));
  EXPECT_EQ(created->shares[1].impressions, 8);
  EXPECT_EQ(created->deadline, "2027-01-16T08:00:00Z");

  SPLIT_ASSERT_OK(store_->approve(created->shares[0].id, "bob", now_));
  SPLIT_ASSERT_OK(store_->decline(created->shares[1].id, "carol", now_));
  auto ready = store_->releasable(kJob, "bob");
  ASSERT_EQ(ready->size(), 1u);
  SPLIT_ASSERT_OK(store_->capture_share(ready->front().id, "pullprintd", now_));
  EXPECT_EQ(get("bob").balance, 920);
  EXPECT_EQ(get("carol").balance, 1000);
  EXPECT_EQ(this->split().state, SplitState::kClosed);
  auto history = ledger_->history("bob", 10);
  ASSERT_TRUE(history.ok());
  ASSERT_GE(history->size(), 2u);
  EXPECT_EQ(history->front().idempotency_key, std::string("capture:split:") + kJob + ":bob");
  expect_consistent();
}

TEST_F(SplitTest, CreateWithAShorterDeadlineAndTheSameRequestAgain) {
  Split created = create("copies:bob=2,carol=1;deadline=2h", {20, 10});
  EXPECT_EQ(created.deadline, "2027-01-15T10:00:00Z");
  Split again = create("copies:bob=2,carol=1;deadline=120m", {20, 10});
  EXPECT_EQ(again.id, created.id);
  SPLIT_EXPECT_CODE(store_->create_split(new_split("copies:bob=3", {30}), payer_has_account(*ledger_), now_),
                    Code::kAlreadyExists);
}

TEST_F(SplitTest, CreateRefusals) {
  auto refuse = [&](NewSplit split, Code code, const std::string& fragment) {
    auto result = store_->create_split(split, payer_has_account(*ledger_), now_);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.status().code(), code) << result.status().to_string();
    EXPECT_NE(result.status().message().find(fragment), std::string::npos)
        << result.status().message();
  };
  refuse(new_split("copies:bob=1,erin=1", {10, 10}), Code::kNotFound, "erin has no pullprint account");
  ASSERT_TRUE(ledger_->set_enabled("carol", false).is_ok());
  refuse(new_split("copies:bob=1,carol=1", {10, 10}), Code::kPermissionDenied,
         "the account of carol is disabled");
  refuse(new_split("copies:bob=1;deadline=72h", {10}), Code::kInvalidArgument,
         "deadline 72h is longer than the site's 48h");
  refuse(new_split("copies:bob=1,dave=1", {10}), Code::kInvalidArgument, "1 parts for 2 payers");
  NewSplit wrong_total = new_split("copies:bob=1", {10});
  wrong_total.quote.total = 11;
  refuse(wrong_total, Code::kInvalidArgument, "the parts sum to 10, not the quoted 11");
  NewSplit bad_owner = new_split("copies:bob=1", {10});
  bad_owner.owner = "al ice";
  refuse(bad_owner, Code::kInvalidArgument, "user name \"al ice\"");
  NewSplit no_job = new_split("copies:bob=1", {10});
  no_job.job_ref = "";
  refuse(no_job, Code::kInvalidArgument, "job reference");
  // A custom check, e.g. "may get an account" from the user directory.
  auto custom = store_->create_split(new_split("copies:erin=1", {10}),
                                     [](std::string_view) { return Status::ok(); }, now_);
  EXPECT_TRUE(custom.ok()) << custom.status().to_string();
}

TEST_F(SplitTest, ApproveReservesTheShareOnce) {
  create("copies:bob=3,carol=1", {30, 10});
  auto approved = store_->approve(share_of("bob"), "bob", now_);
  ASSERT_TRUE(approved.ok()) << approved.status().to_string();
  EXPECT_EQ(approved->state, ShareState::kApproved);
  ASSERT_TRUE(approved->reservation_id);
  EXPECT_EQ(approved->decided_at, "2027-01-15T08:00:00Z");
  auto reservation = ledger_->get_reservation(*approved->reservation_id);
  ASSERT_TRUE(reservation.ok());
  EXPECT_EQ(reservation->account, "bob");
  EXPECT_EQ(reservation->amount, 30);
  EXPECT_EQ(reservation->idempotency_key, std::string("reserve:split:") + kJob + ":bob");
  EXPECT_EQ(reservation->job_ref, std::string("split:") + kJob + ":bob");
  EXPECT_EQ(get("bob").available(), 970);

  auto again = store_->approve(share_of("bob"), "bob", now_ + hours(1));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->reservation_id, approved->reservation_id);
  EXPECT_EQ(again->decided_at, "2027-01-15T08:00:00Z");
  EXPECT_EQ(get("bob").available(), 970);
  EXPECT_EQ(journal_entries(path(), std::string("reserve:split:") + kJob + ":bob"), 1);
  EXPECT_EQ(split().progress(), "1 of 2 approved, 1 pending");
  expect_consistent();
}

TEST_F(SplitTest, OnlyThePayerDecides) {
  create("copies:bob=3,carol=1", {30, 10});
  std::int64_t bob = share_of("bob");
  SPLIT_EXPECT_CODE(store_->approve(bob, "carol", now_), Code::kPermissionDenied);
  SPLIT_EXPECT_CODE(store_->approve(bob, "alice", now_), Code::kPermissionDenied);  // the owner too
  SPLIT_EXPECT_CODE(store_->decline(bob, "carol", now_), Code::kPermissionDenied);
  SPLIT_EXPECT_CODE(store_->approve(bob, "", now_), Code::kPermissionDenied);
  auto denied = store_->approve(bob, "mallory", now_);
  EXPECT_EQ(denied.status().message(),
            "user mallory may not approve split share " + std::to_string(bob));
  EXPECT_EQ(share(bob).state, ShareState::kPending);
  EXPECT_EQ(get("bob").available(), 1000);
  SPLIT_EXPECT_CODE(store_->approve(999, "bob", now_), Code::kNotFound);
}

TEST_F(SplitTest, AnApprovalThePayerCannotAffordLeavesTheSharePending) {
  account("erin", 10);
  create("copies:bob=1,erin=3", {10, 30});
  std::int64_t erin = share_of("erin");
  auto refused = store_->approve(erin, "erin", now_);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), Code::kInsufficientFunds);
  EXPECT_EQ(refused.status().message(),
            "account erin has EUR 0.10 available, the share (3 copies of \"Handouts\") costs "
            "EUR 0.30; top up, then approve again before 2027-01-17T08:00:00Z");
  EXPECT_EQ(share(erin).state, ShareState::kPending);
  EXPECT_EQ(get("erin").available(), 10);

  ASSERT_TRUE(ledger_->top_up("erin", 50, "top-up:erin:2", "admin", "").ok());
  auto approved = store_->approve(erin, "erin", now_);
  ASSERT_TRUE(approved.ok()) << approved.status().to_string();
  EXPECT_EQ(get("erin").available(), 30);
  expect_consistent();
}

TEST_F(SplitTest, RatioDeclineOwnerCoversThenTheJobPrintsOnce) {
  create("ratio:alice=50,bob=30,carol=20", {50, 30, 20});
  auto declined = store_->decline(share_of("bob"), "bob", now_);
  ASSERT_TRUE(declined.ok()) << declined.status().to_string();
  EXPECT_EQ(declined->state, SplitState::kOpen);
  ASSERT_EQ(declined->shares.size(), 4u);
  const Share& cover = declined->shares[3];
  EXPECT_EQ(cover.payer, "alice");
  EXPECT_EQ(cover.cover_of, "bob");
  EXPECT_EQ(cover.amount, 30);
  EXPECT_EQ(cover.state, ShareState::kApproved);
  EXPECT_EQ(cover.description, "30% of bob, covered by alice");
  ASSERT_TRUE(cover.reservation_id);
  EXPECT_EQ(ledger_->get_reservation(*cover.reservation_id)->idempotency_key,
            std::string("reserve:split:") + kJob + ":alice:cover-of:bob");
  EXPECT_EQ(get("alice").available(), 970);
  EXPECT_EQ(declined->progress(), "0 of 3 approved, 2 pending, 1 declined, 1 covered by alice");
  EXPECT_EQ(describe_share(cover), "share " + std::to_string(cover.id) +
                                       ": alice covers bob's EUR 0.30 of \"Handouts\" (" + kJob +
                                       "), approved");

  // Declining again changes nothing; approving a declined share is too late.
  auto again = store_->decline(share_of("bob"), "bob", now_);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->shares.size(), 4u);
  SPLIT_EXPECT_CODE(store_->approve(share_of("bob"), "bob", now_), Code::kConflict);
  SPLIT_EXPECT_CODE(store_->approve(cover.id, "alice", now_), Code::kConflict);

  // Nothing prints while carol is pending.
  EXPECT_TRUE(store_->releasable(kJob, "alice")->empty());
  SPLIT_EXPECT_CODE(store_->capture_share(cover.id, "pullprintd", now_), Code::kConflict);
  SPLIT_ASSERT_OK(store_->approve(share_of("carol"), "carol", now_));
  SPLIT_ASSERT_OK(store_->approve(share_of("alice"), "alice", now_));
  auto ready = store_->releasable(kJob, "alice");
  ASSERT_TRUE(ready.ok());
  ASSERT_EQ(ready->size(), 3u);  // alice, carol, alice covering bob
  EXPECT_TRUE(store_->releasable(kJob, "carol")->empty());  // one print, the owner's to release
  for (const Share& part : *ready) SPLIT_ASSERT_OK(store_->capture_share(part.id, "pullprintd", now_));

  Split done = split();
  EXPECT_EQ(done.state, SplitState::kClosed);
  EXPECT_EQ(done.progress(), "2 of 3 approved, 1 declined, 2 printed, 1 covered by alice");
  EXPECT_EQ(get("alice").balance, 920);
  EXPECT_EQ(get("bob").balance, 1000);
  EXPECT_EQ(get("carol").balance, 980);
  EXPECT_EQ(get("alice").reserved + get("bob").reserved + get("carol").reserved, 0);
  expect_consistent();
}

TEST_F(SplitTest, RatioDeclineWithCancelDiscardsEveryShare) {
  create("ratio:bob=60,carol=40;on-decline=cancel", {60, 40});
  EXPECT_EQ(split().on_decline, OnDecline::kCancel);
  SPLIT_ASSERT_OK(store_->approve(share_of("carol"), "carol", now_));
  EXPECT_EQ(get("carol").available(), 960);
  auto declined = store_->decline(share_of("bob"), "bob", now_);
  ASSERT_TRUE(declined.ok()) << declined.status().to_string();
  EXPECT_EQ(declined->state, SplitState::kCancelled);
  EXPECT_EQ(declined->shares[0].state, ShareState::kDeclined);
  EXPECT_EQ(declined->shares[1].state, ShareState::kDiscarded);
  EXPECT_EQ(get("carol").available(), 1000);
  EXPECT_EQ(get("carol").balance, 1000);
  EXPECT_EQ(journal_entries(path(), std::string("void:split:") + kJob + ":carol"), 1);
  EXPECT_TRUE(store_->releasable(kJob, "alice")->empty());
  expect_consistent();
}

TEST_F(SplitTest, SiteRuleCancelAppliesUnlessTheRequestSaysOtherwise) {
  NewSplit split = new_split("ratio:bob=50,carol=50", {50, 50});
  split.site_on_decline = OnDecline::kCancel;
  auto created = store_->create_split(split, payer_has_account(*ledger_), now_);
  ASSERT_TRUE(created.ok());
  EXPECT_EQ(created->on_decline, OnDecline::kCancel);
  NewSplit covers = new_split("ratio:bob=50,carol=50;on-decline=owner-covers", {50, 50},
                              "pullprintd/other");
  covers.site_on_decline = OnDecline::kCancel;
  EXPECT_EQ(store_->create_split(covers, payer_has_account(*ledger_), now_)->on_decline,
            OnDecline::kOwnerCovers);
}

TEST_F(SplitTest, AnOwnerWhoCannotCoverCancelsTheSplit) {
  ASSERT_TRUE(ledger_->adjust("alice", -995, "drain:alice", "admin", "").ok());
  create("ratio:bob=50,carol=50", {50, 50});
  SPLIT_ASSERT_OK(store_->approve(share_of("carol"), "carol", now_));
  auto declined = store_->decline(share_of("bob"), "bob", now_);
  ASSERT_TRUE(declined.ok()) << declined.status().to_string();
  EXPECT_EQ(declined->state, SplitState::kCancelled);
  ASSERT_EQ(declined->shares.size(), 3u);
  EXPECT_EQ(declined->shares[2].state, ShareState::kDiscarded);  // the cover that failed
  EXPECT_FALSE(declined->shares[2].reservation_id);
  EXPECT_EQ(get("carol").available(), 1000);
  EXPECT_EQ(get("alice").available(), 5);
  expect_consistent();
}

TEST_F(SplitTest, ExpiryCatchesUpAfterARestart) {
  create("copies:bob=2,carol=1,dave=1", {20, 10, 10});
  SPLIT_ASSERT_OK(store_->approve(share_of("bob"), "bob", now_));
  SPLIT_ASSERT_OK(store_->decline(share_of("dave"), "dave", now_));
  EXPECT_TRUE(store_->expire_due(now_ + hours(47))->empty());

  // pullprintd was down when the deadline passed: a new store on the same file catches up.
  store_.reset();
  auto reopened = open_sqlite_split_store(path(), *ledger_);
  ASSERT_TRUE(reopened.ok());
  store_ = std::move(reopened).value();
  SplitClock later = now_ + hours(72);
  SPLIT_EXPECT_CODE(store_->approve(share_of("carol"), "carol", later), Code::kConflict);
  auto expired = store_->expire_due(later);
  ASSERT_TRUE(expired.ok()) << expired.status().to_string();
  ASSERT_EQ(expired->size(), 1u);
  EXPECT_EQ((*expired)[0].expired, (std::vector<std::int64_t>{share_of("carol")}));
  const Split& after = (*expired)[0].split;
  EXPECT_EQ(after.state, SplitState::kOpen);  // bob's part still prints
  EXPECT_EQ(after.shares[0].state, ShareState::kApproved);
  EXPECT_EQ(after.shares[1].state, ShareState::kExpired);
  EXPECT_EQ(after.shares[1].decided_at, "2027-01-18T08:00:00Z");
  EXPECT_EQ(after.shares[2].state, ShareState::kDeclined);
  EXPECT_TRUE(store_->expire_due(later)->empty());  // once
  SPLIT_EXPECT_CODE(store_->approve(share_of("carol"), "carol", later), Code::kConflict);

  // bob releases and prints his own part; the split is then finished.
  auto ready = store_->releasable(kJob, "bob");
  ASSERT_EQ(ready->size(), 1u);
  SPLIT_ASSERT_OK(store_->capture_share(ready->front().id, "pullprintd", later));
  EXPECT_EQ(split().state, SplitState::kClosed);
  EXPECT_EQ(get("bob").balance, 980);
  expect_consistent();
}

TEST_F(SplitTest, RatioExpiryOwnerCovers) {
  create("ratio:bob=1/3,carol=2/3", {33, 67});
  SPLIT_ASSERT_OK(store_->approve(share_of("carol"), "carol", now_));
  auto expired = store_->expire_due(now_ + hours(49));
  ASSERT_TRUE(expired.ok()) << expired.status().to_string();
  ASSERT_EQ(expired->size(), 1u);
  const Split& after = (*expired)[0].split;
  EXPECT_EQ(after.state, SplitState::kOpen);
  ASSERT_EQ(after.shares.size(), 3u);
  EXPECT_EQ(after.shares[2].cover_of, "bob");
  EXPECT_EQ(after.shares[2].state, ShareState::kApproved);
  EXPECT_EQ(get("alice").available(), 967);
  EXPECT_EQ(store_->releasable(kJob, "alice")->size(), 2u);
  expect_consistent();
}

TEST_F(SplitTest, CaptureIsIdempotent) {
  create("copies:bob=2,carol=1", {20, 10});
  std::int64_t bob = share_of("bob");
  SPLIT_EXPECT_CODE(store_->capture_share(bob, "pullprintd", now_), Code::kConflict);  // pending
  SPLIT_ASSERT_OK(store_->approve(bob, "bob", now_));
  auto printed = store_->capture_share(bob, "pullprintd", now_);
  ASSERT_TRUE(printed.ok()) << printed.status().to_string();
  EXPECT_EQ(printed->state, ShareState::kPrinted);
  auto again = store_->capture_share(bob, "pullprintd", now_);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->state, ShareState::kPrinted);
  EXPECT_EQ(get("bob").balance, 980);
  EXPECT_EQ(get("bob").reserved, 0);
  EXPECT_EQ(journal_entries(path(), std::string("capture:split:") + kJob + ":bob"), 1);
  SPLIT_EXPECT_CODE(store_->void_share(bob, "pullprintd", now_), Code::kConflict);
  expect_consistent();
}

TEST_F(SplitTest, AnInterruptedCaptureIsFinishedNotVoided) {
  create("copies:bob=2,carol=1", {20, 10});
  auto approved = store_->approve(share_of("bob"), "bob", now_);
  ASSERT_TRUE(approved.ok());
  // The capture went through, then the process died before the share said so.
  ASSERT_TRUE(ledger_->capture(*approved->reservation_id, 20,
                               std::string("capture:split:") + kJob + ":bob", "pullprintd")
                  .ok());
  expect_consistent();  // approved with a captured reservation is a legal in-between
  SPLIT_EXPECT_CODE(store_->void_share(approved->id, "pullprintd", now_), Code::kConflict);
  EXPECT_EQ(share(approved->id).state, ShareState::kPrinted);
  expect_consistent();
}

TEST_F(SplitTest, VoidShareDiscardsAndIsIdempotent) {
  create("pages:bob=1-2,carol=3", {20, 10});
  std::int64_t bob = share_of("bob"), carol = share_of("carol");
  SPLIT_ASSERT_OK(store_->approve(bob, "bob", now_));
  auto voided = store_->void_share(bob, "alice", now_);
  ASSERT_TRUE(voided.ok()) << voided.status().to_string();
  EXPECT_EQ(voided->state, ShareState::kDiscarded);
  EXPECT_EQ(get("bob").available(), 1000);
  auto again = store_->void_share(bob, "alice", now_);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(journal_entries(path(), std::string("void:split:") + kJob + ":bob"), 1);
  SPLIT_ASSERT_OK(store_->void_share(carol, "alice", now_));  // pending: nothing held
  EXPECT_EQ(share(carol).state, ShareState::kDiscarded);
  EXPECT_EQ(split().state, SplitState::kClosed);
  SPLIT_EXPECT_CODE(store_->approve(carol, "carol", now_), Code::kConflict);
  expect_consistent();
}

TEST_F(SplitTest, RatioSharesAreDiscardedOnlyAsAWhole) {
  create("ratio:bob=50,carol=50", {50, 50});
  SPLIT_EXPECT_CODE(store_->void_share(share_of("bob"), "alice", now_), Code::kConflict);
}

TEST_F(SplitTest, CancelSplitByTheOwnerOrAnAdmin) {
  create("method:bob=mono,carol=color", {10, 40});
  SPLIT_ASSERT_OK(store_->approve(share_of("bob"), "bob", now_));
  SPLIT_EXPECT_CODE(store_->cancel_split(kJob, "bob", false, now_), Code::kPermissionDenied);
  auto cancelled = store_->cancel_split(kJob, "alice", false, now_);
  ASSERT_TRUE(cancelled.ok()) << cancelled.status().to_string();
  EXPECT_EQ(cancelled->state, SplitState::kCancelled);
  EXPECT_EQ(cancelled->shares[0].state, ShareState::kDiscarded);
  EXPECT_EQ(cancelled->shares[1].state, ShareState::kDiscarded);
  EXPECT_EQ(get("bob").available(), 1000);
  SPLIT_ASSERT_OK(store_->cancel_split(kJob, "root", true, now_));  // again, by an admin
  EXPECT_TRUE(store_->pending_for("carol", now_)->empty());
  SPLIT_EXPECT_CODE(store_->cancel_split("pullprintd/none", "alice", false, now_), Code::kNotFound);
  expect_consistent();
}

TEST_F(SplitTest, AClosedSplitCannotBeCancelled) {
  create("copies:bob=1", {10});
  SPLIT_ASSERT_OK(store_->approve(share_of("bob"), "bob", now_));
  SPLIT_ASSERT_OK(store_->capture_share(share_of("bob"), "pullprintd", now_));
  SPLIT_EXPECT_CODE(store_->cancel_split(kJob, "alice", false, now_), Code::kConflict);
}

TEST_F(SplitTest, APayerSeesOnlyTheirOwnRequests) {
  create("copies:bob=2,carol=1", {20, 10});
  create("ratio:bob=50,dave=50;deadline=1h", {5, 5}, "pullprintd/second");
  auto bobs = store_->pending_for("bob", now_);
  ASSERT_TRUE(bobs.ok());
  ASSERT_EQ(bobs->size(), 2u);
  EXPECT_EQ((*bobs)[0].job_ref, "pullprintd/second");  // the sooner deadline first
  EXPECT_EQ((*bobs)[1].job_ref, kJob);
  for (const Share& share : *bobs) EXPECT_EQ(share.payer, "bob");
  EXPECT_EQ((*bobs)[1].owner, "alice");
  EXPECT_EQ((*bobs)[1].amount, 20);
  EXPECT_EQ((*bobs)[1].description, "2 copies");
  EXPECT_EQ(store_->pending_for("carol", now_)->size(), 1u);
  EXPECT_TRUE(store_->pending_for("alice", now_)->empty());
  EXPECT_TRUE(store_->pending_for("mallory", now_)->empty());

  SPLIT_ASSERT_OK(store_->approve((*bobs)[1].id, "bob", now_));
  EXPECT_EQ(store_->pending_for("bob", now_)->size(), 1u);
  EXPECT_TRUE(store_->pending_for("bob", now_ + hours(2))->empty());  // the 1 h deadline passed
  EXPECT_EQ(store_->shares_of("bob")->size(), 2u);
  EXPECT_EQ(store_->shares_of("bob")->front().job_ref, "pullprintd/second");  // newest first
}

TEST_F(SplitTest, TheOwnerSeesProgress) {
  create("copies:bob=2,carol=1", {20, 10});
  SPLIT_ASSERT_OK(store_->approve(share_of("bob"), "bob", now_));
  auto seen = store_->progress(kJob, "alice", false);
  ASSERT_TRUE(seen.ok());
  EXPECT_EQ(seen->progress(), "1 of 2 approved, 1 pending");
  SPLIT_EXPECT_CODE(store_->progress(kJob, "bob", false), Code::kPermissionDenied);
  SPLIT_EXPECT_CODE(store_->progress(kJob, "mallory", false), Code::kPermissionDenied);
  SPLIT_ASSERT_OK(store_->progress(kJob, "root", true));
  SPLIT_EXPECT_CODE(store_->progress("pullprintd/none", "alice", false), Code::kNotFound);
}

TEST_F(SplitTest, WhoMayReleaseWhat) {
  create("copies:alice=1,bob=2,carol=1", {10, 20, 10});
  SPLIT_ASSERT_OK(store_->approve(share_of("bob"), "bob", now_));
  SPLIT_ASSERT_OK(store_->approve(share_of("alice"), "alice", now_));
  auto owner = store_->releasable(kJob, "alice");
  ASSERT_EQ(owner->size(), 2u);  // partial release: carol is still pending
  auto bob = store_->releasable(kJob, "bob");
  ASSERT_EQ(bob->size(), 1u);
  EXPECT_EQ(bob->front().payer, "bob");
  EXPECT_TRUE(store_->releasable(kJob, "carol")->empty());
  SPLIT_EXPECT_CODE(store_->releasable(kJob, "mallory"), Code::kPermissionDenied);
}

TEST_F(SplitTest, RemindersBeforeTheDeadline) {
  create("copies:bob=2,carol=1", {20, 10});
  SPLIT_ASSERT_OK(store_->approve(share_of("bob"), "bob", now_));
  EXPECT_TRUE(store_->reminders_due(now_ + hours(41), hours(6))->empty());
  auto due = store_->reminders_due(now_ + hours(43), hours(6));
  ASSERT_TRUE(due.ok());
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ(due->front().payer, "carol");
  SPLIT_ASSERT_OK(store_->mark_reminded(due->front().id, now_ + hours(43)));
  SPLIT_ASSERT_OK(store_->mark_reminded(due->front().id, now_ + hours(44)));  // keeps the first
  EXPECT_EQ(share(due->front().id).reminder_sent_at, "2027-01-17T03:00:00Z");
  EXPECT_TRUE(store_->reminders_due(now_ + hours(44), hours(6))->empty());
  EXPECT_TRUE(store_->reminders_due(now_ + hours(49), hours(6))->empty());  // past: expiry's job
  SPLIT_EXPECT_CODE(store_->mark_reminded(999, now_), Code::kNotFound);
}

TEST_F(SplitTest, AnInterruptedApprovalIsUndoneByADecline) {
  create("copies:bob=2,carol=1", {20, 10});
  // approve() reserved, then died before recording it.
  ASSERT_TRUE(ledger_->reserve("bob", 20, std::string("reserve:split:") + kJob + ":bob",
                               std::string("split:") + kJob + ":bob", "bob")
                  .ok());
  EXPECT_EQ(get("bob").available(), 980);
  SPLIT_ASSERT_OK(store_->decline(share_of("bob"), "bob", now_));
  EXPECT_EQ(get("bob").available(), 1000);
  expect_consistent();
}

TEST_F(SplitTest, AnInterruptedApprovalIsUndoneByExpiry) {
  create("copies:bob=2,carol=1", {20, 10});
  ASSERT_TRUE(ledger_->reserve("bob", 20, std::string("reserve:split:") + kJob + ":bob",
                               std::string("split:") + kJob + ":bob", "bob")
                  .ok());
  auto expired = store_->expire_due(now_ + hours(49));
  ASSERT_TRUE(expired.ok());
  EXPECT_EQ(expired->front().expired.size(), 2u);
  EXPECT_EQ(expired->front().split.state, SplitState::kClosed);
  EXPECT_EQ(get("bob").available(), 1000);
  expect_consistent();
}

TEST_F(SplitTest, AnInterruptedRatioRuleIsFinishedByExpireDue) {
  create("ratio:bob=50,carol=50", {50, 50});
  {
    // decline() recorded the decline, then died before the owner covered it.
    SQLite::Database db(path(), SQLite::OPEN_READWRITE);
    db.exec("UPDATE split_shares SET state = 'declined' WHERE payer = 'bob'");
  }
  auto expired = store_->expire_due(now_);  // nothing expires, the rule is applied
  ASSERT_TRUE(expired.ok()) << expired.status().to_string();
  EXPECT_TRUE(expired->empty());
  Split after = split();
  ASSERT_EQ(after.shares.size(), 3u);
  EXPECT_EQ(after.shares[2].cover_of, "bob");
  EXPECT_EQ(after.shares[2].state, ShareState::kApproved);
  EXPECT_EQ(get("alice").available(), 950);
  expect_consistent();
}

TEST_F(SplitTest, ACancelByAnInterruptedDeclineIsReportedByExpireDue) {
  create("ratio:bob=50,carol=50;on-decline=cancel", {50, 50});
  SPLIT_ASSERT_OK(store_->approve(share_of("carol"), "carol", now_));
  {
    SQLite::Database db(path(), SQLite::OPEN_READWRITE);
    db.exec("UPDATE split_shares SET state = 'declined' WHERE payer = 'bob'");
  }
  auto changes = store_->expire_due(now_);
  ASSERT_TRUE(changes.ok()) << changes.status().to_string();
  ASSERT_EQ(changes->size(), 1u);
  EXPECT_TRUE(changes->front().expired.empty());
  EXPECT_EQ(changes->front().split.state, SplitState::kCancelled);
  EXPECT_EQ(get("carol").available(), 1000);
  EXPECT_TRUE(store_->expire_due(now_)->empty());
  expect_consistent();
}

TEST_F(SplitTest, ApprovalAfterTheDeadlineButBeforeExpiryIsRefused) {
  create("copies:bob=2", {20});
  auto late = store_->approve(share_of("bob"), "bob", now_ + hours(48));
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.status().code(), Code::kConflict);
  EXPECT_NE(late.status().message().find("its deadline passed at 2027-01-17T08:00:00Z"),
            std::string::npos)
      << late.status().message();
  EXPECT_EQ(get("bob").available(), 1000);
}

}  // namespace
}  // namespace pp::test
