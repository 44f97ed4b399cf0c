// people.h: a site's people and groups: who a login is (name, e-mail, department, where they come
// from) and which groups they are in.
//
// Why a store of its own: a site's rules name groups, not lists of logins ("every student gets
// EUR 5 a month", "only @staff prints colour on the plotter", "@physics may charge the physics
// account"), and its directories (LDAP, Active Directory) are the truth about who is in them. A
// directory sync writes here; local groups (`pullprint group ...`) live beside the directory's;
// every rule that names users reads group membership from here through UserSet (user-set.h), so
// "@group" means the same thing everywhere.
//
// Logins are the names users print and log in with; they are also the names of their personal
// ledger accounts. A person from a directory is keyed on that directory's immutable identifier
// (`source`, `source_id`), so a rename changes the login and keeps the person.
//
// Contract for an implementation (Site::open in site/site.h picks it; SQLite is the default, in
// the ledger file, tables from share/ledger/005-people.sql): every call is one transaction;
// membership rows carry the time the user joined (`since`), kept unchanged while the user stays.
// Groups from a directory are changed only by that directory's sync: the local-group calls
// refuse them (kPermissionDenied).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/ledger.h"
#include "util/status.h"

namespace pp {

enum class PersonState { kActive, kDisabled, kArchived };

// "active" / "disabled" / "archived", as stored and shown.
std::string_view person_state_name(PersonState state);
// The state a person_state_name() names; nullopt for any other text.
std::optional<PersonState> parse_person_state(std::string_view name);

struct Person {
  std::string login;
  std::string display_name;
  std::string email;
  std::string department;
  std::string source;     // "" for a local person, else the [directory NAME]
  std::string source_id;  // the directory's immutable identifier ("" for a local person)
  PersonState state = PersonState::kActive;
  std::int64_t state_since = 0;  // unix seconds
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

struct Group {
  std::string name;
  std::string description;
  std::string source;  // "" for a local group, else the [directory NAME]
  std::int64_t created_at = 0;
  std::int64_t members = 0;  // how many users are in it
};

// One user in one group, since a time (unix seconds).
struct Membership {
  std::string group;
  std::string user;
  std::int64_t since = 0;
};

// The current time in unix seconds; injectable so that tests can move through periods.
using PeopleClock = std::function<std::int64_t()>;

class PeopleStore {
 public:
  virtual ~PeopleStore() = default;

  // People. find_person: nullopt for a login nobody defined (a user known only by their jobs).
  virtual Result<std::optional<Person>> find_person(std::string_view login) = 0;
  virtual Result<std::vector<Person>> list_people() = 0;

  // Local groups. create_group: kAlreadyExists when the name is taken (by any group);
  // delete_group: kNotFound, or kPermissionDenied for a directory's group.
  virtual Status create_group(std::string_view name, std::string_view description) = 0;
  virtual Status delete_group(std::string_view name) = 0;
  // Adds a user to a local group (since now); adding a member again changes nothing.
  virtual Status add_member(std::string_view group, std::string_view user) = 0;
  // Removes a user from a local group; kNotFound when they are not in it.
  virtual Status remove_member(std::string_view group, std::string_view user) = 0;

  // Reading. get_group: kNotFound for an unknown group.
  virtual Result<Group> get_group(std::string_view name) = 0;
  virtual Result<std::vector<Group>> list_groups() = 0;
  // The members of a group, by login; kNotFound for an unknown group.
  virtual Result<std::vector<Membership>> members_of(std::string_view group) = 0;
  // The groups a user is in, by group name (empty for an unknown user).
  virtual Result<std::vector<Membership>> groups_of(std::string_view user) = 0;
  // Whether `user` is in `group`; false for an unknown group.
  virtual Result<bool> is_member(std::string_view user, std::string_view group) = 0;
};

// Checks a group name from a command line, a config file or the network: 1-128 characters,
// letters, digits and "._-", not starting with '-'.
Status validate_group_name(std::string_view name);

// Opens the people store in the ledger file at `path` (see LedgerMigrations in ledger/ledger.h).
Result<std::unique_ptr<PeopleStore>> open_sqlite_people_store(
    const std::string& path, PeopleClock clock,
    LedgerMigrations migrations = LedgerMigrations::kRun);

// The system clock as a PeopleClock.
std::int64_t people_clock_now();

}  // namespace pp
