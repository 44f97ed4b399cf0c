// directory-plan.h: what a directory sync would change, computed from the directory's snapshot
// and the ledger file's current state, with no I/O.
//
// Why a plan of its own: `--dry-run` prints exactly what a sync applies; the rules (who is
// renamed, who left, which card is blocked, which login conflicts) are tested without LDAP or
// SQLite; and the apply (directory-store.h) is a plain list of writes run in one transaction.
//
// The rules:
//  - A user is found by (directory, id-attribute). A different login is a rename: the person,
//    their personal account (balance and history), their cards, their group memberships (local
//    groups too) and the shared accounts they may charge follow the new login. Jobs in flight
//    are not renamed: held jobs (another database), their delivery rows and split shares keep
//    the login they were submitted under (their idempotency keys are made from it); their money
//    is on the account by id, so it stays right. They expire with their lifetime; an operator
//    can release them.
//  - A login already held by a person of another directory (or by a shared account) is a
//    conflict: that entry is left out and reported; the rest of the directory is applied.
//    A local person or a personal account with that login (a user who printed before the first
//    sync) is taken over by the directory.
//  - A user gone from the directory is disabled (personal account disabled: no new jobs; balance
//    and history kept) and archived `leaver-grace` seconds later; a user who comes back is active
//    again. Nothing is deleted.
//  - Groups are keyed on their id too; their members are the directory's users, nested groups
//    followed (`member`, `uniqueMember`; cycles are safe); a group gone from the directory is
//    removed (it holds no money). A membership keeps its `since` while the user stays.
//  - Cards are written in the readers' form (card-format.h). A card gone from the directory is
//    blocked, and made active again only if it comes back (a card blocked by hand stays blocked).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "directory/directory.h"
#include "people/people.h"

namespace pp {

// The ledger file's state that a sync compares with (read under the sync's write lock).
struct StoredAccount {
  std::string name;
  bool personal = true;
  bool enabled = true;
  std::string display_name;
};

struct StoredGroup {
  std::string name;
  std::string description;
  std::string source;
  std::string source_id;
};

struct StoredCard {
  std::string number;
  std::string user;
  bool blocked = false;
  std::string directory;         // the directory that brought it; "" for a card added by hand
  bool blocked_by_sync = false;  // blocked because it was gone from its directory
};

struct DirectoryState {
  std::vector<Person> people;           // every person, of every source
  std::vector<StoredAccount> accounts;  // every account
  std::vector<StoredGroup> groups;      // every group
  std::vector<Membership> memberships;  // the members of this directory's groups
  std::vector<StoredCard> cards;        // every card
};

enum class PersonWriteKind {
  kCreate,  // a new person
  kAdopt,   // a local person with this login becomes the directory's
  kUpdate,  // name, e-mail, department or state (found by source_id, after renames)
};

struct PersonWrite {
  PersonWriteKind kind = PersonWriteKind::kCreate;
  Person person;       // the person as the sync leaves them
  std::string change;  // for people: "new", "e-mail, department", "disabled (gone)"
};

struct LoginRename {
  std::string from;
  std::string to;
};

enum class AccountWriteKind { kCreate, kEnable, kDisable, kDisplayName };

struct AccountWrite {
  AccountWriteKind kind = AccountWriteKind::kCreate;
  std::string name;  // after renames
  std::string display_name;
};

enum class GroupWriteKind { kCreate, kUpdate, kDelete };

struct GroupWrite {
  GroupWriteKind kind = GroupWriteKind::kCreate;
  std::string old_name;  // kUpdate, kDelete
  StoredGroup group;     // kCreate, kUpdate: as the sync leaves it
};

struct MemberWrite {
  std::string group;  // after group writes
  std::string user;   // after renames
  bool add = true;
};

enum class CardWriteKind {
  kAdd,     // a new card
  kAssign,  // an existing card taken over or moved to this user, and active
  kBlock,   // gone from the directory
};

struct CardWrite {
  CardWriteKind kind = CardWriteKind::kAdd;
  std::string number;
  std::string user;  // after renames
};

// What one sync of one directory changes. Applied in this order: group deletes, renames,
// people, accounts, group creates and updates, members, cards.
struct DirectoryPlan {
  std::string directory;
  std::int64_t now = 0;
  std::int64_t users_read = 0;
  std::int64_t groups_read = 0;
  std::int64_t cards_read = 0;
  std::vector<LoginRename> renames;
  std::vector<PersonWrite> people;
  std::vector<AccountWrite> accounts;
  std::vector<GroupWrite> groups;
  std::vector<MemberWrite> members;
  std::vector<CardWrite> cards;
  std::vector<std::string> conflicts;  // entries left out, and why (the sync reports an error)
  std::vector<std::string> warnings;   // values ignored (a card that does not fit card-format)

  // How many writes the plan holds (0: the ledger file already matches the directory).
  std::size_t change_count() const;
};

// Counts of a plan by kind, as `directory sync` and `directory status` show them.
struct PlanSummary {
  std::int64_t people_created = 0, people_updated = 0, people_renamed = 0, people_disabled = 0,
               people_archived = 0, accounts_created = 0, accounts_changed = 0, groups_changed = 0,
               members_added = 0, members_removed = 0, cards_added = 0, cards_changed = 0,
               cards_blocked = 0;
};

// Makes the plan of syncing `snapshot` (read from `directory`) into `state` at `now`.
DirectoryPlan make_directory_plan(const DirectoryConfig& directory,
                                  const DirectorySnapshot& snapshot, const DirectoryState& state,
                                  std::int64_t now);

PlanSummary summarize_plan(const DirectoryPlan& plan);

// The plan as lines for people ("+ person alice: new (Alice Smith, alice@example.org)"), one
// change a line, then the summary line; `limit` caps the change lines (0: all).
std::string describe_plan(const DirectoryPlan& plan, std::size_t limit = 0);

// "12 people created, 1 renamed, ..." (kinds with a zero count left out; "no change").
std::string summary_text(const PlanSummary& summary);

}  // namespace pp
