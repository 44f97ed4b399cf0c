// desk-test.cpp: the print desk's money rules (desk/desk.h): a receipt number credits once (a
// repeat says "already credited"), the same receipt for another amount or account is a
// conflict and moves nothing, receipt numbers are required and checked, an adjustment applies
// once per form nonce and needs a reason, the day's takings, finding accounts within a scope;
// and the desk's refund of a printed job (refunds.h's refund_printed_job) gives it back once.
#include <gtest/gtest.h>

#include <fstream>

#include "console/console-access.h"
#include "desk/desk.h"
#include "ledger/desk-key.h"
#include "ledger/job-ref.h"
#include "refunds/refunds.h"
#include "site/site.h"
#include "support/status-assert.h"
#include "support/temp-dir.h"
#include "util/utc-time.h"

namespace pp::test {
namespace {

class DeskTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<Config> config = Config::parse("state-dir = " + dir_.path() + "\n");
    ASSERT_TRUE(config.ok()) << config.status().to_string();
    Result<Site> site = Site::open(*config);
    ASSERT_TRUE(site.ok()) << site.status().to_string();
    site_.emplace(std::move(*site));
    for (const char* user : {"alice", "bob"})
      ASSERT_TRUE(ledger().ensure_personal_account(user, 0).ok());
    NewAccount shared;
    shared.name = "physics-dept";
    shared.type = AccountType::kShared;
    shared.display_name = "Physics department";
    ASSERT_TRUE(ledger().create_account(shared).ok());
  }

  void TearDown() override {
    Result<LedgerCheck> checked = ledger().check();
    ASSERT_TRUE(checked.ok()) << checked.status().to_string();
    for (const std::string& violation : checked->violations) ADD_FAILURE() << violation;
  }

  Ledger& ledger() { return site_->ledger(); }
  std::int64_t balance(const std::string& name) { return ledger().get_account(name)->balance; }

  TempDir dir_;
  std::optional<Site> site_;
};

TEST_F(DeskTest, SameReceiptCreditsOnce) {
  Result<DeskTopUp> first = desk_top_up(ledger(), "alice", 500, " R-0042 ", "carol");
  ASSERT_TRUE(first.ok()) << first.status().to_string();
  EXPECT_FALSE(first->already_credited);
  EXPECT_EQ(first->entry.idempotency_key, "desk-topup:R-0042");
  EXPECT_EQ(first->entry.actor, "carol");
  Result<DeskTopUp> again = desk_top_up(ledger(), "alice", 500, "R-0042", "carol");
  ASSERT_TRUE(again.ok()) << again.status().to_string();
  EXPECT_TRUE(again->already_credited);
  EXPECT_EQ(again->entry.id, first->entry.id);
  EXPECT_EQ(balance("alice"), 500);
  Result<std::optional<JournalEntry>> found = find_desk_top_up(ledger(), "R-0042");
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->amount, 500);
  // A longer receipt sharing the prefix is another receipt.
  Result<std::optional<JournalEntry>> other = find_desk_top_up(ledger(), "R-004");
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(other->has_value());
}

TEST_F(DeskTest, SameReceiptOtherAmountOrAccountIsAConflict) {
  ASSERT_TRUE(desk_top_up(ledger(), "alice", 500, "R-7", "carol").ok());
  PP_EXPECT_CODE(desk_top_up(ledger(), "alice", 700, "R-7", "carol").status(), Code::kConflict);
  PP_EXPECT_CODE(desk_top_up(ledger(), "bob", 500, "R-7", "carol").status(), Code::kConflict);
  EXPECT_EQ(balance("alice"), 500);
  EXPECT_EQ(balance("bob"), 0);
}

TEST_F(DeskTest, ReceiptNumberIsRequiredAndChecked) {
  PP_EXPECT_CODE(desk_top_up(ledger(), "alice", 500, "  ", "carol").status(),
                 Code::kInvalidArgument);
  PP_EXPECT_CODE(desk_top_up(ledger(), "alice", 500, "R 1", "carol").status(),
                 Code::kInvalidArgument);
  PP_EXPECT_CODE(desk_top_up(ledger(), "alice", 500, std::string(41, '9'), "carol").status(),
                 Code::kInvalidArgument);
  PP_EXPECT_CODE(desk_top_up(ledger(), "alice", 0, "R-1", "carol").status(),
                 Code::kInvalidArgument);
  PP_EXPECT_CODE(desk_top_up(ledger(), "nobody", 100, "R-1", "carol").status(), Code::kNotFound);
  EXPECT_EQ(balance("alice"), 0);
  Result<std::string> parsed = parse_receipt_number("\t2026/A_1.b ");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*parsed, "2026/A_1.b");
}

TEST_F(DeskTest, TakingsOfTheDay) {
  ASSERT_TRUE(desk_top_up(ledger(), "alice", 500, "R-1", "carol").ok());
  ASSERT_TRUE(desk_top_up(ledger(), "bob", 250, "R-2", "carol").ok());
  ASSERT_TRUE(desk_top_up(ledger(), "bob", 250, "R-2", "carol").ok());              // a repeat
  PP_ASSERT_OK(ledger().top_up("alice", 1000, "top-up:cli", "root", "").status());  // not desk
  const std::string today = now_utc().substr(0, 10);
  Result<DeskTakings> takings = desk_takings(ledger(), today);
  ASSERT_TRUE(takings.ok());
  EXPECT_EQ(takings->total, 750);
  EXPECT_EQ(takings->count, 2);
  Result<DeskTakings> other_day = desk_takings(ledger(), "2000-01-01");
  ASSERT_TRUE(other_day.ok());
  EXPECT_EQ(other_day->total, 0);
}

TEST_F(DeskTest, AdjustOncePerFormWithAReason) {
  Result<DeskAdjustment> first =
      desk_adjust(ledger(), "alice", -120, "jammed twice", "n0nce1", "dana");
  ASSERT_TRUE(first.ok()) << first.status().to_string();
  EXPECT_FALSE(first->already_applied);
  EXPECT_EQ(first->entry.note, "jammed twice");
  Result<DeskAdjustment> again =
      desk_adjust(ledger(), "alice", -120, "jammed twice", "n0nce1", "dana");
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->already_applied);
  EXPECT_EQ(balance("alice"), -120);
  PP_EXPECT_CODE(desk_adjust(ledger(), "alice", 300, "x", "n0nce1", "dana").status(),
                 Code::kConflict);
  PP_EXPECT_CODE(desk_adjust(ledger(), "alice", 300, " ", "n0nce2", "dana").status(),
                 Code::kInvalidArgument);
  PP_EXPECT_CODE(desk_adjust(ledger(), "alice", 300, "x", "", "dana").status(),
                 Code::kInvalidArgument);
  PP_EXPECT_CODE(desk_adjust(ledger(), "alice", 300, "x", "no:colon", "dana").status(),
                 Code::kInvalidArgument);
  PP_EXPECT_CODE(desk_adjust(ledger(), "alice", 0, "x", "n0nce3", "dana").status(),
                 Code::kInvalidArgument);
  EXPECT_EQ(balance("alice"), -120);
}

TEST_F(DeskTest, FindAccountsByNameWithinAScope) {
  const Result<UserSet> none = UserSet::parse("", "test");
  ASSERT_TRUE(none.ok());
  const Result<UserSet> root = UserSet::parse("root", "test");
  ASSERT_TRUE(root.ok());
  Result<Config> config =
      Config::parse("[admin-scope physics]\nadmins = paula\nusers = bob\nprinters = *\n");
  ASSERT_TRUE(config.ok());
  Result<ConsolePolicy> policy = ConsolePolicy::from_config(*config, *root, *none);
  ASSERT_TRUE(policy.ok()) << policy.status().to_string();
  auto named = [](const std::string& user) {
    return [user](const UserSet& set) { return set.names(user); };
  };
  const ConsoleAccess admin = policy->access_for("root", named("root"));
  const ConsoleAccess paula = policy->access_for("paula", named("paula"));

  Result<AccountFinding> all = find_accounts(ledger(), site_->people(), admin, "", 0, 10);
  ASSERT_TRUE(all.ok()) << all.status().to_string();
  EXPECT_EQ(all->total, 3);
  ASSERT_EQ(all->accounts.size(), 3u);
  EXPECT_EQ(all->accounts[0].name, "alice");
  Result<AccountFinding> physics =
      find_accounts(ledger(), site_->people(), admin, "PHYSICS", 0, 10);
  ASSERT_TRUE(physics.ok());
  ASSERT_EQ(physics->accounts.size(), 1u);
  EXPECT_EQ(physics->accounts[0].name, "physics-dept");
  Result<AccountFinding> paged = find_accounts(ledger(), site_->people(), admin, "", 1, 1);
  ASSERT_TRUE(paged.ok());
  EXPECT_EQ(paged->total, 3);
  ASSERT_EQ(paged->accounts.size(), 1u);
  EXPECT_EQ(paged->accounts[0].name, "bob");
  Result<AccountFinding> scoped = find_accounts(ledger(), site_->people(), paula, "", 0, 10);
  ASSERT_TRUE(scoped.ok());
  ASSERT_EQ(scoped->accounts.size(), 1u);  // bob only: not alice, not the shared account
  EXPECT_EQ(scoped->accounts[0].name, "bob");
}

TEST_F(DeskTest, DeskRefundOfAPrintedJobOnce) {
  std::ofstream(dir_.file("doc.pdf")) << "%PDF-1.4\n";
  ASSERT_TRUE(desk_top_up(ledger(), "alice", 1000, "R-1", "carol").ok());
  const std::string uuid = "urn:uuid:00000000-0000-4000-8000-000000000001";
  const JobRef ref = JobRef::held(uuid);
  Result<Reservation> reservation =
      ledger().reserve("alice", 300, ref.reserve_key(), ref.str(), "test");
  ASSERT_TRUE(reservation.ok());
  NewHeldJob spec;
  spec.uuid = uuid;
  spec.owner = "alice";
  spec.payer = "alice";
  spec.title = "thesis";
  spec.format = "application/pdf";
  spec.pages = 3;
  spec.price_minor = 300;
  spec.currency = "EUR";
  spec.reservation_id = reservation->id;
  Result<HeldJob> held = site_->jobs().add(spec, dir_.file("doc.pdf"));
  ASSERT_TRUE(held.ok()) << held.status().to_string();
  PP_EXPECT_CODE(
      refund_printed_job(site_->jobs(), ledger(), held->id, "alice", "dana", "").status(),
      Code::kConflict);  // not printed yet
  ASSERT_TRUE(
      site_->jobs().transition(held->id, HeldJobState::kHeld, HeldJobState::kReleasing).is_ok());
  ASSERT_TRUE(
      site_->jobs().transition(held->id, HeldJobState::kReleasing, HeldJobState::kPrinted).is_ok());
  ASSERT_TRUE(ledger().capture(reservation->id, 300, ref.capture_key(), "backend").ok());
  EXPECT_EQ(balance("alice"), 700);
  PP_EXPECT_CODE(refund_printed_job(site_->jobs(), ledger(), held->id, "bob", "dana", "").status(),
                 Code::kPermissionDenied);
  Result<JournalEntry> refunded =
      refund_printed_job(site_->jobs(), ledger(), held->id, "alice", "dana", "jam");
  ASSERT_TRUE(refunded.ok()) << refunded.status().to_string();
  EXPECT_EQ(refunded->actor, "dana");
  ASSERT_TRUE(refund_printed_job(site_->jobs(), ledger(), held->id, "alice", "dana", "jam").ok());
  EXPECT_EQ(balance("alice"), 1000);
}

}  // namespace
}  // namespace pp::test
