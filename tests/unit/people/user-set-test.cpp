// user-set-test.cpp: "alice, @students, *": parsing, membership through the people store, and
// expansion to the users an allocation pays.
#include "people/user-set.h"

#include <gtest/gtest.h>

#include "people-fixture.h"

namespace pp::test {
namespace {

TEST(UserSetParse, UsersGroupsAndEverybody) {
  Result<UserSet> set = UserSet::parse(" bob,alice  @staff, @students,alice ", "admins");
  PP_ASSERT_OK(set);
  EXPECT_EQ(set->users(), (std::vector<std::string>{"alice", "bob"}));
  EXPECT_EQ(set->groups(), (std::vector<std::string>{"staff", "students"}));
  EXPECT_FALSE(set->everybody());
  EXPECT_EQ(set->to_string(), "alice, bob, @staff, @students");
  EXPECT_TRUE(set->names("alice"));
  EXPECT_FALSE(set->names("carol"));

  Result<UserSet> all = UserSet::parse("*", "allowed-users");
  PP_ASSERT_OK(all);
  EXPECT_TRUE(all->everybody());
  EXPECT_TRUE(all->names("anyone"));
  EXPECT_TRUE(UserSet::parse("", "operators").value().empty());
}

TEST(UserSetParse, RefusesBadGroupsNamingTheList) {
  Result<UserSet> empty_group = UserSet::parse("alice, @", "printer.a.color-users");
  ASSERT_FALSE(empty_group.ok());
  EXPECT_EQ(empty_group.status().code(), Code::kInvalidArgument);
  EXPECT_NE(empty_group.status().message().find("printer.a.color-users"), std::string::npos);
  EXPECT_FALSE(UserSet::parse("@a/b", "admins").ok());
  EXPECT_FALSE(UserSet::parse("al\x01ice", "admins").ok());
}

TEST_F(PeopleTest, UserSetAsksThePeopleStoreAboutGroups) {
  PP_ASSERT_OK(people_->create_group("staff", ""));
  PP_ASSERT_OK(people_->add_member("staff", "carol"));
  Result<UserSet> set = UserSet::parse("alice, @staff, @empty-or-unknown", "admins");
  PP_ASSERT_OK(set);
  EXPECT_TRUE(set->contains("alice", *people_).value());
  EXPECT_TRUE(set->contains("carol", *people_).value());
  EXPECT_FALSE(set->contains("dave", *people_).value());
}

TEST_F(PeopleTest, ExpandGivesEachUserOnceWithTheEarliestJoin) {
  PP_ASSERT_OK(people_->create_group("a", ""));
  PP_ASSERT_OK(people_->create_group("b", ""));
  PP_ASSERT_OK(people_->add_member("b", "carol"));
  now_ += 100;
  PP_ASSERT_OK(people_->add_member("a", "carol"));
  PP_ASSERT_OK(people_->add_member("a", "dave"));

  Result<std::vector<Membership>> users =
      UserSet::parse("@a, @b, erin", "allocation.x.group").value().expand(*people_);
  PP_ASSERT_OK(users);
  ASSERT_EQ(users->size(), 3u);
  EXPECT_EQ((*users)[0].user, "carol");
  EXPECT_EQ((*users)[0].since, 1'700'000'000);  // from b, the earlier join
  EXPECT_EQ((*users)[1].user, "dave");
  EXPECT_EQ((*users)[1].since, 1'700'000'100);
  EXPECT_EQ((*users)[2].user, "erin");
  EXPECT_EQ((*users)[2].since, 0);

  PP_EXPECT_CODE(UserSet::parse("@nope", "x").value().expand(*people_), Code::kNotFound);
  PP_EXPECT_CODE(UserSet::parse("*", "x").value().expand(*people_), Code::kInvalidArgument);
}

}  // namespace
}  // namespace pp::test
