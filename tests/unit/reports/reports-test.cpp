// reports-test.cpp: the console's reports (lib/reports/): the sums by each `by`, periods (day,
// week, month buckets, empty ones kept), split jobs (pages once per job, money per paying
// account), refunds (charged, refunded, net), a scope, CSV quoting, the PDF, the monthly mail
// once per address; and the SQLite store against a real ledger: a report's net equals the
// journal's captures minus refunds, pages from the delivery rows.
#include <gtest/gtest.h>

#include <sstream>

#include "delivery/delivery.h"
#include "ledger/job-ref.h"
#include "notify/notify.h"
#include "reports/report-mail.h"
#include "reports/report-output.h"
#include "reports/report-store.h"
#include "site/site.h"
#include "support/temp-dir.h"
#include "unit/ledger/ledger-fixture.h"  // PP_ASSERT_OK

namespace pp::test {
namespace {

ReportCharge charge(std::string job, std::string owner, std::string account, std::string printer,
                    std::int64_t amount, std::int64_t pages, std::int64_t color,
                    bool duplex = false, std::string at = "2026-11-03T10:00:00.000Z") {
  ReportCharge c;
  c.at = std::move(at);
  c.amount = amount;
  c.job = std::move(job);
  c.owner = std::move(owner);
  c.account = std::move(account);
  c.printer = std::move(printer);
  c.pages = pages;
  c.color_pages = color;
  c.sheets = duplex ? (pages + 1) / 2 : pages;
  c.duplex = duplex;
  return c;
}

ReportCharge refund_of(ReportCharge c, std::int64_t amount, std::string at) {
  c.refund = true;
  c.amount = amount;
  c.at = std::move(at);
  return c;
}

ReportQuery query(ReportBy by, ReportPeriod period = ReportPeriod::kDay) {
  ReportQuery q;
  q.by = by;
  q.from = "2026-11-01";
  q.to = "2026-11-30";
  q.period = period;
  return q;
}

// alice prints 10 pages (4 colour) on Lab_A and 4 duplex pages on Lab_B; bob prints a 6-page job
// on Lab_A split between his account and the shared account "physics" (two captures); alice's
// first job is refunded 30 on the 20th.
std::vector<ReportCharge> november() {
  std::vector<ReportCharge> charges = {
      charge("j1", "alice", "alice", "Lab_A", 100, 10, 4),
      charge("j2", "alice", "alice", "Lab_B", 40, 4, 0, true, "2026-11-10T09:00:00.000Z"),
      charge("j3", "bob", "bob", "Lab_A", 36, 6, 0, false, "2026-11-10T11:00:00.000Z"),
      charge("j3", "bob", "physics", "Lab_A", 24, 6, 0, false, "2026-11-10T11:00:00.000Z"),
  };
  charges[3].shared_account = true;
  charges[2].split_share = charges[3].split_share = true;
  charges.push_back(refund_of(charges[0], 30, "2026-11-20T08:00:00.000Z"));
  return charges;
}

Report build(const ReportQuery& q, const std::vector<ReportCharge>& charges,
             ReportGroups groups = {}, ReportScope scope = {}) {
  ReportBuilder builder(q, std::move(groups), std::move(scope));
  for (const ReportCharge& c : charges) builder.add(c);
  return builder.finish();
}

const ReportRow& row(const Report& report, const std::string& key) {
  for (const ReportRow& r : report.rows)
    if (r.key == key) return r;
  static const ReportRow none;
  ADD_FAILURE() << "no row " << key;
  return none;
}

TEST(ReportBuilder, ByUserCountsPagesOncePerJobAndMoneyFromTheEntries) {
  Report report = build(query(ReportBy::kUser), november());
  ASSERT_EQ(report.rows.size(), 2u);
  const ReportRow& alice = row(report, "alice");
  EXPECT_EQ(alice.jobs, 2);
  EXPECT_EQ(alice.pages, 14);
  EXPECT_EQ(alice.color_pages, 4);
  EXPECT_EQ(alice.duplex_pages, 4);
  EXPECT_EQ(alice.sheets, 12);
  EXPECT_EQ(alice.charged, 140);
  EXPECT_EQ(alice.refunded, 30);
  EXPECT_EQ(alice.net(), 110);
  EXPECT_EQ(alice.color_share(), "28.6");
  const ReportRow& bob = row(report, "bob");
  EXPECT_EQ(bob.jobs, 1);      // the split job once
  EXPECT_EQ(bob.pages, 6);     // its pages once
  EXPECT_EQ(bob.charged, 60);  // both shares: the job's owner's row
  EXPECT_EQ(report.totals.jobs, 3);
  EXPECT_EQ(report.totals.pages, 20);
  EXPECT_EQ(report.totals.charged, 200);
  EXPECT_EQ(report.totals.refunded, 30);
  EXPECT_EQ(report.totals.net(), 170);
}

TEST(ReportBuilder, ByAccountSplitsMoneyPerPayingAccount) {
  Report report = build(query(ReportBy::kAccount), november());
  ASSERT_EQ(report.rows.size(), 3u);
  EXPECT_EQ(row(report, "bob").charged, 36);
  EXPECT_EQ(row(report, "physics").charged, 24);
  EXPECT_EQ(row(report, "physics").jobs, 1);  // the split job in each paying account's row
  EXPECT_EQ(row(report, "alice").net(), 110);
  EXPECT_EQ(report.totals.jobs, 3);  // but once in the totals
  EXPECT_EQ(report.totals.pages, 20);
  std::int64_t net = 0;
  for (const ReportRow& r : report.rows) net += r.net();
  EXPECT_EQ(net, report.totals.net());
}

TEST(ReportBuilder, ByPrinter) {
  Report report = build(query(ReportBy::kPrinter), november());
  ASSERT_EQ(report.rows.size(), 2u);
  EXPECT_EQ(row(report, "Lab_A").jobs, 2);
  EXPECT_EQ(row(report, "Lab_A").pages, 16);
  EXPECT_EQ(row(report, "Lab_A").net(), 130);
  EXPECT_EQ(row(report, "Lab_B").duplex_share(), "100.0");
}

TEST(ReportBuilder, ByGroupCountsAUserInTwoGroupsInBoth) {
  ReportGroups groups{{"alice", {"physics", "staff"}}};
  Report report = build(query(ReportBy::kGroup), november(), groups);
  ASSERT_EQ(report.rows.size(), 3u);
  EXPECT_EQ(row(report, "physics").pages, 14);
  EXPECT_EQ(row(report, "staff").pages, 14);
  EXPECT_EQ(row(report, "(no group)").pages, 6);
  EXPECT_EQ(report.totals.pages, 20);  // each job once
  EXPECT_EQ(report.by_group.size(), 3u);
}

TEST(ReportBuilder, PeriodsKeepEveryBucket) {
  Report days = build(query(ReportBy::kUser, ReportPeriod::kDay), november());
  ASSERT_EQ(days.by_period.size(), 30u);
  EXPECT_EQ(days.by_period[2].key, "2026-11-03");
  EXPECT_EQ(days.by_period[2].charged, 100);
  EXPECT_EQ(days.by_period[9].charged, 100);  // the 10th: 40 + 36 + 24
  EXPECT_EQ(days.by_period[19].refunded, 30);
  EXPECT_EQ(days.by_period[0].jobs, 0);
  Report weeks = build(query(ReportBy::kUser, ReportPeriod::kWeek), november());
  ASSERT_EQ(weeks.by_period.size(), 6u);  // Mondays 10-26 .. 11-30
  EXPECT_EQ(weeks.by_period[0].key, "2026-10-26");
  EXPECT_EQ(weeks.by_period[1].key, "2026-11-02");
  EXPECT_EQ(weeks.by_period[1].charged, 100);
  Report months = build(query(ReportBy::kUser, ReportPeriod::kMonth), november());
  ASSERT_EQ(months.by_period.size(), 1u);
  EXPECT_EQ(months.by_period[0].key, "2026-11");
  EXPECT_EQ(months.by_period[0].net(), 170);
}

TEST(ReportBuilder, AScopeKeepsItsUsersOnItsPrintersOnPersonalAccounts) {
  ReportScope scope;
  scope.covers_user = [](const std::string& user) { return user == "bob"; };
  scope.covers_printer = [](const std::string& printer) { return printer == "Lab_A"; };
  scope.personal_accounts_only = true;
  Report report = build(query(ReportBy::kAccount), november(), {}, scope);
  ASSERT_EQ(report.rows.size(), 1u);
  EXPECT_EQ(report.rows[0].key, "bob");
  EXPECT_EQ(report.totals.charged, 36);
  EXPECT_EQ(report.entries, 5);
}

TEST(ReportDates, ParseBucketsAndChecks) {
  EXPECT_EQ(parse_report_date("1970-01-01"), 0);
  EXPECT_FALSE(parse_report_date("2026-02-30"));
  EXPECT_FALSE(parse_report_date("2026-2-3"));
  EXPECT_EQ(report_date(*parse_report_date("2028-02-29")), "2028-02-29");
  EXPECT_EQ(report_bucket("2026-12-06T23:59:59.999Z", ReportPeriod::kWeek), "2026-11-30");
  EXPECT_EQ(report_bucket("2026-11-30T00:00:00.000Z", ReportPeriod::kWeek), "2026-11-30");
  ReportQuery bad = query(ReportBy::kUser);
  bad.to = "2026-10-01";
  PP_EXPECT_CODE(check_report_query(bad), Code::kInvalidArgument);
  bad.to = "2026-13-01";
  PP_EXPECT_CODE(check_report_query(bad), Code::kInvalidArgument);
  EXPECT_EQ(report_time_range(query(ReportBy::kUser)).second, "2026-12-01T00:00:00");
  Result<ReportQuery> february = month_report_query("2028-02", ReportBy::kUser);
  ASSERT_TRUE(february.ok());
  EXPECT_EQ(february->to, "2028-02-29");
  PP_EXPECT_CODE(month_report_query("2028-2", ReportBy::kUser).status(), Code::kInvalidArgument);
  EXPECT_EQ(previous_report_month(*parse_iso_utc("2027-01-01T00:05:00Z")), "2026-12");
}

TEST(ReportCsv, StableColumnsAndFormulaSafeKeys) {
  std::vector<ReportCharge> charges = {charge("j1", "=HYPERLINK(1)", "x", "Lab, \"A\"", 150, 3, 1)};
  Report report = build(query(ReportBy::kPrinter), charges);
  EXPECT_EQ(report_csv_header(),
            "by,key,jobs,pages,color_pages,color_share,duplex_pages,duplex_share,sheets,charged,"
            "refunded,net,currency,from,to\r\n");
  EXPECT_EQ(report_csv(report, "EUR"),
            "printer,\"Lab, \"\"A\"\"\",1,3,1,33.3,0,0.0,3,1.50,0.00,1.50,EUR,2026-11-01,"
            "2026-11-30\r\nprinter,Total,1,3,1,33.3,0,0.0,3,1.50,0.00,1.50,EUR,2026-11-01,"
            "2026-11-30\r\n");
  Report by_user = build(query(ReportBy::kUser), charges);
  EXPECT_NE(report_csv(by_user, "EUR").find("user,'=HYPERLINK(1),"), std::string::npos);
}

TEST(ReportOutput, PdfAndChartAreMadeAndEscaped) {
  Report report = build(query(ReportBy::kUser), november());
  Result<std::string> pdf = report_pdf(report, "Print report by user", "EUR");
  ASSERT_TRUE(pdf.ok()) << pdf.status().to_string();
  EXPECT_EQ(pdf->rfind("%PDF-", 0), 0u);
  EXPECT_NE(pdf->find("%%EOF"), std::string::npos);
  const std::string svg =
      report_chart_svg("chart-x", "<b>", {{"a&b", 5, "EUR 0.05"}, {"c", 0, ""}});
  EXPECT_NE(svg.find("id=\"chart-x\""), std::string::npos);
  EXPECT_NE(svg.find("&lt;b&gt;"), std::string::npos);
  EXPECT_NE(svg.find("a&amp;b"), std::string::npos);
  EXPECT_EQ(svg.find("<b>"), std::string::npos);
  EXPECT_EQ(svg.find("<script"), std::string::npos);
}

// A real ledger file: jobs reserved, released with their facts, captured, one refunded.
class ReportStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<Config> config = Config::parse("state-dir = " + dir_.path() + "\n");
    ASSERT_TRUE(config.ok()) << config.status().to_string();
    config_ = *config;
    Result<Site> site = Site::open(config_);
    ASSERT_TRUE(site.ok()) << site.status().to_string();
    site_.emplace(std::move(*site));
    for (const char* user : {"alice", "bob"})
      PP_ASSERT_OK(site_->ledger().ensure_personal_account(user, 5000));
    Result<std::unique_ptr<ReportStore>> store = open_report_store(config_);
    ASSERT_TRUE(store.ok()) << store.status().to_string();
    store_ = std::move(*store);
  }

  // A job of `owner` printed on `printer` for `price`; returns its reservation id.
  std::int64_t print(const std::string& owner, const std::string& printer, std::int64_t price,
                     JobFacts facts) {
    const JobRef ref = JobRef::held("urn:uuid:job-" + std::to_string(++made_));
    Result<Reservation> reservation =
        site_->ledger().reserve(owner, price, ref.reserve_key(), ref.str(), "test");
    EXPECT_TRUE(reservation.ok()) << reservation.status().to_string();
    ReleaseOrder order{ref.str(), reservation->id, owner, "doc", printer,
                       "ipp://x", price,           "EUR", owner};
    EXPECT_TRUE(site_->deliveries().release(order, facts).ok());
    EXPECT_TRUE(site_->ledger().capture(reservation->id, price, ref.capture_key(), "backend").ok());
    return reservation->id;
  }

  ReportQuery today(ReportBy by) {
    ReportQuery q;
    q.by = by;
    q.to = report_date(std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now())
                           .time_since_epoch()
                           .count());
    q.from = q.to;
    return q;
  }

  TempDir dir_;
  Config config_;
  std::optional<Site> site_;
  std::unique_ptr<ReportStore> store_;
  int made_ = 0;
};

TEST_F(ReportStoreTest, TotalsAreTheJournalsCapturesMinusRefunds) {
  const std::int64_t first = print("alice", "Lab_A", 120, {10, 4, 10, false});
  print("bob", "Lab_B", 45, {6, 0, 3, true});
  PP_ASSERT_OK(site_->ledger().refund(first, 20, "refund-request:test", "dana", "jam"));
  Result<Report> report = run_report(*store_, today(ReportBy::kUser));
  ASSERT_TRUE(report.ok()) << report.status().to_string();
  EXPECT_EQ(report->totals.charged, 165);
  EXPECT_EQ(report->totals.refunded, 20);
  EXPECT_EQ(report->totals.net(), 145);
  EXPECT_EQ(report->totals.pages, 16);
  EXPECT_EQ(report->totals.color_pages, 4);
  EXPECT_EQ(report->totals.duplex_pages, 6);
  EXPECT_EQ(report->totals.sheets, 13);
  EXPECT_EQ(row(*report, "alice").net(), 100);
  Result<Report> printers = run_report(*store_, today(ReportBy::kPrinter));
  ASSERT_TRUE(printers.ok());
  EXPECT_EQ(row(*printers, "Lab_B").charged, 45);
  // Another day: nothing.
  ReportQuery yesterday = today(ReportBy::kUser);
  yesterday.from = yesterday.to = report_date(*parse_report_date(yesterday.to) - 1);
  Result<Report> none = run_report(*store_, yesterday);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->totals.charged, 0);
  EXPECT_TRUE(none->rows.empty());
}

TEST_F(ReportStoreTest, GroupsComeFromThePeopleStore) {
  PP_ASSERT_OK(site_->people().create_group("physics", ""));
  PP_ASSERT_OK(site_->people().add_member("physics", "alice"));
  print("alice", "Lab_A", 10, {1, 0, 1, false});
  Result<Report> report = run_report(*store_, today(ReportBy::kGroup));
  ASSERT_TRUE(report.ok()) << report.status().to_string();
  ASSERT_EQ(report->rows.size(), 1u);
  EXPECT_EQ(report->rows[0].key, "physics");
}

TEST_F(ReportStoreTest, TheMonthlyMailGoesOncePerAddress) {
  const std::string log = dir_.file("sent.log");
  const std::string script = dir_.file("notify.sh");
  write_file(script, "#!/bin/sh\n{ echo \"== $1\"; cat; } >> '" + log + "'\n");
  Result<std::unique_ptr<NotifyStore>> notices = open_notify_store(config_);
  ASSERT_TRUE(notices.ok());
  NotifySettings settings;
  settings.command = "/bin/sh " + script;
  Notifier notifier(settings, **notices, nullptr);
  const std::vector<std::string> to = {"boss@example.org", "dana@example.org"};
  const auto at = *parse_iso_utc("2027-01-01T00:10:00Z");
  Result<int> first = mail_month_report(*store_, notifier, to, "2026-12", "EUR", at);
  ASSERT_TRUE(first.ok()) << first.status().to_string();
  EXPECT_EQ(*first, 2);
  Result<int> again = mail_month_report(*store_, notifier, to, "2026-12", "EUR", at);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0);
  const std::string sent = read_file(log);
  EXPECT_NE(sent.find("== boss@example.org"), std::string::npos);
  EXPECT_NE(sent.find("Subject: Print report 2026-12"), std::string::npos);
  EXPECT_NE(sent.find("2026-12-01 to 2026-12-31"), std::string::npos);
  std::size_t mails = 0;
  for (std::size_t at_ = sent.find("== "); at_ != std::string::npos;
       at_ = sent.find("== ", at_ + 1))
    ++mails;
  EXPECT_EQ(mails, 2u);
  Result<std::vector<Notice>> boss = (*notices)->list("boss@example.org", 10);
  ASSERT_TRUE(boss.ok());
  ASSERT_EQ(boss->size(), 1u);
  EXPECT_EQ(boss->at(0).kind, NoticeKind::kReport);
  EXPECT_EQ(boss->at(0).subject, "2026-12:boss@example.org");
  EXPECT_EQ(boss->at(0).state, NoticeState::kSent);
}

TEST(ReportMail, Recipients) {
  Result<Config> config = Config::parse("report-mail-to = a@example.org, b@example.org\n");
  ASSERT_TRUE(config.ok());
  Result<std::vector<std::string>> to = report_mail_recipients(*config);
  ASSERT_TRUE(to.ok());
  EXPECT_EQ(*to, (std::vector<std::string>{"a@example.org", "b@example.org"}));
  Result<Config> bad = Config::parse("report-mail-to = nobody\n");
  ASSERT_TRUE(bad.ok());
  PP_EXPECT_CODE(report_mail_recipients(*bad).status(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace pp::test
