// charging-test.cpp: quote_document, resolve_payer, reserve_job and money input, end to end over a
// real ledger file and generated PDFs.
#include <gtest/gtest.h>

#include "charging/money-input.h"
#include "charging/payer.h"
#include "charging/quote.h"
#include "site/site.h"
#include "support/pdf-builder.h"
#include "support/temp-dir.h"

namespace pp {
namespace {

// A 3-page A4 PDF whose second page paints red, and a config with a throwaway state dir.
class ChargingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    test::PdfBuilder pdf;
    pdf.add_page("0 g 10 10 100 100 re f");
    pdf.add_page("1 0 0 rg 10 10 100 100 re f");
    pdf.add_page("0.5 g 10 10 100 100 re f");
    pdf_path_ = dir_.file("three.pdf");
    pdf.write(pdf_path_);
    Result<Config> config = Config::parse("state-dir = " + dir_.path() +
                                          "\ninitial-balance = 100\n"
                                          "[price default]\nmono-impression = 10\n"
                                          "color-impression = 50\n");
    ASSERT_TRUE(config.ok()) << config.status().to_string();
    config_ = *config;
    Result<Site> site = Site::open(config_, SiteStores{});
    ASSERT_TRUE(site.ok()) << site.status().to_string();
    site_.emplace(std::move(*site));
    ledger_ = &site_->ledger();
  }

  Quote quote(const std::map<std::string, std::string>& options = {}) {
    Result<Quote> result = quote_document(pdf_path_, options, "Lab", config_);
    EXPECT_TRUE(result.ok()) << result.status().to_string();
    return result.ok() ? *result : Quote{};
  }

  test::TempDir dir_;
  std::string pdf_path_;
  Config config_;
  std::optional<Site> site_;
  Ledger* ledger_ = nullptr;  // site_'s
};

TEST_F(ChargingTest, QuotePricesPerPageColour) {
  Quote q = quote();
  EXPECT_EQ(q.document.page_count(), 3);
  EXPECT_EQ(q.document.color_page_count(), 1);
  EXPECT_EQ(q.price.minor, 2 * 10 + 50);
  EXPECT_EQ(describe_quote(q), "3 pages (1 colour), 3 impressions, EUR 0.70");
}

TEST_F(ChargingTest, QuoteAppliesJobOptions) {
  Quote q = quote({{"copies", "2"}, {"page-ranges", "2-3"}});
  EXPECT_EQ(q.impressions.impressions(), 4);
  EXPECT_EQ(q.price.minor, 2 * (10 + 50));
}

TEST_F(ChargingTest, QuoteRejectsBadOptionAndBadDocument) {
  EXPECT_FALSE(quote_document(pdf_path_, {{"copies", "zero"}}, "Lab", config_).ok());
  test::write_file(dir_.file("bad.pdf"), "%PDF-1.4\nnot really\n");
  Result<Quote> bad = quote_document(dir_.file("bad.pdf"), {}, "Lab", config_);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), Code::kMalformedDocument);
}

TEST_F(ChargingTest, PersonalAccountCreatedOnFirstJobWithInitialBalance) {
  Result<Account> payer = resolve_payer(*ledger_, config_, "alice", std::nullopt);
  ASSERT_TRUE(payer.ok()) << payer.status().to_string();
  EXPECT_EQ(payer->name, "alice");
  EXPECT_EQ(payer->balance, 100);
  // The second job finds the same account; the initial balance is not given twice.
  Result<Account> again = resolve_payer(*ledger_, config_, "alice", std::nullopt);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->balance, 100);
}

TEST_F(ChargingTest, SharedAccountOnlyForMembers) {
  ASSERT_TRUE(ledger_->create_account({"physics", AccountType::kShared, "", 0, false}).ok());
  ASSERT_TRUE(ledger_->add_member("physics", "alice").is_ok());
  Result<Account> alice = resolve_payer(*ledger_, config_, "alice", std::string("physics"));
  ASSERT_TRUE(alice.ok()) << alice.status().to_string();
  EXPECT_EQ(alice->name, "physics");
  Result<Account> bob = resolve_payer(*ledger_, config_, "bob", std::string("physics"));
  ASSERT_FALSE(bob.ok());
  EXPECT_EQ(bob.status().code(), Code::kPermissionDenied);
  EXPECT_EQ(bob.status().message(), "user bob may not charge account physics");
}

TEST_F(ChargingTest, ReserveIsOncePerJobAndRefusesWhatCannotBePaid) {
  Quote q = quote();  // 70 cents; alice starts with 100
  Account alice = *resolve_payer(*ledger_, config_, "alice", std::nullopt);
  Result<Reservation> first = reserve_job(*ledger_, alice, q, "cups/h/Lab/1", "test");
  ASSERT_TRUE(first.ok()) << first.status().to_string();
  Result<Reservation> repeat = reserve_job(*ledger_, alice, q, "cups/h/Lab/1", "test");
  ASSERT_TRUE(repeat.ok());
  EXPECT_EQ(repeat->id, first->id);
  EXPECT_EQ(ledger_->get_account("alice")->reserved, 70);

  alice = *ledger_->get_account("alice");  // 30 cents available now
  Result<Reservation> second = reserve_job(*ledger_, alice, q, "cups/h/Lab/2", "test");
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), Code::kInsufficientFunds);
  EXPECT_EQ(describe_refusal(second.status(), alice, q),
            "account alice has EUR 0.30 available, the job costs EUR 0.70");
  EXPECT_TRUE(ledger_->check()->ok());
}

TEST(MoneyInput, ParsesExactly) {
  EXPECT_EQ(*parse_money("12", "EUR"), 1200);
  EXPECT_EQ(*parse_money("12.5", "EUR"), 1250);
  EXPECT_EQ(*parse_money("0.07", "EUR"), 7);
  EXPECT_EQ(*parse_money("-3.20", "EUR"), -320);
  EXPECT_EQ(*parse_money("+1", "EUR"), 100);
  EXPECT_EQ(*parse_money("500", "JPY"), 500);
  EXPECT_EQ(*parse_money("1.005", "BHD"), 1005);
  for (const char* bad : {"", "-", "1.005", "1,00", "abc", "1.2.3", "99999999999999999999"})
    EXPECT_FALSE(parse_money(bad, "EUR").ok()) << bad;
  EXPECT_FALSE(parse_money("5.5", "JPY").ok());
}

TEST(MoneyInput, RandomKeysDiffer) {
  std::string a = random_key("topup"), b = random_key("topup");
  EXPECT_EQ(a.rfind("topup:", 0), 0u);
  EXPECT_EQ(a.size(), 6u + 32u);
  EXPECT_NE(a, b);
}

}  // namespace
}  // namespace pp
