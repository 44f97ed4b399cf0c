// journal-page-test.cpp: Ledger::journal_page (the console's journal: filters by account, kind,
// day, actor and job reference; keyset pages newest first that meet exactly).
#include <gtest/gtest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include "ledger/ledger.h"
#include "unit/ledger/ledger-fixture.h"

namespace pp::test {
namespace {

using JournalPageTest = LedgerTest;

std::vector<std::int64_t> ids(const std::vector<HistoryEntry>& page) {
  std::vector<std::int64_t> out;
  for (const HistoryEntry& row : page) out.push_back(row.entry.id);
  return out;
}

TEST_F(JournalPageTest, PagesOfTheWholeJournalMeetExactly) {
  make_account("alice");
  make_account("bob");
  std::vector<std::int64_t> written;
  for (int i = 1; i <= 5; ++i)
    written.push_back(
        ledger_->top_up(i % 2 ? "alice" : "bob", i, "t" + std::to_string(i), "desk", "")->id);
  JournalFilter filter;
  filter.limit = 2;
  auto first = ledger_->journal_page(filter);
  PP_ASSERT_OK(first);
  EXPECT_EQ(ids(*first), (std::vector<std::int64_t>{written[4], written[3]}));
  filter.before_id = first->back().entry.id;
  auto second = ledger_->journal_page(filter);
  PP_ASSERT_OK(second);
  EXPECT_EQ(ids(*second), (std::vector<std::int64_t>{written[2], written[1]}));
  filter.before_id = second->back().entry.id;
  auto last = ledger_->journal_page(filter);
  PP_ASSERT_OK(last);
  EXPECT_EQ(ids(*last), (std::vector<std::int64_t>{written[0]}));
  filter.before_id = written[0];
  EXPECT_TRUE(ledger_->journal_page(filter)->empty());
}

TEST_F(JournalPageTest, FiltersCombine) {
  make_account("alice");
  make_account("bob");
  PP_ASSERT_OK(ledger_->top_up("alice", 500, "top-a", "dana", "cash"));
  PP_ASSERT_OK(ledger_->top_up("bob", 300, "top-b", "carol", "cash"));
  auto held = ledger_->reserve("alice", 40, "reserve:pullprintd/x", "pullprintd/x", "pullprintd");
  PP_ASSERT_OK(held);
  PP_ASSERT_OK(ledger_->capture(held->id, 30, "capture:pullprintd/x", "backend"));
  PP_ASSERT_OK(ledger_->adjust("alice", -5, "adj-a", "dana", "fix"));

  JournalFilter by_account;
  by_account.account = "alice";
  auto alice = ledger_->journal_page(by_account);
  PP_ASSERT_OK(alice);
  EXPECT_EQ(alice->size(), 4u);  // top-up, reserve, capture, adjustment

  JournalFilter top_ups;
  top_ups.kind = EntryKind::kTopUp;
  auto all_top_ups = ledger_->journal_page(top_ups);
  PP_ASSERT_OK(all_top_ups);
  ASSERT_EQ(all_top_ups->size(), 2u);
  EXPECT_EQ(all_top_ups->front().entry.account, "bob");

  JournalFilter alice_top_ups = top_ups;
  alice_top_ups.account = "alice";
  auto one = ledger_->journal_page(alice_top_ups);
  PP_ASSERT_OK(one);
  ASSERT_EQ(one->size(), 1u);
  EXPECT_EQ(one->front().entry.amount, 500);

  JournalFilter by_actor;
  by_actor.actor = "dana";
  auto dana = ledger_->journal_page(by_actor);
  PP_ASSERT_OK(dana);
  ASSERT_EQ(dana->size(), 2u);
  EXPECT_EQ(dana->front().entry.kind, EntryKind::kAdjustment);

  JournalFilter by_job;
  by_job.job_ref = "pullprintd/x";
  auto job = ledger_->journal_page(by_job);
  PP_ASSERT_OK(job);
  ASSERT_EQ(job->size(), 2u);  // capture, reserve
  EXPECT_EQ(job->front().entry.kind, EntryKind::kCapture);
  EXPECT_EQ(job->front().job_ref, "pullprintd/x");

  JournalFilter nobody;
  nobody.account = "nobody";
  auto none = ledger_->journal_page(nobody);
  PP_ASSERT_OK(none);
  EXPECT_TRUE(none->empty());
}

TEST_F(JournalPageTest, DaysAreInclusiveAndChecked) {
  make_account("alice");
  PP_ASSERT_OK(ledger_->top_up("alice", 100, "old", "desk", ""));
  PP_ASSERT_OK(ledger_->top_up("alice", 200, "new", "desk", ""));
  {
    // Back-date the first entry: the journal refuses updates, so rewrite it as it was written.
    SQLite::Database db(path(), SQLite::OPEN_READWRITE);
    db.exec("DROP TRIGGER journal_no_update");
    db.exec("UPDATE journal SET created_at = '2026-01-31T23:59:59Z' WHERE idempotency_key = 'old'");
  }
  JournalFilter day;
  day.from = "2026-01-31";
  day.to = "2026-01-31";
  auto that_day = ledger_->journal_page(day);
  PP_ASSERT_OK(that_day);
  ASSERT_EQ(that_day->size(), 1u);
  EXPECT_EQ(that_day->front().entry.amount, 100);

  JournalFilter later;
  later.from = "2026-02-01";
  auto after = ledger_->journal_page(later);
  PP_ASSERT_OK(after);
  ASSERT_EQ(after->size(), 1u);
  EXPECT_EQ(after->front().entry.amount, 200);

  JournalFilter bad;
  bad.from = "2026-02-30";
  PP_EXPECT_CODE(ledger_->journal_page(bad), Code::kInvalidArgument);
  bad.from = "yesterday";
  PP_EXPECT_CODE(ledger_->journal_page(bad), Code::kInvalidArgument);
  JournalFilter huge;
  huge.limit = 5000;
  PP_EXPECT_CODE(ledger_->journal_page(huge), Code::kInvalidArgument);
}

}  // namespace
}  // namespace pp::test
