// history-test.cpp: Ledger::history_page (keyset pages of the money entries, newest first) and
// Ledger::member_candidates (the shared accounts that may admit a user).
#include <gtest/gtest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include "ledger/ledger.h"
#include "unit/ledger/ledger-fixture.h"

namespace pp::test {
namespace {

using HistoryTest = LedgerTest;

// The ids of a page, in its order.
std::vector<std::int64_t> ids(const std::vector<HistoryEntry>& page) {
  std::vector<std::int64_t> out;
  for (const HistoryEntry& row : page) out.push_back(row.entry.id);
  return out;
}

TEST_F(HistoryTest, PagesAreNewestFirstAndMeetExactly) {
  make_account("alice");
  std::vector<std::int64_t> written;
  for (int i = 1; i <= 7; ++i)
    written.push_back(ledger_->top_up("alice", i, "t" + std::to_string(i), "desk", "")->id);
  auto first = ledger_->history_page("alice", 0, 3);
  PP_ASSERT_OK(first);
  EXPECT_EQ(ids(*first), (std::vector<std::int64_t>{written[6], written[5], written[4]}));
  auto second = ledger_->history_page("alice", first->back().entry.id, 3);
  PP_ASSERT_OK(second);
  EXPECT_EQ(ids(*second), (std::vector<std::int64_t>{written[3], written[2], written[1]}));
  auto last = ledger_->history_page("alice", second->back().entry.id, 3);
  PP_ASSERT_OK(last);
  EXPECT_EQ(ids(*last), (std::vector<std::int64_t>{written[0]}));
  auto beyond = ledger_->history_page("alice", last->back().entry.id, 3);
  PP_ASSERT_OK(beyond);
  EXPECT_TRUE(beyond->empty());
  // A page exactly as long as what is left: the next one is empty, not an error.
  auto exact = ledger_->history_page("alice", written[3], 3);
  PP_ASSERT_OK(exact);
  EXPECT_EQ(exact->size(), 3u);
  EXPECT_TRUE(ledger_->history_page("alice", written[0], 3)->empty());
}

TEST_F(HistoryTest, OnlyMoneyEntriesWithTheirJobReference) {
  make_account("alice");
  PP_ASSERT_OK(ledger_->top_up("alice", 500, "top", "desk", "cash"));
  auto printed = ledger_->reserve("alice", 40, "reserve:pullprintd/a", "pullprintd/a", "p");
  PP_ASSERT_OK(printed);
  PP_ASSERT_OK(ledger_->capture(printed->id, 30, "capture:pullprintd/a", "backend"));
  auto cancelled = ledger_->reserve("alice", 20, "reserve:pullprintd/b", "pullprintd/b", "p");
  PP_ASSERT_OK(cancelled);
  PP_ASSERT_OK(ledger_->void_reservation(cancelled->id, "void:pullprintd/b", "p", "cancelled"));
  PP_ASSERT_OK(ledger_->refund(printed->id, 10, "refund:a", "desk", "jam"));
  PP_ASSERT_OK(ledger_->reserve("alice", 15, "reserve:pullprintd/c", "pullprintd/c", "p"));

  auto page = ledger_->history_page("alice", 0, 50);
  PP_ASSERT_OK(page);
  ASSERT_EQ(page->size(), 3u);  // refund, capture, top-up: no reserve, no void
  EXPECT_EQ((*page)[0].entry.kind, EntryKind::kRefund);
  EXPECT_EQ((*page)[0].job_ref, "pullprintd/a");
  EXPECT_EQ((*page)[0].entry.note, "jam");
  EXPECT_EQ((*page)[1].entry.kind, EntryKind::kCapture);
  EXPECT_EQ((*page)[1].entry.amount, -30);
  EXPECT_EQ((*page)[1].job_ref, "pullprintd/a");
  EXPECT_EQ((*page)[2].entry.kind, EntryKind::kTopUp);
  EXPECT_EQ((*page)[2].job_ref, "");
  expect_consistent();
}

TEST_F(HistoryTest, OtherAccountsEntriesNeverAppear) {
  make_account("alice");
  make_account("bob");
  make_account("physics", 0, false, AccountType::kShared);
  PP_ASSERT_OK(ledger_->top_up("bob", 100, "bob-1", "desk", ""));
  PP_ASSERT_OK(ledger_->top_up("alice", 5, "alice-1", "desk", ""));
  PP_ASSERT_OK(ledger_->top_up("physics", 900, "physics-1", "desk", ""));
  PP_ASSERT_OK(ledger_->top_up("bob", 200, "bob-2", "desk", ""));
  auto page = ledger_->history_page("alice", 0, 50);
  PP_ASSERT_OK(page);
  ASSERT_EQ(page->size(), 1u);
  EXPECT_EQ((*page)[0].entry.account, "alice");
  EXPECT_EQ((*page)[0].entry.amount, 5);
  // A before_id taken from another account's entry still gives only alice's older entries.
  auto bobs = ledger_->history_page("bob", 0, 50);
  PP_ASSERT_OK(bobs);
  ASSERT_EQ(bobs->size(), 2u);
  auto mixed = ledger_->history_page("alice", bobs->front().entry.id, 50);
  PP_ASSERT_OK(mixed);
  EXPECT_EQ(ids(*mixed), ids(*page));
}

TEST_F(HistoryTest, RefusesBadLimitsAndUnknownAccounts) {
  make_account("alice");
  PP_EXPECT_CODE(ledger_->history_page("alice", 0, 0), Code::kInvalidArgument);
  PP_EXPECT_CODE(ledger_->history_page("alice", 0, 1001), Code::kInvalidArgument);
  PP_EXPECT_CODE(ledger_->history_page("nobody", 0, 50), Code::kNotFound);
}

TEST_F(HistoryTest, PagesUseThePartialIndex) {
  make_account("alice");
  ledger_.reset();
  SQLite::Database db(path(), SQLite::OPEN_READONLY);
  SQLite::Statement plan(db,
                         "EXPLAIN QUERY PLAN SELECT j.id FROM journal j WHERE j.account_id = 1"
                         " AND j.kind NOT IN ('reserve', 'void') AND j.id < 100"
                         " ORDER BY j.id DESC LIMIT 51");
  std::string text;
  while (plan.executeStep()) text += plan.getColumn(3).getString() + "\n";
  EXPECT_NE(text.find("journal_money_by_account"), std::string::npos) << text;
  EXPECT_EQ(text.find("TEMP B-TREE"), std::string::npos) << text;  // no sort of the whole set
}

TEST_F(HistoryTest, MemberCandidatesNameTheUserOrGroups) {
  make_account("alice");
  make_account("physics", 0, false, AccountType::kShared);
  make_account("chemistry", 0, false, AccountType::kShared);
  make_account("art", 0, false, AccountType::kShared);
  make_account("maths", 0, false, AccountType::kShared);
  PP_ASSERT_OK(ledger_->add_member("physics", "alice"));
  PP_ASSERT_OK(ledger_->add_member("physics", "@lab"));
  PP_ASSERT_OK(ledger_->add_member("chemistry", "@chem"));
  PP_ASSERT_OK(ledger_->add_member("chemistry", "@students"));
  PP_ASSERT_OK(ledger_->add_member("art", "bob"));
  PP_ASSERT_OK(ledger_->add_member("maths", "alicea"));
  auto found = ledger_->member_candidates("alice");
  PP_ASSERT_OK(found);
  ASSERT_EQ(found->size(), 2u);  // chemistry (groups) and physics (by name), by name
  EXPECT_EQ((*found)[0].account.name, "chemistry");
  EXPECT_FALSE((*found)[0].named);
  EXPECT_EQ((*found)[0].groups, (std::vector<std::string>{"@chem", "@students"}));
  EXPECT_EQ((*found)[1].account.name, "physics");
  EXPECT_TRUE((*found)[1].named);
  EXPECT_EQ((*found)[1].groups, (std::vector<std::string>{"@lab"}));
}

}  // namespace
}  // namespace pp::test
