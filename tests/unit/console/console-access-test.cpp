// console-access-test.cpp: the console's roles, actions and scopes (console-access.h) and its
// audit log (console-audit.h): operator-may and its errors, implied viewing, scoped admins lose
// the site-wide actions and see only their users and printers, shared accounts are site-wide,
// the audit is append-only and filtered.
#include <gtest/gtest.h>

#include "console/console-access.h"
#include "console/console-audit.h"
#include "site/site.h"
#include "support/temp-dir.h"

namespace pp::test {
namespace {

UserSet users(std::string_view text) {
  Result<UserSet> set = UserSet::parse(text, "test");
  EXPECT_TRUE(set.ok()) << set.status().to_string();
  return set.ok() ? *set : UserSet();
}

Config config_of(const std::string& text) {
  Result<Config> config = Config::parse(text);
  EXPECT_TRUE(config.ok()) << config.status().to_string();
  return config.ok() ? *config : Config();
}

// named_by by login only (no groups here).
ConsolePolicy::IsNamedBy as(const std::string& user) {
  return [user](const UserSet& set) { return set.names(user); };
}

TEST(ConsoleActions, ParsesWordsAndImpliesViewing) {
  Result<std::set<ConsoleAction>> actions = parse_console_actions("topup, release", "operator-may");
  ASSERT_TRUE(actions.ok());
  EXPECT_TRUE(actions->count(ConsoleAction::kTopUp));
  EXPECT_TRUE(actions->count(ConsoleAction::kAccounts));  // implied by topup
  EXPECT_TRUE(actions->count(ConsoleAction::kJobs));      // implied by release
  EXPECT_FALSE(actions->count(ConsoleAction::kReview));
  for (ConsoleAction action : all_console_actions())
    EXPECT_EQ(parse_console_action(console_action_name(action)), action);
}

TEST(ConsoleActions, UnknownWordIsNamed) {
  Result<std::set<ConsoleAction>> actions = parse_console_actions("topup, fly", "operator-may");
  ASSERT_FALSE(actions.ok());
  EXPECT_EQ(actions.status().code(), Code::kInvalidArgument);
  EXPECT_NE(actions.status().message().find("'fly'"), std::string::npos);
}

TEST(ConsolePolicy, RolesAndOperatorMay) {
  Result<ConsolePolicy> policy = ConsolePolicy::from_config(
      config_of("operator-may = topup review\n"), users("dana"), users("carol"));
  ASSERT_TRUE(policy.ok()) << policy.status().to_string();
  ConsoleAccess dana = policy->access_for("dana", as("dana"));
  EXPECT_TRUE(dana.is_admin());
  EXPECT_TRUE(dana.site_wide());
  EXPECT_TRUE(dana.may(ConsoleAction::kLedger));
  ConsoleAccess carol = policy->access_for("carol", as("carol"));
  EXPECT_EQ(carol.role(), ConsoleRole::kOperator);
  EXPECT_TRUE(carol.may(ConsoleAction::kTopUp));
  EXPECT_TRUE(carol.may(ConsoleAction::kReview));
  EXPECT_FALSE(carol.may(ConsoleAction::kCancel));
  EXPECT_FALSE(carol.may(ConsoleAction::kReports));
  EXPECT_EQ(carol.role_label(), "operator");
  ConsoleAccess alice = policy->access_for("alice", as("alice"));
  EXPECT_FALSE(alice.any());
  EXPECT_TRUE(alice.actions().empty());
}

TEST(ConsolePolicy, DefaultOperatorMay) {
  Result<ConsolePolicy> policy =
      ConsolePolicy::from_config(Config(), users("root"), users("carol"));
  ASSERT_TRUE(policy.ok());
  ConsoleAccess carol = policy->access_for("carol", as("carol"));
  for (ConsoleAction action : {ConsoleAction::kTopUp, ConsoleAction::kRelease,
                               ConsoleAction::kCancel, ConsoleAction::kReview})
    EXPECT_TRUE(carol.may(action)) << console_action_name(action);
  EXPECT_FALSE(carol.may(ConsoleAction::kAdjust));
}

TEST(ConsolePolicy, ScopedAdminSeesOnlyItsUsersAndPrinters) {
  Result<ConsolePolicy> policy = ConsolePolicy::from_config(
      config_of("[admin-scope physics]\nadmins = paula\noperators = oscar\n"
                "users = alice, bob\nprinters = Phys_1\n"),
      users("root"), users(""));
  ASSERT_TRUE(policy.ok()) << policy.status().to_string();
  ConsoleAccess paula = policy->access_for("paula", as("paula"));
  EXPECT_TRUE(paula.is_admin());
  EXPECT_FALSE(paula.site_wide());
  EXPECT_EQ(paula.role_label(), "admin of physics");
  EXPECT_TRUE(paula.may(ConsoleAction::kAdjust));
  for (ConsoleAction action : kSiteWideActions)
    EXPECT_FALSE(paula.may(action)) << console_action_name(action);
  EXPECT_TRUE(paula.covers_printer("Phys_1"));
  EXPECT_FALSE(paula.covers_printer("Lab_A"));

  TempDir dir;
  Result<Config> site_config = Config::parse("state-dir = " + dir.path() + "\n");
  ASSERT_TRUE(site_config.ok());
  Result<Site> site = Site::open(*site_config);
  ASSERT_TRUE(site.ok()) << site.status().to_string();
  Result<bool> alice = paula.covers_user("alice", site->people());
  ASSERT_TRUE(alice.ok());
  EXPECT_TRUE(*alice);
  Result<bool> carl = paula.covers_user("carl", site->people());
  ASSERT_TRUE(carl.ok());
  EXPECT_FALSE(*carl);
  Account shared;
  shared.name = "physics-dept";
  shared.type = AccountType::kShared;
  Result<bool> covered = paula.covers_account(shared, site->people());
  ASSERT_TRUE(covered.ok());
  EXPECT_FALSE(*covered);

  ConsoleAccess oscar = policy->access_for("oscar", as("oscar"));
  EXPECT_EQ(oscar.role(), ConsoleRole::kOperator);
  EXPECT_EQ(oscar.role_label(), "operator of physics");
  EXPECT_TRUE(oscar.may(ConsoleAction::kTopUp));
}

TEST(ConsolePolicy, ScopeNeedsUsersAndKnownKeys) {
  EXPECT_FALSE(ConsolePolicy::from_config(config_of("[admin-scope x]\nadmins = a\n"), users("root"),
                                          users(""))
                   .ok());
  Result<ConsolePolicy> typo = ConsolePolicy::from_config(
      config_of("[admin-scope x]\nadmins = a\nusers = b\nprinter = P\n"), users("root"), users(""));
  ASSERT_FALSE(typo.ok());
  EXPECT_NE(typo.status().message().find("'printer'"), std::string::npos);
}

TEST(ConsoleAudit, RecordsAndFilters) {
  TempDir dir;
  Result<Config> config = Config::parse("state-dir = " + dir.path() + "\n");
  ASSERT_TRUE(config.ok());
  Result<Site> site = Site::open(*config);
  ASSERT_TRUE(site.ok()) << site.status().to_string();
  Result<std::unique_ptr<AuditLog>> log = open_audit_log(*config);
  ASSERT_TRUE(log.ok()) << log.status().to_string();
  Result<ConsolePolicy> policy =
      ConsolePolicy::from_config(Config(), users("dana"), users("carol"));
  ASSERT_TRUE(policy.ok());
  const ConsoleAccess carol = policy->access_for("carol", as("carol"));
  const ConsoleAccess dana = policy->access_for("dana", as("dana"));
  ASSERT_TRUE(record_console_change(**log, carol, ConsoleAction::kTopUp, "account alice",
                                    "EUR 5.00, receipt R-1")
                  .is_ok());
  ASSERT_TRUE(record_console_change(**log, dana, ConsoleAction::kCancel, "job 7", "").is_ok());
  Result<std::vector<AuditRecord>> all = (*log)->list({});
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].actor, "dana");  // newest first
  EXPECT_EQ((*all)[1].role, "operator");
  EXPECT_EQ((*all)[1].action, "topup");
  EXPECT_EQ((*all)[1].detail, "EUR 5.00, receipt R-1");
  AuditFilter by_carol;
  by_carol.actor = "carol";
  Result<std::vector<AuditRecord>> carols = (*log)->list(by_carol);
  ASSERT_TRUE(carols.ok());
  ASSERT_EQ(carols->size(), 1u);
  EXPECT_EQ((*carols)[0].subject, "account alice");
}

}  // namespace
}  // namespace pp::test
