// allocations-test.cpp: allocation rules over simulated months: time moves through
// AllocationRunOptions::at, never by sleeping. Reset and add, cap, catch-up, exactly once, a
// member joining mid-month with and without prorate, combine sum and max, allocated money spent
// first and expiring while self-paid money stays, shared accounts, dry runs.
#include <gtest/gtest.h>

#include <map>

#include "allocations/allocations.h"
#include "support/status-assert.h"
#include "support/temp-dir.h"
#include "unit/ledger/ledger-fixture.h"

namespace pp::test {
namespace {

UtcSeconds at(const std::string& text) {
  auto parsed = parse_utc_time(text, "test time");
  EXPECT_TRUE(parsed.ok()) << parsed.status().to_string();
  return parsed.ok() ? *parsed : UtcSeconds{};
}

class AllocationsTest : public LedgerTest {
 protected:
  // Configures the allocations from configuration text.
  void configure(const std::string& text) {
    auto config = Config::parse(text, "test");
    ASSERT_TRUE(config.ok()) << config.status().to_string();
    auto rules = parse_allocation_rules(*config);
    ASSERT_TRUE(rules.ok()) << rules.status().to_string();
    rules_ = std::move(*rules);
  }

  // Runs the allocations as of `time` and returns what was done.
  AllocationRunReport run(const std::string& time, bool dry_run = false) {
    AllocationRunOptions options;
    options.at = at(time);
    options.dry_run = dry_run;
    GroupMembers members_of = [this](std::string_view group) -> Result<std::vector<GroupMember>> {
      auto found = groups_.find(std::string(group));
      if (found == groups_.end()) return Status(Code::kNotFound, "no group");
      return found->second;
    };
    auto report = run_allocations(*ledger_, rules_, members_of, options);
    EXPECT_TRUE(report.ok()) << report.status().to_string();
    if (!report.ok()) return {};
    for (const std::string& error : report->errors) ADD_FAILURE() << error;
    expect_consistent();
    return std::move(*report);
  }

  std::int64_t allocated(const std::string& name) { return account(name).allocated; }
  std::int64_t self_paid(const std::string& name) { return account(name).self_paid(); }

  void print(const std::string& user, std::int64_t price, const std::string& job) {
    auto held = ledger_->reserve(user, price, "r-" + job, job, "filter");
    ASSERT_TRUE(held.ok()) << held.status().to_string();
    PP_ASSERT_OK(ledger_->capture(held->id, price, "c-" + job, "backend"));
  }

  AllocationRules rules_;
  std::map<std::string, std::vector<GroupMember>> groups_;
};

TEST_F(AllocationsTest, ResetMonthlyAppliesEachMonthOnce) {
  configure("[allocation students]\nusers = alice\namount = 500\nperiod = monthly\nmode = reset\n");
  auto first = run("2026-01-10");
  ASSERT_EQ(first.actions.size(), 1u);
  EXPECT_EQ(first.actions[0].key.key(), "allocation/students/2026-01-01/alice");
  EXPECT_EQ(allocated("alice"), 500);  // the account was created
  print("alice", 200, "j1");
  EXPECT_TRUE(run("2026-01-20").actions.empty());  // exactly once per period
  EXPECT_TRUE(run("2026-01-31T23:59:59Z").actions.empty());
  auto february = run("2026-02-01");
  ASSERT_EQ(february.actions.size(), 1u);
  EXPECT_EQ(february.actions[0].amount, 200);  // topped up to 500
  EXPECT_EQ(allocated("alice"), 500);
  auto history = ledger_->history("alice", 0);
  PP_ASSERT_OK(history);
  EXPECT_EQ((*history)[0].kind, EntryKind::kAllocation);
  EXPECT_EQ((*history)[0].note, "allocation students for 2026-02-01");
}

TEST_F(AllocationsTest, AddStopsAtTheCap) {
  configure("[allocation club]\nusers = alice\namount = 400\nmode = add\ncap = 1000\n");
  run("2026-01-05");
  run("2026-02-05");
  EXPECT_EQ(allocated("alice"), 800);
  auto march = run("2026-03-05");
  ASSERT_EQ(march.actions.size(), 1u);
  EXPECT_EQ(march.actions[0].amount, 200);
  run("2026-04-05");
  EXPECT_EQ(allocated("alice"), 1000);
}

TEST_F(AllocationsTest, CatchUpAppliesEveryMissedPeriodInOrder) {
  configure("[allocation club]\nusers = alice\namount = 100\nmode = add\n");
  run("2026-01-05");
  auto later = run("2026-04-10");  // down since January
  ASSERT_EQ(later.actions.size(), 3u);
  EXPECT_EQ(later.actions[0].key.period, "2026-02-01");
  EXPECT_EQ(later.actions[1].key.period, "2026-03-01");
  EXPECT_EQ(later.actions[2].key.period, "2026-04-01");
  EXPECT_EQ(allocated("alice"), 400);
  EXPECT_TRUE(run("2026-04-10").actions.empty());
}

TEST_F(AllocationsTest, StartDateCatchesUpFromTheStart) {
  configure(
      "[allocation term]\nusers = alice\namount = 100\nmode = add\nperiod = weekly\n"
      "start = 2026-01-07\n");
  EXPECT_TRUE(run("2026-01-06").actions.empty());  // not started yet
  auto report = run("2026-01-22");                 // weeks of Jan 7, 14 and 21
  ASSERT_EQ(report.actions.size(), 3u);
  EXPECT_EQ(report.actions[0].key.period, "2026-01-07");
  EXPECT_EQ(report.actions[2].key.period, "2026-01-21");
}

TEST_F(AllocationsTest, MemberJoiningMidMonthGetsItThen) {
  configure("[allocation students]\ngroup = students\namount = 3100\n");
  groups_["students"] = {{"alice", std::nullopt}};
  run("2026-01-02");
  groups_["students"].push_back({"bob", at("2026-01-16")});
  auto report = run("2026-01-16T08:00:00Z");
  ASSERT_EQ(report.actions.size(), 1u);
  EXPECT_EQ(report.actions[0].key.account, "bob");
  EXPECT_FALSE(report.actions[0].prorated);
  EXPECT_EQ(allocated("bob"), 3100);
}

TEST_F(AllocationsTest, MemberJoiningMidMonthProRata) {
  configure("[allocation students]\ngroup = students\namount = 3100\nprorate = yes\n");
  groups_["students"] = {{"bob", at("2026-01-16")}};
  EXPECT_TRUE(run("2026-01-15").actions.empty());  // not a member yet
  auto report = run("2026-01-20");
  ASSERT_EQ(report.actions.size(), 1u);
  EXPECT_TRUE(report.actions[0].prorated);
  EXPECT_EQ(allocated("bob"), 1600);  // 16 of January's 31 days
  run("2026-02-01");
  EXPECT_EQ(allocated("bob"), 3100);  // a whole month from February
}

TEST_F(AllocationsTest, CombineSumAndMax) {
  const std::string rules =
      "[allocation a-small]\ngroup = staff\namount = 300\nmode = add\n"
      "[allocation b-large]\ngroup = lab\namount = 500\nmode = add\n";
  groups_["staff"] = {{"alice", std::nullopt}, {"carol", std::nullopt}};
  groups_["lab"] = {{"alice", std::nullopt}};
  configure(rules);
  run("2026-01-05");
  EXPECT_EQ(allocated("alice"), 800);
  EXPECT_EQ(allocated("carol"), 300);

  configure("allocation-combine = max\n" + rules);
  run("2026-02-05");
  EXPECT_EQ(allocated("alice"), 1300);  // only the larger one in February
  EXPECT_EQ(allocated("carol"), 600);
}

TEST_F(AllocationsTest, AllocatedSpentFirstAndExpiresWhileSelfPaidStays) {
  configure(
      "[allocation students]\nusers = alice\namount = 500\nmode = add\n"
      "expires = end-of-period\n");
  PP_ASSERT_OK(ledger_->ensure_personal_account("alice", 0));
  PP_ASSERT_OK(ledger_->top_up("alice", 1000, "t1", "cashier", ""));
  run("2026-01-05");
  print("alice", 300, "j1");
  EXPECT_EQ(allocated("alice"), 200);
  EXPECT_EQ(self_paid("alice"), 1000);
  auto february = run("2026-02-03");
  ASSERT_EQ(february.actions.size(), 2u);
  EXPECT_EQ(february.actions[0].key.step, AllocationStep::kExpiry);
  EXPECT_EQ(february.actions[0].amount, -200);
  EXPECT_EQ(february.actions[1].key.period, "2026-02-01");
  EXPECT_EQ(allocated("alice"), 500);  // January's rest expired, add mode adds 500 to 0
  EXPECT_EQ(self_paid("alice"), 1000);
  print("alice", 700, "j2");  // 500 allocated, 200 self-paid
  EXPECT_EQ(allocated("alice"), 0);
  EXPECT_EQ(self_paid("alice"), 800);
}

TEST_F(AllocationsTest, SharedAccountFundedOncePerPeriod) {
  configure("[allocation physics]\ngroup = physics\namount = 10000\naccount = physics-dept\n");
  groups_["physics"] = {{"alice", std::nullopt}, {"bob", std::nullopt}};
  auto report = run("2026-03-01");
  ASSERT_EQ(report.actions.size(), 1u);
  Account dept = account("physics-dept");
  EXPECT_EQ(dept.type, AccountType::kShared);
  EXPECT_EQ(dept.allocated, 10000);
  PP_EXPECT_CODE(ledger_->get_account("alice"), Code::kNotFound);
}

TEST_F(AllocationsTest, DisabledAccountGetsNothing) {
  configure("[allocation students]\nusers = alice, bob\namount = 500\n");
  PP_ASSERT_OK(ledger_->ensure_personal_account("alice", 0));
  PP_ASSERT_OK(ledger_->set_enabled("alice", false));
  auto report = run("2026-01-05");
  ASSERT_EQ(report.actions.size(), 1u);
  EXPECT_EQ(report.actions[0].key.account, "bob");
  EXPECT_EQ(allocated("alice"), 0);
}

TEST_F(AllocationsTest, DryRunWritesNothing) {
  configure("[allocation students]\nusers = alice\namount = 500\n");
  auto planned = run("2026-01-05", true);
  ASSERT_EQ(planned.actions.size(), 1u);
  EXPECT_EQ(planned.actions[0].amount, 500);
  EXPECT_EQ(planned.actions[0].entry_id, 0);
  PP_EXPECT_CODE(ledger_->get_account("alice"), Code::kNotFound);
  auto done = run("2026-01-05");
  ASSERT_EQ(done.actions.size(), 1u);
  EXPECT_NE(done.actions[0].entry_id, 0);
}

TEST_F(AllocationsTest, UnknownGroupIsReportedAndTheRestApplied) {
  configure(
      "[allocation a]\ngroup = nosuch\namount = 5\n[allocation b]\nusers = bob\namount = 7\n");
  AllocationRunOptions options;
  options.at = at("2026-01-05");
  auto report = run_allocations(
      *ledger_, rules_,
      [](std::string_view) -> Result<std::vector<GroupMember>> {
        return Status(Code::kNotFound, "unknown group");
      },
      options);
  PP_ASSERT_OK(report);
  ASSERT_EQ(report->errors.size(), 1u);
  EXPECT_NE(report->errors[0].find("allocation a"), std::string::npos);
  EXPECT_EQ(allocated("bob"), 7);
}

TEST(AllocationRules, ParsesEveryKeyAndRefusesBadOnes) {
  auto config = Config::parse(
      "allocation-combine = max\n[allocation club]\nusers = alice, bob\namount = 250\n"
      "period = weekly\nstart = 2026-01-05\nmode = add\ncap = 1000\naccount = club\n"
      "expires = end-of-period\nprorate = yes\n",
      "test");
  PP_ASSERT_OK(config);
  auto rules = parse_allocation_rules(*config);
  PP_ASSERT_OK(rules);
  ASSERT_EQ(rules->rules.size(), 1u);
  const AllocationRule& rule = rules->rules[0];
  EXPECT_EQ(rule.users, (std::vector<std::string>{"alice", "bob"}));
  EXPECT_EQ(rule.period, PeriodUnit::kWeekly);
  EXPECT_EQ(rule.cap, 1000);
  EXPECT_EQ(rules->combine, AllocationCombine::kMax);
  for (const char* bad :
       {"[allocation a]\namount = 5\n", "[allocation a]\nusers = x\ngroup = g\namount = 5\n",
        "[allocation a]\nusers = x\namount = 0\n",
        "[allocation a]\nusers = x\namount = 5\ncap = 9\n",
        "[allocation a]\nusers = x\namount = 5\nperiod = hourly\n",
        "[allocation a]\nusers = x\namount = 5\nstart = 2026-01-31\n",
        "[allocation a]\nusers = x\namount = 5\ncolour = red\n",
        "[allocation a+b]\nusers = x\namount = 5\n", "allocation-combine = min\n"}) {
    auto parsed = Config::parse(bad, "test");
    PP_ASSERT_OK(parsed);
    PP_EXPECT_CODE(parse_allocation_rules(*parsed), Code::kInvalidArgument);
  }
}

TEST(AllocationPeriods, CalendarsAndLabels) {
  PeriodCalendar monthly(PeriodUnit::kMonthly,
                         std::chrono::sys_days{std::chrono::year{2026} / std::chrono::March / 15});
  Period period = monthly.containing(at("2026-05-10"));
  EXPECT_EQ(period.label(), "2026-04-15");
  EXPECT_EQ(monthly.at(period.index + 1).label(), "2026-05-15");
  EXPECT_EQ(monthly.from_label("2026-04-15")->index, period.index);
  EXPECT_FALSE(monthly.from_label("2026-04-16"));
  PeriodCalendar weekly(PeriodUnit::kWeekly,
                        std::chrono::sys_days{std::chrono::year{1970} / std::chrono::January / 5});
  EXPECT_EQ(weekly.containing(at("2026-12-05T10:00:00Z")).label(), "2026-11-30");  // a Monday
  PeriodCalendar yearly(PeriodUnit::kYearly, std::chrono::sys_days{std::chrono::year{2020} /
                                                                   std::chrono::September / 1});
  EXPECT_EQ(yearly.containing(at("2026-08-31")).label(), "2025-09-01");
  EXPECT_EQ(yearly.containing(at("1999-01-01")).label(), "1998-09-01");
}

TEST(AllocationKeys, RoundTrip) {
  AllocationKey key{AllocationStep::kExpiry, "students", "2026-01-01", "o'brien/x"};
  EXPECT_EQ(key.key(), "allocation-expiry/students/2026-01-01/o'brien/x");
  auto parsed = AllocationKey::parse(key.key());
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->step, AllocationStep::kExpiry);
  EXPECT_EQ(parsed->account, "o'brien/x");
  EXPECT_FALSE(AllocationKey::parse("allocation/students/2026-01-01/"));
  EXPECT_FALSE(AllocationKey::parse("initial:alice"));
}

}  // namespace
}  // namespace pp::test
