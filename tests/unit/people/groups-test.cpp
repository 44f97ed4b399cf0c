// groups-test.cpp: local groups in the people store: create, members with their join time,
// reading both ways, and the refusals.
#include <gtest/gtest.h>

#include "people-fixture.h"

namespace pp::test {
namespace {

TEST_F(PeopleTest, LocalGroupKeepsMembersAndTheTimeTheyJoined) {
  PP_ASSERT_OK(people_->create_group("physics", "Physics department"));
  PP_ASSERT_OK(people_->add_member("physics", "alice"));
  now_ += 3600;
  PP_ASSERT_OK(people_->add_member("physics", "bob"));
  now_ += 3600;
  PP_ASSERT_OK(people_->add_member("physics", "alice"));  // again: keeps her first join

  Result<std::vector<Membership>> members = people_->members_of("physics");
  PP_ASSERT_OK(members);
  ASSERT_EQ(members->size(), 2u);
  EXPECT_EQ((*members)[0].user, "alice");
  EXPECT_EQ((*members)[0].since, 1'700'000'000);
  EXPECT_EQ((*members)[1].user, "bob");
  EXPECT_EQ((*members)[1].since, 1'700'003'600);

  Result<Group> group = people_->get_group("physics");
  PP_ASSERT_OK(group);
  EXPECT_EQ(group->members, 2);
  EXPECT_EQ(group->description, "Physics department");
  EXPECT_EQ(group->source, "");
}

TEST_F(PeopleTest, GroupsOfAUserAndMembership) {
  PP_ASSERT_OK(people_->create_group("staff", ""));
  PP_ASSERT_OK(people_->create_group("physics", ""));
  PP_ASSERT_OK(people_->add_member("staff", "carol"));
  PP_ASSERT_OK(people_->add_member("physics", "carol"));

  Result<std::vector<Membership>> groups = people_->groups_of("carol");
  PP_ASSERT_OK(groups);
  ASSERT_EQ(groups->size(), 2u);
  EXPECT_EQ((*groups)[0].group, "physics");
  EXPECT_EQ((*groups)[1].group, "staff");
  EXPECT_TRUE(people_->is_member("carol", "staff").value());
  EXPECT_FALSE(people_->is_member("dave", "staff").value());
  EXPECT_FALSE(people_->is_member("carol", "no-such-group").value());
  EXPECT_TRUE(people_->groups_of("dave").value().empty());
}

TEST_F(PeopleTest, RemovingAMemberAndAGroup) {
  PP_ASSERT_OK(people_->create_group("lab", ""));
  PP_ASSERT_OK(people_->add_member("lab", "alice"));
  PP_ASSERT_OK(people_->remove_member("lab", "alice"));
  PP_EXPECT_CODE(people_->remove_member("lab", "alice"), Code::kNotFound);
  PP_ASSERT_OK(people_->add_member("lab", "bob"));
  PP_ASSERT_OK(people_->delete_group("lab"));
  PP_EXPECT_CODE(people_->get_group("lab"), Code::kNotFound);
  PP_EXPECT_CODE(people_->members_of("lab"), Code::kNotFound);
  EXPECT_TRUE(people_->groups_of("bob").value().empty());  // memberships went with the group
}

TEST_F(PeopleTest, RefusesBadNamesDuplicatesAndUnknownGroups) {
  PP_EXPECT_CODE(people_->create_group("", ""), Code::kInvalidArgument);
  PP_EXPECT_CODE(people_->create_group("a b", ""), Code::kInvalidArgument);
  PP_EXPECT_CODE(people_->create_group("-x", ""), Code::kInvalidArgument);
  PP_ASSERT_OK(people_->create_group("lab", ""));
  PP_EXPECT_CODE(people_->create_group("lab", ""), Code::kAlreadyExists);
  PP_EXPECT_CODE(people_->add_member("nope", "alice"), Code::kNotFound);
  PP_EXPECT_CODE(people_->add_member("lab", "al ice"), Code::kInvalidArgument);
  PP_EXPECT_CODE(people_->add_member("lab", "@lab"), Code::kInvalidArgument);
  PP_EXPECT_CODE(people_->delete_group("nope"), Code::kNotFound);
}

TEST_F(PeopleTest, NobodyIsKnownUntilADirectorySaysSo) {
  Result<std::optional<Person>> person = people_->find_person("alice");
  PP_ASSERT_OK(person);
  EXPECT_FALSE(person->has_value());
  EXPECT_TRUE(people_->list_people().value().empty());
}

TEST(PersonState, NamesRoundTrip) {
  for (PersonState state : {PersonState::kActive, PersonState::kDisabled, PersonState::kArchived})
    EXPECT_EQ(parse_person_state(person_state_name(state)), state);
  EXPECT_FALSE(parse_person_state("gone").has_value());
}

}  // namespace
}  // namespace pp::test
