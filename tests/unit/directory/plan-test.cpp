// plan-test.cpp: make_directory_plan() on hand-built states: new people, renames, leavers and
// their grace, nested groups (cycles), the three member styles, conflicts, cards.
#include <gtest/gtest.h>

#include <algorithm>

#include "directory-fixture.h"
#include "directory/directory-plan.h"

namespace pp::test {
namespace {

constexpr std::int64_t kNow = 1'700'000'000;

Person stored_person(const std::string& login, const std::string& id,
                     const std::string& source = "students") {
  Person person;
  person.login = login;
  person.display_name = "User " + login;
  person.email = login + "@test";
  person.department = "physics";
  person.source = source;
  person.source_id = id;
  person.state_since = kNow - 100;
  return person;
}

std::vector<std::string> members_added(const DirectoryPlan& plan, const std::string& group) {
  std::vector<std::string> users;
  for (const MemberWrite& write : plan.members) {
    if (write.add && write.group == group) users.push_back(write.user);
  }
  std::sort(users.begin(), users.end());
  return users;
}

TEST(DirectoryPlan, NewUsersGetAPersonAndAnEmptyAccount) {
  DirectorySnapshot snapshot{{user("1", "alice"), user("2", "bob")}, {}};
  DirectoryPlan plan = make_directory_plan(test_directory(), snapshot, {}, kNow);
  ASSERT_EQ(plan.people.size(), 2u);
  EXPECT_EQ(plan.people[0].kind, PersonWriteKind::kCreate);
  EXPECT_EQ(plan.people[0].person.email, "alice@test");
  ASSERT_EQ(plan.accounts.size(), 2u);
  EXPECT_EQ(plan.accounts[0].kind, AccountWriteKind::kCreate);
  EXPECT_TRUE(plan.conflicts.empty());
}

TEST(DirectoryPlan, ASameStateIsNoChange) {
  DirectoryState state;
  state.people = {stored_person("alice", "1")};
  state.accounts = {{"alice", true, true, "User alice"}};
  DirectoryPlan plan = make_directory_plan(
      test_directory(), DirectorySnapshot{{user("1", "alice")}, {}}, state, kNow);
  EXPECT_EQ(plan.change_count(), 0u) << describe_plan(plan);
}

TEST(DirectoryPlan, ANewLoginForTheSameIdIsARename) {
  DirectoryState state;
  state.people = {stored_person("alice", "1")};
  state.accounts = {{"alice", true, true, "User alice"}};
  DirectoryUser renamed = user("1", "alice.smith");
  renamed.display_name = "User alice";
  DirectoryPlan plan =
      make_directory_plan(test_directory(), DirectorySnapshot{{renamed}, {}}, state, kNow);
  ASSERT_EQ(plan.renames.size(), 1u);
  EXPECT_EQ(plan.renames[0].from, "alice");
  EXPECT_EQ(plan.renames[0].to, "alice.smith");
  for (const AccountWrite& write : plan.accounts)
    EXPECT_NE(write.kind, AccountWriteKind::kCreate) << "a rename keeps the account";
}

TEST(DirectoryPlan, TwoUsersSwappingLoginsAreTwoRenames) {
  DirectoryState state;
  state.people = {stored_person("a", "1"), stored_person("b", "2")};
  state.accounts = {{"a", true, true, ""}, {"b", true, true, ""}};
  DirectoryPlan plan = make_directory_plan(
      test_directory(), DirectorySnapshot{{user("1", "b"), user("2", "a")}, {}}, state, kNow);
  EXPECT_EQ(plan.renames.size(), 2u) << describe_plan(plan);
  EXPECT_TRUE(plan.conflicts.empty()) << describe_plan(plan);
}

TEST(DirectoryPlan, ALeaverIsDisabledThenArchivedAfterTheGrace) {
  DirectoryState state;
  state.people = {stored_person("alice", "1")};
  state.accounts = {{"alice", true, true, "User alice"}};
  DirectoryPlan plan = make_directory_plan(test_directory(), {}, state, kNow);
  ASSERT_EQ(plan.people.size(), 1u);
  EXPECT_EQ(plan.people[0].person.state, PersonState::kDisabled);
  ASSERT_EQ(plan.accounts.size(), 1u);
  EXPECT_EQ(plan.accounts[0].kind, AccountWriteKind::kDisable);

  state.people[0].state = PersonState::kDisabled;
  state.people[0].state_since = kNow;
  state.accounts[0].enabled = false;
  EXPECT_EQ(make_directory_plan(test_directory(), {}, state, kNow + 86399).change_count(), 0u);
  DirectoryPlan later = make_directory_plan(test_directory(), {}, state, kNow + 86400);
  ASSERT_EQ(later.people.size(), 1u);
  EXPECT_EQ(later.people[0].person.state, PersonState::kArchived);
}

TEST(DirectoryPlan, NestedGroupsAreFollowedAndCyclesEnd) {
  DirectorySnapshot snapshot;
  snapshot.users = {user("1", "a"), user("2", "b"), user("3", "c")};
  snapshot.groups = {group("all", {"cn=left,ou=groups,dc=test", dn_of("a")}),
                     group("left", {dn_of("b"), "CN=right, ou=groups, dc=test"}),
                     group("right", {dn_of("c"), "cn=left,ou=groups,dc=test"})};
  DirectoryPlan plan = make_directory_plan(test_directory(), snapshot, {}, kNow);
  EXPECT_EQ(members_added(plan, "all"), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(members_added(plan, "left"), (std::vector<std::string>{"b", "c"}));
  EXPECT_EQ(members_added(plan, "right"), (std::vector<std::string>{"b", "c"}));
}

TEST(DirectoryPlan, UniqueMemberAndMemberUidStyles) {
  DirectorySnapshot snapshot;
  snapshot.users = {user("1", "a"), user("2", "b")};
  snapshot.groups = {group("lab", {dn_of("a") + "#'0101'B", dn_of("b")})};
  DirectoryConfig unique = test_directory();
  unique.member_style = MemberStyle::kUniqueMember;
  EXPECT_EQ(members_added(make_directory_plan(unique, snapshot, {}, kNow), "lab"),
            (std::vector<std::string>{"a", "b"}));

  snapshot.groups = {group("staff", {"a", "nobody"})};
  DirectoryConfig posix = test_directory();
  posix.member_style = MemberStyle::kMemberUid;
  EXPECT_EQ(members_added(make_directory_plan(posix, snapshot, {}, kNow), "staff"),
            (std::vector<std::string>{"a"}));
}

TEST(DirectoryPlan, ALoginOfAnotherDirectoryIsAConflictAndLeftOut) {
  DirectoryState state;
  state.people = {stored_person("alice", "x-1", "staff")};
  state.accounts = {{"alice", true, true, ""}};
  DirectoryPlan plan = make_directory_plan(
      test_directory(), DirectorySnapshot{{user("1", "alice"), user("2", "bob")}, {}}, state, kNow);
  ASSERT_EQ(plan.conflicts.size(), 1u);
  EXPECT_NE(plan.conflicts[0].find("directory staff"), std::string::npos) << plan.conflicts[0];
  ASSERT_EQ(plan.people.size(), 1u);
  EXPECT_EQ(plan.people[0].person.login, "bob");
}

TEST(DirectoryPlan, ALocalPersonOrAnAccountIsTakenOver) {
  DirectoryState state;
  Person local = stored_person("alice", "", "");
  state.people = {local};
  state.accounts = {{"alice", true, true, ""}, {"bob", true, true, ""}};
  DirectoryPlan plan = make_directory_plan(
      test_directory(), DirectorySnapshot{{user("1", "alice"), user("2", "bob")}, {}}, state, kNow);
  EXPECT_TRUE(plan.conflicts.empty());
  ASSERT_EQ(plan.people.size(), 2u);
  EXPECT_EQ(plan.people[0].kind, PersonWriteKind::kAdopt);
  EXPECT_EQ(plan.people[1].kind, PersonWriteKind::kCreate);
  for (const AccountWrite& write : plan.accounts) EXPECT_NE(write.kind, AccountWriteKind::kCreate);
}

TEST(DirectoryPlan, CardsAreNormalisedAddedAndBlockedWhenGone) {
  DirectoryConfig directory = test_directory();
  directory.card_format.input = CardFormat::Base::kHexadecimal;
  DirectoryState state;
  state.people = {stored_person("alice", "1")};
  state.accounts = {{"alice", true, true, "User alice"}};
  state.cards = {{"AA01", "alice", false, "students", false},
                 {"BB02", "alice", false, "", false}};  // added by hand: never blocked by a sync
  DirectoryPlan plan = make_directory_plan(
      directory, DirectorySnapshot{{user("1", "alice", {"cc03", "zz"})}, {}}, state, kNow);
  ASSERT_EQ(plan.cards.size(), 2u) << describe_plan(plan);
  EXPECT_EQ(plan.cards[0].kind, CardWriteKind::kAdd);
  EXPECT_EQ(plan.cards[0].number, "CC03");
  EXPECT_EQ(plan.cards[1].kind, CardWriteKind::kBlock);
  EXPECT_EQ(plan.cards[1].number, "AA01");
  EXPECT_EQ(plan.warnings.size(), 1u) << "the card 'zz' is not hexadecimal";
}

}  // namespace
}  // namespace pp::test
