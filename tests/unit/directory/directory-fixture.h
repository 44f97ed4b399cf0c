// directory-fixture.h: a directory's config and snapshot built by hand, and a ledger file with
// the directory store, for the plan and apply tests (no LDAP).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "directory/directory-store.h"
#include "directory/directory-sync.h"
#include "ledger/ledger.h"
#include "people/people.h"
#include "support/status-assert.h"
#include "support/temp-dir.h"

namespace pp::test {

inline DirectoryConfig test_directory(std::string name = "students") {
  DirectoryConfig directory;
  directory.name = std::move(name);
  directory.uri = "ldap://127.0.0.1:1";
  directory.base = "dc=test";
  directory.leaver_grace = 86400;
  return directory;
}

inline DirectoryUser user(const std::string& id, const std::string& login,
                          std::vector<std::string> cards = {}) {
  DirectoryUser user;
  user.id = id;
  user.login = login;
  user.dn = "uid=" + login + ",ou=people,dc=test";
  user.display_name = "User " + login;
  user.email = login + "@test";
  user.department = "physics";
  user.cards = std::move(cards);
  return user;
}

inline DirectoryGroup group(const std::string& name, std::vector<std::string> members) {
  DirectoryGroup group;
  group.id = "gid-" + name;
  group.dn = "cn=" + name + ",ou=groups,dc=test";
  group.name = name;
  group.members = std::move(members);
  return group;
}

inline std::string dn_of(const std::string& login) {
  return "uid=" + login + ",ou=people,dc=test";
}

class DirectoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto ledger = open_sqlite_ledger(dir_.file("ledger.sqlite"));
    ASSERT_TRUE(ledger.ok()) << ledger.status().to_string();
    ledger_ = std::move(ledger).value();
    auto store =
        open_sqlite_directory_store(dir_.file("ledger.sqlite"), LedgerMigrations::kAlreadyRun);
    ASSERT_TRUE(store.ok()) << store.status().to_string();
    store_ = std::move(store).value();
    auto people = open_sqlite_people_store(
        dir_.file("ledger.sqlite"), [this] { return now_; }, LedgerMigrations::kAlreadyRun);
    ASSERT_TRUE(people.ok()) << people.status().to_string();
    people_ = std::move(people).value();
  }

  // Syncs `snapshot` as `directory` at now_.
  Result<DirectoryPlan> sync(const DirectorySnapshot& snapshot, bool dry_run = false) {
    return sync_directory(
        directory_, *store_, SyncOptions{dry_run, now_},
        [&](const DirectoryConfig&) -> Result<DirectorySnapshot> { return snapshot; });
  }

  TempDir dir_;
  std::int64_t now_ = 1'700'000'000;
  DirectoryConfig directory_ = test_directory();
  std::unique_ptr<Ledger> ledger_;
  std::unique_ptr<DirectoryStore> store_;
  std::unique_ptr<PeopleStore> people_;
};

}  // namespace pp::test
