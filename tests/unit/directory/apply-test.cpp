// apply-test.cpp: a sync applied to a real ledger file: idempotent, a rename keeps the account
// and its balance, a leaver is disabled and keeps their history, a failure changes nothing,
// the last sync is recorded; the [directory NAME] config and the bind password file.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "cards/cards.h"
#include "directory-fixture.h"
#include "support/config-text.h"

namespace pp::test {
namespace {

DirectorySnapshot school() {
  DirectorySnapshot snapshot;
  snapshot.users = {user("1", "alice", {"1001", "1002"}), user("2", "bob", {"2001"}),
                    user("3", "carol")};
  snapshot.groups = {group("physics", {dn_of("alice"), "cn=lab,ou=groups,dc=test"}),
                     group("lab", {dn_of("bob"), "cn=physics,ou=groups,dc=test"})};
  return snapshot;
}

TEST_F(DirectoryTest, FirstSyncCreatesEverythingAndASecondChangesNothing) {
  Result<DirectoryPlan> first = sync(school());
  PP_ASSERT_OK(first);
  EXPECT_GT(first->change_count(), 0u);
  Result<std::optional<Person>> alice = people_->find_person("alice");
  PP_ASSERT_OK(alice);
  ASSERT_TRUE(alice->has_value());
  EXPECT_EQ((*alice)->email, "alice@test");
  EXPECT_EQ((*alice)->source, "students");
  Result<Account> account = ledger_->get_account("alice");
  PP_ASSERT_OK(account);
  EXPECT_EQ(account->balance, 0);
  Result<std::vector<Membership>> physics = people_->members_of("physics");
  PP_ASSERT_OK(physics);
  EXPECT_EQ(physics->size(), 2u) << "alice, and bob through the nested lab";

  now_ += 3600;
  Result<DirectoryPlan> second = sync(school());
  PP_ASSERT_OK(second);
  EXPECT_EQ(second->change_count(), 0u) << describe_plan(*second);

  Result<std::vector<DirectorySyncRecord>> records = store_->list_syncs();
  PP_ASSERT_OK(records);
  ASSERT_EQ(records->size(), 1u);
  EXPECT_EQ((*records)[0].outcome, "ok");
  EXPECT_EQ((*records)[0].users, 3);
  EXPECT_EQ((*records)[0].cards, 3);
  EXPECT_EQ((*records)[0].last_attempt_at, now_);
}

TEST_F(DirectoryTest, DryRunChangesNothing) {
  Result<DirectoryPlan> plan = sync(school(), /*dry_run=*/true);
  PP_ASSERT_OK(plan);
  EXPECT_GT(plan->change_count(), 0u);
  Result<std::vector<Person>> people = people_->list_people();
  PP_ASSERT_OK(people);
  EXPECT_TRUE(people->empty());
  EXPECT_FALSE(ledger_->get_account("alice").ok());
}

TEST_F(DirectoryTest, ARenameKeepsTheAccountItsBalanceAndHistory) {
  PP_ASSERT_OK(sync(school()));
  PP_ASSERT_OK(ledger_->top_up("alice", 500, "desk-1", "desk", "cash"));
  PP_ASSERT_OK(people_->create_group("chess", ""));
  PP_ASSERT_OK(people_->add_member("chess", "alice"));
  std::int64_t account_id = ledger_->get_account("alice")->id;

  DirectorySnapshot renamed = school();
  renamed.users[0].login = "alice.smith";
  renamed.users[0].dn = dn_of("alice.smith");
  renamed.groups[0].members[0] = dn_of("alice.smith");
  Result<DirectoryPlan> plan = sync(renamed);
  PP_ASSERT_OK(plan);
  ASSERT_EQ(plan->renames.size(), 1u);

  Result<Account> account = ledger_->get_account("alice.smith");
  PP_ASSERT_OK(account);
  EXPECT_EQ(account->id, account_id);
  EXPECT_EQ(account->balance, 500);
  EXPECT_FALSE(ledger_->get_account("alice").ok());
  Result<std::vector<JournalEntry>> history = ledger_->history("alice.smith", 10);
  PP_ASSERT_OK(history);
  EXPECT_EQ(history->size(), 1u);
  EXPECT_TRUE(*people_->is_member("alice.smith", "chess")) << "local groups follow the rename";
  EXPECT_TRUE(*people_->is_member("alice.smith", "physics"));
  EXPECT_FALSE(*people_->is_member("alice", "physics"));
  EXPECT_TRUE(ledger_->check()->ok());
  EXPECT_EQ(sync(renamed)->change_count(), 0u);
}

TEST_F(DirectoryTest, ALeaverIsDisabledWithBalanceKeptAndCardsBlocked) {
  PP_ASSERT_OK(sync(school()));
  PP_ASSERT_OK(ledger_->top_up("bob", 300, "desk-2", "desk", "cash"));
  DirectorySnapshot without_bob = school();
  without_bob.users.erase(without_bob.users.begin() + 1);
  without_bob.users[0].cards = {"1001"};  // alice's second card is gone
  now_ += 60;
  PP_ASSERT_OK(sync(without_bob));

  Result<std::optional<Person>> bob = people_->find_person("bob");
  PP_ASSERT_OK(bob);
  EXPECT_EQ((*bob)->state, PersonState::kDisabled);
  Result<Account> account = ledger_->get_account("bob");
  PP_ASSERT_OK(account);
  EXPECT_FALSE(account->enabled);
  EXPECT_EQ(account->balance, 300);
  EXPECT_FALSE(*people_->is_member("bob", "lab"));

  auto cards = open_sqlite_card_store(dir_.file("ledger.sqlite"), CardPolicy{}, system_unix_seconds,
                                      LedgerMigrations::kAlreadyRun);
  PP_ASSERT_OK(cards);
  EXPECT_EQ((*cards)->get_card("1002")->state, CardState::kBlocked);
  EXPECT_EQ((*cards)->get_card("2001")->state, CardState::kBlocked);
  EXPECT_EQ((*cards)->get_card("1001")->state, CardState::kActive);

  now_ += directory_.leaver_grace;
  PP_ASSERT_OK(sync(without_bob));
  EXPECT_EQ((*people_->find_person("bob"))->state, PersonState::kArchived);

  // Back in the directory: active again, account enabled, card active again.
  PP_ASSERT_OK(sync(school()));
  EXPECT_EQ((*people_->find_person("bob"))->state, PersonState::kActive);
  EXPECT_TRUE(ledger_->get_account("bob")->enabled);
  EXPECT_EQ((*cards)->get_card("2001")->state, CardState::kActive);
}

TEST_F(DirectoryTest, AFailureHalfWayChangesNothing) {
  PP_ASSERT_OK(sync(school()));
  DirectorySnapshot changed = school();
  changed.users.push_back(user("4", "dave"));
  changed.users[0].email = "new@test";
  // The planner's last write cannot be made (a card number longer than the table allows): the
  // person, account and group writes before it must be rolled back.
  Result<DirectoryPlan> applied = store_->apply("students", [&](const DirectoryState& state) {
    DirectoryPlan plan = make_directory_plan(directory_, changed, state, now_);
    plan.cards.push_back({CardWriteKind::kAdd, std::string(80, '9'), "dave"});
    return plan;
  });
  EXPECT_FALSE(applied.ok());
  EXPECT_FALSE(people_->find_person("dave")->has_value());
  EXPECT_FALSE(ledger_->get_account("dave").ok());
  EXPECT_EQ((*people_->find_person("alice"))->email, "alice@test");

  // A directory that cannot be read: nothing changes, the failure is recorded.
  Result<DirectoryPlan> unreachable =
      sync_directory(directory_, *store_, SyncOptions{false, now_ + 5},
                     [](const DirectoryConfig&) -> Result<DirectorySnapshot> {
                       return Status(Code::kIoError, "Can't contact LDAP server");
                     });
  EXPECT_FALSE(unreachable.ok());
  Result<std::vector<DirectorySyncRecord>> records = store_->list_syncs();
  PP_ASSERT_OK(records);
  EXPECT_EQ((*records)[0].outcome, "failed");
  EXPECT_EQ((*records)[0].last_error, "Can't contact LDAP server");
  EXPECT_EQ((*records)[0].last_success_at, now_);
}

TEST_F(DirectoryTest, TwoDirectoriesAndALoginInBoth) {
  PP_ASSERT_OK(sync(school()));
  DirectoryConfig staff = test_directory("staff");
  DirectorySnapshot staff_snapshot{{user("s-1", "alice"), user("s-2", "erin")}, {}};
  Result<DirectoryPlan> plan = sync_directory(
      staff, *store_, SyncOptions{false, now_},
      [&](const DirectoryConfig&) -> Result<DirectorySnapshot> { return staff_snapshot; });
  PP_ASSERT_OK(plan);
  EXPECT_EQ(plan->conflicts.size(), 1u);
  EXPECT_EQ((*people_->find_person("alice"))->source, "students");
  EXPECT_EQ((*people_->find_person("erin"))->source, "staff");
  Result<std::vector<DirectorySyncRecord>> records = store_->list_syncs();
  PP_ASSERT_OK(records);
  EXPECT_EQ((*records)[0].directory, "staff");
  EXPECT_EQ((*records)[0].outcome, "conflicts");
  EXPECT_NE((*records)[0].last_error.find("alice"), std::string::npos);
}

TEST(DirectoryConfigTest, SectionsAreReadWithDefaults) {
  Result<Config> config = Config::parse(
      "[directory students]\nuri = ldap://127.0.0.1:389\nbase = dc=students\n"
      "member-attribute = memberUid\ncard-format = hexadecimal reversed\nsync-interval = 600\n"
      "[directory staff]\nuri = ldaps://ad.example\nbase = dc=staff\nbind-dn = cn=r\n"
      "bind-password-file = /etc/pullprint/ad.secret\nid-attribute = objectGUID\n");
  PP_ASSERT_OK(config);
  Result<std::vector<DirectoryConfig>> directories = directories_from_config(*config);
  PP_ASSERT_OK(directories);
  ASSERT_EQ(directories->size(), 2u);
  const DirectoryConfig& staff = (*directories)[0];
  EXPECT_EQ(staff.name, "staff");
  EXPECT_EQ(staff.id_attribute, "objectGUID");
  EXPECT_EQ(staff.login_attribute, "uid");
  const DirectoryConfig& students = (*directories)[1];
  EXPECT_EQ(students.member_style, MemberStyle::kMemberUid);
  EXPECT_EQ(students.group_filter, "(objectClass=posixGroup)");
  EXPECT_TRUE(students.card_format.reversed);
  EXPECT_EQ(students.sync_interval, 600);

  PP_EXPECT_CODE(
      directories_from_config(*Config::parse("[directory x]\nuri = http://x\nbase = dc=x\n")),
      Code::kInvalidArgument);
  PP_EXPECT_CODE(directories_from_config(*Config::parse(
                     "[directory x]\nuri = ldap://x\nbase = dc=x\nbind-password = s\n")),
                 Code::kInvalidArgument);
  PP_EXPECT_CODE(directories_from_config(*Config::parse(
                     "[directory x]\nuri = ldap://x\nbase = dc=x\nbind-dn = cn=r\n")),
                 Code::kInvalidArgument);
}

TEST(DirectoryConfigTest, ThePasswordFileMustBeTheOwnersAlone) {
  TempDir dir;
  std::string path = dir.file("secret");
  std::ofstream(path) << "s3cret\nignored\n";
  ::chmod(path.c_str(), 0600);
  Result<std::string> password = read_bind_password(path);
  PP_ASSERT_OK(password);
  EXPECT_EQ(*password, "s3cret");
  ::chmod(path.c_str(), 0640);
  PP_EXPECT_CODE(read_bind_password(path), Code::kPermissionDenied);
  ::chmod(path.c_str(), 0604);
  PP_EXPECT_CODE(read_bind_password(path), Code::kPermissionDenied);
  PP_EXPECT_CODE(read_bind_password(dir.file("missing")), Code::kNotFound);
}

}  // namespace
}  // namespace pp::test
