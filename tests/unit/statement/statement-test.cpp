// statement-test.cpp: a user's account statement: what each entry is to them, the jobs joined in,
// pages that meet exactly, nobody else's entries, the shared accounts they may charge, CSV.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "ledger/job-ref.h"
#include "site/site.h"
#include "statement/statement.h"
#include "support/status-assert.h"
#include "support/temp-dir.h"

namespace pp::test {
namespace {

constexpr const char* kUuidA = "urn:uuid:11111111-2222-4333-8444-555555555555";
constexpr const char* kUuidB = "urn:uuid:66666666-7777-4888-9999-aaaaaaaaaaaa";

class StatementTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<Config> config =
        Config::parse("state-dir = " + dir_.path() + "\ninitial-balance = 100\n");
    ASSERT_TRUE(config.ok()) << config.status().to_string();
    config_ = *config;
    Result<Site> site = Site::open(config_);
    ASSERT_TRUE(site.ok()) << site.status().to_string();
    site_.emplace(std::move(*site));
    write_file(dir_.file("doc.pdf"), "%PDF-1.4 not really\n");
  }

  Ledger& ledger() { return site_->ledger(); }

  // A held job of `owner` in the job store, as hold_job leaves it (then printed on Lab_A).
  HeldJob add_job(const char* uuid, const std::string& owner, const std::string& title) {
    NewHeldJob job;
    job.uuid = uuid;
    job.owner = owner;
    job.payer = owner;
    job.title = title;
    job.format = "application/pdf";
    job.pages = 3;
    job.color_pages = 1;
    job.currency = "EUR";
    Result<HeldJob> added = site_->jobs().add(job, dir_.file("doc.pdf"));
    EXPECT_TRUE(added.ok()) << added.status().to_string();
    ReleaseNote note;
    note.printer = "Lab_A";
    note.released_by = owner;
    EXPECT_TRUE(site_->jobs().record_release(added->id, note).is_ok());
    return *added;
  }

  // Reserves and captures `price` on `account` for the job reference `ref`.
  void charge(const std::string& account, const JobRef& ref, std::int64_t price) {
    Result<Reservation> held = ledger().reserve(account, price, ref.reserve_key(), ref.str(), "t");
    ASSERT_TRUE(held.ok()) << held.status().to_string();
    ASSERT_TRUE(ledger().capture(held->id, price, ref.capture_key(), "t").ok());
  }

  TempDir dir_;
  Config config_;
  std::optional<Site> site_;
};

TEST_F(StatementTest, EachKindWithItsJob) {
  PP_ASSERT_OK(ledger().ensure_personal_account("alice", 100));
  PP_ASSERT_OK(ledger().ensure_personal_account("bob", 100));
  PP_ASSERT_OK(ledger().top_up("alice", 500, "top-1", "desk", "cash"));
  const HeldJob own = add_job(kUuidA, "alice", "thesis, \"final\"");
  charge("alice", JobRef::held(own.uuid), 40);
  const HeldJob bobs = add_job(kUuidB, "bob", "poster");
  charge("alice", JobRef::split_part(JobRef::held(bobs.uuid), "alice"), 25);
  Result<Reservation> printed =
      ledger().find_reservation_by_key(JobRef::held(own.uuid).reserve_key()).value().value();
  PP_ASSERT_OK(ledger().refund(printed->id, 10, "refund:1", "desk", "jam"));
  // A job held and cancelled moves no money: neither its reserve nor its void shows.
  Result<Reservation> cancelled = ledger().reserve("alice", 30, "reserve:x", "pullprintd/x", "t");
  PP_ASSERT_OK(cancelled);
  PP_ASSERT_OK(ledger().void_reservation(cancelled->id, "void:x", "t", "cancelled"));

  Result<StatementPage> page = statement_page(*site_, "alice", 0);
  PP_ASSERT_OK(page);
  EXPECT_FALSE(page->older_before);
  ASSERT_EQ(page->rows.size(), 5u);
  const StatementRow& refund = page->rows[0];
  EXPECT_EQ(refund.kind, StatementKind::kRefund);
  EXPECT_EQ(refund.amount, 10);
  ASSERT_TRUE(refund.job);
  EXPECT_EQ(refund.job->title, "thesis, \"final\"");
  EXPECT_FALSE(refund.refundable());
  const StatementRow& share = page->rows[1];
  EXPECT_EQ(share.kind, StatementKind::kShare);
  EXPECT_EQ(share.amount, -25);
  ASSERT_TRUE(share.job);
  EXPECT_EQ(share.job->owner, "bob");
  EXPECT_EQ(share.job->title, "poster");
  const StatementRow& print = page->rows[2];
  EXPECT_EQ(print.kind, StatementKind::kPrint);
  EXPECT_EQ(print.amount, -40);
  ASSERT_TRUE(print.job);
  EXPECT_EQ(print.job->held_job_id, own.id);
  EXPECT_EQ(print.job->pages, 3);
  EXPECT_EQ(print.job->color_pages, 1);
  EXPECT_EQ(print.job->printer, "Lab_A");
  EXPECT_TRUE(print.refundable());
  EXPECT_EQ(page->rows[3].kind, StatementKind::kTopUp);
  EXPECT_EQ(page->rows[3].note, "cash");
  EXPECT_EQ(page->rows[4].kind, StatementKind::kAllocation);  // the initial balance
  EXPECT_EQ(page->rows[4].allocated, 100);

  // bob's statement has none of alice's rows: only his initial balance.
  Result<StatementPage> his = statement_page(*site_, "bob", 0);
  PP_ASSERT_OK(his);
  ASSERT_EQ(his->rows.size(), 1u);
  EXPECT_EQ(his->rows[0].kind, StatementKind::kAllocation);
}

TEST_F(StatementTest, PagesMeetExactlyAndTheLastHasNoOlderLink) {
  PP_ASSERT_OK(ledger().ensure_personal_account("alice", 0));
  for (int i = 1; i <= 6; ++i)
    PP_ASSERT_OK(ledger().top_up("alice", i, "top-" + std::to_string(i), "desk", ""));
  std::vector<std::int64_t> seen;
  std::int64_t before = 0;
  int pages = 0;
  while (true) {
    Result<StatementPage> page = statement_page(*site_, "alice", before, 3);
    PP_ASSERT_OK(page);
    ++pages;
    for (const StatementRow& row : page->rows) seen.push_back(row.amount);
    if (!page->older_before) break;
    before = *page->older_before;
  }
  EXPECT_EQ(pages, 2);  // 6 rows in pages of 3: no empty third page
  EXPECT_EQ(seen, (std::vector<std::int64_t>{6, 5, 4, 3, 2, 1}));
  // for_each_statement_page walks the same pages.
  std::vector<std::int64_t> walked;
  PP_ASSERT_OK(for_each_statement_page(*site_, "alice", 4, [&](const StatementPage& page) {
    for (const StatementRow& row : page.rows) walked.push_back(row.amount);
    return Status::ok();
  }));
  EXPECT_EQ(walked, seen);
  PP_EXPECT_CODE(statement_page(*site_, "alice", 0, 0), Code::kInvalidArgument);
}

TEST_F(StatementTest, UnknownUserHasAnEmptyStatement) {
  Result<StatementPage> page = statement_page(*site_, "nobody", 0);
  PP_ASSERT_OK(page);
  EXPECT_TRUE(page->rows.empty());
  EXPECT_FALSE(page->older_before);
}

TEST_F(StatementTest, ExpiredAllocationIsAnAllocationAndAdjustmentIsNot) {
  PP_ASSERT_OK(ledger().ensure_personal_account("alice", 0));
  Ledger::AllocationChange grant{Ledger::AllocationChange::Rule::kAdd, 300, std::nullopt};
  PP_ASSERT_OK(ledger().allocate("alice", grant, "grant", "pullprint", "term grant"));
  Ledger::AllocationChange expire{Ledger::AllocationChange::Rule::kExpire, 300, std::nullopt};
  PP_ASSERT_OK(ledger().allocate("alice", expire, "expire", "pullprint", "term over"));
  PP_ASSERT_OK(ledger().adjust("alice", -5, "fix", "admin", "correction"));
  Result<StatementPage> page = statement_page(*site_, "alice", 0);
  PP_ASSERT_OK(page);
  ASSERT_EQ(page->rows.size(), 3u);
  EXPECT_EQ(page->rows[0].kind, StatementKind::kAdjustment);
  EXPECT_EQ(page->rows[1].kind, StatementKind::kAllocation);
  EXPECT_EQ(page->rows[1].amount, -300);
  EXPECT_EQ(page->rows[2].kind, StatementKind::kAllocation);
}

TEST_F(StatementTest, SummarySeparatesOriginsAndListsChargeableAccounts) {
  PP_ASSERT_OK(ledger().ensure_personal_account("alice", 100));      // allocated
  PP_ASSERT_OK(ledger().top_up("alice", 250, "top-1", "desk", ""));  // self-paid
  for (const char* name : {"physics", "chemistry", "art"}) {
    NewAccount spec;
    spec.name = name;
    spec.type = AccountType::kShared;
    PP_ASSERT_OK(ledger().create_account(spec));
  }
  PP_ASSERT_OK(ledger().add_member("physics", "alice"));
  PP_ASSERT_OK(ledger().add_member("chemistry", "@chem"));
  PP_ASSERT_OK(ledger().add_member("art", "@artists"));
  PP_ASSERT_OK(site_->people().create_group("chem", ""));
  PP_ASSERT_OK(site_->people().create_group("artists", ""));
  PP_ASSERT_OK(site_->people().add_member("chem", "alice"));
  PP_ASSERT_OK(site_->people().add_member("artists", "bob"));
  Result<AccountSummary> summary = account_summary(*site_, config_, "alice");
  PP_ASSERT_OK(summary);
  EXPECT_EQ(summary->personal.balance, 350);
  EXPECT_EQ(summary->personal.allocated, 100);
  EXPECT_EQ(summary->personal.self_paid(), 250);
  ASSERT_EQ(summary->shared.size(), 2u);
  EXPECT_EQ(summary->shared[0].name, "chemistry");  // through @chem
  EXPECT_EQ(summary->shared[1].name, "physics");    // by name; not art (@artists: bob only)
  // A first visit creates the personal account with the initial balance, as a first job does.
  Result<AccountSummary> carol = account_summary(*site_, config_, "carol");
  PP_ASSERT_OK(carol);
  EXPECT_EQ(carol->personal.balance, 100);
  EXPECT_TRUE(carol->shared.empty());
}

TEST_F(StatementTest, CsvQuotesAndNeutralisesFormulas) {
  EXPECT_EQ(csv_field("plain"), "plain");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
  StatementRow row;
  row.entry_id = 7;
  row.created_at = "2026-01-31T12:00:00.000Z";
  row.kind = StatementKind::kPrint;
  row.amount = -1234;
  row.allocated = -1000;
  StatementJob job;
  job.held_job_id = 3;
  job.owner = "alice";
  job.title = "=HYPERLINK(\"x\"), really";
  job.pages = 2;
  job.color_pages = 1;
  job.printer = "Lab_A";
  row.job = job;
  EXPECT_EQ(statement_csv_line(row, "EUR"),
            "7,2026-01-31T12:00:00.000Z,print,-12.34,-10.00,-2.34,EUR,3,"
            "\"'=HYPERLINK(\"\"x\"\"), really\",2,1,Lab_A,alice,\r\n");
  row.job.reset();
  row.kind = StatementKind::kTopUp;
  row.amount = 5;
  row.allocated = 0;
  row.note = "-desk";
  EXPECT_EQ(statement_csv_line(row, "JPY"),
            "7,2026-01-31T12:00:00.000Z,top-up,5,0,5,JPY,,,,,,,'-desk\r\n");
  EXPECT_EQ(statement_csv_header().substr(0, 17), "entry,date,kind,a");
}

}  // namespace
}  // namespace pp::test
